# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the models need to judge values typed into a public form: ids given as
text, and errors reported field by field so that the website can show each
one next to its field while the model stays the only judge."""
import re

from odoo.exceptions import ValidationError


class FormErrors(ValidationError):
    """Values refused field by field: ``errors`` maps a form field (or
    ``"form"`` for the whole form) to the message shown next to it. Over RPC it
    reads as one ValidationError with every message.

    On the website (template ``form_error_summary``) every error is listed at
    the top of the form with a link to ``#<field>``: the input of a field has
    the field's name as id, and names its message (id ``error_id(field)``)
    with ``aria-describedby``."""

    def __init__(self, errors):
        self.errors = dict(errors)
        super(FormErrors, self).__init__("\n".join(self.errors.values()))


def error_id(field):
    """The id of the message of an error about ``field`` on a page."""
    return "%s_error" % field


def parse_id(value):
    """A database id from a form value (ASCII digits, or an int), else 0:
    "\u00b2".isdigit() is true but int() refuses it, and PostgreSQL refuses
    ids past its integer range."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, str):
        value = value.strip()
        if not re.match(r"^[0-9]{1,10}$", value):
            return 0
        value = int(value)
    if not isinstance(value, int):
        return 0
    return value if 0 < value < 2 ** 31 else 0


def read_upload(upload, limit):
    """At most ``limit`` bytes of an uploaded file (a werkzeug FileStorage),
    from its start. Odoo replays a request whose transaction failed to
    serialise (two requests at once on the same rows): the replay must read
    the same file again, where a second read() would give it empty."""
    upload.stream.seek(0)
    return upload.read(limit)
