# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

DEFAULT_DAILY_CAP = 200  # directory profiles one account may see per day


class AmbassadorDirectoryView(models.Model):
    """One line per directory page an ambassador opened, with how many
    profiles it showed: the daily cap against harvesting is the sum of the
    day's lines (one read_group), and staff can spot misuse (SPEC 2.5)."""

    _name = "ambassador.directory.view"
    _description = "Ambassador Directory View"
    _order = "date desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Ambassador", index=True, ondelete="cascade",
        readonly=True,
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True
    )
    profile_count = fields.Integer(string="Profiles Shown", readonly=True)
    search_term = fields.Char(readonly=True)

    @api.model
    def _daily_cap(self):
        value = self.env["ir.config_parameter"].sudo().get_param(
            "ambassador_program.directory_daily_cap"
        )
        try:
            return int(value) if value else DEFAULT_DAILY_CAP
        except ValueError:
            return DEFAULT_DAILY_CAP

    @api.model
    def _seen_today(self, user):
        day_start = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()).replace(
                hour=0, minute=0, second=0
            )
        )
        groups = self.sudo().read_group(
            [("user_id", "=", user.id), ("date", ">=", day_start)],
            ["profile_count"],
            [],
        )
        return (groups and groups[0]["profile_count"]) or 0

    @api.model
    def _remaining_today(self, user):
        return max(self._daily_cap() - self._seen_today(user), 0)

    @api.model
    def _log(self, user, count, search_term=None):
        return self.sudo().create(
            {
                "user_id": user.id,
                "partner_id": user.partner_id.id,
                "profile_count": count,
                "search_term": (search_term or "")[:64] or False,
            }
        )
