# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class MassMailingContact(models.Model):
    """The mailing contact of an ambassador, kept by the list synchronisation."""

    _inherit = "mail.mass_mailing.contact"

    ambassador_partner_id = fields.Many2one(
        "res.partner",
        string="Ambassador",
        index=True,
        readonly=True,
        ondelete="set null",
        help="Ambassador this contact mirrors: its lists follow the ambassador's "
        "segment, tier, status and newsletter consent.",
    )

    @api.model_cr
    def init(self):
        # One mailing contact per ambassador, even under concurrent syncs.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS
                mail_mass_mailing_contact_ambassador_unique
            ON mail_mass_mailing_contact (ambassador_partner_id)
            WHERE ambassador_partner_id IS NOT NULL
            """
        )
