"""Set-based generation of the benchmark data, its removal, and the changes the
measures make before timing a repair or a sync.

Generated contacts carry the reference ``BENCH-<n>`` (n from 1, contiguous) and
their ledger lines the note ``benchmark``. Everything is written set-based
(``INSERT ... SELECT generate_series`` in chunks, with a progress bar), never row
by row through the ORM.
"""
import time

from .common import BenchError, log, progress, task

REF_PREFIX = "BENCH-"
NOTE = "benchmark"
# Share of the generated ambassadors per segment code (the rest: live).
SEGMENT_SHARES = [("invest", 0.20), ("study", 0.15), ("visit", 0.15), ("live", 0.50)]
# Ledger line kinds: (cumulative probability, rule code, points, origin).
LINE_KINDS = [
    (0.55, "video_online", 1, "proof"),
    (0.75, "event_attendance", 2, "event"),
    (0.83, "referral", 2, "referral"),
    (0.93, "press_foreign_article", 5, "proof"),
    (0.97, "international_network", 10, "proof"),
    (0.985, None, 3, "manual"),
    (0.995, "partnership", 15, "proof"),
    (1.0, "foreign_company", 50, "proof"),
]
REVERSAL_SHARE = 0.005  # lines that cancel an earlier line
OTHER_SEGMENT_SHARE = 0.02  # lines earned in a former segment (not in the balance)
SKEW = 5  # line i goes to ambassador floor(n * random() ** SKEW): few earn a lot


