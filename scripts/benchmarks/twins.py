"""Raw PostgreSQL twins that produce the same end state as the addon's
operations (the same rows inserted, updated and deleted), and the check that
they do.

Each twin is a function of a cursor issuing plain SQL: no ORM, no template
engine. ``run_pair`` runs the twin inside a savepoint, snapshots the tables an
operation may touch, rolls back to the savepoint, runs the addon's operation
from the very same state, snapshots again and compares the two snapshots row by
row (a multiset of row hashes per table). The addon's end state is kept.

What is compared (``SNAPSHOTS``): the ambassadors' status columns, every
status change (``ambassador.promotion``: all columns but ids and timestamps),
the pricelist properties, the programme's mailing contacts and list
memberships, and the queued e-mails (document, recipient, state; the subject
and body are rendered by Odoo's template engine, which SQL does not reproduce:
the twin writes a text of the same kind and size, see ``_queue_mails_sql``).
"""
import collections
import time

from psycopg2 import sql

# One md5 per row of each table an operation may change; ids of the rows an
# operation creates differ between the twin and the addon, so rows are
# compared by their content (the partner they belong to, etc.).
SNAPSHOTS = collections.OrderedDict([
    ("ambassadors", """
        SELECT md5(ROW(id, ambassador_state, ambassador_tier_id,
                       ambassador_tier_valid_until, ambassador_balance)::text)
        FROM res_partner WHERE ambassador_state IS NOT NULL"""),
    ("status changes", """
        SELECT md5(ROW(partner_id, segment_id, from_tier_id, to_tier_id, reason,
                       state, kind, balance, decided_by_id, decision_date IS NULL,
                       committee_notes, review_deadline, valid_until)::text)
        FROM ambassador_promotion"""),
    ("pricelist properties", """
        SELECT md5(ROW(res_id, company_id, fields_id, value_reference, type)::text)
        FROM ir_property WHERE name = 'property_product_pricelist'"""),
    ("mailing contacts", """
        SELECT md5(ROW(ambassador_partner_id, name, email, opt_out,
                       country_id)::text)
        FROM mail_mass_mailing_contact"""),
    ("list memberships", """
        SELECT md5(ROW(c.ambassador_partner_id, c.email, r.list_id)::text)
        FROM mail_mass_mailing_contact_list_rel r
        JOIN mail_mass_mailing_contact c ON c.id = r.contact_id"""),
    ("queued e-mails", """
        SELECT md5(ROW(m.model, CASE WHEN pr.id IS NULL THEN m.res_id END,
                       pr.partner_id, pr.to_tier_id, pr.reason, pr.kind,
                       m.message_type, mm.state, mm.auto_delete,
                       rel.res_partner_id)::text)
        FROM mail_mail mm JOIN mail_message m ON m.id = mm.mail_message_id
        LEFT JOIN ambassador_promotion pr
            ON m.model = 'ambassador.promotion' AND pr.id = m.res_id
        LEFT JOIN mail_mail_res_partner_rel rel ON rel.mail_mail_id = mm.id"""),
])


def snapshot(cr):
    state = {}
    for table, query in SNAPSHOTS.items():
        cr.execute(query)
        state[table] = collections.Counter(row[0] for row in cr.fetchall())
    return state


def differences(first, second):
    """{table: rows in one snapshot and not in the other} (empty: same state)."""
    found = {}
    for table in first:
        count = sum(((first[table] - second[table])
                     + (second[table] - first[table])).values())
        if count:
            found[table] = count
    return found


def changed_rows(before, after):
    """How many rows the operation inserted, updated or deleted in all."""
    return sum(sum(((before[t] - after[t]) + (after[t] - before[t])).values())
               for t in before)


Pair = collections.namedtuple(
    "Pair", "seconds raw_seconds result changed differences")


def run_pair(env, raw, addon, check=True):
    """Time ``raw(cr)`` then, from the same state, ``addon()``; returns a Pair
    (``differences``: {table: rows} where the end states differ, empty when
    they agree; None when not checked)."""
    cr = env.cr
    env.cache.invalidate()
    before = snapshot(cr) if check else None
    cr.execute("SAVEPOINT bench_twin")
    started = time.perf_counter()
    raw(cr)
    raw_seconds = time.perf_counter() - started
    raw_state = snapshot(cr) if check else None
    cr.execute("ROLLBACK TO SAVEPOINT bench_twin")
    env.cache.invalidate()
    env.clear()
    started = time.perf_counter()
    result = addon()
    env["res.partner"].recompute()
    seconds = time.perf_counter() - started
    cr.execute("RELEASE SAVEPOINT bench_twin")
    if not check:
        return Pair(seconds, raw_seconds, result, None, None)
    addon_state = snapshot(cr)
    return Pair(seconds, raw_seconds, result, changed_rows(before, addon_state),
                differences(raw_state, addon_state))


