#!/usr/bin/env python3
"""The database side of the load test (scripts/load/run_load.sh), run with the
Odoo venv's Python and the server's options (--addons-path, --data-dir,
--db_user):

    load_db.py ODOO_OPTIONS... -d DB prepare --run RUN --out fixture.json
        [--ambassadors 60] [--staff 2] [--events 4]
    load_db.py ODOO_OPTIONS... -d DB check --fixture fixture.json --records rec.jsonl

prepare makes what the simulated users need, tagged with RUN so that runs do
not mix: active ambassadors with portal logins and a password (who accepted
the current charter), programme managers (staff) with a password, events open
to registration; it writes the addresses, ids and form answers to the fixture.
check verifies the database after the load against what the load saw
(records: one JSON object per line, written by locustfile.py): every balance
equals its ledger, no proof awarded twice, no sign-up or proof the site
accepted is missing, the quotas held. It prints each check and exits 1 when one
fails."""
import argparse
import json
import sys
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields

FIXTURE_CONSENT = {"ambassador_consent_reason": "Load test fixture"}


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    sub = parser.add_subparsers(dest="command")
    prepare = sub.add_parser("prepare")
    prepare.add_argument("--run", required=True)
    prepare.add_argument("--out", required=True)
    prepare.add_argument("--ambassadors", type=int, default=60)
    prepare.add_argument("--staff", type=int, default=2)
    prepare.add_argument("--events", type=int, default=4)
    prepare.add_argument("--points", type=int, default=60)
    check = sub.add_parser("check")
    check.add_argument("--fixture", required=True)
    check.add_argument("--records", required=True)
    return parser.parse_known_args(argv)


def signup_answers(env, segment):
    """A valid answer to each field of the segment's sign-up form."""
    answers = {}
    partner_fields = env["res.partner"]._fields
    for line in segment.signup_field_ids:
        field = partner_fields[line.field_name]
        if field.type == "many2one":
            first = env[field.comodel_name].search([], limit=1)
            answers[line.field_name] = str(first.id)
        elif field.type == "selection":
            answers[line.field_name] = field._description_selection(env)[0][0]
        elif line.field_name in ("website",):
            answers[line.field_name] = "https://example.com/load"
        else:
            answers[line.field_name] = "Load test"
    return answers


def prepare(env, options):
    run = options.run
    Proof = env["ambassador.proof"]
    charter = env["ambassador.charter"].get_current()
    segments = env["ambassador.segment"].search([])
    declarable = {}
    for segment in segments:
        rules = segment.rule_ids.filtered("active")._ambassador_declarable()
        rules = rules.filtered(lambda rule: not rule.is_press)
        if rules:
            declarable[segment.id] = rules.sorted(lambda r: (r.sequence, r.id))[0]
    if not declarable:
        sys.exit("no segment has an action to declare without press details")
    portal = env.ref("base.group_portal")
    password = "load-%s" % run
    ambassadors, awarded = [], []
    segment_ids = sorted(declarable)
    Partner = env["res.partner"].with_context(**FIXTURE_CONSENT)
    Users = env["res.users"].with_context(no_reset_password=True,
                                          mail_create_nosubscribe=True)
    for index in range(options.ambassadors):
        segment_id = segment_ids[index % len(segment_ids)]
        email = "load.%s.amb%03d@example.com" % (run, index)
        partner = Partner.create({
            "name": "Load %s Ambassador %03d" % (run, index),
            "email": email,
            "ambassador_state": "active",
            "ambassador_segment_id": segment_id,
        }).with_env(env)
        Users.create({"name": partner.name, "login": email, "password": password,
                      "partner_id": partner.id, "groups_id": [(6, 0, [portal.id])]})
        if charter:
            partner._ambassador_accept_charter(charter, "portal", "127.0.0.1", "load")
        awarded.append({"partner_id": partner.id, "points": options.points,
                        "origin": "manual", "note": "Load test fixture"})
        ambassadors.append({"login": email, "partner_id": partner.id,
                            "rule_id": declarable[segment_id].id})
    # Enough points for the directory (it opens at Silver), through the
    # ledger's own set-based award, which evaluates the tiers once.
    env["ambassador.point.transaction"]._award(awarded)
    manager = env.ref("ambassador_program.group_ambassador_manager")
    staff = []
    for index in range(options.staff):
        login = "load.%s.staff%d@example.com" % (run, index)
        Users.create({"name": "Load %s Staff %d" % (run, index), "login": login,
                      "email": login, "password": password,
                      "groups_id": [(6, 0, [manager.id,
                                            env.ref("base.group_user").id])]})
        staff.append({"login": login})
    start = datetime.utcnow() + timedelta(days=20)
    events = []
    for index in range(options.events):
        event = env["event.event"].create({
            "name": "Load %s event %d" % (run, index),
            "date_begin": fields.Datetime.to_string(start),
            "date_end": fields.Datetime.to_string(start + timedelta(hours=3)),
            "seats_availability": "unlimited",
            "website_published": True,
        })
        event.button_confirm()
        events.append(event.id)
    product = env["product.template"].search(
        [("website_published", "=", True), ("sale_ok", "=", True)], limit=1)
    fixture = {
        "run": run,
        "password": password,
        "started": fields.Datetime.now(),
        "ambassadors": ambassadors,
        "staff": staff,
        "events": events,
        "product_id": product.id,
        "charter_id": charter.id if charter else None,
        "segments": [{"code": segment.code, "answers": signup_answers(env, segment)}
                     for segment in segments],
        "proof_max_bytes": Proof._ambassador_max_file_size(),
    }
    with open(options.out, "w") as out:
        json.dump(fixture, out, indent=1)
    print("prepared run %s: %d ambassadors, %d staff, %d events (fixture %s)"
          % (run, len(ambassadors), len(staff), len(events), options.out))


