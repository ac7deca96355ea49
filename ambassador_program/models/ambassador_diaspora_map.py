# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where the network reaches: counts per country (one SQL statement each) and
the world map drawn from them as an SVG on the server (pygal), with no script
and no reference to an outside service."""
import gzip
import hashlib
import re

from lxml import etree

from odoo import _, api, models, tools

from .programme_params import int_param, text_param

# What a map counts: staff see the four, the public page only the first two.
KINDS = ("residence", "network", "leads", "outcomes")
PUBLIC_KINDS = ("residence", "network")
# The public page hides the countries with fewer ambassadors than this.
DEFAULT_PUBLIC_MIN_COUNT = 5
PUBLIC_MIN_COUNT_FLOOR = 2
# Classes of the map's colours (a country's count is at least the bound): three
# blues that all stand out from the white plot (contrast 4:1 and more). The
# colour is never the only carrier of a figure: the table beside the map is.
BUCKETS = ((100, "#3f007d"), (10, "#08519c"), (1, "#3182bd"))
SVG_NS = "http://www.w3.org/2000/svg"
# pygal writes coordinates with two decimals; one is plenty at this size and
# makes the file a fifth smaller.
_DECIMALS = re.compile(r"(\d+\.\d)\d+")

_SQL = {
    # Active ambassadors by their country of residence.
    "residence": """
        SELECT p.country_id, COUNT(*) AS count
        FROM res_partner p
        WHERE p.ambassador_state = 'active' AND p.active
          AND p.country_id IS NOT NULL
        GROUP BY p.country_id
        HAVING COUNT(*) >= %(min_count)s""",
    # Active ambassadors by the countries their network reaches.
    "network": """
        SELECT r.country_id, COUNT(*) AS count
        FROM ambassador_network_country_rel r
        JOIN res_partner p ON p.id = r.partner_id
        WHERE p.ambassador_state = 'active' AND p.active
        GROUP BY r.country_id
        HAVING COUNT(*) >= %(min_count)s""",
    # Leads passed on by ambassadors (lost ones included: they were passed on),
    # by country of origin; won = active, in a stage of probability 100.
    "leads": """
        SELECT l.country_id, COUNT(*) AS count,
               COUNT(*) FILTER (WHERE l.active AND s.probability = 100) AS won
        FROM crm_lead l
        LEFT JOIN crm_stage s ON s.id = l.stage_id
        WHERE l.ambassador_partner_id IS NOT NULL AND l.country_id IS NOT NULL
        GROUP BY l.country_id
        HAVING COUNT(*) >= %(min_count)s""",
    # Outcomes by country of origin, with the jobs they announced.
    "outcomes": """
        SELECT o.country_id, COUNT(*) AS count,
               COALESCE(SUM(o.jobs_announced), 0) AS jobs
        FROM ambassador_outcome o
        WHERE o.country_id IS NOT NULL
        GROUP BY o.country_id
        HAVING COUNT(*) >= %(min_count)s""",
}


class AmbassadorDiasporaMap(models.AbstractModel):
    """The diaspora map's figures and pictures. Only private methods: the
    staff view (ambassador.diaspora.map.report) and the routes of
    controllers/diaspora_map.py check who asks before calling them."""

    _name = "ambassador.diaspora.map"
    _description = "Ambassador Diaspora Map"

    @api.model
    def _kind_labels(self):
        return {
            "residence": _("Ambassadors by country of residence"),
            "network": _("Ambassadors by network country"),
            "leads": _("Leads passed on by ambassadors, by country of origin"),
            "outcomes": _("Outcomes by country of origin"),
        }

    # ------------------------------------------------------------------
    # Settings of the public page
    # ------------------------------------------------------------------
    @api.model
    def _public_enabled(self):
        return text_param(self.env, "public_map") in ("1", "True", "true")

    @api.model
    def _public_min_count(self):
        return int_param(self.env, "public_map_min_count", DEFAULT_PUBLIC_MIN_COUNT,
                         minimum=PUBLIC_MIN_COUNT_FLOOR)

    # ------------------------------------------------------------------
    # Counts
    # ------------------------------------------------------------------
    @api.model
    def _rows(self, kind, min_count=1):
        """One dict per country (country, code, name, count and, for leads,
        won, for outcomes, jobs), the largest first: one SQL statement, then
        the countries' names in the user's language in one read."""
        self.env.cr.execute(_SQL[kind], {"min_count": max(min_count, 1)})
        found = self.env.cr.dictfetchall()
        # sudo: country names are public reference data (the caller's rights
        # were checked before: staff group or the public page's opt-in).
        # read(): the two columns only (not every field of res.country).
        countries = self.env["res.country"].sudo().browse(
            [row["country_id"] for row in found]).read(["name", "code"])
        names = {country["id"]: (country["name"], (country["code"] or "").lower())
                 for country in countries}
        for row in found:
            row["name"], row["code"] = names[row["country_id"]]
        found.sort(key=lambda row: (-row["count"], row["name"]))
        return found

    @api.model
    def _public_rows(self, kind):
        """The public page's figures: aggregated, small countries hidden."""
        if kind not in PUBLIC_KINDS or not self._public_enabled():
            return []
        return self._rows(kind, self._public_min_count())

    # ------------------------------------------------------------------
    # The picture
    # ------------------------------------------------------------------
    @api.model
    def _fingerprint(self, kind, rows):
        lang = self.env.lang or "en_US"
        key = repr((kind, lang, [(row["code"], row["count"]) for row in rows]))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    @api.model
    def _svg_gzip(self, kind, rows):
        """(fingerprint, gzipped SVG) of ``rows``: drawn once per kind,
        language and set of counts (the fingerprint), then served from the
        registry's cache; a change in the counts changes the fingerprint."""
        fingerprint = self._fingerprint(kind, rows)
        lang = self.env.lang or "en_US"
        return fingerprint, self._svg_gzip_cached(
            kind, lang, fingerprint, tuple(
                (row["code"], row["name"], row["count"]) for row in rows))

    @tools.ormcache("kind", "lang", "fingerprint")
    def _svg_gzip_cached(self, kind, lang, fingerprint, counts):
        svg = self.with_context(lang=lang)._render_svg(kind, counts)
        return gzip.compress(svg.encode("utf-8"), 6)

    @api.model
    def _svg(self, kind, rows):
        return gzip.decompress(self._svg_gzip(kind, rows)[1]).decode("utf-8")

    @api.model
    def _render_svg(self, kind, counts):
        """The world map of ``counts`` ((code, name, count), ...): pygal's
        drawing without its script, comments and tooltips, a title, a
        description and role="img"; each coloured country has its name and
        figure as its own title."""
        # Imported here: only the map needs pygal (an external dependency).
        from pygal.maps.world import World
        from pygal.style import Style

        title = self._kind_labels()[kind]
        colours = [colour for _bound, colour in reversed(BUCKETS)]
        style = Style(
            background="#ffffff", plot_background="#ffffff",
            foreground="#1a1a1a", foreground_strong="#000000",
            foreground_subtle="#595959", opacity="1", opacity_hover="1",
            colors=tuple(colours), font_family="sans-serif",
            legend_font_size=20, title_font_size=18,
        )
        chart = World(js=[], disable_xml_declaration=True, style=style,
                      show_legend=True, legend_at_bottom=True,
                      legend_at_bottom_columns=len(BUCKETS), legend_box_size=18,
                      no_data_text=_("No data"))
        bounds = [bound for bound, _colour in reversed(BUCKETS)]
        for index, bound in enumerate(bounds):
            upper = bounds[index + 1] - 1 if index + 1 < len(bounds) else None
            label = (_("%(low)s to %(high)s") % {"low": bound, "high": upper}
                     if upper else _("%s or more") % bound)
            chart.add(label, {code: count for code, _name, count in counts
                              if code and bound <= count
                              and (upper is None or count <= upper)})
        root = etree.fromstring(chart.render(is_unicode=True).encode("utf-8"))
        names = {code: (name, count) for code, name, count in counts}
        self._clean_svg(root, names)
        description = _("World map; the table beside it gives the same figures.")
        if not counts:
            description = _("World map: no country to show yet.")
        root.set("role", "img")
        root.set("aria-labelledby", "map-title map-desc")
        root.set("lang", (self.env.lang or "en_US").replace("_", "-"))
        title_node = etree.Element("{%s}title" % SVG_NS, id="map-title")
        title_node.text = title
        desc_node = etree.Element("{%s}desc" % SVG_NS, id="map-desc")
        desc_node.text = description
        root.insert(0, desc_node)
        root.insert(0, title_node)
        svg = etree.tostring(root, encoding="unicode")
        return _DECIMALS.sub(r"\1", svg)

    @api.model
    def _clean_svg(self, root, names):
        """Strip what is not the picture: script, comments, pygal's own title
        and tooltip data; a country's tooltip data becomes its <title>."""
        for node in root.xpath("//comment()"):
            node.getparent().remove(node)
        for node in root.xpath(
                "//svg:script | /svg:svg/svg:title"
                " | //svg:desc[@class='x auto' or @class='y auto']",
                namespaces={"svg": SVG_NS}):
            node.getparent().remove(node)
        for node in root.xpath("//svg:desc[@class='value']",
                               namespaces={"svg": SVG_NS}):
            area = node.getparent()
            classes = (area.get("class") or "").split()
            code = classes[0] if classes else ""
            node.tag = "{%s}title" % SVG_NS
            node.attrib.pop("class")
            if code in names:
                node.text = "%s: %s" % names[code]
        for node in root.xpath("//*[@style]"):
            # Full colour (pygal fades the small figures of a class).
            if node.get("style").startswith("fill-opacity"):
                del node.attrib["style"]
