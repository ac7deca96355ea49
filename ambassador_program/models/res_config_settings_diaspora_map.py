# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .ambassador_diaspora_map import DEFAULT_PUBLIC_MIN_COUNT, \
    PUBLIC_MIN_COUNT_FLOOR


class ResConfigSettings(models.TransientModel):
    """The diaspora map on the public programme page: off by default, and
    then aggregated, the countries with few ambassadors hidden."""

    _inherit = "res.config.settings"

    ambassador_public_map = fields.Boolean(
        string="Diaspora Map on the Programme Page",
        config_parameter="ambassador_program.public_map",
        help="Shows on /ambassadors how many ambassadors live in, and reach, "
        "each country: counts only, never a name.",
    )
    ambassador_public_map_min_count = fields.Integer(
        string="Fewest Ambassadors a Country Shown Has",
        default=DEFAULT_PUBLIC_MIN_COUNT,
        config_parameter="ambassador_program.public_map_min_count",
        help="A country with fewer ambassadors is left off the public map, "
        "so that no one can be recognised.",
    )

    @api.constrains("ambassador_public_map_min_count")
    def _check_ambassador_public_map_min_count(self):
        for settings in self:
            if settings.ambassador_public_map_min_count < PUBLIC_MIN_COUNT_FLOOR:
                raise ValidationError(
                    _("Public diaspora map: a country shown needs at least %d "
                      "ambassadors.") % PUBLIC_MIN_COUNT_FLOOR)
