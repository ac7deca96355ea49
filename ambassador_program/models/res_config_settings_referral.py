# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .ambassador_referral import DEFAULT_REVERSAL_DAYS

REVERSAL_DAYS_MAX = 3650


class ResConfigSettings(models.TransientModel):
    """Referrals: how long an exclusion takes the referrer's points back, and
    the e-mail domains that earn no referral points."""

    _inherit = "res.config.settings"

    ambassador_referral_reversal_days = fields.Integer(
        string="Referral Reversed on Exclusion Within (days)",
        default=DEFAULT_REVERSAL_DAYS,
        config_parameter="ambassador_program.referral_reversal_days",
        help="A new ambassador excluded this many days or fewer after its "
        "referrer was awarded takes those points back (0: never).",
    )
    ambassador_referral_disposable_domains = fields.Char(
        string="Disposable E-mail Domains",
        config_parameter="ambassador_program.referral_disposable_domains",
        help="Domains of throw-away mailboxes, separated by commas or spaces: "
        "a new ambassador signed up with one earns its referrer no points.",
    )

    @api.constrains("ambassador_referral_reversal_days")
    def _check_ambassador_referral_reversal_days(self):
        for settings in self:
            days = settings.ambassador_referral_reversal_days
            if days < 0 or days > REVERSAL_DAYS_MAX:
                raise ValidationError(
                    _("Referral reversal: between 0 and %d days, please.")
                    % REVERSAL_DAYS_MAX)
