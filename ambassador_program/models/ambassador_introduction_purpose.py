# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AmbassadorIntroductionPurpose(models.Model):
    """Why an ambassador asks to be introduced to another (a business
    contact, an internship...): a configured list, so that each person can
    say which purposes it accepts (seed 002, guideline 10)."""

    _name = "ambassador.introduction.purpose"
    _description = "Ambassador Introduction Purpose"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
