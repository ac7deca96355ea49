# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

# What the programme sends an ambassador, and how urgent each kind is by
# default (guideline 10: no saturation). "always": never held back, but
# counted; "normal": held back at the cap; "low": held back one message
# before the cap, so that a digest never takes the last slot of a newsletter.
CHANNELS = [
    ("mailing", "Newsletter"),
    ("invitation", "Event Invitation"),
    ("reminder", "Event Reminder"),
    ("status", "Status Change"),
    ("decision", "Proof Decision"),
    ("reconfirmation", "Consent Re-confirmation"),
    ("digest", "Mission Digest"),
    ("suggestion", "Mission Suggestion"),
    ("introduction", "Introduction"),
    ("other", "Other"),
]
CHANNEL_PRIORITY = {
    "mailing": "normal",
    "invitation": "normal",
    "reminder": "low",
    "status": "always",
    "decision": "always",
    "reconfirmation": "always",
    "digest": "low",
    "suggestion": "low",
    # A service message the person asked for (its request answered, a
    # request to answer): always sent.
    "introduction": "always",
    "other": "normal",
}
PRIORITIES = [
    ("always", "Always (committee decisions, service messages)"),
    ("normal", "Normal (newsletters, invitations)"),
    ("low", "Low (digests, suggestions, reminders)"),
]
DEFERRAL_REASONS = [
    ("cap", "Contact cap reached"),
    ("reserve", "Last slot before the cap kept for newsletters"),
]


class AmbassadorMessageLog(models.Model):
    """One programme message to one ambassador: sent (it counts towards the
    contact cap over a rolling 30 days) or deferred by the cap (with why).
    Written set-based by the places that send (res_partner_contact_cap.py),
    read by staff in the deferral report; never edited."""

    _name = "ambassador.message.log"
    _description = "Ambassador Programme Message"
    _order = "date desc, id desc"
    _rec_name = "channel"

    partner_id = fields.Many2one(
        "res.partner", string="Ambassador", required=True, readonly=True,
        ondelete="cascade", index=True,
    )
    segment_id = fields.Many2one(
        "ambassador.segment", string="Segment", readonly=True,
        ondelete="set null",
        help="The ambassador's segment when the message was sent or deferred.",
    )
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    priority = fields.Selection(PRIORITIES, required=True, readonly=True)
    state = fields.Selection(
        [("sent", "Sent"), ("deferred", "Deferred")],
        required=True, readonly=True, default="sent",
    )
    reason = fields.Selection(
        DEFERRAL_REASONS, string="Deferred because", readonly=True)
    mass_mailing_id = fields.Many2one(
        "mail.mass_mailing", string="Mailing", readonly=True, ondelete="set null",
        index=True,
    )
    message_count = fields.Integer(
        string="Messages", readonly=True, default=1,
        help="Technical: 1 on every row, summed by the report.",
    )

    @api.model_cr
    def init(self):
        # The cap counts the messages sent to each ambassador in the last 30
        # days: an index on exactly that.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS ambassador_message_log_sent_idx
            ON ambassador_message_log (partner_id, date) WHERE state = 'sent'
            """
        )
        # A mailing's sends and deferrals are recorded once per ambassador,
        # however often mass mailing asks for its remaining recipients.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS ambassador_message_log_mailing_uniq
            ON ambassador_message_log (mass_mailing_id, partner_id, state)
            WHERE mass_mailing_id IS NOT NULL
            """
        )

    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        # Rows are inserted set-based by res_partner_contact_cap.py only.
        raise UserError(self._read_only_message())

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self._read_only_message())

    @api.model
    def _read_only_message(self):
        return _("The programme's message log is written by the programme's "
                 "sending only, never by hand.")
