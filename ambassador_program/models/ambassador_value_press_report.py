# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class AmbassadorValuePressReport(models.Model):
    """Press mentions by media country and language (issue 15): one row per
    approved proof of a press rule, in the year of publication (else of
    approval), for the pivot beside the value report."""

    _name = "ambassador.value.press.report"
    _description = "Press Mentions of the Ambassador Programme"
    _auto = False
    _order = "year desc, id desc"
    _rec_name = "media"

    year = fields.Char(readonly=True)
    proof_id = fields.Many2one("ambassador.proof", string="Proof", readonly=True)
    segment_id = fields.Many2one("ambassador.segment", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Ambassador", readonly=True)
    country_id = fields.Many2one(
        "res.country", string="Media Country", readonly=True)
    language = fields.Char(string="Article Language", readonly=True)
    media = fields.Char(readonly=True)
    mention_count = fields.Integer(
        string="Press Mentions", readonly=True, group_operator="sum")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW ambassador_value_press_report AS (
                SELECT pr.id AS id, pr.id AS proof_id,
                       to_char(COALESCE(pr.press_date, pr.decision_date), 'YYYY')
                           AS year,
                       pr.segment_id, pr.partner_id,
                       pr.press_country_id AS country_id,
                       NULLIF(lower(trim(pr.press_language)), '') AS language,
                       pr.press_media AS media, 1 AS mention_count
                FROM ambassador_proof pr
                JOIN ambassador_point_rule r ON r.id = pr.rule_id
                WHERE pr.state = 'approved' AND r.is_press
            )
            """)