# ======================================================================
# The twins
# ======================================================================
def recompute_balances(cr):
    """Every stored balance set to the sum of its ledger (current segment)."""
    cr.execute("""
        UPDATE res_partner p SET ambassador_balance = s.total
        FROM (SELECT p.id, COALESCE(SUM(t.points), 0) AS total
              FROM res_partner p
              LEFT JOIN ambassador_point_transaction t
                ON t.partner_id = p.id AND t.segment_id = p.ambassador_segment_id
              WHERE p.ambassador_state IS NOT NULL GROUP BY p.id) s
        WHERE p.id = s.id AND p.ambassador_balance IS DISTINCT FROM s.total
    """)


BEST_TIER = """
    SELECT DISTINCT ON (p.id) p.id AS partner_id, t.id AS tier_id
    FROM res_partner p
    LEFT JOIN ambassador_tier cur ON cur.id = p.ambassador_tier_id
    JOIN ambassador_tier_threshold th
        ON th.segment_id = p.ambassador_segment_id
       AND th.points <= COALESCE(p.ambassador_balance, 0)
    JOIN ambassador_tier t ON t.id = th.tier_id AND t.active
        AND t.committee_required = %(committee)s
    WHERE p.ambassador_state IN %(states)s {where}
    ORDER BY p.id, t.sequence DESC
"""


def best_tier(committee, where=""):
    """(query, params): each ambassador's highest tier among those with
    (``committee``) or without a committee, as the engine's _best_tier_query;
    a tier without committee never replaces a committee tier held."""
    if not committee:
        where += " AND NOT COALESCE(cur.committee_required, FALSE)"
    return BEST_TIER.format(where=where), {"committee": committee,
                                           "states": ("active",)}


def _insert_changes(cr, source, state, reason, notes=None, deadline="NULL"):
    """INSERT the status changes of ``source`` (a table of partner_id,
    tier_id): the twin of the engine's _record_changes."""
    cr.execute("""
        INSERT INTO ambassador_promotion
            (partner_id, segment_id, from_tier_id, to_tier_id, reason, state, kind,
             balance, decision_date, committee_notes, review_deadline,
             create_uid, create_date, write_uid, write_date)
        SELECT p.id, p.ambassador_segment_id, p.ambassador_tier_id, new.id,
               %(reason)s, %(state)s,
               CASE WHEN new.sequence > COALESCE(cur.sequence, -1) THEN 'up'
                    WHEN new.sequence < COALESCE(cur.sequence, -1) THEN 'down'
                    ELSE 'renewal' END,
               COALESCE(p.ambassador_balance, 0),
               CASE WHEN %(state)s = 'applied' THEN now() AT TIME ZONE 'UTC' END,
               %(notes)s, {deadline}, 1, now() AT TIME ZONE 'UTC', 1,
               now() AT TIME ZONE 'UTC'
        FROM {source} s JOIN res_partner p ON p.id = s.partner_id
        JOIN ambassador_tier new ON new.id = s.tier_id
        LEFT JOIN ambassador_tier cur ON cur.id = p.ambassador_tier_id
        RETURNING id
    """.format(source=source, deadline=deadline),
               dict(state=state, reason=reason, notes=notes))
    return [row[0] for row in cr.fetchall()]


def _set_tiers(cr, source, valid_until="NULL"):
    query = ("""
        UPDATE res_partner p SET ambassador_tier_id = s.tier_id,
            ambassador_tier_valid_until = {valid_until}, write_uid = 1,
            write_date = now() AT TIME ZONE 'UTC'
        FROM {source} s WHERE p.id = s.partner_id
    """)
    cr.execute(sql.SQL(query).format(source=sql.Identifier(source),
                                     valid_until=sql.SQL(valid_until)))