def read_records(path):
    records = []
    with open(path) as lines:
        for line in lines:
            if line.strip():
                records.append(json.loads(line))
    return records


def check(env, options):
    # The addon is importable once the configuration gave the addons path.
    from odoo.addons.ambassador_program.models.ambassador_signup_request import (
        DEFAULT_ADDRESS_LIMIT, DEFAULT_RATE_LIMIT)
    from odoo.addons.ambassador_program.models.programme_params import int_param
    with open(options.fixture) as fixture_file:
        fixture = json.load(fixture_file)
    records = read_records(options.records)
    cr = env.cr
    results = []

    def verdict(name, ok, detail):
        results.append(ok)
        print("%-4s %s: %s" % ("OK" if ok else "FAIL", name, detail))

    mismatches = env["ambassador.point.transaction"]._balance_mismatches()
    cr.execute("SELECT count(*) FROM res_partner WHERE ambassador_state IS NOT NULL")
    verdict("balances equal their ledger", not mismatches,
            "%d mismatches among %d ambassadors (ids %s)"
            % (len(mismatches), cr.fetchone()[0], mismatches.ids[:10]))

    # An award is a positive ledger line of origin proof; a reversal is a
    # negative line pointing back to it.
    cr.execute("""
        SELECT proof_id, count(*) FROM ambassador_point_transaction
        WHERE proof_id IS NOT NULL AND origin = 'proof'
          AND reversed_transaction_id IS NULL
        GROUP BY proof_id HAVING count(*) > 1""")
    twice = cr.fetchall()
    cr.execute("""SELECT count(DISTINCT proof_id) FROM ambassador_point_transaction
                  WHERE proof_id IS NOT NULL AND origin = 'proof'""")
    verdict("no proof awarded twice", not twice,
            "%d proofs awarded more than once, %d proofs awarded in all"
            % (len(twice), cr.fetchone()[0]))

    partner_ids = [a["partner_id"] for a in fixture["ambassadors"]]
    declared = [r["title"] for r in records if r["kind"] == "proof"]
    cr.execute("""
        SELECT p.name, p.state,
               (SELECT count(*) FROM ir_attachment a
                WHERE a.res_model = 'ambassador.proof' AND a.res_id = p.id)
        FROM ambassador_proof p WHERE p.partner_id IN %s""", (tuple(partner_ids),))
    stored = {name: (state, files) for name, state, files in cr.fetchall()}
    lost = [title for title in declared if title not in stored]
    fileless = [title for title in declared if stored.get(title, ("", 1))[1] < 1]
    verdict("no proof lost", not lost and not fileless,
            "%d declared and accepted by the site, %d missing, %d without their file"
            % (len(declared), len(lost), len(fileless)))

    approved = {r["proof_id"] for r in records if r["kind"] == "approve"}
    cr.execute("""
        SELECT p.id, p.state, (SELECT count(*) FROM ambassador_point_transaction t
                               WHERE t.proof_id = p.id AND t.origin = 'proof'
                               AND t.points > 0)
        FROM ambassador_proof p WHERE p.id IN %s""", (tuple(approved) or (0,),))
    rows = cr.fetchall()
    wrong = [row for row in rows if row[1] != "approved" or row[2] != 1]
    verdict("every approval gave one award", not wrong and len(rows) == len(approved),
            "%d approvals answered OK, %d not approved with exactly one award"
            % (len(approved), len(wrong) + len(approved) - len(rows)))

    conflicts = {r["proof_id"] for r in records if r["kind"] == "approve_conflict"}
    print("     (%d approvals of a proof another staff member had just approved were "
          "refused as already decided)" % len(conflicts))

    signed = [r["email"] for r in records if r["kind"] == "signup"]
    cr.execute("SELECT DISTINCT email FROM ambassador_signup_request WHERE email IN %s",
               (tuple(signed) or ("",),))
    found = {row[0] for row in cr.fetchall()}
    missing = [email for email in signed if email.lower() not in found]
    verdict("no sign-up lost", not missing,
            "%d sign-ups accepted by the site, %d missing"
            % (len(signed), len(missing)))

    registered = [r for r in records if r["kind"] == "registration"]
    cr.execute("""SELECT event_id, partner_id, count(*) FROM event_registration
                  WHERE event_id IN %s GROUP BY event_id, partner_id""",
               (tuple(fixture["events"]),))
    counts = {(e, p): n for e, p, n in cr.fetchall()}
    lost_reg = [r for r in registered
                if not counts.get((r["event_id"], r["partner_id"]))]
    verdict("no event registration lost", not lost_reg,
            "%d registrations confirmed by the site, %d missing"
            % (len(registered), len(lost_reg)))

    started = fixture["started"]
    rate_limit = int_param(env, "signup_rate_limit", DEFAULT_RATE_LIMIT)
    cr.execute("""SELECT rate_limit_key, count(*) FROM ambassador_signup_request
                  WHERE create_date >= %s GROUP BY rate_limit_key
                  ORDER BY count(*) DESC LIMIT 1""", (started,))
    row = cr.fetchone() or ("-", 0)
    verdict("sign-ups per network within the limit", row[1] <= rate_limit,
            "at most %d per address in this run (%s), limit %d an hour"
            % (row[1], row[0], rate_limit))
    address_limit = int_param(env, "signup_address_limit", DEFAULT_ADDRESS_LIMIT)
    cr.execute("""SELECT email, count(*) FROM ambassador_signup_request
                  WHERE create_date >= %s GROUP BY email
                  ORDER BY count(*) DESC LIMIT 1""", (started,))
    row = cr.fetchone() or ("-", 0)
    verdict("sign-up e-mails per address within the limit", row[1] <= address_limit,
            "at most %d per address, limit %d an hour" % (row[1], address_limit))
    Directory = env["ambassador.directory.view"]
    cap = Directory._daily_cap()
    logins = [ambassador["login"] for ambassador in fixture["ambassadors"]]
    users = env["res.users"].search([("login", "in", logins)])
    seen = max([len(Directory._seen_today(user)) for user in users] or [0])
    verdict("directory daily cap held", seen <= cap,
            "at most %d distinct profiles seen by one ambassador today, cap %d"
            % (seen, cap))
    return all(results)


def main(argv=None):
    options, odoo_args = parse(sys.argv[1:] if argv is None else argv)
    odoo.tools.config.parse_config(odoo_args + ["-d", options.database])
    registry = odoo.registry(options.database)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if options.command == "prepare":
            prepare(env, options)
            return 0
        return 0 if check(env, options) else 1


if __name__ == "__main__":
    sys.exit(main())
