# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import AccessError


class ReportAmbassadorValueYear(models.AbstractModel):
    """The values of the yearly PDF (QWeb report
    ``ambassador_program.report_value_year``): one document per wizard, its
    figures from ``ambassador.value.report._value_year_data``."""

    _name = "report.ambassador_program.report_value_year"
    _description = "Yearly Value Report of the Ambassador Programme"

    @api.model
    def get_report_values(self, docids, data=None):
        # The figures are read with the user's rights: programme staff only.
        Report = self.env["ambassador.value.report"]
        if not Report.check_access_rights("read", raise_exception=False):
            raise AccessError(_("The value report is for programme staff."))
        docs = self.env["ambassador.value.report.wizard"].browse(docids).exists()
        return {
            "doc_ids": docs.ids,
            "doc_model": "ambassador.value.report.wizard",
            "docs": docs,
            "figures": {doc.id: Report._value_year_data(doc.year) for doc in docs},
        }
