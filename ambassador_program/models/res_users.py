# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.http import request


class ResUsers(models.Model):

    _inherit = "res.users"

    @api.model
    def _update_last_login(self):
        result = super(ResUsers, self)._update_last_login()
        # The network of an ambassador's sign-in, for the referral checks
        # (res_partner_referral.py); outside a request there is none.
        if request and getattr(request, "httprequest", None):
            self.env["res.partner"].sudo()._ambassador_note_signin(
                self.env.user.partner_id, request.httprequest.remote_addr)
        return result
