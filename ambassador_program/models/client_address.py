# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the per-network quotas count by (issue #8, hole 13)."""
import hashlib
import ipaddress

IPV6_NETWORK_PREFIX = 64


def rate_limit_key(remote_addr):
    """The key of ``remote_addr`` (the client address Odoo saw, see
    SECURITY.md "Deployment") for per-network limits: an IPv4 address is its
    own key; an IPv6 address counts by its /64, since one subscriber gets a
    whole /64 and picks any address in it; an IPv4 address written as IPv6
    (``::ffff:a.b.c.d``) is that IPv4 address. Anything else (no address, a
    Unix socket, garbage) gets a stable key of its own, and never an error."""
    text = str(remote_addr or "").strip()
    # A zone ("fe80::1%eth0") is not part of the address (Python 3.7's
    # ipaddress refuses it).
    address_text = text.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(address_text)
    except ValueError:
        digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
        return "other:%s" % digest[:32]
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.version == 4:
        return "ipv4:%s" % address
    network = ipaddress.ip_network(
        (address, IPV6_NETWORK_PREFIX), strict=False)
    return "ipv6:%s" % network