def column_defaults(env, model, given):
    """Values for the NOT NULL columns without database default that the
    generator does not set (added by other modules), from the ORM defaults."""
    Model = env[model]
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
        WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL
        """,
        (Model._table,),
    )
    missing = [row[0] for row in env.cr.fetchall() if row[0] not in given]
    if not missing:
        return {}
    defaults = Model.default_get(missing)
    values = {}
    for name in missing:
        field = Model._fields.get(name)
        if field is None or defaults.get(name) in (None, False):
            raise BenchError(
                "%s.%s is required and has no default: the generator does not "
                "know what to put there" % (model, name)
            )
        values[name] = field.convert_to_column(defaults[name], Model)
    return values


def insert_sql(table, columns, select_exprs, extra, tail):
    """INSERT INTO table (columns + extra) SELECT exprs + extra params tail."""
    names = list(columns) + list(extra)
    exprs = list(select_exprs) + ["%%(extra_%s)s" % name for name in extra]
    return "INSERT INTO %s (%s) SELECT %s %s" % (
        table, ", ".join(names), ", ".join(exprs), tail
    )


class Generator(object):
    """Writes ``BENCH-<n>`` ambassadors with their ledger lines, balances and
    committee statuses, by blocks of numbers (one block per benchmark step)."""

    def __init__(self, env):
        self.env = env
        self.cr = env.cr
        ref = env.ref
        self.segments = []
        for code, share in SEGMENT_SHARES:
            segment = env["ambassador.segment"].search([("code", "=", code)], limit=1)
            if segment:
                self.segments.append((segment.id, share))
        if not self.segments:
            raise BenchError("no ambassador segment found")
        total = sum(share for _sid, share in self.segments)
        self.segments = [(sid, share / total) for sid, share in self.segments]
        tiers = env["ambassador.tier"]
        self.base_tier = tiers.get_base_tier()
        self.gold = tiers.search([("code", "=", "gold")], limit=1)
        self.platinum = tiers.search([("code", "=", "platinum")], limit=1)
        rules = env["ambassador.point.rule"].search([])
        self.rule_ids = {rule.code: rule.id for rule in rules}
        self.admin = ref("base.user_root").id

    def existing(self):
        self.cr.execute(
            "SELECT count(*), COALESCE(max(substring(ref from %s)::int), 0) "
            "FROM res_partner WHERE ref LIKE %s",
            (len(REF_PREFIX) + 1, REF_PREFIX + "%"),
        )
        count, top = self.cr.fetchone()
        self.cr.execute(
            """
            SELECT count(*) FROM ambassador_point_transaction t
            JOIN res_partner p ON p.id = t.partner_id WHERE p.ref LIKE %s
            """,
            (REF_PREFIX + "%",),
        )
        return count, top, self.cr.fetchone()[0]

    def reset(self):
        """Delete what an earlier run generated (benchmark databases only)."""
        cr = self.cr
        started = time.perf_counter()
        cr.execute(
            "CREATE TEMP TABLE bench_old ON COMMIT DROP AS "
            "SELECT id FROM res_partner WHERE ref LIKE %s",
            (REF_PREFIX + "%",),
        )
        cr.execute("CREATE INDEX ON bench_old (id)")
        # The ledger is append-only; generated lines are removed with the trigger
        # off for this transaction's statement only (DDL is transactional).
        cr.execute(
            "ALTER TABLE ambassador_point_transaction "
            "DISABLE TRIGGER ambassador_point_transaction_append_only"
        )
        cr.execute(
            "DELETE FROM ambassador_point_transaction "
            "WHERE partner_id IN (SELECT id FROM bench_old)"
        )
        lines = cr.rowcount
        cr.execute(
            "ALTER TABLE ambassador_point_transaction "
            "ENABLE TRIGGER ambassador_point_transaction_append_only"
        )
        cr.execute(
            """
            DELETE FROM mail_message WHERE model = 'ambassador.promotion' AND res_id IN
                (SELECT id FROM ambassador_promotion
                 WHERE partner_id IN (SELECT id FROM bench_old))
            """
        )
        cr.execute(
            "DELETE FROM mail_followers WHERE res_model = 'ambassador.promotion' AND "
            "res_id IN (SELECT id FROM ambassador_promotion "
            "WHERE partner_id IN (SELECT id FROM bench_old))"
        )
        cr.execute(
            "DELETE FROM ambassador_promotion "
            "WHERE partner_id IN (SELECT id FROM bench_old)"
        )
        cr.execute(
            "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id IN "
            "(SELECT id FROM bench_old)"
        )
        cr.execute(
            "DELETE FROM mail_followers WHERE res_model = 'res.partner' AND res_id IN "
            "(SELECT id FROM bench_old)"
        )
        cr.execute("DELETE FROM res_partner WHERE id IN (SELECT id FROM bench_old)")
        log("  removed %d generated ambassadors and %d ledger lines (%.1fs)"
            % (cr.rowcount, lines, time.perf_counter() - started))

    def generate(self, first, last, lines):
        """Ambassadors number first..last (BENCH-<n>) and ``lines`` ledger lines."""
        cr = self.cr
        n = last - first + 1
        started = time.perf_counter()
        # Segment by cumulative share of n; state by number: 1 in 20 candidate
        # (no points), 1 in 20 suspended, 1 in 20 left, the rest active.
        bounds, cumulated = [], 0.0
        for segment_id, share in self.segments:
            cumulated += share
            bounds.append("WHEN (g * 7919 %%%% 1000) < %d THEN %d"
                          % (round(cumulated * 1000), segment_id))
        segment_expr = "CASE %s ELSE %d END" % (" ".join(bounds), self.segments[-1][0])
        # The first ambassadors of each block earn the most (SKEW): the top 0.03%
        # hold a Platinum status and the next 0.2% Gold, granted by the committee.
        platinum_last = first + max(int(n * 0.0003), 1) - 1
        gold_last = first + max(int(n * 0.002), 2) - 1
        tier_expr = (
            "CASE WHEN g %% 20 IN (0, 2) THEN %(base)s "
            "WHEN g <= %(platinum_last)s THEN %(platinum)s "
            "WHEN g <= %(gold_last)s THEN %(gold)s ELSE %(base)s END"
        )
        given = {
            "id": "s.id",
            "name": "'Bench Ambassador ' || g",
            "display_name": "'Bench Ambassador ' || g",
            "ref": "%(prefix)s || g",
            "email": "'bench.ambassador.' || g || '@example.com'",
            "active": "TRUE",
            "type": "'contact'",
            "is_company": "FALSE",
            "customer": "TRUE",
            "supplier": "FALSE",
            "employee": "FALSE",
            "commercial_partner_id": "s.id",
            "company_id": "%(company)s",
            "lang": "CASE WHEN g %% 3 = 0 THEN 'en_US' ELSE %(lang)s END",
            "partner_share": "TRUE",
            "color": "0",
            "ambassador_state": "CASE g %% 20 WHEN 0 THEN 'candidate' "
            "WHEN 1 THEN 'suspended' WHEN 2 THEN 'left' ELSE 'active' END",
            "ambassador_segment_id": segment_expr,
            "ambassador_tier_id": tier_expr,
            "ambassador_tier_valid_until": "CASE WHEN g %% 20 NOT IN (0, 2) AND g <= "
            "%(gold_last)s THEN current_date + (g %% 365 + 1) ELSE NULL END",
            "ambassador_balance": "0",
            "ambassador_signup_date": "now() - (g %% 1095) * interval '1 day'",
            "ambassador_since": "CASE WHEN g %% 20 = 0 THEN NULL ELSE "
            "current_date - (g %% 1095) END",
            "ambassador_left_date": "CASE WHEN g %% 20 = 2 THEN current_date - "
            "(g %% 90) ELSE NULL END",
            "ambassador_territory_link": "(ARRAY['resident', 'student', 'native', "
            "'diaspora', 'visitor', 'other'])[g %% 6 + 1]",
            "ambassador_consent_newsletter": "g %% 3 <> 0",
            "ambassador_consent_wall": "g %% 5 = 0",
            "ambassador_show_email": "FALSE",
            "ambassador_show_phone": "FALSE",
            "ambassador_show_company": "g %% 4 = 0",
            "ambassador_show_city": "g %% 4 = 0",
            "ambassador_show_skills": "FALSE",
            "create_uid": "%(admin)s",
            "write_uid": "%(admin)s",
            "create_date": "now()",
            "write_date": "now()",
        }
        extra = column_defaults(self.env, "res.partner", given)
        company = self.env.ref("base.main_company").id
        lang = "fr_FR" if self.env["res.lang"].search(
            [("code", "=", "fr_FR")], limit=1) else "en_US"
        params = dict(
            prefix=REF_PREFIX, company=company, lang=lang, admin=self.admin,
            first=first, last=last, base=self.base_tier.id,
            gold=self.gold.id or self.base_tier.id,
            platinum=self.platinum.id or self.base_tier.id,
            gold_last=gold_last, platinum_last=platinum_last,
        )
        params.update(("extra_%s" % k, v) for k, v in extra.items())
        # The partners, ids from the sequence, in chunks with a progress display.
        chunk = 20000
        for start in range(first, last + 1, chunk):
            stop = min(start + chunk - 1, last)
            cr.execute(
                insert_sql(
                    "res_partner", given.keys(), given.values(), extra,
                    "FROM (SELECT nextval('res_partner_id_seq') AS id, g "
                    "FROM generate_series(%(start)s, %(stop)s) g) s",
                ),
                dict(params, start=start, stop=stop),
            )
            progress("ambassadors %d..%d" % (first, last), stop - first + 1, n, started)
        # Map block index -> partner for the ledger generation.
        cr.execute("DROP TABLE IF EXISTS bench_block")
        cr.execute(
            """
            CREATE TEMP TABLE bench_block AS
            SELECT substring(ref from %(pos)s)::int - %(first)s AS idx,
                   id AS partner_id,
                   ambassador_segment_id AS segment_id, ambassador_state AS state
            FROM res_partner
            WHERE ref LIKE %(like)s
              AND substring(ref from %(pos)s)::int BETWEEN %(first)s AND %(last)s
            """,
            dict(pos=len(REF_PREFIX) + 1, first=first, last=last,
                 like=REF_PREFIX + "%"),
        )
        cr.execute("CREATE UNIQUE INDEX ON bench_block (idx)")
        cr.execute("ANALYZE bench_block")
        self._generate_lines(n, lines, started)
        with task("balances of the new ambassadors"):
            self._set_balances(first, last)
        with task("committee statuses (Gold, Platinum)"):
            self._log_committee_statuses(first, gold_last)
        with task("ANALYZE"):
            cr.execute("DROP TABLE bench_block")
            cr.execute("ANALYZE res_partner")
            cr.execute("ANALYZE ambassador_point_transaction")
            cr.execute("ANALYZE ambassador_promotion")
        return time.perf_counter() - started

    def _generate_lines(self, n, lines, started):
        cr = self.cr
        reversals = int(lines * REVERSAL_SHARE)
        main = lines - reversals
        segment_ids = [sid for sid, _share in self.segments]
        kind_case = []
        for bound, code, points, origin in LINE_KINDS:
            kind_case.append((bound, self.rule_ids.get(code), points, origin))

        def case(index):
            parts = " ".join(
                "WHEN s.v < %s THEN %s" % (bound, "NULL" if kind[index] is None
                                           else repr(kind[index]))
                for bound, kind in ((entry[0], entry[1:]) for entry in kind_case)
            )
            return "CASE %s END" % parts

        rule_expr, points_expr, origin_expr = case(0), case(1), case(2)
        # A former segment: the next one in the list.
        ids = ",".join(map(str, segment_ids))
        other_segment = (
            "(ARRAY[%s])[(array_position(ARRAY[%s], b.segment_id) %%%% %d) + 1]"
            % (ids, ids, len(segment_ids))
        )
        given = {
            "partner_id": "b.partner_id",
            "segment_id": "CASE WHEN s.x < %s THEN %s ELSE b.segment_id END"
            % (OTHER_SEGMENT_SHARE, other_segment),
            "rule_id": rule_expr,
            "points": points_expr,
            "origin": origin_expr,
            "date": "now() - s.w * interval '1095 days'",
            "note": "%(note)s",
            "capped_points": "0",
            "create_uid": "%(admin)s",
            "write_uid": "%(admin)s",
            "create_date": "now()",
            "write_date": "now()",
        }
        extra = column_defaults(self.env, "ambassador.point.transaction", given)
        # Candidates earn nothing: their lines go to the next ambassador of the block.
        idx_expr = (
            "CASE WHEN i0 %% 20 = 0 AND i0 + 1 < %(n)s THEN i0 + 1 "
            "WHEN i0 %% 20 = 0 THEN i0 - 1 ELSE i0 END"
        )
        chunk = 100000
        done = 0
        while done < main:
            size = min(chunk, main - done)
            params = dict(n=n, note=NOTE, admin=self.admin, size=size, skew=SKEW)
            params.update(("extra_%s" % k, v) for k, v in extra.items())
            cr.execute(
                insert_sql(
                    "ambassador_point_transaction", given.keys(), given.values(), extra,
                    """
                    FROM (SELECT %s AS idx, v, w, x FROM (
                            SELECT floor(%%(n)s * power(random(), %%(skew)s))::int
                                       AS i0,
                                   random() AS v, random() AS w, random() AS x
                            FROM generate_series(1, %%(size)s)) r) s
                    JOIN bench_block b ON b.idx = s.idx
                    """ % idx_expr,
                ),
                params,
            )
            done += size
            progress("ledger lines", done, lines, started)
        if reversals:
            # Reversals cancel earlier lines of the block (one reversal per line).
            cr.execute(
                """
                INSERT INTO ambassador_point_transaction
                    (partner_id, segment_id, rule_id, points, date, origin,
                     reversed_transaction_id, note, capped_points,
                     create_uid, write_uid, create_date, write_date)
                SELECT t.partner_id, t.segment_id, t.rule_id, -t.points,
                       LEAST(t.date + interval '2 days', now()), 'reversal', t.id,
                       %(note)s, 0, %(admin)s, %(admin)s, now(), now()
                FROM ambassador_point_transaction t
                JOIN bench_block b ON b.partner_id = t.partner_id
                WHERE t.origin <> 'reversal' AND t.id %% 97 = 0
                  AND NOT EXISTS (SELECT 1 FROM ambassador_point_transaction r
                                  WHERE r.reversed_transaction_id = t.id)
                ORDER BY t.id LIMIT %(reversals)s
                """,
                dict(note=NOTE, admin=self.admin, reversals=reversals),
            )
            missing = reversals - cr.rowcount
            if missing > 0:  # top up with plain manual lines to reach the count
                cr.execute(
                    """
                    INSERT INTO ambassador_point_transaction
                        (partner_id, segment_id, points, date, origin, note,
                         capped_points, create_uid, write_uid, create_date, write_date)
                    SELECT b.partner_id, b.segment_id, 1, now(), 'manual', %(note)s, 0,
                           %(admin)s, %(admin)s, now(), now()
                    FROM bench_block b WHERE b.state <> 'candidate'
                    ORDER BY b.idx LIMIT %(missing)s
                    """,
                    dict(note=NOTE, admin=self.admin, missing=missing),
                )
            progress("ledger lines", lines, lines, started)

    def _set_balances(self, first, last):
        """Coherent balances for the new block (the generator's own query)."""
        self.cr.execute(
            """
            UPDATE res_partner p SET ambassador_balance = s.total
            FROM (SELECT b.partner_id, SUM(t.points) AS total
                  FROM bench_block b JOIN ambassador_point_transaction t
                    ON t.partner_id = b.partner_id AND t.segment_id = b.segment_id
                  GROUP BY b.partner_id) s
            WHERE p.id = s.partner_id
            """
        )

    def _log_committee_statuses(self, first, gold_last):
        """The Gold/Platinum statuses given at generation have their decision."""
        cr = self.cr
        given = {
            "partner_id": "p.id",
            "segment_id": "p.ambassador_segment_id",
            "from_tier_id": "%(base)s",
            "to_tier_id": "p.ambassador_tier_id",
            "reason": "'committee'",
            "state": "'applied'",
            "kind": "'up'",
            "balance": "p.ambassador_balance",
            "decided_by_id": "%(admin)s",
            "decision_date": "now() - interval '1 day' * (365 - (p.id % 365))"
            .replace("%", "%%"),
            "valid_until": "p.ambassador_tier_valid_until",
            "create_uid": "%(admin)s",
            "write_uid": "%(admin)s",
            "create_date": "now()",
            "write_date": "now()",
        }
        extra = column_defaults(self.env, "ambassador.promotion", given)
        params = dict(base=self.base_tier.id, admin=self.admin, like=REF_PREFIX + "%",
                      pos=len(REF_PREFIX) + 1, first=first, gold_last=gold_last)
        params.update(("extra_%s" % k, v) for k, v in extra.items())
        cr.execute(
            insert_sql(
                "ambassador_promotion", given.keys(), given.values(), extra,
                """
                FROM res_partner p WHERE p.ref LIKE %(like)s
                  AND substring(p.ref from %(pos)s)::int
                      BETWEEN %(first)s AND %(gold_last)s
                  AND p.ambassador_tier_id <> %(base)s
                """,
            ),
            params,
        )


def prepare(generator, args):
    """Apply ``--keep`` / ``--reset`` to the rows of an earlier run; returns the
    number of generated ambassadors and ledger lines already there."""
    existing, top, existing_lines = generator.existing()
    if existing and args.reset:
        log("deleting the %d ambassadors generated by an earlier run ..." % existing)
        generator.reset()
        return 0, 0
    if existing and not args.keep:
        raise BenchError(
            "%s already holds %d generated ambassadors (BENCH-*): add --keep to "
            "reuse them or --reset to delete them first" % (args.db, existing)
        )
    if existing and existing != top:
        raise BenchError("the generated ambassadors are not numbered 1..%d: "
                         "use --reset" % existing)
    return existing, existing_lines


# ----------------------------------------------------------------------
# Changes made before a measure
# ----------------------------------------------------------------------
def corrupt_balances(cr, count, salt):
    """Add 1 to 9 points to the stored balance of ``count`` generated
    ambassadors drawn by ``md5(id || salt)``; returns their ids."""
    cr.execute(
        """
        UPDATE res_partner SET ambassador_balance = ambassador_balance + 1 + id %% 9
        WHERE id IN (SELECT id FROM res_partner WHERE ref LIKE %s
                     ORDER BY md5(id::text || %s) LIMIT %s)
        RETURNING id
        """,
        (REF_PREFIX + "%", str(salt), count),
    )
    return {row[0] for row in cr.fetchall()}


def change_ambassadors(cr, share):
    """Suspend, withdraw consent from and promote ``share`` % of the generated
    active ambassadors each (set-based); returns their ids."""
    modulo = max(int(round(100.0 / share)), 2)
    cr.execute(
        """
        SELECT id FROM res_partner
        WHERE ref LIKE %s AND ambassador_state = 'active'
          AND ambassador_consent_newsletter
          AND substring(ref from %s)::int %% %s IN (3, 4, 5)
        """,
        (REF_PREFIX + "%", len(REF_PREFIX) + 1, modulo),
    )
    ids = [row[0] for row in cr.fetchall()]
    thirds = [ids[0::3], ids[1::3], ids[2::3]]
    cr.execute("UPDATE res_partner SET ambassador_state = 'suspended' "
               "WHERE id = ANY(%s)", (thirds[0],))
    cr.execute("UPDATE res_partner SET ambassador_consent_newsletter = FALSE "
               "WHERE id = ANY(%s)", (thirds[1],))
    cr.execute("SELECT id FROM ambassador_tier WHERE code = 'silver'")
    silver = cr.fetchone()[0]
    cr.execute("UPDATE res_partner SET ambassador_tier_id = %s WHERE id = ANY(%s)",
               (silver, thirds[2]))
    return ids


def restore_ambassadors(cr, ids):
    """Active again, consenting again (the promotion stays)."""
    cr.execute("UPDATE res_partner SET ambassador_state = 'active', "
               "ambassador_consent_newsletter = TRUE WHERE id = ANY(%s)", (ids,))
