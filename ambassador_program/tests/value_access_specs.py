# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix's probes of the value report's models (issue 15), apart
from test_access_matrix.py so that the round's branches merge easily."""


def value_specs(cls):
    """{model: spec} of ambassador.value.cost, .report, .press.report and the
    yearly report's wizard, on records made here."""
    env = cls.env
    cost = env["ambassador.value.cost"].create(
        {"year": "2031", "budget": 1000.0, "staff_cost": 500.0})
    report_row = env["ambassador.value.report"].search(
        [("year", "=", "2031")], limit=1)
    proof = env["ambassador.proof"].create(
        {"name": "Matrix press", "partner_id": cls.p_other.id,
         "rule_id": env.ref("ambassador_program.rule_press_foreign_article").id,
         "press_media": "Matrix Times", "press_language": "English",
         "press_country_id": env.ref("base.uk").id, "press_date": "2031-01-10"})
    proof.action_approve()
    press_row = env["ambassador.value.press.report"].search(
        [("proof_id", "=", proof.id)], limit=1)
    wizard = env["ambassador.value.report.wizard"].create({"year": "2031"})

    def config(record, create, write):
        return {"targets": "config", "record": record, "create": create,
                "write": write}

    return {
        "ambassador.value.cost": config(
            cost, lambda p: {"year": "2032", "budget": 1.0}, {"notes": "Probe"}),
        "ambassador.value.report": config(
            report_row, lambda p: {"year": "2033"}, {"lead_count": 1}),
        "ambassador.value.press.report": config(
            press_row, lambda p: {"media": "Probe"}, {"media": "Probe"}),
        "ambassador.value.report.wizard": {
            "targets": "transient", "record": wizard,
            "values": lambda p: {"year": "2031"},
            "create": lambda p: {"year": "2031"}, "write": {"year": "2030"}},
    }


def value_recipes(cls):
    """Method probes of the value report: {(model, operation): (targets,
    args)}."""
    return {
        ("ambassador.value.report", "read_group"): (
            None, lambda r, user: (
                [[], ["year", "total_cost", "cost_per_lead"], ["year"]], {})),
    }
