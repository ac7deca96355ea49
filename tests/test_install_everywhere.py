"""The addon installs into databases we did not build: a stock English-only
database with demo data (as ``odoo -d DB -i ambassador_program`` makes it on a
new empty database) and a database without demo data. Neither has French, which
our own template loads and which once hid a demo assuming it.

A new database first installs base and every dependency (minutes): that part is
built once per recipe by ``scripts/template_db.sh english|nodemo`` (the same
hash naming as the tests' template) and copied; the addon is then installed
into the copy, as an integrator would install it into their database."""
import json
import logging
import os
import subprocess
import time

import psycopg2
import pytest

# Needs no live server: scripts/test.sh runs it beside the Odoo tests.
pytestmark = pytest.mark.standalone

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMINGS = os.path.join(REPO_ROOT, "var", "install_everywhere_timings.json")
_logger = logging.getLogger(__name__)


def shell(command, timeout=900):
    """Run ``command`` with the repository's shell helpers (scripts/common.sh)."""
    return subprocess.run(
        ["bash", "-c", "source scripts/common.sh; " + command],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=timeout)


def problems(output):
    """ERROR and CRITICAL lines. The template leaves no module of Odoo's tree
    waiting to be installed, so none logs "Unmet dependencies" any more."""
    return [line for line in output.splitlines()
            if " ERROR " in line or " CRITICAL " in line]


def query(db, sql):
    with psycopg2.connect(dbname=db) as cnx, cnx.cursor() as cr:
        cr.execute(sql)
        return cr.fetchall()


def record_timings(variant, template, template_seconds, install_seconds):
    _logger.warning("%s: template %s ready in %.0f s, addon installed in %.0f s",
                    variant, template, template_seconds, install_seconds)
    timings = {}
    if os.path.exists(TIMINGS):
        with open(TIMINGS) as stored:
            timings = json.load(stored)
    timings[variant] = {"template": template,
                        "template_seconds": round(template_seconds, 1),
                        "install_seconds": round(install_seconds, 1)}
    os.makedirs(os.path.dirname(TIMINGS), exist_ok=True)
    with open(TIMINGS, "w") as stored:
        json.dump(timings, stored, indent=1, sort_keys=True)


def install_into_copy(variant, db, options=""):
    """Copy the ``variant`` dependency template to ``db`` and install the addon
    there; return the facts the tests check. The timings go to the log and to
    var/install_everywhere_timings.json."""
    started = time.time()
    built = shell("bash scripts/template_db.sh %s" % variant, timeout=2400)
    assert built.returncode == 0, built.stdout[-3000:]
    template = built.stdout.strip().splitlines()[-1]
    template_seconds = time.time() - started
    created = shell('copy_db "%s" %s' % (template, db))
    assert created.returncode == 0, created.stdout
    try:
        started = time.time()
        installed = shell(
            "odoo -d %s -i ambassador_program %s --stop-after-init "
            "--http-port=8179 --log-level=warn" % (db, options))
        install_seconds = time.time() - started
        record_timings(variant, template, template_seconds, install_seconds)
        assert installed.returncode == 0, installed.stdout[-3000:]
        assert not problems(installed.stdout), problems(installed.stdout)
        facts = {
            "state": query(db, "SELECT state, demo FROM ir_module_module "
                               "WHERE name = 'ambassador_program'")[0],
            "languages": [code for code, in query(
                db, "SELECT code FROM res_lang WHERE active ORDER BY code")],
            "demo_langs": dict(query(
                db, "SELECT d.name, p.lang FROM ir_model_data d "
                    "JOIN res_partner p ON p.id = d.res_id "
                    "WHERE d.module = 'ambassador_program' "
                    "AND d.model = 'res.partner' AND d.name LIKE 'ambassador_%'")),
            "segments": [code for code, in query(
                db, "SELECT code FROM ambassador_segment ORDER BY code")],
            # A module left pending stops every cron of the database.
            "pending": query(db, "SELECT name, state FROM ir_module_module "
                                 "WHERE state LIKE 'to %' ORDER BY name"),
        }
        return facts
    finally:
        shell('dropdb --if-exists %s; rm -rf "$DATA_DIR/filestore/%s"' % (db, db))


def test_installs_with_demo_into_english_only_database():
    facts = install_into_copy("english", "ambassador_install_english")
    assert facts["state"] == ("installed", True)
    assert facts["languages"] == ["en_US"], "no language loaded behind our back"
    assert len(facts["demo_langs"]) >= 10, "the demo ambassadors are there"
    # French speakers of the demo are left in the database's default language.
    assert "fr_FR" not in facts["demo_langs"].values(), facts["demo_langs"]
    assert facts["demo_langs"]["ambassador_karim"] == "en_US"
    assert {"invest", "study", "visit", "live"} <= set(facts["segments"])
    assert facts["pending"] == []


def test_installs_without_demo_data():
    facts = install_into_copy("nodemo", "ambassador_install_nodemo",
                              "--without-demo=all")
    assert facts["state"] == ("installed", False)
    assert facts["languages"] == ["en_US"]
    assert facts["demo_langs"] == {}, "no demo ambassador without demo data"
    assert {"invest", "study", "visit", "live"} <= set(facts["segments"])
    assert facts["pending"] == []
