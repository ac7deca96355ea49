"""Free loopback ports for the repository tests that start their own servers."""
import socket


def free_block(first, last, size=5):
    """The first of ``size`` consecutive free loopback ports between ``first``
    and ``last`` (none of them bound or listening), or None."""
    for base in range(first, last - size + 2):
        sockets = []
        try:
            for port in range(base, base + size):
                sock = socket.socket()
                # A port left in TIME_WAIT by an earlier test is free to use.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    return None
