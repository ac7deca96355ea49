# Copyright 2026 Mycitydansarégion ambassador programme contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Ambassador Program",
    "summary": "Territorial ambassador programme: segments, points, tiers, "
    "committee, events, goodies shop and segmented newsletters",
    "version": "11.0.1.0.0",
    "category": "Marketing",
    "website": "https://github.com/ambassador-program/ambassador_program",
    "author": "Ambassador Program contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "contacts",
        "mail",
        "portal",
        "website",
        "website_sale",
        "event",
        "website_event",
        "mass_mailing",
    ],
    "data": [
        "security/ambassador_security.xml",
        "security/ir.model.access.csv",
        "security/ambassador_rules.xml",
        "data/ambassador_segment_data.xml",
        "data/ambassador_tier_data.xml",
        "data/ambassador_point_rule_data.xml",
        "data/ambassador_config_data.xml",
        "data/ir_cron_data.xml",
        "views/ambassador_menus.xml",
    ],
    "demo": [],
}
