# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    """Recognition (issue 14): joining the leaderboards and showing one's
    badges is a consent like the directory's (res_partner.CONSENT_PURPOSES,
    purpose "leaderboard"): off by default, changed only through
    _ambassador_set_consents (the space, the sign-up) or by staff with a
    reason, each change logged with the text the person read."""

    _inherit = "res.partner"

    ambassador_consent_leaderboard = fields.Boolean(
        string="Leaderboards and Badges", copy=False,
        help="Appear on the leaderboards (seen by the ambassadors who joined "
        "them) and show the badges on the directory card and the public wall.",
    )
