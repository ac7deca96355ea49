# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The person's GDPR rights on its contact: export (articles 15 and 20) and
erasure (article 17). What each covers: models/ambassador_personal_data.py
and readme/PRIVACY.rst."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

STAFF_GROUP = "ambassador_program.group_ambassador_user"
MANAGER_GROUP = "ambassador_program.group_ambassador_manager"


class ResPartner(models.Model):
    _inherit = "res.partner"

    ambassador_erased_date = fields.Date(
        string="Personal Data Erased On", readonly=True, copy=False,
        help="The person's data was erased (on its request, by a manager or by "
        "the retention job): this contact is an anonymous placeholder.")

    @api.multi
    def _ambassador_check_privacy_reader(self):
        """The person itself, or programme staff (who may read every contact
        the programme holds)."""
        self.ensure_one()
        if self == self.env.user.partner_id:
            return True
        if self.env.user.has_group(STAFF_GROUP):
            self.check_access_rule("read")
            return True
        raise AccessError(_("Only the person itself or programme staff export "
                            "a person's data."))

    @api.multi
    def ambassador_export_personal_data(self):
        """Everything the programme holds on this person (JSON-ready, files
        base64-encoded): the person itself or programme staff."""
        self._ambassador_check_privacy_reader()
        # sudo (inside): the tables of the map, of this one person, checked above.
        return self.env["ambassador.personal.data"]._export(self)

    @api.multi
    def action_ambassador_export_personal_data(self):
        """Staff: the printable export of the contact, with its JSON download."""
        self.ensure_one()
        if not self.env.user.has_group(STAFF_GROUP):
            raise AccessError(_("Only programme staff export a contact's data."))
        self._ambassador_check_privacy_reader()
        return {
            "type": "ir.actions.act_url",
            "url": "/ambassador/privacy/%d/export.html" % self.id,
            "target": "new",
        }

    @api.multi
    def action_ambassador_erase_personal_data(self):
        """Managers: the erasure wizard (asks for the reason and a confirmation)."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only programme managers erase a person's data."))
        self.check_access_rule("write")
        action = self.env.ref(
            "ambassador_program.action_ambassador_erase_wizard").read()[0]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.multi
    def _ambassador_erase_personal_data(self):
        """Anonymise these contacts for good (set-based: the retention job
        passes many at once). Callers check who asks: the person itself
        (controllers/privacy.py, confirmed) or a programme manager (the
        wizard). Returns how many contacts were erased."""
        return self.env["ambassador.personal.data"]._erase(self)
