# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""After login, an ambassador lands in its space, not on the website's home
page: only when no page was asked for (a redirect given to /web/login wins)."""
from odoo import http
from odoo.http import request

from odoo.addons.website.controllers.main import Website

# The ambassador's home, where logging in leads.
SPACE_URL = "/my/ambassador"
# Those who have a space to land in (a person who left has none).
SPACE_STATES = ("candidate", "active", "suspended")


def is_ambassador(uid):
    """Whether the user ``uid`` is an ambassador with a space (employees keep
    landing in the backend, their workplace)."""
    if not uid:
        return False
    # sudo: the user just logged in; its own contact's programme state.
    user = request.env["res.users"].sudo().browse(uid)
    return (user.partner_id.ambassador_state in SPACE_STATES
            and not user.has_group("base.group_user"))


class AmbassadorHome(Website):

    def _login_redirect(self, uid, redirect=None):
        if not redirect and is_ambassador(uid):
            return SPACE_URL
        return super(AmbassadorHome, self)._login_redirect(uid, redirect=redirect)

    @http.route(website=True, auth="public")
    def web_login(self, redirect=None, *args, **kw):
        # The website sends a portal user to "/" when no redirect was asked.
        response = super(AmbassadorHome, self).web_login(
            redirect=redirect, *args, **kw)
        if (not redirect and request.params.get("login_success")
                and is_ambassador(request.uid)):
            return http.redirect_with_hash(SPACE_URL)
        return response
