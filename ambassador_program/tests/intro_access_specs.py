# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix's probes of the introductions' models (issue 15), apart
from test_access_matrix.py so that the round's branches merge easily."""
from ..models.authority import as_engine


def intro_specs(cls):
    """{model: spec} of ambassador.introduction.purpose and
    ambassador.introduction: one request sent by each owner (its "own"
    record) to Ida, an ambassador listed in the directory."""
    env = cls.env
    purpose = env["ambassador.introduction.purpose"].create(
        {"name": "Matrix purpose"})
    ida = cls.make_ambassador("Ida Matrix", ambassador_show_city=True,
                              ambassador_intro_quota=50)
    # as_engine: fixtures (a suspended owner's request was made before).
    Intro = as_engine(env["ambassador.introduction"])
    records = {
        partner.id: Intro.create({
            "requester_id": partner.id, "requested_by": "staff",
            "recipient_id": ida.id, "purpose_id": purpose.id,
            "message": "Matrix request"})
        for partner in (cls.p_ivory, cls.p_silver, cls.p_susp, cls.p_other)}
    # A purpose no request uses, that unlink can remove.
    unused = env["ambassador.introduction.purpose"].create(
        {"name": "Matrix purpose unused"})
    return {
        "ambassador.introduction.purpose": {
            "targets": "config", "record": unused,
            "create": lambda p: {"name": "Probe purpose"},
            "write": {"name": "Probe"}},
        "ambassador.introduction": {
            "targets": "owner", "records": records, "create_any": True,
            "create": lambda p: {"recipient_id": ida.id,
                                 "purpose_id": purpose.id,
                                 "message": "Probe request"},
            "write": {"message": "Probe"}},
    }
