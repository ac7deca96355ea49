# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AmbassadorDirectoryView(models.Model):
    """The directory and introductions: a person who chose "contact me only
    through introductions" is listed (its name and what else it shows), its
    e-mail and phone never; a card offers "Request an introduction" to
    whoever accepts them."""

    _inherit = "ambassador.directory.view"

    @api.model
    def _directory_domain(self, viewer, scope, search, filters=None):
        domain = super(AmbassadorDirectoryView, self)._directory_domain(
            viewer, scope, search, filters)
        # The parent lists whoever shows at least one field: a chain of "|"
        # before the show flags. One more term: or introductions only (and
        # accepting some: else the card would be empty).
        first = domain.index(("ambassador_show_email", "=", True))
        return (domain[:first]
                + ["|", "&", ("ambassador_intro_only", "=", True),
                   ("ambassador_intro_quota", ">", 0)]
                + domain[first:])

    @api.model
    def _directory_cards(self, partners):
        people = super(AmbassadorDirectoryView, self)._directory_cards(partners)
        # One read for the page (partners are sudo'ed by the caller).
        rows = partners.read(["ambassador_intro_only", "ambassador_intro_quota",
                              "ambassador_state"])
        for person, row in zip(people, rows):
            if row["ambassador_intro_only"]:
                person.pop("email", None)
                person.pop("phone", None)
            if (row["ambassador_intro_quota"] > 0
                    and row["ambassador_state"] == "active"):
                person["introduction_id"] = row["id"]
        return people
