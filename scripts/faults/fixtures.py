"""Records of a fault run, made through the ORM in one transaction (over XML-RPC
they take seconds each on a busy machine). Prints one JSON object:
    python scripts/faults/fixtures.py DB TAG PROOFS PER_AMBASSADOR PORTAL PASSWORD
        [odoo options: --db_host, --db_port, --data-dir, --db_user ...]
PROOFS proofs waiting for a decision, PER_AMBASSADOR per active Study
ambassador; PORTAL more ambassadors with a portal login (PASSWORD)."""
import json
import sys


def main():
    db, tag, proofs, per_ambassador, portal, password = sys.argv[1:7]
    proofs, per_ambassador, portal = int(proofs), int(per_ambassador), int(portal)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-d", db] + sys.argv[7:])
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        rule = env.ref("ambassador_program.rule_partnership")
        segment = env.ref("ambassador_program.segment_study")
        Partner = env["res.partner"].with_context(
            ambassador_consent_reason="Fault run: chosen by the person")
        Users = env["res.users"].with_context(no_reset_password=True)
        count = max(1, proofs // per_ambassador) if proofs else 0
        partners = [Partner.create({
            "name": "Fault Ambassador %s %d" % (tag, n),
            "email": "faults.%s.%d@example.com" % (tag, n),
            "ambassador_state": "active", "ambassador_segment_id": segment.id,
        }) for n in range(count + portal)]
        logins = []
        for partner in partners[count:]:
            Users.create({
                "name": partner.name, "login": partner.email, "password": password,
                "partner_id": partner.id,
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
            logins.append(partner.email)
        proof_ids = [env["ambassador.proof"].create({
            "name": "Fault proof %s" % tag, "partner_id": partners[n % count].id,
            "rule_id": rule.id, "url": "https://example.com/fault"}).id
            for n in range(proofs)]
        # Leaving the block commits the cursor (Odoo's Cursor.__exit__).
    print(json.dumps({"proofs": proof_ids, "logins": logins}))


if __name__ == "__main__":
    main()
