# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResPartner(models.Model):
    """Who the retention job (ambassador.retention.run) selects."""

    _inherit = "res.partner"

    @api.model
    def _ambassador_retention_leavers(self, cutoff):
        """Ambassadors who left on or before ``cutoff`` (a date string), not
        yet erased: due for erasure. One query. A left ambassador without a
        leaving date is not selected: the job never erases on a guess."""
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE ambassador_state = 'left' "
            "AND ambassador_left_date IS NOT NULL "
            "AND ambassador_erased_date IS NULL "
            "AND ambassador_left_date <= %s ORDER BY id",
            (cutoff,),
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])
