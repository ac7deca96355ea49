# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AmbassadorDirectoryView(models.Model):
    """The directory's cards show the milestone badges of those who joined
    the leaderboards and badges (one more query per page)."""

    _inherit = "ambassador.directory.view"

    @api.model
    def _directory_cards(self, partners):
        people = super(AmbassadorDirectoryView, self)._directory_cards(partners)
        badges = self.env["gamification.badge"]._ambassador_badges_of(partners.ids)
        # The cards are in the order of ``partners`` (one read).
        for partner, person in zip(partners, people):
            person["badges"] = [name for _id, name, _text in
                                badges.get(partner.id, [])]
        return people
