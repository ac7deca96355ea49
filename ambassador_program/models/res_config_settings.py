# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ambassador_review_notice_days = fields.Integer(
        string="Review Notice (days)",
        default=30,
        config_parameter="ambassador_program.review_notice_days",
        help="How many days before a Gold or Platinum status ends its yearly "
        "review opens.",
    )
    ambassador_review_grace_days = fields.Integer(
        string="Review Grace Period (days)",
        default=30,
        config_parameter="ambassador_program.review_grace_days",
        help="Days after the end of validity the committee has to renew a status "
        "before it falls back to what the points allow.",
    )
