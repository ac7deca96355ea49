# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .authority import is_engine


class AmbassadorPointTransaction(models.Model):
    """Ledger lines of tracked shares (origin "share", issue 14): the link
    whose measured clicks earned them and the click total they count up to,
    written set-based by the engine only."""

    _inherit = "ambassador.point.transaction"

    share_link_id = fields.Many2one(
        "ambassador.share.link", string="Share Link", index=True,
        ondelete="restrict", readonly=True)
    share_clicks = fields.Integer(
        string="Clicks Counted up to", readonly=True,
        help="The link's measured clicks this line counts up to.")

    @api.model_cr
    def init(self):
        result = super(AmbassadorPointTransaction, self).init()
        # The same clicks of a link are awarded once, whoever runs the award.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ambassador_point_transaction_share_once
            ON ambassador_point_transaction (share_link_id, share_clicks)
            WHERE origin = 'share'
            """)
        return result

    @api.model
    def _award(self, vals_list, evaluate=True):
        """Lines of tracked shares (origin "share", engine only) are written
        set-based by ``_insert_share_lines``, like opening balances: a run
        of the share award may give a line to each of 100,000 ambassadors.
        The other lines go the usual way; the tiers are evaluated once."""
        shares = [vals for vals in vals_list if vals.get("origin") == "share"]
        if not shares:
            return super(AmbassadorPointTransaction, self)._award(
                vals_list, evaluate=evaluate)
        self.check_access_rights("create")
        if not is_engine(self.env):
            raise AccessError(
                _("Points of tracked shares are awarded by the programme only, "
                  "from measured clicks."))
        others = [vals for vals in vals_list if vals.get("origin") != "share"]
        lines = super(AmbassadorPointTransaction, self)._award(
            others, evaluate=False) if others else self.browse()
        partner_ids = sorted({vals["partner_id"] for vals in shares})
        # The same locks as _award (yearly caps and balances see each other).
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE",
            (tuple(partner_ids),), log_exceptions=False)
        share_lines = self._insert_share_lines(shares)
        self._add_to_balances(share_lines)
        lines |= share_lines
        if evaluate:
            self.env["ambassador.status.engine"]._evaluate(
                lines.mapped("partner_id"))
        return lines

    @api.model
    def _insert_share_lines(self, vals_list):
        """The lines of ``vals_list`` (origin "share") in one INSERT, after
        the checks of ``_check_award`` made for the set in two queries:
        active ambassadors with a segment, the rule's yearly cap (what the
        cap withholds is kept in ``capped_points``). The caller holds the
        ambassadors' locks."""
        cr = self.env.cr
        now = fields.Datetime.now()
        year = fields.Datetime.from_string(now).year
        partner_ids = sorted({vals["partner_id"] for vals in vals_list})
        cr.execute(
            "SELECT id, ambassador_state, ambassador_segment_id FROM res_partner "
            "WHERE id = ANY(%s)", (partner_ids,))
        partners = {pid: (state, segment) for pid, state, segment in cr.fetchall()}
        rule_ids = sorted({vals.get("rule_id") or 0 for vals in vals_list})
        rules = {rule.id: rule.yearly_cap for rule in
                 self.env["ambassador.point.rule"].browse(rule_ids).exists()}
        cr.execute(
            """
            SELECT partner_id, rule_id, COALESCE(SUM(points), 0)
            FROM ambassador_point_transaction
            WHERE partner_id = ANY(%s) AND rule_id = ANY(%s)
              AND date >= %s AND date < %s
            GROUP BY partner_id, rule_id
            """, (partner_ids, rule_ids, "%d-01-01" % year, "%d-01-01" % (year + 1)))
        used = {(pid, rid): total for pid, rid, total in cr.fetchall()}
        columns = {name: [] for name in (
            "partner_id", "segment_id", "rule_id", "points", "capped_points",
            "share_link_id", "share_clicks", "note")}
        for vals in vals_list:
            state, segment = partners.get(vals["partner_id"], (None, None))
            points = int(vals.get("points") or 0)
            if state != "active" or not segment or points <= 0:
                raise UserError(
                    _("Points of tracked shares go to active ambassadors with "
                      "a segment (contact %s).") % vals["partner_id"])
            rule_id = vals.get("rule_id") or None
            capped = 0
            cap = rules.get(rule_id)
            if cap:
                key = (vals["partner_id"], rule_id)
                allowed = max(cap - used.get(key, 0), 0)
                capped = max(points - allowed, 0)
                points -= capped
                used[key] = used.get(key, 0) + points
            for name, value in (
                    ("partner_id", vals["partner_id"]), ("segment_id", segment),
                    ("rule_id", rule_id), ("points", points),
                    ("capped_points", capped),
                    ("share_link_id", vals.get("share_link_id")),
                    ("share_clicks", vals.get("share_clicks")),
                    ("note", vals.get("note"))):
                columns[name].append(value)
        cr.execute(
            """
            INSERT INTO ambassador_point_transaction
                (partner_id, segment_id, rule_id, points, capped_points,
                 share_link_id, share_clicks, note, date, origin,
                 create_uid, create_date, write_uid, write_date)
            SELECT r.partner_id, r.segment_id, r.rule_id, r.points, r.capped,
                   r.link_id, r.clicks, r.note, %s, 'share', %s, %s, %s, %s
            FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::int[],
                        %s::int[], %s::int[], %s::varchar[])
                AS r(partner_id, segment_id, rule_id, points, capped, link_id,
                     clicks, note)
            RETURNING id
            """,
            (now, self.env.uid, now, self.env.uid, now, columns["partner_id"],
             columns["segment_id"], columns["rule_id"], columns["points"],
             columns["capped_points"], columns["share_link_id"],
             columns["share_clicks"], columns["note"]))
        lines = self.browse([row[0] for row in cr.fetchall()])
        # Stored computed fields other modules may add are computed as by create().
        for field in self._fields.values():
            if field.store and field.compute:
                self.env.add_todo(field, lines)
        self.recompute()
        return lines