def _sync_pricelists(cr, source):
    """The tier pricelist of each partner of ``source`` (ir_property)."""
    cr.execute("""
        SELECT id FROM ir_model_fields
        WHERE model = 'res.partner' AND name = 'property_product_pricelist'""")
    field_id = cr.fetchone()[0]
    cr.execute("SELECT DISTINCT company_id FROM website WHERE company_id IS NOT NULL")
    companies = [row[0] for row in cr.fetchall()]
    params = dict(field=field_id, companies=companies)
    cr.execute("""
        DELETE FROM ir_property ip USING {source} s, res_partner p
        LEFT JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
        WHERE p.id = s.partner_id AND ip.fields_id = %(field)s
          AND ip.company_id = ANY(%(companies)s)
          AND ip.res_id = 'res.partner,' || p.id
          AND CASE WHEN p.ambassador_state = 'active' AND t.pricelist_id IS NOT NULL
                   THEN ip.value_reference <> 'product.pricelist,' || t.pricelist_id
                   ELSE ip.value_reference IN (
                       SELECT 'product.pricelist,' || pricelist_id
                       FROM ambassador_tier WHERE pricelist_id IS NOT NULL) END
    """.format(source=source), params)
    cr.execute("""
        INSERT INTO ir_property (name, res_id, company_id, fields_id,
            value_reference, type, create_uid, create_date, write_uid, write_date)
        SELECT 'property_product_pricelist', 'res.partner,' || p.id, c.id,
               %(field)s, 'product.pricelist,' || t.pricelist_id, 'many2one', 1,
               now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
        FROM {source} s JOIN res_partner p ON p.id = s.partner_id
        JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
        CROSS JOIN unnest(%(companies)s::int[]) AS c(id)
        WHERE p.ambassador_state = 'active' AND t.pricelist_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ir_property ip
                          WHERE ip.fields_id = %(field)s AND ip.company_id = c.id
                            AND ip.res_id = 'res.partner,' || p.id)
    """.format(source=source), params)


USABLE = (r"p.email LIKE '%%_@_%%' AND "
          r"p.email ~ '[a-zA-Z0-9._%%+-]@[a-zA-Z0-9.-]+\.[a-zA-Z]{2}'")
ELIGIBLE = ("p.ambassador_state = 'active' AND p.active "
            "AND p.ambassador_consent_newsletter AND NOT COALESCE(p.opt_out, FALSE) "
            "AND " + USABLE)


def sync_lists(cr, source=None):
    """The programme's lists hold exactly their ambassadors (of ``source``, a
    table of partner_id, or everyone): the twin of _ambassador_sync_lists."""
    scope = ("AND p.id IN (SELECT partner_id FROM %s)" % source) if source else ""
    cr.execute("DROP TABLE IF EXISTS twin_wanted")
    query = ("""
        CREATE TEMP TABLE twin_wanted AS
        SELECT p.id AS partner_id, s.mailing_list_id AS list_id
        FROM res_partner p JOIN ambassador_segment s ON s.id = p.ambassador_segment_id
        WHERE s.mailing_list_id IS NOT NULL AND {eligible} {scope}
        UNION
        SELECT p.id, t.mailing_list_id
        FROM res_partner p JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
        WHERE t.mailing_list_id IS NOT NULL AND {eligible} {scope}
    """)
    cr.execute(sql.SQL(query).format(eligible=sql.SQL(ELIGIBLE), scope=sql.SQL(scope)))
    cr.execute("ANALYZE twin_wanted")
    cr.execute("""
        INSERT INTO mail_mass_mailing_contact
            (name, email, ambassador_partner_id, opt_out, message_bounce, country_id,
             create_uid, create_date, write_uid, write_date)
        SELECT p.name, p.email, p.id, FALSE, 0, p.country_id, 1,
               now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
        FROM res_partner p
        WHERE p.id IN (SELECT partner_id FROM twin_wanted)
          AND NOT EXISTS (SELECT 1 FROM mail_mass_mailing_contact c
                          WHERE c.ambassador_partner_id = p.id)
    """)
    query = ("""
        UPDATE mail_mass_mailing_contact c SET name = p.name, email = p.email,
            write_uid = 1, write_date = now() AT TIME ZONE 'UTC'
        FROM res_partner p WHERE c.ambassador_partner_id = p.id {scope}
          AND {usable} AND (c.email IS DISTINCT FROM p.email
                            OR c.name IS DISTINCT FROM p.name)
    """)
    cr.execute(sql.SQL(query).format(scope=sql.SQL(scope), usable=sql.SQL(USABLE)))
    query = ("""
        DELETE FROM mail_mass_mailing_contact_list_rel r
        USING mail_mass_mailing_contact c, res_partner p
        WHERE r.contact_id = c.id AND c.ambassador_partner_id = p.id {scope}
          AND r.list_id IN (SELECT mailing_list_id FROM ambassador_segment
                            UNION SELECT mailing_list_id FROM ambassador_tier)
          AND NOT EXISTS (SELECT 1 FROM twin_wanted w
                          WHERE w.partner_id = p.id AND w.list_id = r.list_id)
    """)
    cr.execute(sql.SQL(query).format(scope=sql.SQL(scope)))
    cr.execute("""
        INSERT INTO mail_mass_mailing_contact_list_rel (contact_id, list_id)
        SELECT c.id, w.list_id FROM twin_wanted w
        JOIN mail_mass_mailing_contact c ON c.ambassador_partner_id = w.partner_id
        WHERE NOT EXISTS (SELECT 1 FROM mail_mass_mailing_contact_list_rel r
                          WHERE r.contact_id = c.id AND r.list_id = w.list_id)
    """)
    cr.execute("DROP TABLE twin_wanted")


