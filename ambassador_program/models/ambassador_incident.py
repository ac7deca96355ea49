# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AmbassadorIncident(models.Model):
    """Monitoring and correcting ambassadors (guideline 16): a complaint, a misuse
    of the directory or an off-brand communication, and the sanction decided."""

    _name = "ambassador.incident"
    _description = "Ambassador Incident"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(string="Subject", required=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Ambassador",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("ambassador_state", "!=", False)],
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    category = fields.Selection(
        [
            ("complaint", "Complaint"),
            ("directory_misuse", "Misuse of the Directory"),
            ("off_brand", "Off-brand Communication"),
            ("other", "Other"),
        ],
        required=True,
        default="complaint",
    )
    description = fields.Text()
    reported_by = fields.Char()
    sanction = fields.Selection(
        [
            ("none", "No Sanction"),
            ("warning", "Warning"),
            ("suspension", "Suspension"),
            ("exclusion", "Exclusion"),
        ],
        default="none",
        required=True,
        track_visibility="onchange",
    )
    state = fields.Selection(
        [("open", "Open"), ("decided", "Decided")],
        default="open",
        required=True,
        readonly=True,
        track_visibility="onchange",
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)

    @api.multi
    def action_decide(self):
        """Apply the chosen sanction to the ambassador."""
        for incident in self:
            if incident.state != "open":
                raise UserError(_("This incident was already decided."))
            partner = incident.partner_id
            if incident.sanction == "warning":
                partner.message_post(
                    body=_("Warning after the incident: %s") % incident.name,
                    subtype="mail.mt_comment",
                )
            elif incident.sanction == "suspension":
                if partner.ambassador_state == "active":
                    partner.action_ambassador_suspend()
            elif incident.sanction == "exclusion":
                partner.action_ambassador_leave()
                # Exclusion also withdraws the status (logged as a sanction).
                self.env["ambassador.status.engine"]._fall_back(
                    partner,
                    notes=_("Excluded after the incident: %s") % incident.name,
                    reason="sanction",
                )
                # An exclusion soon after joining takes back the referrer's
                # points (the window is a setting; a leaver's do not).
                self.env["ambassador.referral"]._reverse_for_excluded(partner)
            incident.write(
                {
                    "state": "decided",
                    "decided_by_id": self.env.uid,
                    "decision_date": fields.Datetime.now(),
                }
            )
        return True
