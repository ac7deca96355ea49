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
    ambassador_mailing_cap = fields.Integer(
        string="Programme Mailings per 30 Days",
        default=4,
        config_parameter="ambassador_program.mailing_cap",
        help="Most programme mailings one ambassador receives in any rolling 30 "
        "days; the excess recipients are left out of a mailing and counted on "
        "it (0: no cap).",
    )
    ambassador_dormant_months = fields.Integer(
        string="Dormant after (months)",
        default=6,
        config_parameter="ambassador_program.dormant_months",
        help="An active ambassador with no ledger line and no proof for this many "
        "months counts as dormant on the programme dashboard.",
    )

    # Odoo 11 ignores ``config_parameter`` on fields (it came with 12.0): read and
    # write here the system parameter each such field names.
    def _ambassador_parameter_fields(self):
        return [
            (name, field)
            for name, field in self._fields.items()
            if getattr(field, "config_parameter", None)
        ]

    def get_values(self):
        res = super(ResConfigSettings, self).get_values()
        params = self.env["ir.config_parameter"]
        for name, field in self._ambassador_parameter_fields():
            value = params.get_param(field.config_parameter)
            if value is False or value is None:
                continue
            if field.type == "integer":
                try:
                    value = int(value)
                except ValueError:
                    continue
            res[name] = value
        return res

    def set_values(self):
        res = super(ResConfigSettings, self).set_values()
        params = self.env["ir.config_parameter"]
        for name, field in self._ambassador_parameter_fields():
            params.set_param(field.config_parameter, self[name])
        return res
