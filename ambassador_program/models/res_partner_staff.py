# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from .ambassador_segment_field import SIGNUP_FIELDS
from .programme_params import int_param

# Active ambassadors with no ledger line, no proof, no event registration (and
# no mission participation, when the missions are installed) for %(months)s
# months, and in the programme for longer: one set-based query for the
# dashboard, the "Dormant" filter and the re-engagement (indexes on the
# partner and date of each table).
DORMANT_SQL = """
    SELECT p.id FROM res_partner p
    WHERE p.ambassador_state = 'active'
      AND COALESCE(p.ambassador_since, p.create_date::date)
          < (now() AT TIME ZONE 'UTC') - make_interval(months => %(months)s)
      AND NOT EXISTS (
        SELECT 1 FROM ambassador_point_transaction t
        WHERE t.partner_id = p.id
          AND t.date >= (now() AT TIME ZONE 'UTC')
              - make_interval(months => %(months)s))
      AND NOT EXISTS (
        SELECT 1 FROM ambassador_proof pr
        WHERE pr.partner_id = p.id
          AND pr.create_date >= (now() AT TIME ZONE 'UTC')
              - make_interval(months => %(months)s))
      AND NOT EXISTS (
        SELECT 1 FROM event_registration er
        WHERE er.partner_id = p.id
          AND er.create_date >= (now() AT TIME ZONE 'UTC')
              - make_interval(months => %(months)s))
      {participation}
"""
PARTICIPATION_MODEL = "ambassador.mission.participation"
PARTICIPATION_CLAUSE = """
      AND NOT EXISTS (
        SELECT 1 FROM {table} mp
        WHERE mp.partner_id = p.id
          AND mp.create_date >= (now() AT TIME ZONE 'UTC')
              - make_interval(months => %(months)s))
"""


def dormant_sql(env):
    """DORMANT_SQL for this database: with the mission participations when
    that model (the missions' own, issue 14) is installed and has a contact."""
    clause = ""
    Participation = (env[PARTICIPATION_MODEL] if PARTICIPATION_MODEL in env
                     else None)
    if (Participation is not None and "partner_id" in Participation._fields
            and tools.table_exists(env.cr, Participation._table)):
        clause = PARTICIPATION_CLAUSE.format(table=Participation._table)
    return DORMANT_SQL.format(participation=clause)


# The profile fields that belong to some segments only (an institution for
# Study, an organisation for Visit...): the contact's Ambassador tab shows those
# its segment asks for (ambassador.segment.field), no others.
SEGMENT_ONLY_FIELDS = [
    name for name, _label in SIGNUP_FIELDS
    if name.startswith("ambassador_") and name != "ambassador_motivation"
]


def dormant_months(env):
    """How many months without action make an ambassador dormant (settings)."""
    return int_param(env, "dormant_months", 6, minimum=1)


class ResPartner(models.Model):
    """What the staff screens read of a contact: the fields of its segment,
    and whether it is dormant."""

    _inherit = "res.partner"

    ambassador_form_fields = fields.Char(
        compute="_compute_ambassador_form_fields",
        help="Technical: the segment-specific fields the Ambassador tab shows, "
        "between commas (the view hides the others).",
    )

    ambassador_dormant = fields.Boolean(
        string="Dormant",
        compute="_compute_ambassador_dormant",
        search="_search_ambassador_dormant",
        help="Active, with no points, no proof, no event registration and no "
        "mission for the months set in the programme's settings.",
    )

    def _compute_ambassador_dormant(self):
        dormant = self.search(
            [("id", "in", self.ids), ("ambassador_dormant", "=", True)]
        ) if self.ids else self.browse()
        for partner in self:
            partner.ambassador_dormant = partner in dormant

    def _search_ambassador_dormant(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return [("id", "=", 0)]
        query = self.env.cr.mogrify(
            dormant_sql(self.env), {"months": dormant_months(self.env)}
        ).decode()
        wanted = (operator == "=") == value
        return [("id", "inselect" if wanted else "not inselect", (query, []))]

    @api.depends("ambassador_segment_id")
    def _compute_ambassador_form_fields(self):
        lines = self.env["ambassador.segment.field"].search(
            [("segment_id", "in", self.mapped("ambassador_segment_id").ids),
             ("field_name", "in", SEGMENT_ONLY_FIELDS)]
        )
        by_segment = {}
        for line in lines:
            by_segment.setdefault(line.segment_id.id, []).append(line.field_name)
        for partner in self:
            names = by_segment.get(partner.ambassador_segment_id.id, [])
            # Never empty: the client's "ilike" reads it as a string.
            partner.ambassador_form_fields = ",%s," % ",".join(names)
