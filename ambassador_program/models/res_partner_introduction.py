# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .authority import as_engine, is_engine
from .form_input import FormErrors, parse_id

STAFF_GROUP = "ambassador_program.group_ambassador_user"
DEFAULT_INTRO_QUOTA = 3
INTRO_QUOTA_MAX = 50
# The person's introduction settings: its own settings page (through the
# engine) or programme staff, never another route.
INTRO_FIELDS = {
    "ambassador_intro_quota", "ambassador_intro_purpose_ids",
    "ambassador_intro_only",
}
# Showing any of these lists the person in the directory.
DIRECTORY_FLAGS = (
    "ambassador_show_email", "ambassador_show_phone", "ambassador_show_company",
    "ambassador_show_city", "ambassador_show_skills", "ambassador_intro_only",
)


class ResPartner(models.Model):
    """An ambassador's introduction settings: how many requests it accepts
    per calendar quarter, for which purposes, and whether the directory
    offers "Request an introduction" instead of its e-mail."""

    _inherit = "res.partner"

    ambassador_intro_quota = fields.Integer(
        string="Introductions per Quarter", default=DEFAULT_INTRO_QUOTA,
        help="How many introduction requests the ambassador accepts to "
        "receive per calendar quarter (0: none).")
    ambassador_intro_purpose_ids = fields.Many2many(
        "ambassador.introduction.purpose", "ambassador_intro_purpose_partner_rel",
        "partner_id", "purpose_id", string="Accepted Introduction Purposes",
        help="Empty: every purpose.")
    ambassador_intro_only = fields.Boolean(
        string="Contact Only Through Introductions", copy=False,
        help="The directory offers \"Request an introduction\" instead of the "
        "ambassador's e-mail and phone.")

    @api.model
    def _ambassador_check_guarded_fields(self, vals, creating=False):
        super(ResPartner, self)._ambassador_check_guarded_fields(
            vals, creating=creating)
        if is_engine(self.env) or self.env.user.has_group(STAFF_GROUP):
            return
        given = set(vals) & INTRO_FIELDS
        if creating:
            # Defaults passed along (res.users creating its partner) are no
            # choice.
            given = {name for name in given if vals[name] and not (
                name == "ambassador_intro_quota"
                and vals[name] == DEFAULT_INTRO_QUOTA)}
        if given:
            raise AccessError(_(
                "The introduction settings are the ambassador's own (its "
                "space) or the programme staff's."))

    @api.multi
    def _ambassador_accepts_introductions(self):
        """Active, listed in the directory and accepting requests."""
        self.ensure_one()
        partner = self.sudo()
        return (partner.ambassador_state == "active"
                and partner.ambassador_intro_quota > 0
                and any(partner[flag] for flag in DIRECTORY_FLAGS))

    @api.multi
    def _ambassador_intro_contact(self):
        """What an accepted introduction gives of this person: its e-mail,
        and its phone when it shows it in the directory."""
        self.ensure_one()
        partner = self.sudo()
        contact = {"name": partner.name, "email": partner.email or ""}
        if partner.ambassador_show_phone:
            contact["phone"] = partner.phone or partner.mobile or ""
        return contact

    @api.model
    def _ambassador_set_intro_settings(self, form):
        """The current user's own settings from its space's form (``quota``,
        ``purpose_ids`` a list of ids, ``intro_only``). Raises FormErrors.
        On the model: the person is the user (a controller's partner record
        may be the superuser's, request.env.user's)."""
        partner = self.env.user.partner_id
        if not partner.ambassador_state:
            raise AccessError(_("Only ambassadors have introduction settings."))
        errors = {}
        quota = (form.get("quota") or "").strip()
        if not quota.isdigit() or not quota.isascii() or int(quota) > INTRO_QUOTA_MAX:
            errors["quota"] = _(
                "Give a whole number from 0 to %d.") % INTRO_QUOTA_MAX
        ids = [parse_id(value) for value in form.get("purpose_ids") or []]
        purposes = self.env["ambassador.introduction.purpose"].browse(
            [pid for pid in ids if pid]).exists()
        if len(purposes) != len(ids):
            errors["purpose_ids"] = _("Choose among the purposes listed.")
        if errors:
            raise FormErrors(errors)
        # as_engine: the person's own settings (checked above).
        as_engine(partner).write({
            "ambassador_intro_quota": int(quota),
            "ambassador_intro_purpose_ids": [(6, 0, purposes.ids)],
            "ambassador_intro_only": bool(form.get("intro_only")),
        })
        return True
