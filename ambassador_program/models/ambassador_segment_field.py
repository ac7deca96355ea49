# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Contact fields a segment's sign-up form may ask. The form is driven by this
# configuration; adding a field here is the only code change a new question needs.
SIGNUP_FIELDS = [
    ("phone", "Phone"),
    ("mobile", "Mobile"),
    ("street", "Street"),
    ("zip", "Zip"),
    ("city", "City"),
    ("country_id", "Country"),
    ("website", "Website"),
    ("function", "Job Position"),
    ("company_name", "Company"),
    ("ambassador_institution", "Institution"),
    ("ambassador_research_field", "Research Field"),
    ("ambassador_organisation", "Organisation"),
    ("ambassador_activity", "Activity"),
    ("ambassador_territory_link", "Link to the Territory"),
    ("ambassador_motivation", "Motivation"),
]


class AmbassadorSegmentField(models.Model):
    """One question of a segment's sign-up form."""

    _name = "ambassador.segment.field"
    _description = "Ambassador Segment Sign-up Field"
    _order = "segment_id, sequence, id"

    segment_id = fields.Many2one(
        "ambassador.segment", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    field_name = fields.Selection(SIGNUP_FIELDS, string="Contact Field", required=True)
    label = fields.Char(
        translate=True, help="Label shown on the form; the field's own label if empty."
    )
    required = fields.Boolean()
    help_text = fields.Char(translate=True, string="Help")

    _sql_constraints = [
        (
            "field_unique",
            "unique(segment_id, field_name)",
            "A sign-up field is asked only once per segment.",
        ),
    ]

    @api.constrains("field_name")
    def _check_field_exists(self):
        partner_fields = self.env["res.partner"]._fields
        for line in self:
            if line.field_name not in partner_fields:
                raise ValidationError(
                    _("The contact has no field %s.") % line.field_name
                )

    @api.multi
    def get_label(self):
        self.ensure_one()
        if self.label:
            return self.label
        return dict(self._fields["field_name"]._description_selection(self.env))[
            self.field_name
        ]
