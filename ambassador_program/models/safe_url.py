# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one check of the links the programme stores and renders (proofs,
documents, the portal form): staff and ambassadors click them, so only an
absolute http(s) address with a host is a link; ``javascript:``, ``data:``,
relative and scheme-relative addresses are not."""
import re
from urllib.parse import urlsplit

URL_MAX = 1024
HTTP_SCHEMES = ("http", "https")
# Browsers drop tabs and newlines inside a URL ("java\tscript:"), and a control
# character or a space has no place in a link typed or pasted by a person.
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f]")


def is_http_url(value, max_length=URL_MAX):
    """True when ``value`` is an absolute http(s) URL with a host."""
    if not isinstance(value, str) or not value or len(value) > max_length:
        return False
    if _FORBIDDEN.search(value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(host)


def safe_href(value):
    """``value`` if it may be rendered as a link, else False."""
    return value if is_http_url(value) else False
