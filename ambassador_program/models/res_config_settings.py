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
        string="Programme Messages per 30 Days",
        default=4,
        config_parameter="ambassador_program.mailing_cap",
        help="Most programme messages (newsletters, invitations, reminders, "
        "digests, suggestions) one ambassador receives in any rolling 30 days, "
        "all channels together; the excess is deferred and shown in the "
        "deferral report. Status and committee messages are always sent and "
        "counted; digests, suggestions and reminders stop one message before "
        "the cap (0: no cap).",
    )
    ambassador_dormant_months = fields.Integer(
        string="Dormant after (months)",
        default=6,
        config_parameter="ambassador_program.dormant_months",
        help="An active ambassador with no ledger line, no proof, no event "
        "registration and no mission for this many months counts as dormant "
        "on the programme dashboard, and is suggested missions.",
    )

    # The accessibility statement (/ambassadors/accessibility), as RGAA
    # requires of public bodies: the facts of the agency's last audit.
    ambassador_a11y_conformity = fields.Selection(
        [("full", "Fully compliant"), ("partial", "Partially compliant"),
         ("none", "Not compliant")],
        string="RGAA Compliance",
        default="none",
        config_parameter="ambassador_program.a11y_conformity",
        help="Compliance with RGAA 4.1 the last audit found: full (every "
        "criterion met), partial (at least half), none (less, or no audit).",
    )
    ambassador_a11y_rate = fields.Integer(
        string="Criteria Met (%)",
        config_parameter="ambassador_program.a11y_rate",
        help="Share of the RGAA criteria the last audit found met.",
    )
    ambassador_a11y_audit_date = fields.Date(
        string="Audit Date",
        config_parameter="ambassador_program.a11y_audit_date",
    )
    ambassador_a11y_auditor = fields.Char(
        string="Auditor",
        config_parameter="ambassador_program.a11y_auditor",
        help="Who carried out the audit (the agency itself, or a firm).",
    )
    ambassador_a11y_non_compliant = fields.Text(
        string="Non-accessible Content",
        config_parameter="ambassador_program.a11y_non_compliant",
        help="The non-compliances and the content exempted, one per line.",
    )
    ambassador_a11y_contact_email = fields.Char(
        string="Accessibility Contact E-mail",
        config_parameter="ambassador_program.a11y_contact_email",
    )
    ambassador_a11y_contact_url = fields.Char(
        string="Accessibility Contact Form",
        config_parameter="ambassador_program.a11y_contact_url",
        help="An http(s) address; other links are not shown.",
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
