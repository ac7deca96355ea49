import psycopg2

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from ..models.authority import as_engine
from .common import AmbassadorCase


class TestLedgerBulk(AmbassadorCase):
    """``_award`` writes any batch set-based (one INSERT) with the checks and
    yearly caps create() one line at a time would give."""

    @classmethod
    def setUpClass(cls):
        super(TestLedgerBulk, cls).setUpClass()
        cls.crowd = cls.Partner.browse()
        for index in range(201):
            cls.crowd |= cls.make_ambassador("Bulk %d" % index, segment=cls.live)
        cls.engine = as_engine(cls.Ledger)

    def award_queries(self, vals_list):
        """Queries of one ``_award`` of ``vals_list`` (the tiers evaluated
        apart: the status engine has its own query counts)."""
        self.Ledger.invalidate_cache()
        cr = self.env.cr
        before = cr.sql_log_count
        lines = self.engine._award(vals_list, evaluate=False)
        self.assertEqual(len(lines), len(vals_list))
        return cr.sql_log_count - before

    def capped_vals(self, partners, points=5):
        return [{"partner_id": partner.id, "rule_id": self.rule_video.id,
                 "points": points, "origin": "manual",
                 "note": "bulk %d" % index}
                for index, partner in enumerate(partners)]

    def test_query_count_does_not_grow_with_the_batch(self):
        self.award_queries(self.capped_vals(self.crowd[200:]))  # warm caches
        few = self.award_queries(self.capped_vals(self.crowd[:10]))
        many = self.award_queries(self.capped_vals(self.crowd[:200]))
        self.assertEqual(many, few, "no query per line, several ambassadors")
        one = self.crowd[0]
        few = self.award_queries(self.capped_vals([one] * 10, points=1))
        many = self.award_queries(self.capped_vals([one] * 200, points=1))
        self.assertEqual(many, few, "no query per line, one ambassador")
        # The cap (12 a year) held over the three batches of one ambassador.
        lines = self.Ledger.search([("partner_id", "=", one.id),
                                    ("rule_id", "=", self.rule_video.id)])
        self.assertEqual(sum(lines.mapped("points")), 12)
        self.assertEqual(sum(lines.mapped("capped_points")), 5 + 5 + 10 + 200 - 12)
        one.invalidate_cache()
        self.assertEqual(one.ambassador_balance, 12)

    def test_cap_split_across_a_batch_as_one_by_one(self):
        """Several lines of one ambassador and capped rule in one batch use
        the same allowance in their order; reversals and lines of another
        year count as they would once written."""
        last_year = "%d-06-01 12:00:00" % (fields.Date.from_string(
            fields.Date.today()).year - 1)

        def batch(partner, earlier):
            return [
                {"partner_id": partner.id, "rule_id": self.rule_video.id,
                 "points": 5, "origin": "manual"},
                {"partner_id": partner.id, "rule_id": self.rule_video.id,
                 "points": -5, "origin": "reversal",
                 "reversed_transaction_id": earlier.id},
                {"partner_id": partner.id, "rule_id": self.rule_video.id,
                 "points": 4, "origin": "manual"},
                {"partner_id": partner.id, "rule_id": self.rule_video.id,
                 "points": 9, "origin": "manual", "date": last_year},
                {"partner_id": partner.id, "rule_id": self.rule_video.id,
                 "points": 6, "origin": "manual"},
                {"partner_id": partner.id, "rule_id": self.rule_video.id,
                 "points": 4, "origin": "manual", "date": last_year},
                {"partner_id": partner.id, "rule_id": self.rule_video.id,
                 "points": 2, "origin": "manual"},
            ]

        results = []
        for partner, one_by_one in ((self.crowd[0], True), (self.crowd[1], False)):
            earlier = self.engine._award(self.capped_vals(partner, points=5))
            vals_list = batch(partner, earlier)
            if one_by_one:
                lines = self.Ledger.browse()
                for vals in vals_list:
                    lines |= self.engine._award([vals])
            else:
                lines = self.engine._award(vals_list)
            results.append([(line.points, line.capped_points, line.date[:4])
                            for line in lines])
            self.assertEqual(lines.mapped("origin")[1], "reversal")
        self.assertEqual(results[0], results[1])
        # 5 earlier; +5 (7 left), -5, +4 (3 left after), last year 9 (3 over
        # that year's 12), +6 capped at 3, last year 4 capped at 3, +2: none.
        self.assertEqual([(points, capped) for points, capped, _year in results[1]],
                         [(5, 0), (-5, 0), (4, 0), (9, 0), (3, 3), (3, 1), (0, 2)])

    def test_extension_columns_and_defaults_are_written(self):
        lead = self.env["crm.lead"].create({"name": "Bulk lead"})
        partner, other = self.crowd[0], self.crowd[1]
        lines = self.engine._award([
            {"partner_id": partner.id, "points": 3, "origin": "lead",
             "lead_id": lead.id, "lead_round": 2, "lead_auto_reversal": True,
             "note": "won"},
            {"partner_id": other.id, "points": 4, "date": "2020-03-04 05:06:07"},
        ])
        lines.invalidate_cache()
        first, second = lines
        self.assertEqual((first.partner_id, first.lead_id, first.lead_round,
                          first.lead_auto_reversal, first.note, first.origin),
                         (partner, lead, 2, True, "won", "lead"))
        self.assertEqual(first.segment_id, self.live)
        self.assertEqual((second.origin, second.date, second.lead_id,
                          second.lead_auto_reversal, second.note),
                         ("manual", "2020-03-04 05:06:07", lead.browse(), False,
                          False))
        for line in lines:
            self.assertEqual(line.create_uid, self.env.user)
            self.assertEqual(line.write_uid, self.env.user)
            self.assertTrue(line.create_date and line.write_date)
        self.assertTrue(first.date)
        self.assertIn(partner.name, first.reference)

    def count_lines(self):
        self.env.cr.execute("SELECT count(*) FROM ambassador_point_transaction")
        return self.env.cr.fetchone()[0]

    def test_a_refused_line_writes_nothing_of_the_batch(self):
        partner, other = self.crowd[0], self.crowd[1]
        earlier = self.engine._award(self.capped_vals(partner, points=5))
        before = self.count_lines()
        reversal = {"partner_id": partner.id, "points": -5, "origin": "reversal",
                    "reversed_transaction_id": earlier.id}
        # The database refuses a line reversed twice: the whole INSERT goes.
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.engine._award([
                    {"partner_id": other.id, "points": 3, "origin": "manual"},
                    reversal, dict(reversal)])
        self.assertEqual(self.count_lines(), before)
        # A contact that is not an ambassador, after a valid line: nothing.
        stranger = self.Partner.create({"name": "Not an ambassador"})
        with self.assertRaises(UserError):
            self.engine._award([
                {"partner_id": other.id, "points": 3, "origin": "manual"},
                {"partner_id": stranger.id, "points": 3, "origin": "manual"}])
        self.assertEqual(self.count_lines(), before)
        other.invalidate_cache()
        self.assertEqual(other.ambassador_balance, 0)
        # An unknown origin is refused as create() refuses it.
        with self.assertRaises(ValueError):
            self.engine._award([{"partner_id": other.id, "points": 3,
                                 "origin": "nowhere"}])
        self.assertEqual(self.count_lines(), before)
