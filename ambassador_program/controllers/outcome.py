# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outcomes attributed to the ambassador (issue 15), in its space: what
the leads it passed on brought (models/ambassador_outcome_attribution.py
chooses what it may see)."""
from odoo import http
from odoo.http import request

from .portal import AmbassadorPortal


class AmbassadorOutcomes(AmbassadorPortal):

    @http.route("/my/ambassador/outcomes", type="http", auth="user", website=True)
    def my_ambassador_outcomes(self, **kw):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        Attribution = request.env["ambassador.outcome.attribution"]
        rows = Attribution._ambassador_portal_rows(partner)
        total_count, total_jobs = Attribution._ambassador_portal_totals(partner)
        return self._render("ambassador_program.portal_my_ambassador_outcomes", {
            "page_name": "ambassador_outcomes", "partner": partner, "rows": rows,
            "total_count": total_count, "total_jobs": total_jobs,
        })
