"""Upgrades lose nothing: a database running the previous release of the addon
(with its demo data: ambassadors, ledger, proofs, status history, consents)
upgrades to this tree with ``-u ambassador_program``, and keeps every row, every
balance equal to its ledger, every tier; the migration scripts move what moved
(the scheduled actions of the status engine and of the balances)."""
import ast
import contextlib
import os
import subprocess
import tarfile
import tempfile

import psycopg2
import pytest

# Needs no live server: scripts/test.sh runs it beside the Odoo tests.
pytestmark = pytest.mark.standalone

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Earlier releases a database may run: the first, 11.0.1.0 (before the
# engine's own model and the award path: every migration script since runs),
# and the last, 11.0.1.4.0 (today's main: before leads, outcomes,
# introductions and the value dashboard). The releases between (cbb1dbc,
# e025a37) passed this test in their time; each costs minutes of CI.
PREVIOUS_RELEASES = ["2018dd8", "cab8b16"]
DB = "ambassador_upgrade_test"


def shell(command, **kwargs):
    """Run ``command`` with the repository's shell helpers (scripts/common.sh)."""
    return subprocess.run(
        ["bash", "-c", "source scripts/common.sh; " + command],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=900, **kwargs)


def snapshot(cr):
    """What must survive the upgrade."""
    figures = {}
    for table in ("ambassador_proof", "ambassador_consent",
                  "ambassador_charter_acceptance", "ambassador_incident"):
        cr.execute("SELECT count(*) FROM %s" % table)
        figures[table] = cr.fetchone()[0]
    # The demo's leads (11.0.1.5.0) come with their milestones' points: the
    # ledger and the balances are compared without them.
    cr.execute("SELECT count(*) FROM ambassador_point_transaction "
               "WHERE origin != 'lead'")
    figures["ambassador_point_transaction"] = cr.fetchone()[0]
    cr.execute("""
        SELECT p.id, p.ambassador_state, p.ambassador_tier_id,
               p.ambassador_balance - (
                   SELECT COALESCE(SUM(t.points), 0)
                   FROM ambassador_point_transaction t
                   WHERE t.partner_id = p.id AND t.origin = 'lead'
                     AND t.segment_id = p.ambassador_segment_id),
               p.ambassador_tier_valid_until
        FROM res_partner p WHERE p.ambassador_state IS NOT NULL ORDER BY p.id""")
    figures["ambassadors"] = cr.fetchall()
    cr.execute("""
        SELECT count(*) FROM res_partner p
        WHERE p.ambassador_state IS NOT NULL
          AND p.ambassador_balance IS DISTINCT FROM (
            SELECT COALESCE(SUM(t.points), 0) FROM ambassador_point_transaction t
            WHERE t.partner_id = p.id AND t.segment_id = p.ambassador_segment_id)""")
    figures["balance_mismatches"] = cr.fetchone()[0]
    cr.execute("SELECT partner_id, count(*) FROM ambassador_promotion "
               "GROUP BY partner_id")
    figures["promotions"] = dict(cr.fetchall())
    cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = "
               "'ambassador_consent' AND column_name = 'text_shown'")
    figures["consents_with_text"] = 0
    if cr.fetchone():  # consent texts came with 11.0.1.3.0
        cr.execute("SELECT count(*) FROM ambassador_consent "
                   "WHERE text_shown IS NOT NULL")
        figures["consents_with_text"] = cr.fetchone()[0]
    return figures


def without_demo_lead_effects(figures, partner_ids):
    """``figures`` without the tier and status history of ``partner_ids``:
    the ambassadors whose new demo leads (11.0.1.5.0) earned points, which
    may move their tier, as points do."""
    figures = dict(figures)
    figures["ambassadors"] = [
        row[:2] + (None,) + row[3:] if row[0] in partner_ids else row
        for row in figures["ambassadors"]]
    figures["promotions"] = {partner: count for partner, count
                             in figures["promotions"].items()
                             if partner not in partner_ids}
    return figures


def crons(cr):
    cr.execute("""
        SELECT d.name, m.model, a.code FROM ir_model_data d
        JOIN ir_cron c ON c.id = d.res_id
        JOIN ir_act_server a ON a.id = c.ir_actions_server_id
        JOIN ir_model m ON m.id = a.model_id
        WHERE d.module = 'ambassador_program' AND d.model = 'ir.cron'
          AND d.name IN ('cron_annual_review', 'cron_check_balances')""")
    return {name: (model, code) for name, model, code in cr.fetchall()}


def settings(cr):
    """The programme's settings (system parameters), which staff set."""
    cr.execute("SELECT key, value FROM ir_config_parameter "
               "WHERE key LIKE 'ambassador_program.%%'")
    return dict(cr.fetchall())


def manifest_version():
    with open(os.path.join(REPO_ROOT, "ambassador_program", "__manifest__.py")) as f:
        return ast.literal_eval(f.read())["version"]


