#!/usr/bin/env python3
# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hand an incoming e-mail (raw RFC 822 on stdin) to Odoo's mail gateway, as
an MTA does for the catch-all alias: Odoo routes it by its recipients
(proofs@... becomes an ambassador.proof, a reply joins its thread).

Odoo 11.0 ships this as addons/mail/static/scripts/odoo-mailgate.py; the
pip-installed Odoo (requirements.txt) leaves the static scripts out. This is
this repository's own equivalent, with the same options and the same call
(``mail.thread.message_process`` over XML-RPC), so that a Postfix pipe written
for odoo-mailgate.py works unchanged with it:

    mailgate.py -d DB -u UID -p PASSWORD --host HOST --port PORT < message.eml

Exit status (sysexits, which Postfix understands): 0 delivered; 67 no alias
matches (EX_NOUSER: bounced); 69 or 75 (with --retry-status) the server is
unreachable (EX_TEMPFAIL: Postfix retries); 77 wrong credentials; 70 any other
error (the server's message on stderr)."""
import argparse
import socket
import sys
import xmlrpc.client

EX_NOUSER = 67
EX_UNAVAILABLE = 69
EX_SOFTWARE = 70
EX_TEMPFAIL = 75
EX_NOPERM = 77
EX_CONFIG = 78


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="mailgate.py", description="Pipe an incoming e-mail into Odoo.")
    parser.add_argument("-d", "--dbname", "--database", dest="dbname",
                        default="odoo", help="database (default: %(default)s)")
    parser.add_argument("-u", "--userid", type=int, default=1,
                        help="id of the Odoo user to connect as (default: 1)")
    parser.add_argument("-p", "--password", default="admin")
    parser.add_argument("--password-file",
                        help="read the password from this file (the process "
                        "table shows command lines to every local user)")
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--proto", choices=("http", "https"), default="http")
    parser.add_argument("-m", "--model", default=False,
                        help="model for messages no alias routes (default: "
                        "none, refused)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--retry-status", action="store_true",
                        help="exit 75 (temporary failure: the MTA retries) when "
                        "Odoo is unreachable")
    return parser.parse_args(argv)


def password_of(options):
    if not options.password_file:
        return options.password
    try:
        with open(options.password_file, encoding="utf-8") as handle:
            return handle.read().strip("\n")
    except OSError as error:
        sys.stderr.write("cannot read the password file: %s\n" % error)
        sys.exit(EX_CONFIG)


def main(argv=None):
    options = parse(sys.argv[1:] if argv is None else argv)
    password = password_of(options)
    message = sys.stdin.buffer.read()
    socket.setdefaulttimeout(options.timeout)
    url = "%s://%s:%s/xmlrpc/2/object" % (options.proto, options.host, options.port)
    models = xmlrpc.client.ServerProxy(url, allow_none=True)
    try:
        result = models.execute_kw(
            options.dbname, options.userid, password, "mail.thread",
            "message_process", [options.model, xmlrpc.client.Binary(message)], {})
    except xmlrpc.client.Fault as fault:
        text = str(fault.faultString)
        if "AccessDenied" in text or "Access denied" in text:
            sys.stderr.write("access denied for user %s\n" % options.userid)
            return EX_NOPERM
        if "No possible route" in text:
            sys.stderr.write("no alias matches the recipients\n")
            return EX_NOUSER
        lines = text.strip().splitlines() or ["?"]
        sys.stderr.write("%s\n" % lines[-1])
        return EX_SOFTWARE
    except (OSError, xmlrpc.client.ProtocolError) as error:
        sys.stderr.write("cannot reach Odoo at %s: %s\n" % (url, error))
        return EX_TEMPFAIL if options.retry_status else EX_UNAVAILABLE
    sys.stdout.write("%s\n" % result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
