# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix's probes of the share kits' models (issue 14), apart
from test_access_matrix.py so that the round's branches merge easily."""


def share_specs(cls):
    """{model: spec} of ambassador.share.kit, .link and .click.report, on
    records made here: Olga's (an ambassador's) link with one click."""
    env = cls.env
    mission = env["ambassador.mission"].create(
        {"name": "Matrix share", "state": "open", "points": 5,
         "proof_method": "share"})
    kit = env["ambassador.share.kit"].create(
        {"name": "Matrix kit", "mission_id": mission.id,
         "url": "https://example.com/matrix"})
    link = env["ambassador.share.link"]._ambassador_link(kit, cls.p_other)
    env["link.tracker.click"].create(
        {"link_id": link.link_tracker_id.id, "ip": "192.0.2.7"})
    report_row = env["ambassador.share.click.report"].search(
        [("share_link_id", "=", link.id)], limit=1)

    def config(record, create, write):
        return {"targets": "config", "record": record, "create": create,
                "write": write}

    return {
        "ambassador.share.kit": config(
            kit, lambda p: {"name": "Probe kit", "mission_id": mission.id,
                            "url": "https://example.com/probe"},
            {"text_x": "Probe"}),
        "ambassador.share.link": config(
            link, lambda p: {"kit_id": kit.id, "partner_id": cls.p_silver.id},
            {"clicks_awarded": 99}),
        "ambassador.share.click.report": config(
            report_row, lambda p: {"click_count": 1}, {"click_count": 2}),
    }