def _queue_mails_sql(cr, promotion_ids, kinds):
    """One e-mail per status change of ``promotion_ids`` whose kind is in
    ``kinds`` (state, reason, kind: as the engine's _status_mail_kind) to a
    reachable ambassador: mail_message, mail_mail and its recipient, the
    subject and a body made by SQL from the contact and the tier."""
    if not promotion_ids:
        return
    cr.execute("""
        CREATE TEMP TABLE twin_mail AS
        SELECT pr.id AS res_id, p.id AS partner_id,
               'Ambassador status: ' || t.name AS subject,
               '<div><p>Hello ' || p.name || ',</p><p>' || pr.balance
                   || ' points, tier ' || t.name || '.</p></div>' AS body,
               nextval('mail_message_id_seq') AS message_id
        FROM ambassador_promotion pr JOIN res_partner p ON p.id = pr.partner_id
        JOIN ambassador_tier t ON t.id = pr.to_tier_id
        WHERE pr.id = ANY(%(ids)s) AND p.active AND {usable}
          AND (pr.state, pr.reason, pr.kind) IN %(kinds)s
    """.format(usable=USABLE), dict(ids=list(promotion_ids), kinds=tuple(kinds)))
    cr.execute("""
        INSERT INTO mail_message (id, model, res_id, record_name, subject, body,
            message_type, date, create_uid, create_date, write_uid, write_date)
        SELECT m.message_id, 'ambassador.promotion', m.res_id, m.subject, m.subject,
               m.body, 'email', now() AT TIME ZONE 'UTC', 1,
               now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
        FROM twin_mail m
    """)
    cr.execute("""
        WITH mails AS (
            INSERT INTO mail_mail (mail_message_id, body_html, state, auto_delete,
                notification, create_uid, create_date, write_uid, write_date)
            SELECT m.message_id, m.body, 'outgoing', TRUE, FALSE, 1,
                   now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
            FROM twin_mail m RETURNING id, mail_message_id)
        INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
        SELECT mails.id, m.partner_id FROM mails
        JOIN twin_mail m ON m.message_id = mails.mail_message_id
    """)
    cr.execute("DROP TABLE twin_mail")


def evaluate_tiers(cr):
    """The engine's evaluation of every active ambassador: tiers without
    committee applied both ways (logged, pricelists, lists, e-mails), committee
    tiers proposed."""
    cr.execute("DROP TABLE IF EXISTS twin_moves")
    query, params = best_tier(committee=False)
    cr.execute("CREATE TEMP TABLE twin_moves AS SELECT * FROM ({best}) b "
               "WHERE b.tier_id IS DISTINCT FROM (SELECT ambassador_tier_id "
               "FROM res_partner WHERE id = b.partner_id)".format(best=query),
               params)
    applied = _insert_changes(cr, "twin_moves", "applied", "points")
    _set_tiers(cr, "twin_moves")
    _sync_pricelists(cr, "twin_moves")
    sync_lists(cr, "twin_moves")
    _queue_mails_sql(cr, applied, [("applied", "points", "up"),
                                   ("applied", "points", "down")])
    cr.execute("DROP TABLE twin_moves")
    query, params = best_tier(committee=True)
    cr.execute("CREATE TEMP TABLE twin_proposals AS " + query, params)
    cr.execute("""
        DELETE FROM twin_proposals q USING res_partner p, ambassador_tier t
        LEFT JOIN ambassador_tier cur ON TRUE
        WHERE p.id = q.partner_id AND t.id = q.tier_id
          AND cur.id = p.ambassador_tier_id AND t.sequence <= cur.sequence
    """)
    cr.execute("""
        DELETE FROM twin_proposals q WHERE EXISTS (
            SELECT 1 FROM ambassador_promotion pr
            WHERE pr.partner_id = q.partner_id AND pr.to_tier_id = q.tier_id
              AND (pr.state = 'proposed' OR (
                   pr.state = 'refused'
                   AND pr.decision_date > now() - interval '1 year')))
    """)
    _insert_changes(cr, "twin_proposals", "proposed", "points")
    cr.execute("DROP TABLE twin_proposals")


