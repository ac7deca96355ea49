# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.tools import html_escape

from .ambassador_diaspora_map import KINDS

STAFF_GROUP = "ambassador_program.group_ambassador_user"


class AmbassadorDiasporaMapReport(models.TransientModel):
    """The staff's diaspora map (Reporting > Diaspora Map): a form whose
    selector picks one of the four maps; the map is an image served by
    /ambassador/staff/diaspora-map/<kind>.svg and the table beside it is its
    text alternative. A transient model, so Odoo lets any user make one: the
    figures are computed only for programme staff."""

    _name = "ambassador.diaspora.map.report"
    _description = "Ambassador Diaspora Map"

    kind = fields.Selection(
        [("residence", "Ambassadors by country of residence"),
         ("network", "Ambassadors by network country"),
         ("leads", "Leads by country of origin"),
         ("outcomes", "Outcomes by country of origin")],
        string="Map", required=True, default="residence",
    )
    map_html = fields.Html(string="World Map", compute="_compute_map",
                           sanitize=False, readonly=True)
    table_html = fields.Html(string="Figures", compute="_compute_map",
                             sanitize=False, readonly=True)

    @api.depends("kind")
    def _compute_map(self):
        Map = self.env["ambassador.diaspora.map"]
        staff = self.env.user.has_group(STAFF_GROUP)
        labels = Map._kind_labels()
        for report in self:
            report.map_html = report.table_html = False
            if not staff or report.kind not in KINDS:
                continue
            rows = Map._rows(report.kind)
            fingerprint = Map._fingerprint(report.kind, rows)
            report.map_html = (
                '<img class="img-responsive o_ambassador_diaspora_map"'
                ' src="/ambassador/staff/diaspora-map/%s.svg?v=%s" alt="%s"/>' % (
                    report.kind, fingerprint,
                    html_escape(labels[report.kind])))
            report.table_html = self._table_html(report.kind, rows)

    @api.model
    def _table_html(self, kind, rows):
        headers = [_("Country"), _("Count")]
        if kind == "leads":
            headers = [_("Country"), _("Leads"), _("Won")]
        elif kind == "outcomes":
            headers = [_("Country"), _("Outcomes"), _("Jobs announced")]
        elif kind == "network":
            headers = [_("Network country"), _("Ambassadors")]
        elif kind == "residence":
            headers = [_("Country of residence"), _("Ambassadors")]
        extra = {"leads": "won", "outcomes": "jobs"}.get(kind)
        lines = []
        for row in rows:
            cells = ["<td>%s</td>" % html_escape(row["name"]),
                     '<td class="text-right">%d</td>' % row["count"]]
            if extra:
                cells.append('<td class="text-right">%d</td>' % row[extra])
            lines.append("<tr>%s</tr>" % "".join(cells))
        if not lines:
            lines.append('<tr><td colspan="%d">%s</td></tr>' % (
                len(headers), html_escape(_("No figure yet."))))
        head = "".join(
            '<th scope="col"%s>%s</th>' % (
                index and ' class="text-right"' or "", html_escape(header))
            for index, header in enumerate(headers))
        caption = self.env["ambassador.diaspora.map"]._kind_labels()[kind]
        return (
            '<table class="table table-condensed o_ambassador_diaspora_table">'
            '<caption style="color: #333;">%s</caption>'
            "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>" % (
                html_escape(caption), head, "".join(lines)))
