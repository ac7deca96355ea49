# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix's probes of crm.lead as the addon extends it (issue 15),
apart from test_access_matrix.py so that the round's branches merge easily:
a lead Olga (an ambassador) passed on."""
from collections import namedtuple

# The matrix's own shape of a target (test_access_matrix.Target).
Target = namedtuple("Target", "label factory")


def lead_records(cls):
    env = cls.env
    lead = env["crm.lead"]._ambassador_submit(cls.p_other, {
        "name": "Matrix lead", "kind": "event",
        "country_id": str(env.ref("base.de").id), "description": "Probe"})
    return lead


def lead_specs(cls):
    """{model: spec} for crm.lead: the lead of Olga."""
    cls.matrix_lead = lead_records(cls)
    return {
        "crm.lead": {
            "targets": "config", "record": cls.matrix_lead,
            "create": lambda p: {"name": "Probe lead",
                                 "ambassador_partner_id": cls.p_other.id},
            "write": {"name": "Probe"},
            "read_fields": ["name"],
        },
    }


def lead_recipes(cls):
    """Method probes of crm.lead: the e-mail gateway's entry point, called
    over RPC with an ambassador's address."""
    team = cls.env.ref("ambassador_program.crm_team_ambassador_leads")

    def mail(record, user):
        return [{"email_from": cls.p_other.email, "subject": "Probe lead",
                 "body": "<p>Probe</p>",
                 "to": "ambassador-leads@example.com"}], {
            "custom_values": {"team_id": team.id}}

    return {
        ("crm.lead", "message_new"): (
            lambda kind: [Target("any", lambda: cls.matrix_lead)], mail),
    }
