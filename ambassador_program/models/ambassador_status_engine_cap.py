# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# The programme's e-mail templates that count towards the contact cap, by
# channel (ambassador_message_log.CHANNELS). Their senders choose the
# recipients (the cap's filter, when the channel's priority is not "always",
# is theirs); _queue_mails records what it queued. A template not named here
# is recorded by its sender (_ambassador_count_sent), or not at all (sign-up
# e-mails go to people who are no ambassadors yet).
TEMPLATE_CHANNELS = {
    "ambassador_program.mail_template_status_tier_reached": "status",
    "ambassador_program.mail_template_status_lowered": "status",
    "ambassador_program.mail_template_status_review_opened": "status",
    "ambassador_program.mail_template_status_committee_granted": "status",
    "ambassador_program.mail_template_status_committee_refused": "status",
    "ambassador_program.mail_template_proof_approved": "decision",
    "ambassador_program.mail_template_proof_rejected": "decision",
    "ambassador_program.mail_template_reconfirmation": "reconfirmation",
    "ambassador_program.mail_template_event_invitation": "invitation",
    "ambassador_program.mail_template_mission_suggestion": "suggestion",
    "ambassador_program.mail_template_introduction_requested": "introduction",
    "ambassador_program.mail_template_introduction_accepted_requester":
        "introduction",
    "ambassador_program.mail_template_introduction_accepted_recipient":
        "introduction",
}


class AmbassadorStatusEngine(models.AbstractModel):
    """Every programme e-mail queued by _queue_mails is recorded in the
    message log the contact cap counts (one INSERT per call, after the
    rendering, which stays the engine's own)."""

    _inherit = "ambassador.status.engine"

    @api.model
    def _ambassador_template_channel(self, template):
        for xml_id, channel in TEMPLATE_CHANNELS.items():
            known = self.env.ref(xml_id, raise_if_not_found=False)
            if known and known.id == template.id:
                return channel
        return None

    @api.model
    def _queue_mails(self, template, res_ids, recipients, document=None, **context):
        mails = super(AmbassadorStatusEngine, self)._queue_mails(
            template, res_ids, recipients, document=document, **context)
        channel = self._ambassador_template_channel(template)
        if channel and res_ids:
            self.env["res.partner"]._ambassador_count_sent(
                [recipients[res_id] for res_id in res_ids], channel)
        return mails
