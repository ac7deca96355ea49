#!/usr/bin/env python3
"""Point a database's outgoing mail at a local SMTP server (the mail catcher
started beside Odoo by scripts/run.sh and scripts/test.sh), idempotently.

    configure_mail.py ODOO_OPTIONS... -d DB --smtp-port PORT
        [--base-url URL] [--queue-minutes N] [--catchall-domain DOMAIN]

Run with the Odoo venv's Python; ODOO_OPTIONS are the server's own
(--addons-path, --data-dir, --db_user...). It:
- creates or updates the outgoing mail server "Local mail catcher" (SMTP on
  127.0.0.1:PORT, no encryption, first in sequence) and makes it the only
  active one: the demo and the test database never mail the outside world;
- sets web.base.url (the address e-mailed links use) when --base-url is given;
- runs the mail queue ("Mail: Email Queue Manager") every N minutes;
- sets the catch-all domain (aliases such as proofs@, bounces) when given;
- resets to "not installed" the modules a past install left "to install"
  (auto-install modules of the core whose dependencies are absent): while
  any is pending, Odoo's cron skips the whole database ("Skipping database
  ... because of modules to install"), and the mail queue never runs.
  scripts/template_db.sh no longer leaves any in the databases it builds, so
  this only still finds some in a database copied from a template built
  before (the demo database outlives the runs): it says which.
Never put this in the addon's data: a production database must not get a
localhost mail server (README, "Mail")."""
import argparse
import sys

import odoo
from odoo import SUPERUSER_ID, api

SERVER_NAME = "Local mail catcher (maildev)"


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--base-url")
    parser.add_argument("--queue-minutes", type=int)
    parser.add_argument("--catchall-domain")
    return parser.parse_known_args(argv)


def configure(env, options):
    servers = env["ir.mail_server"].with_context(active_test=False)
    values = {
        "name": SERVER_NAME,
        "smtp_host": "127.0.0.1",
        "smtp_port": options.smtp_port,
        "smtp_encryption": "none",
        "smtp_user": False,
        "smtp_pass": False,
        "sequence": 0,
        "active": True,
    }
    catcher = servers.search([("name", "=", SERVER_NAME)], limit=1)
    if catcher:
        catcher.write(values)
    else:
        catcher = servers.create(values)
    # Odoo sends through the first active server: only the catcher is active.
    servers.search([("id", "!=", catcher.id), ("active", "=", True)]).write(
        {"active": False})
    params = env["ir.config_parameter"]
    if options.base_url:
        params.set_param("web.base.url", options.base_url.rstrip("/"))
        # A visitor's admin login must not move it (Odoo updates it then).
        params.set_param("web.base.url.freeze", "True")
    if options.catchall_domain:
        params.set_param("mail.catchall.domain", options.catchall_domain)
    env.cr.execute(
        "UPDATE ir_module_module SET state = 'uninstalled' "
        "WHERE state = 'to install' RETURNING name")
    stale = sorted(row[0] for row in env.cr.fetchall())
    if stale:
        print("%s: %d module(s) left 'to install' reset (they blocked the crons): %s"
              % (env.cr.dbname, len(stale), ", ".join(stale)))
    if options.queue_minutes:
        cron = env.ref("mail.ir_cron_mail_scheduler_action")
        cron.write({"interval_number": options.queue_minutes,
                    "interval_type": "minutes", "active": True})
    return catcher


def main(argv=None):
    options, odoo_args = parse(sys.argv[1:] if argv is None else argv)
    odoo.tools.config.parse_config(odoo_args + ["-d", options.database])
    registry = odoo.registry(options.database)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        catcher = configure(env, options)
        print("%s: outgoing mail to %s:%s" % (
            options.database, catcher.smtp_host, catcher.smtp_port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
