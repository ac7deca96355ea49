#!/usr/bin/env python3
"""Who listens on a TCP port (Linux, read from /proc).

    port_check.py free PORT
        exits 0 if nothing listens on PORT; 1, naming the listener, otherwise.
    port_check.py owner PORT PID
        exits 0 if PID (or one of its threads) holds the socket listening on
        PORT; 1, naming who does, otherwise.

scripts/test.sh checks that its port is free before it starts a server, and
that the server answering is the one it started.
"""
import errno
import os
import socket
import sys

LISTEN = "0A"


def listening_inodes(port):
    """Inodes of the sockets listening on PORT, IPv4 and IPv6."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                next(handle)
                for line in handle:
                    fields = line.split()
                    local, state, inode = fields[1], fields[3], fields[9]
                    if state == LISTEN and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add(inode)
        except (OSError, StopIteration):
            continue
    return inodes


def socket_owners(inodes):
    """{pid: command line} of the processes holding one of these sockets."""
    targets = set("socket:[%s]" % inode for inode in inodes)
    owners = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        fd_dir = "/proc/%s/fd" % pid
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(os.path.join(fd_dir, fd)) in targets:
                    owners[int(pid)] = command_line(pid)
                    break
            except OSError:
                continue
    return owners


def command_line(pid):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return "?"


def bind_refused(port):
    """Whether binding the port as a server does (SO_REUSEADDR as werkzeug does,
    so that connections of an earlier run in TIME_WAIT do not count)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("0.0.0.0", port))
        return False
    except OSError as error:
        return error.errno == errno.EADDRINUSE
    finally:
        sock.close()


def describe(owners):
    if not owners:
        return "a process this user cannot see"
    return "; ".join("pid %d (%s)" % (pid, cmd[:200])
                     for pid, cmd in sorted(owners.items()))


def check_free(port):
    inodes = listening_inodes(port)
    if inodes:
        return False, "port %d is already in use by %s" % (
            port, describe(socket_owners(inodes)))
    if bind_refused(port):
        return False, "port %d is already in use (bind refused)" % port
    return True, "port %d is free" % port


def check_owner(port, pid):
    inodes = listening_inodes(port)
    if not inodes:
        return False, "nothing listens on port %d" % port
    owners = socket_owners(inodes)
    if pid in owners:
        return True, "port %d is served by pid %d" % (port, pid)
    return False, "port %d is served by %s, not by the server started (pid %d)" % (
        port, describe(owners), pid)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        if len(argv) == 2 and argv[0] == "free":
            ok, message = check_free(int(argv[1]))
        elif len(argv) == 3 and argv[0] == "owner":
            ok, message = check_owner(int(argv[1]), int(argv[2]))
        else:
            raise ValueError
    except ValueError:
        print("usage: port_check.py free PORT | owner PORT PID", file=sys.stderr)
        return 2
    print(message, file=sys.stderr if not ok else sys.stdout)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
