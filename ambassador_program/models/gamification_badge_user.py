# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .authority import is_engine
from .gamification_badge import MILESTONES


class GamificationBadgeUser(models.Model):
    """A milestone badge held (``ambassador_milestone`` set): granted by the
    programme only (gamification.badge._ambassador_grant_milestones), once
    per user and milestone (a unique index). Who reads whose: the record
    rules of security/ambassador_recognition_rules.xml."""

    _inherit = "gamification.badge.user"

    ambassador_milestone = fields.Selection(
        MILESTONES, readonly=True, index=True,
        copy=False,
    )

    @api.model_cr
    def init(self):
        # Never twice: even two runs of the grant at once insert one row.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS gamification_badge_user_milestone_once
            ON gamification_badge_user (user_id, ambassador_milestone)
            WHERE ambassador_milestone IS NOT NULL
            """)

    @api.model
    def _ambassador_check_milestone(self, badge_ids, records=None):
        """Gamification lets portal users and employees create and write
        badge grants: never a milestone's, whoever asks (the programme grants
        them from the ledger, in SQL, once)."""
        if is_engine(self.env):
            return
        milestone_badges = self.env["gamification.badge"].sudo().search(
            [("ambassador_milestone", "!=", False)]).ids
        touched = set(badge_ids) & set(milestone_badges)
        if records is not None:
            touched |= {row.id for row in records.sudo()
                        if row.ambassador_milestone}
        if touched:
            raise AccessError(
                _("The programme grants its milestone badges by itself."))

    @api.model
    def create(self, vals):
        self._ambassador_check_milestone([vals.get("badge_id")])
        if vals.get("ambassador_milestone") and not is_engine(self.env):
            raise AccessError(
                _("The programme grants its milestone badges by itself."))
        return super(GamificationBadgeUser, self).create(vals)

    @api.multi
    def write(self, vals):
        self._ambassador_check_milestone([vals.get("badge_id")], records=self)
        if "ambassador_milestone" in vals and not is_engine(self.env):
            raise AccessError(
                _("The programme grants its milestone badges by itself."))
        return super(GamificationBadgeUser, self).write(vals)
