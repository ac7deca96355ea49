# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .ambassador_retention_run import RETENTION_DEFAULTS, RETENTION_MAX


class ResConfigSettings(models.TransientModel):
    """The retention periods of the retention job (ambassador.retention.run),
    saved as system parameters by res_config_settings.set_values."""

    _inherit = "res.config.settings"

    ambassador_retention_signup_margin_days = fields.Integer(
        string="Unconfirmed Sign-ups Kept (days after expiry)",
        default=RETENTION_DEFAULTS["retention_signup_margin_days"],
        config_parameter="ambassador_program.retention_signup_margin_days",
        help="Days after its confirmation link expired that a sign-up never "
        "confirmed is deleted, with the contact it created if nothing else "
        "holds it (0: kept).",
    )
    ambassador_retention_ip_days = fields.Integer(
        string="IP Addresses and Browsers Kept (days)",
        default=RETENTION_DEFAULTS["retention_ip_days"],
        config_parameter="ambassador_program.retention_ip_days",
        help="Days the IP addresses and browsers of sign-ups, charter "
        "acceptances and consents are kept; then they are cleared, the records "
        "stay (0: kept).",
    )
    ambassador_retention_directory_view_days = fields.Integer(
        string="Directory Views Kept (days)",
        default=RETENTION_DEFAULTS["retention_directory_view_days"],
        config_parameter="ambassador_program.retention_directory_view_days",
        help="Days the log of directory pages ambassadors opened is kept "
        "(0: kept).",
    )
    ambassador_retention_left_years = fields.Integer(
        string="Leavers Kept (years)",
        default=RETENTION_DEFAULTS["retention_left_years"],
        config_parameter="ambassador_program.retention_left_years",
        help="Years after an ambassador left that its personal data are erased "
        "(0: kept).",
    )

    @api.constrains(
        "ambassador_retention_signup_margin_days", "ambassador_retention_ip_days",
        "ambassador_retention_directory_view_days", "ambassador_retention_left_years",
    )
    def _check_ambassador_retention(self):
        for settings in self:
            for key, maximum in RETENTION_MAX.items():
                field = "ambassador_%s" % key
                value = settings[field]
                if value < 0 or value > maximum:
                    raise ValidationError(
                        _("%(setting)s: between 0 (kept) and %(maximum)d, please.")
                        % {"setting": self._fields[field].get_description(
                            self.env)["string"], "maximum": maximum})
