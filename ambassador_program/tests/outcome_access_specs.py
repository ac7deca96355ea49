# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix's probes of the outcomes' models (issue 15), apart from
test_access_matrix.py so that the round's branches merge easily."""


def outcome_specs(cls):
    """{model: spec} of ambassador.outcome and its attribution, on records
    made here: an outcome attributed to Olga (an ambassador), and one not
    attributed yet (where a probe may add a line of 100 %)."""
    env = cls.env
    Outcome = env["ambassador.outcome"]
    outcome = Outcome.create(
        {"name": "Matrix settlement", "kind": "company", "jobs_announced": 12,
         "attribution_ids": [(0, 0, {"partner_id": cls.p_other.id,
                                     "share": 100.0})]})
    bare = Outcome.create({"name": "Matrix congress", "kind": "event"})

    def config(record, create, write):
        return {"targets": "config", "record": record, "create": create,
                "write": write}

    return {
        "ambassador.outcome": config(
            outcome, lambda p: {"name": "Probe outcome", "kind": "delegation"},
            {"jobs_3y": 9}),
        "ambassador.outcome.attribution": config(
            outcome.attribution_ids,
            lambda p: {"outcome_id": bare.id, "partner_id": cls.p_silver.id,
                       "share": 100.0},
            {"share": 100.0}),
    }
