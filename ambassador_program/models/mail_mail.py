# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools
from odoo.tools.safe_eval import safe_eval


class MailMail(models.Model):
    """Newsletters carry a List-Unsubscribe header (RFC 2369): mail clients
    show their own "unsubscribe" button, and the large mailbox providers
    expect it of bulk senders. It points at mass mailing's own unsubscribe
    page for the recipient (the link of the mailing's footer)."""

    _inherit = "mail.mail"

    @api.multi
    def _send(self, auto_commit=False, raise_exception=False, smtp_session=None):
        for mail in self.filtered("mailing_id"):
            mail._ambassador_add_list_unsubscribe()
        return super(MailMail, self)._send(
            auto_commit=auto_commit, raise_exception=raise_exception,
            smtp_session=smtp_session,
        )

    @api.multi
    def _ambassador_add_list_unsubscribe(self):
        self.ensure_one()
        # A mailing's e-mail has one recipient: its address or its contact.
        emails = tools.email_split(self.email_to or self.recipient_ids[:1].email or "")
        if not emails:
            return
        headers = safe_eval(self.headers) if self.headers else {}
        if "List-Unsubscribe" in headers:
            return
        headers["List-Unsubscribe"] = "<%s>" % self._get_unsubscribe_url(emails[0])
        self.write({"headers": repr(headers)})
