# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models

from .authority import as_engine

_logger = logging.getLogger(__name__)

AWARD_BATCH = 5000  # ledger lines per _award call (one INSERT each)


class AmbassadorShareLink(models.Model):
    """One ambassador's tracked short link to one share kit (issue 14): a
    ``link.tracker`` whose utm source is the ambassador and campaign the
    mission, made the first time the ambassador opens the kit. link_tracker's
    ``/r/<code>`` counts its clicks (one per visitor address, with the
    country); ``_award_clicks`` turns the clicks measured since the last award
    into points, never twice."""

    _name = "ambassador.share.link"
    _description = "Ambassador Personal Share Link"
    _order = "id desc"
    _rec_name = "partner_id"

    kit_id = fields.Many2one(
        "ambassador.share.kit", required=True, readonly=True, index=True,
        ondelete="cascade")
    mission_id = fields.Many2one(related="kit_id.mission_id", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Ambassador", required=True, readonly=True,
        index=True, ondelete="cascade")
    link_tracker_id = fields.Many2one(
        "link.tracker", string="Tracked Link", readonly=True, index=True,
        ondelete="set null")
    short_url = fields.Char(related="link_tracker_id.short_url", readonly=True)
    clicks_awarded = fields.Integer(
        string="Clicks Counted", readonly=True, default=0,
        help="Measured clicks already turned into points (or past the caps).")
    last_award_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("kit_partner_unique", "unique(kit_id, partner_id)",
         "An ambassador has one link per share kit."),
    ]

    @api.model_cr
    def init(self):
        # link_tracker leaves its clicks without index: each click on /r/<code>
        # searches (link, address), and the award and the reports join by
        # link; a sequential scan of a million clicks each time otherwise.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS link_tracker_click_link_ip_idx
            ON link_tracker_click (link_id, ip)
            """)

    # ------------------------------------------------------------------
    # The link, made on first view
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_link(self, kit, partner):
        """The personal link of ``partner`` to ``kit``, made now if it has
        none. The caller checked that the kit is open to this active
        ambassador. Two first views at once: the second one's INSERT meets
        the first's row and fails with a serialization error, which Odoo
        retries (the row is then there)."""
        cr = self.env.cr
        cr.execute(
            """
            INSERT INTO ambassador_share_link
                (kit_id, partner_id, clicks_awarded, create_uid, create_date,
                 write_uid, write_date)
            VALUES (%s, %s, 0, %s, now() at time zone 'UTC', %s,
                    now() at time zone 'UTC')
            ON CONFLICT (kit_id, partner_id) DO NOTHING
            """, (kit.id, partner.id, self.env.uid, self.env.uid),
            log_exceptions=False)
        # sudo: the ambassador's own link, which it may not read over RPC.
        link = self.sudo().search(
            [("kit_id", "=", kit.id), ("partner_id", "=", partner.id)], limit=1)
        if not link.link_tracker_id:
            link.link_tracker_id = self._ambassador_make_trackers(link)[link.id]
        return link

    @api.model
    def _ambassador_make_trackers(self, links):
        """{link id: link.tracker id} for ``links`` (without tracker): one
        tracker each, tagged with the ambassador's source, the mission's
        campaign and the share medium."""
        links = links.sudo()
        sources = self.env["res.partner"]._ambassador_utm_sources(
            links.mapped("partner_id").ids)
        links.mapped("mission_id")._ambassador_share_campaign()
        medium = self.env.ref("ambassador_program.utm_medium_ambassador_share")
        # sudo: link.tracker is written by its managers only; the link is
        # the ambassador's own (checked by the caller).
        Tracker = self.env["link.tracker"].sudo()
        trackers = {}
        for link in links:
            # The title is given: link.tracker would fetch the page otherwise.
            trackers[link.id] = Tracker.create({
                "url": link.kit_id.url,
                "title": link.kit_id.with_context(lang="en_US").name,
                "campaign_id": link.mission_id.share_utm_campaign_id.id,
                "source_id": sources[link.partner_id.id],
                "medium_id": medium.id,
            }).id
        return trackers

    @api.multi
    def _ambassador_click_count(self):
        """Measured clicks of these links (one query)."""
        tracker_ids = tuple(self.mapped("link_tracker_id").ids) or (0,)
        self.env.cr.execute(
            "SELECT COUNT(*) FROM link_tracker_click WHERE link_id IN %s",
            (tracker_ids,))
        return self.env.cr.fetchone()[0]

    @api.multi
    def _ambassador_points_earned(self):
        """Points the ledger holds for these links (one query)."""
        self.env.cr.execute(
            "SELECT COALESCE(SUM(points), 0) FROM ambassador_point_transaction "
            "WHERE origin = 'share' AND share_link_id IN %s",
            (tuple(self.ids) or (0,),))
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Points of measured clicks
    # ------------------------------------------------------------------
    @api.model
    def _cron_award_clicks(self):
        """Hourly: the points of the clicks measured since the last run."""
        return as_engine(self)._award_clicks()

    @api.model
    def _award_clicks(self, links=None, evaluate=True):
        """Award, set-based, the points of the clicks measured since the last
        award on ``links`` (every link when None): ``rule.points`` per unique
        visitor (link_tracker counts one click per address and link), within
        the mission's days (a day's margin each side: the days are local, the
        clicks' times UTC), to active ambassadors, each ambassador earning
        at most the mission's ``points`` from its kits and the rule's yearly
        cap (``_award``; ``evaluate`` false: the caller evaluates the tiers).
        Returns the ledger lines written.

        Never twice: the links are locked, and their ``clicks_awarded`` moved
        in the same transaction as the lines; a second run that started
        before this one committed fails to lock them (serialization error)
        and changes nothing; a line repeating an award (same link, same click
        total) is refused by a unique index."""
        Ledger = self.env["ambassador.point.transaction"]
        rule = self.env.ref("ambassador_program.rule_tracked_share",
                            raise_if_not_found=False)
        if not rule or not rule.active or rule.points <= 0:
            return Ledger.browse()
        cr = self.env.cr
        only = "AND l.id IN %(links)s" if links is not None else ""
        if links is not None and not links:
            return Ledger.browse()
        cr.execute(
            """
            SELECT l.id, l.partner_id, k.mission_id, m.points, l.clicks_awarded,
                   COUNT(c.id) AS clicks
            FROM ambassador_share_link l
            JOIN ambassador_share_kit k ON k.id = l.kit_id
            JOIN ambassador_mission m ON m.id = k.mission_id
            JOIN res_partner p ON p.id = l.partner_id
                AND p.ambassador_state = 'active'
                AND p.ambassador_segment_id IS NOT NULL
            JOIN link_tracker_click c ON c.link_id = l.link_tracker_id
                AND c.create_date >= m.date_start - interval '1 day'
                AND (m.date_end IS NULL
                     OR c.create_date < m.date_end + interval '2 days')
            WHERE TRUE {only}
            GROUP BY l.id, k.mission_id, m.points
            HAVING COUNT(c.id) > l.clicks_awarded
            ORDER BY l.id
            """.format(only=only),
            {"links": tuple(links.ids) if links is not None else None})
        rows = cr.fetchall()
        if not rows:
            return Ledger.browse()
        link_ids = [row[0] for row in rows]
        # Locked in id order (no deadlock between two runs); under Odoo's
        # repeatable read, a link another run awarded meanwhile fails here.
        cr.execute(
            "SELECT id FROM ambassador_share_link WHERE id IN %s "
            "ORDER BY id FOR UPDATE", (tuple(link_ids),), log_exceptions=False)
        partner_ids = sorted({row[1] for row in rows})
        mission_ids = sorted({row[2] for row in rows})
        # Points each ambassador already earned from each mission's kits.
        cr.execute(
            """
            SELECT t.partner_id, k.mission_id, SUM(t.points)
            FROM ambassador_point_transaction t
            JOIN ambassador_share_link l ON l.id = t.share_link_id
            JOIN ambassador_share_kit k ON k.id = l.kit_id
            WHERE t.origin = 'share' AND t.partner_id IN %s
              AND k.mission_id IN %s
            GROUP BY t.partner_id, k.mission_id
            """, (tuple(partner_ids), tuple(mission_ids)))
        earned = {(pid, mid): total for pid, mid, total in cr.fetchall()}
        awards, counted = [], []
        note = _("%d measured clicks")
        for link_id, partner_id, mission_id, mission_points, done, clicks in rows:
            counted.append((link_id, clicks))
            room = max((mission_points or 0) - earned.get(
                (partner_id, mission_id), 0), 0)
            points = min((clicks - done) * rule.points, room)
            if points <= 0:
                continue
            earned[partner_id, mission_id] = earned.get(
                (partner_id, mission_id), 0) + points
            awards.append({
                "partner_id": partner_id, "points": points, "origin": "share",
                "rule_id": rule.id, "share_link_id": link_id,
                "share_clicks": clicks,
                "note": note % (clicks - done),
            })
        cr.execute(
            """
            UPDATE ambassador_share_link l
            SET clicks_awarded = n.clicks, last_award_date = now() at time zone 'UTC'
            FROM unnest(%s::int[], %s::int[]) AS n(link_id, clicks)
            WHERE l.id = n.link_id
            """, ([c[0] for c in counted], [c[1] for c in counted]))
        self.invalidate_cache(["clicks_awarded", "last_award_date"], link_ids)
        # as_engine: the award is the programme's own, decided above from
        # measured clicks, never from what the ambassador says.
        Ledger = as_engine(Ledger)
        lines = Ledger.browse()
        for start in range(0, len(awards), AWARD_BATCH):
            lines |= Ledger._award(awards[start:start + AWARD_BATCH],
                                   evaluate=evaluate)
        _logger.info("Share clicks: %d links counted, %d ledger lines",
                     len(counted), len(lines))
        return lines.with_env(self.env)

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_demo_clicks(self, kit_id, clicks):
        """Demo: the links of some ambassadors to a kit and their measured
        clicks (``clicks``: {partner id: {country code: visitors}}), from
        documentation addresses, then the award of their points."""
        kit = self.env["ambassador.share.kit"].browse(kit_id)
        Click = self.env["link.tracker.click"]
        countries = {c.code: c.id for c in self.env["res.country"].search(
            [("code", "in", sorted({code for by_country in clicks.values()
                                    for code in by_country}))])}
        links = self.browse()
        address = 0
        for partner_id, by_country in sorted(clicks.items()):
            link = self._ambassador_link(kit, self.env["res.partner"].browse(
                int(partner_id)))
            links |= link
            for code, visitors in sorted(by_country.items()):
                for _visitor in range(visitors):
                    address += 1
                    Click.create({
                        "link_id": link.link_tracker_id.id,
                        "ip": "198.51.100.%d" % address,
                        "country_id": countries.get(code)})
        return as_engine(self)._award_clicks(links)