@pytest.fixture(params=PREVIOUS_RELEASES)
def previous_release(request):
    release = request.param
    known = subprocess.run(["git", "cat-file", "-e", release + "^{commit}"],
                           cwd=REPO_ROOT)
    if known.returncode:
        pytest.skip("the previous release %s is not in this clone (shallow clone)"
                    % release)
    folder = tempfile.mkdtemp(prefix="ambassador-previous-")
    archive = os.path.join(folder, "previous.tar")
    subprocess.run(["git", "archive", "-o", archive, release,
                    "ambassador_program"], cwd=REPO_ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder)
    return release, folder


def test_previous_release_upgrades_without_loss(previous_release):
    release, previous_release = previous_release
    built = shell("bash scripts/template_db.sh 2>/dev/null")
    template = built.stdout.strip().splitlines()[-1]
    created = shell('copy_db "%s" %s' % (template, DB))
    assert created.returncode == 0, created.stdout
    try:
        installed = shell(
            '"$PY" "$ODOO_BIN" --addons-path="$(odoo_addons_path),%s" '
            '--data-dir="$DATA_DIR" --db_user="$DB_USER" -d %s -i ambassador_program '
            '--stop-after-init --http-port=8179 --log-level=warn'
            % (previous_release, DB))
        assert installed.returncode == 0, installed.stdout[-3000:]
        with contextlib.closing(psycopg2.connect(dbname=DB)) as cnx, \
                cnx.cursor() as cr:
            before = snapshot(cr)
            settings_before = settings(cr)
            if release == PREVIOUS_RELEASES[0]:
                # Before 11.0.1.1.0 the balance check ran on the contact.
                assert crons(cr)["cron_check_balances"][0] == "res.partner"
        assert len(before["ambassadors"]) >= 10, "the previous demo data is there"
        assert before["ambassador_point_transaction"] > 0

        upgraded = shell(
            'odoo -d %s -u ambassador_program --stop-after-init --http-port=8179 '
            '--log-level=warn' % DB)
        assert upgraded.returncode == 0, upgraded.stdout[-3000:]
        problems = [line for line in upgraded.stdout.splitlines()
                    if " ERROR " in line or " CRITICAL " in line]
        assert not problems, problems
        with contextlib.closing(psycopg2.connect(dbname=DB)) as cnx, \
                cnx.cursor() as cr:
            after = snapshot(cr)
            settings_after = settings(cr)
            moved = crons(cr)
            cr.execute("SELECT latest_version FROM ir_module_module "
                       "WHERE name = 'ambassador_program'")
            version = cr.fetchone()[0]
            cr.execute("SELECT name FROM ir_module_module WHERE state LIKE 'to %'")
            pending = cr.fetchall()
            # Consents logged before the consent texts stay the person's own
            # (basis: consent), with no text invented for them; the texts of
            # every purpose are published for what comes next.
            cr.execute("SELECT legal_basis, count(*) FROM ambassador_consent "
                       "GROUP BY legal_basis")
            bases = dict(cr.fetchall())
            cr.execute("SELECT DISTINCT partner_id FROM ambassador_point_transaction "
                       "WHERE origin = 'lead'")
            demo_lead_partners = {row[0] for row in cr.fetchall()}
            cr.execute("SELECT count(DISTINCT purpose) FROM ambassador_consent_purpose "
                       "WHERE state = 'published'")
            published = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM res_partner "
                       "WHERE ambassador_erased_date IS NOT NULL")
            erased = cr.fetchone()[0]
        assert pending == [], "a module left pending stops every cron"
        assert version == manifest_version()
        assert bases == ({"consent": before["ambassador_consent"]}
                         if before["ambassador_consent"] else {})
        # Eight purposes, and the leaderboards (11.0.1.4.0); the texts shown
        # are those the previous release logged (none before 11.0.1.3.0).
        assert (after["consents_with_text"], published, erased) == (
            before["consents_with_text"], 9, 0)
        assert {key: settings_after.get(key) for key in settings_before} \
            == settings_before, "the programme's settings survive the upgrade"
        # A demo database gets the demo records of new features with -u (Odoo
        # loads a module's new demo data on update): the contacts that were
        # there must be unchanged, new ones may come.
        known = {row[0] for row in before["ambassadors"]}
        after["ambassadors"] = [row for row in after["ambassadors"] if row[0] in known]
        after = without_demo_lead_effects(after, demo_lead_partners)
        before = without_demo_lead_effects(before, demo_lead_partners)
        assert after == before, "rows, balances and tiers survive the upgrade"
        assert after["balance_mismatches"] == 0
        assert moved == {
            "cron_annual_review": ("ambassador.status.engine",
                                   "model._cron_annual_review()"),
            "cron_check_balances": ("ambassador.point.transaction",
                                    "model._cron_check_balances()"),
        }
    finally:
        shell('dropdb --if-exists %s; rm -rf "$DATA_DIR/filestore/%s"' % (DB, DB))
