# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one definition of a usable e-mail address, on Odoo's own patterns
(odoo.tools.email_split, single_email_re, email_re), for what the programme
sends to or trusts: sign-up addresses, senders of e-mailed proofs, mailing
lists and event invitations."""
from odoo.tools import email_split
from odoo.tools.mail import email_re, single_email_re

EMAIL_MAX = 254  # RFC 5321: the longest address a mail server takes
# For set-based queries: the column holds an address Odoo's mailer can send to.
# Pass USABLE_EMAIL_PARAMS with the query's parameters.
USABLE_EMAIL_PARAMS = {"usable_email_re": email_re.pattern}


def usable_email(value):
    """The one address ``value`` holds ("a@b.org" or "Name <a@b.org>"),
    lower-cased, when Odoo would send to it; else False (no address, several,
    malformed, too long)."""
    if not isinstance(value, str) or len(value) > EMAIL_MAX:
        return False
    addresses = email_split(value)
    if len(addresses) != 1 or not single_email_re.match(addresses[0]):
        return False
    return addresses[0].lower()


def usable_email_sql(column):
    """SQL condition: ``column`` holds an address (see USABLE_EMAIL_PARAMS)."""
    return "COALESCE(%s, '') ~ %%(usable_email_re)s" % column