LAPSED_NOTE = "Not renewed within the grace period of the yearly review."


def annual_review(cr, notice=30, grace=30):
    """The yearly review's cron: reviews opened for the committee statuses due
    (with their e-mail), reviews past their grace period lapsed and their
    ambassadors fallen back to what points allow (logged, tiers, pricelists,
    lists, e-mails, proposals made moot lapsed)."""
    cr.execute("""
        CREATE TEMP TABLE twin_due AS
        SELECT p.id AS partner_id, p.ambassador_tier_id AS tier_id,
               p.ambassador_tier_valid_until + %(grace)s AS deadline
        FROM res_partner p JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
        WHERE t.committee_required AND p.ambassador_state IN ('active', 'suspended')
          AND p.ambassador_tier_valid_until <= current_date + %(notice)s
          AND NOT EXISTS (SELECT 1 FROM ambassador_promotion pr
                          WHERE pr.partner_id = p.id AND pr.state = 'proposed'
                            AND pr.reason = 'annual_review')
    """, dict(notice=notice, grace=grace))
    opened = _insert_changes(cr, "twin_due", "proposed", "annual_review",
                             deadline="s.deadline")
    _queue_mails_sql(cr, opened, [("proposed", "annual_review", "renewal"),
                                  ("proposed", "annual_review", "up"),
                                  ("proposed", "annual_review", "down")])
    cr.execute("DROP TABLE twin_due")
    cr.execute("""
        CREATE TEMP TABLE twin_lapsed AS
        WITH lapsed AS (
            UPDATE ambassador_promotion SET state = 'lapsed', write_uid = 1,
                write_date = now() AT TIME ZONE 'UTC'
            WHERE state = 'proposed' AND reason = 'annual_review'
              AND review_deadline < current_date
            RETURNING partner_id)
        SELECT DISTINCT partner_id FROM lapsed
    """)
    cr.execute("SELECT id FROM ambassador_tier WHERE active ORDER BY sequence, id "
               "LIMIT 1")
    base = cr.fetchone()[0]
    cr.execute("""
        CREATE TEMP TABLE twin_fall AS
        SELECT l.partner_id, COALESCE(best.id, %(base)s) AS tier_id
        FROM twin_lapsed l JOIN res_partner p ON p.id = l.partner_id
        LEFT JOIN LATERAL (
            SELECT t.id FROM ambassador_tier t
            JOIN ambassador_tier_threshold th
                ON th.tier_id = t.id AND th.segment_id = p.ambassador_segment_id
            WHERE t.active AND NOT t.committee_required
              AND th.points <= COALESCE(p.ambassador_balance, 0)
            ORDER BY t.sequence DESC LIMIT 1) best ON TRUE
        WHERE COALESCE(best.id, %(base)s) IS DISTINCT FROM p.ambassador_tier_id
    """, dict(base=base))
    fallen = _insert_changes(cr, "twin_fall", "applied", "annual_review",
                             notes=LAPSED_NOTE)
    _set_tiers(cr, "twin_fall")
    _sync_pricelists(cr, "twin_fall")
    sync_lists(cr, "twin_fall")
    cr.execute("""
        UPDATE ambassador_promotion pr SET state = 'lapsed', write_uid = 1,
            write_date = now() AT TIME ZONE 'UTC'
        FROM twin_fall f, ambassador_tier given, ambassador_tier proposed
        WHERE pr.partner_id = f.partner_id AND pr.state = 'proposed'
          AND NOT pr.id = ANY(%(fallen)s) AND given.id = f.tier_id
          AND proposed.id = pr.to_tier_id
          AND (pr.reason = 'annual_review' OR proposed.sequence <= given.sequence)
    """, dict(fallen=fallen))
    _queue_mails_sql(cr, fallen, [("applied", "annual_review", "up"),
                                  ("applied", "annual_review", "down")])
    cr.execute("DROP TABLE twin_fall")
    cr.execute("DROP TABLE twin_lapsed")
