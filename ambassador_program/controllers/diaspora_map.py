# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The diaspora map: its SVG for the public programme page (only when the
programme opted in, aggregated, small countries hidden) and for the staff's
map (programme group). The pictures are cached by the model; the browser may
keep them too (ETag: the fingerprint of the counts)."""
import gzip

from odoo import http
from odoo.http import request

from ..models.ambassador_diaspora_map import KINDS, PUBLIC_KINDS
from ..models.ambassador_diaspora_map_report import STAFF_GROUP
from .main import AmbassadorWebsite

PUBLIC_MAX_AGE = 3600


def svg_response(kind, rows, cache_control):
    fingerprint, packed = request.env["ambassador.diaspora.map"]._svg_gzip(kind, rows)
    etag = '"%s"' % fingerprint
    headers = [("Content-Type", "image/svg+xml; charset=utf-8"),
               ("Cache-Control", cache_control), ("ETag", etag),
               ("Vary", "Accept-Encoding"),
               ("X-Content-Type-Options", "nosniff")]
    if etag in request.httprequest.headers.get("If-None-Match", ""):
        response = request.make_response(b"", headers=headers)
        response.status_code = 304
        return response
    if "gzip" in request.httprequest.headers.get("Accept-Encoding", ""):
        headers.append(("Content-Encoding", "gzip"))
        body = packed
    else:
        body = gzip.decompress(packed)
    return request.make_response(body, headers=headers)


class AmbassadorDiasporaMap(AmbassadorWebsite):

    @http.route()
    def ambassadors_page(self, **kw):
        """The programme page, with the public map's figures when opted in
        (one SQL statement per map, whatever the number of ambassadors)."""
        response = super(AmbassadorDiasporaMap, self).ambassadors_page(**kw)
        Map = request.env["ambassador.diaspora.map"]
        maps = []
        if Map._public_enabled():
            labels = Map._kind_labels()
            for kind in PUBLIC_KINDS:
                rows = Map._public_rows(kind)
                maps.append({"kind": kind, "label": labels[kind], "rows": rows,
                             "fingerprint": Map._fingerprint(kind, rows)})
        response.qcontext["diaspora_maps"] = maps
        response.qcontext["diaspora_min_count"] = Map._public_min_count()
        return response

    @http.route("/ambassadors/diaspora-map/<string:kind>.svg", type="http",
                auth="public", website=True, sitemap=False)
    def ambassadors_diaspora_map_svg(self, kind, **kw):
        """The public map: nothing at all (404) unless the programme opted in."""
        Map = request.env["ambassador.diaspora.map"]
        if kind not in PUBLIC_KINDS or not Map._public_enabled():
            raise request.not_found()
        return svg_response(kind, Map._public_rows(kind),
                            "public, max-age=%d" % PUBLIC_MAX_AGE)

    @http.route("/ambassador/staff/diaspora-map/<string:kind>.svg", type="http",
                auth="user", website=True, sitemap=False)
    def ambassador_staff_diaspora_map_svg(self, kind, **kw):
        """The staff's maps (every country, leads and outcomes too)."""
        if kind not in KINDS or not request.env.user.has_group(STAFF_GROUP):
            raise request.not_found()
        Map = request.env["ambassador.diaspora.map"]
        return svg_response(kind, Map._rows(kind), "private, max-age=300")
