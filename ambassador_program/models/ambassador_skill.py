# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AmbassadorSkill(models.Model):
    """A competence an ambassador offers (guideline 2: segmentation by skills)."""

    _name = "ambassador.skill"
    _description = "Ambassador Skill"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _sql_constraints = [("name_unique", "unique(name)", "This skill already exists.")]
