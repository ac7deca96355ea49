"""Integrity of the programme's data after a fault, through the ORM: prints one
JSON object and exits 0 (the caller judges it). Run with the venv's Python:
    python scripts/faults/integrity.py DB [--since=UTC TIMESTAMP] [odoo options:
    --db_host, --db_port, --data-dir, --db_user ...]
Checks: balances equal their ledger (ambassador.point.transaction.
_balance_mismatches), no proof awarded twice, every approved proof awarded and
no award for a proof that is not approved, every file of a proof, and every
file of an attachment made since --since (any model), stored in full on disk
(no attachment row without its file), no ambassador without its segment."""
import json
import os
import sys


def main():
    db, options = sys.argv[1], sys.argv[2:]
    since = [o.split("=", 1)[1] for o in options if o.startswith("--since=")]
    options = [o for o in options if not o.startswith("--since=")]
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-d", db] + options)
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SET TRANSACTION READ ONLY")
        mismatches = env["ambassador.point.transaction"]._balance_mismatches()
        cr.execute("""
            SELECT proof_id FROM ambassador_point_transaction
            WHERE proof_id IS NOT NULL GROUP BY proof_id HAVING count(*) > 1""")
        awarded_twice = [row[0] for row in cr.fetchall()]
        cr.execute("""
            SELECT p.id FROM ambassador_proof p
            WHERE p.state = 'approved' AND NOT EXISTS (
                SELECT 1 FROM ambassador_point_transaction t
                WHERE t.proof_id = p.id)""")
        approved_unawarded = [row[0] for row in cr.fetchall()]
        cr.execute("""
            SELECT DISTINCT t.proof_id FROM ambassador_point_transaction t
            JOIN ambassador_proof p ON p.id = t.proof_id
            WHERE p.state != 'approved'""")
        awarded_unapproved = [row[0] for row in cr.fetchall()]
        cr.execute("""
            SELECT id, res_model, res_id, store_fname, file_size FROM ir_attachment
            WHERE store_fname IS NOT NULL
              AND (res_model = 'ambassador.proof' OR create_date >= %s)""",
                   (since[0] if since else "infinity",))
        Attachment = env["ir.attachment"]
        broken_files, checked_files, proof_files = [], 0, 0
        for att_id, model, res_id, fname, size in cr.fetchall():
            checked_files += 1
            proof_files += model == "ambassador.proof"
            path = Attachment._full_path(fname)
            on_disk = os.path.getsize(path) if os.path.exists(path) else None
            if on_disk != size:
                broken_files.append(
                    {"attachment": att_id, "model": model, "res_id": res_id,
                     "size": size, "on_disk": on_disk})
        cr.execute("""
            SELECT id FROM res_partner
            WHERE ambassador_state IS NOT NULL AND ambassador_segment_id IS NULL""")
        ambassadors_without_segment = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT count(*) FROM ambassador_point_transaction")
        ledger_lines = cr.fetchone()[0]
    result = {
        "balance_mismatches": mismatches.ids,
        "proofs_awarded_twice": awarded_twice,
        "approved_proofs_without_award": approved_unawarded,
        "awards_of_proofs_not_approved": awarded_unapproved,
        "files_not_stored_in_full": broken_files,
        "files_checked": checked_files,
        "proof_files": proof_files,
        "ambassadors_without_segment": ambassadors_without_segment,
        "ledger_lines": ledger_lines,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
