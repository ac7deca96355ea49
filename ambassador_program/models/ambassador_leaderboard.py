# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Leaderboards (issue 14): per segment and period, computed from the ledger
in one query, among the active ambassadors who opted in
(``ambassador_consent_leaderboard``), seen only by them."""
from datetime import datetime

from odoo import _, api, models
from odoo.exceptions import AccessError

PERIODS = [
    ("month", "This Month"),
    ("year", "This Year"),
    ("all", "All Time"),
]
BOARD_SIZE = 50
STAFF_GROUP = "ambassador_program.group_ambassador_user"

# The points of each opted-in active ambassador of the segment in the period.
# A line counts in the period of its date; a reversal in the period of the
# line it cancels (a withdrawn award never tops a board); opening balances of
# an import (origin "import") count in "all time" only, they were not earned
# in the period of the import. Ties share a rank and are listed by name, then
# by id (stable). One query: the top ``limit``, the viewer's own row wherever
# it is, and the number ranked.
PERIOD_LINES = """
    SELECT t.partner_id, t.points
    FROM ambassador_point_transaction t
    WHERE t.segment_id = %(segment)s
      AND t.origin NOT IN ('reversal', 'import')
      AND t.date >= %(start)s AND t.date < %(end)s
    UNION ALL
    SELECT r.partner_id, r.points
    FROM ambassador_point_transaction o
    JOIN ambassador_point_transaction r ON r.reversed_transaction_id = o.id
    WHERE o.segment_id = %(segment)s AND o.origin != 'import'
      AND o.date >= %(start)s AND o.date < %(end)s
"""
ALL_TIME_LINES = """
    SELECT t.partner_id, t.points
    FROM ambassador_point_transaction t
    WHERE t.segment_id = %(segment)s
"""
BOARD_QUERY = """
    WITH lines AS ({lines}),
    scores AS (
        SELECT l.partner_id, p.name, SUM(l.points) AS points
        FROM lines l
        JOIN res_partner p ON p.id = l.partner_id
        WHERE p.ambassador_state = 'active' AND p.ambassador_consent_leaderboard
          AND p.ambassador_segment_id = %(segment)s
        GROUP BY l.partner_id, p.name
        HAVING SUM(l.points) > 0
    ),
    ranked AS (
        SELECT partner_id, name, points,
               RANK() OVER (ORDER BY points DESC) AS rank,
               ROW_NUMBER() OVER (ORDER BY points DESC, name, partner_id)
                   AS position,
               COUNT(*) OVER () AS total
        FROM scores
    )
    SELECT partner_id, name, points, rank, position, total FROM ranked
    WHERE position <= %(limit)s OR partner_id = %(viewer)s
    ORDER BY position
"""


class AmbassadorLeaderboard(models.AbstractModel):
    _name = "ambassador.leaderboard"
    _description = "Ambassador Leaderboards"

    @api.model
    def _periods(self):
        """[(key, label)] in the context's language."""
        labels = {
            "month": _("This Month"), "year": _("This Year"), "all": _("All Time")}
        return [(key, labels[key]) for key, _label in PERIODS]

    @api.model
    def _period_bounds(self, period, now=None):
        """(start, end) of ``period`` as UTC datetime strings (the ledger's
        dates), or (None, None) for all time. Calendar month and year."""
        now = now or datetime.utcnow()
        if period == "month":
            start = now.replace(day=1)
            end = (start.replace(year=start.year + 1, month=1) if start.month == 12
                   else start.replace(month=start.month + 1))
        elif period == "year":
            start = now.replace(month=1, day=1)
            end = start.replace(year=start.year + 1)
        else:
            return None, None
        fmt = "%Y-%m-%d 00:00:00"
        return start.strftime(fmt), end.strftime(fmt)

    @api.model
    def _board_sql(self, period):
        """The board's query for ``period`` (a constant of this module)."""
        return BOARD_QUERY.format(
            lines=ALL_TIME_LINES if period == "all" else PERIOD_LINES)

    @api.model
    def _compute_board(self, segment_id, period, viewer_id=0, limit=BOARD_SIZE,
                       now=None):
        """The board of ``segment_id`` for ``period`` ('month', 'year' or
        'all'), no access check: {'rows': [{partner_id, name, points, rank,
        position}], 'total': ranked ambassadors, 'viewer': the viewer's row or
        None}. One query, whatever the size of the ledger."""
        if period not in dict(PERIODS):
            period = "month"
        start, end = self._period_bounds(period, now)
        self.env.cr.execute(self._board_sql(period), {
            "segment": segment_id or 0, "start": start, "end": end,
            "viewer": viewer_id or 0, "limit": limit})
        rows, viewer, total = [], None, 0
        for partner_id, name, points, rank, position, count in \
                self.env.cr.fetchall():
            row = {"partner_id": partner_id, "name": name, "points": points,
                   "rank": rank, "position": position,
                   "is_viewer": partner_id == viewer_id}
            total = count
            if position <= limit:
                rows.append(row)
            if partner_id == viewer_id:
                viewer = row
        return {"rows": rows, "total": total, "viewer": viewer}

    @api.model
    def _viewer_may_see(self, partner=None):
        """Boards are seen by the ambassadors on them: active and opted in
        (and programme staff)."""
        partner = partner or self.env.user.partner_id
        # sudo: the user's own contact (portal users read it anyway).
        own = partner.sudo()
        return bool(
            (own.ambassador_state == "active" and own.ambassador_consent_leaderboard)
            or self.env.user.has_group(STAFF_GROUP))

    @api.model
    def _ambassador_board(self, segment_id, period, limit=BOARD_SIZE):
        """The board the current user asks for: refused unless it may see
        boards (``_viewer_may_see``); its own row marked."""
        if not self._viewer_may_see():
            raise AccessError(
                _("Leaderboards are shown to the active ambassadors who joined "
                  "them."))
        return self._compute_board(
            segment_id, period, viewer_id=self.env.user.partner_id.id, limit=limit)
