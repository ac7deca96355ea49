# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    """The ambassador's own utm.source (issue 14): every personal share link
    carries it (``utm_source``). Its name is ``ambassador-<contact id>``, not
    the person's name: it travels in public addresses, and every user may
    read utm sources."""

    _inherit = "res.partner"

    ambassador_utm_source_id = fields.Many2one(
        "utm.source", string="Share Source", readonly=True, copy=False,
        ondelete="set null", groups="ambassador_program.group_ambassador_user")

    @api.model
    def _ambassador_utm_sources(self, partner_ids):
        """{partner id: utm.source id} for ``partner_ids``, the missing
        sources created at once: three statements whatever their number."""
        if not partner_ids:
            return {}
        cr = self.env.cr
        cr.execute(
            "SELECT id, ambassador_utm_source_id FROM res_partner WHERE id IN %s",
            (tuple(partner_ids),))
        sources = dict(cr.fetchall())
        missing = sorted(pid for pid, source in sources.items() if not source)
        if missing:
            cr.execute(
                """
                INSERT INTO utm_source (name, create_uid, create_date, write_uid,
                                        write_date)
                SELECT 'ambassador-' || p, %s, now() at time zone 'UTC', %s,
                       now() at time zone 'UTC'
                FROM unnest(%s::int[]) p ORDER BY p
                RETURNING id, name
                """, (self.env.uid, self.env.uid, missing))
            made = {int(name.rsplit("-", 1)[1]): source_id
                    for source_id, name in cr.fetchall()}
            partners = sorted(made)
            cr.execute(
                """
                UPDATE res_partner p SET ambassador_utm_source_id = s.source_id
                FROM unnest(%s::int[], %s::int[]) AS s(partner_id, source_id)
                WHERE p.id = s.partner_id
                """, (partners, [made[pid] for pid in partners]))
            sources.update(made)
            self.browse(missing).invalidate_cache(["ambassador_utm_source_id"])
        return sources
