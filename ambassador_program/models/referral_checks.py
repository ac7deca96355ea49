# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the referral's anti-abuse checks compare (no Odoo here): a normalised
e-mail address, an e-mail domain, a postal address, a client's network."""
import ipaddress
import re
import unicodedata

# The network two addresses share to count as "the same place": an IPv4 /24
# (a household, an office, a mobile carrier's NAT) or an IPv6 /64 (one
# subscriber's prefix).
IPV4_PREFIX = 24
IPV6_PREFIX = 64
# Mailboxes whose provider ignores dots in the local part.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def normalise_email(email):
    """One mailbox, one value: lower case, no "+tag", no dots for the
    providers that ignore them (alice.b+x@gmail.com == aliceb@gmail.com)."""
    text = (email or "").strip().lower()
    local, sep, domain = text.rpartition("@")
    if not sep or not local:
        return text
    local = local.split("+", 1)[0]
    domain = DOTLESS_DOMAINS.get(domain, domain)
    if domain == "gmail.com":
        local = local.replace(".", "")
    return "%s@%s" % (local, domain)


def email_domain(email):
    return (email or "").strip().lower().rpartition("@")[2]


def parse_domains(text):
    """The domains of a setting written one per line or comma-separated."""
    return {
        part.strip().lower().lstrip("@")
        for part in re.split(r"[\s,;]+", text or "") if part.strip()
    }


def normalise_postal(street, zip_code, city):
    """Street, postcode and city without case, accents, punctuation or extra
    spaces; empty when the street or both postcode and city are missing (no
    address, nothing to compare)."""
    def clean(text):
        text = unicodedata.normalize("NFKD", text or "")
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
    street, zip_code, city = clean(street), clean(zip_code), clean(city)
    if not street or not (zip_code or city):
        return ""
    return "|".join((street, zip_code, city))


def network_of(remote_addr):
    """The /24 (IPv4) or /64 (IPv6) network of ``remote_addr`` as text
    ("203.0.113.0/24"), or False when it is no IP address. Only the network
    is ever kept for this check, never the address."""
    text = str(remote_addr or "").strip().split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network((address, prefix), strict=False))
