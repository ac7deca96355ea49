# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .ambassador_consent import PURPOSES
from .authority import as_engine

_logger = logging.getLogger(__name__)

LAPSE_BATCH = 10000  # contacts whose benefits follow a lapse at a time


class AmbassadorConsentPurpose(models.Model):
    """A version of the text a person reads before ticking a consent, per
    purpose. The published version is shown next to the checkbox; each consent
    logged copies it (ambassador.consent.text_shown). Publishing a new version
    is a material change: the consents given under an older version lapse and
    the ambassadors are asked to re-confirm them (see action_publish)."""

    _name = "ambassador.consent.purpose"
    _description = "Ambassador Consent Text"
    _order = "purpose, version desc"

    name = fields.Char(compute="_compute_name")
    purpose = fields.Selection(PURPOSES, required=True)
    version = fields.Integer(required=True, default=1)
    text = fields.Text(
        required=True, translate=True,
        help="What the person reads next to the checkbox: what is done with "
        "its data, who sees it, how to withdraw.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("archived", "Archived")],
        default="draft", required=True, readonly=True,
    )
    published_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("version_unique", "unique(purpose, version)",
         "This version of the purpose's text already exists."),
    ]

    @api.depends("purpose", "version")
    def _compute_name(self):
        labels = dict(self._fields["purpose"]._description_selection(self.env))
        for text in self:
            text.name = _("%(purpose)s, version %(version)d") % {
                "purpose": labels.get(text.purpose), "version": text.version}

    @api.model
    def _current_texts(self, lang=None):
        """{purpose: published version} in ``lang`` (one query)."""
        # sudo: the published texts are public (the sign-up form shows them).
        texts = self.sudo().with_context(lang=lang or self.env.lang).search(
            [("state", "=", "published")])
        return {text.purpose: text for text in texts}

    @api.multi
    def write(self, vals):
        self.check_access_rights("write")  # who may, before what may be
        if set(vals) & {"text", "purpose", "version"} and self.filtered(
                lambda t: t.state != "draft"):
            raise UserError(
                _("A published consent text is not edited: write a new version."))
        return super(AmbassadorConsentPurpose, self).write(vals)

    @api.multi
    def unlink(self):
        self.check_access_rights("unlink")
        if self.filtered(lambda t: t.state != "draft"):
            raise UserError(
                _("A published consent text is kept: consents refer to it."))
        return super(AmbassadorConsentPurpose, self).unlink()

    @api.multi
    def action_publish(self):
        """Publish this draft: the previous version of the purpose is archived,
        and the consents given under it lapse (see _lapse_older_consents)."""
        self.ensure_one()
        if not self.env.user.has_group("ambassador_program.group_ambassador_manager"):
            raise AccessError(_("Only programme managers publish consent texts."))
        if self.state != "draft":
            raise UserError(_("Only a draft text can be published."))
        older = self.search([("purpose", "=", self.purpose),
                             ("state", "=", "published")])
        if older and older.version >= self.version:
            raise UserError(
                _("The new version must be numbered after the published one (%d).")
                % older.version)
        older.write({"state": "archived"})
        self.write({"state": "published", "published_date": fields.Datetime.now()})
        if older:
            self._lapse_older_consents()
        return True

    @api.multi
    def _lapse_older_consents(self):
        """GDPR: a consent is given to what the person read; a new version of
        the text is a material change (a mere typo is fixed in the draft
        before publishing), so the consents given under an older version no
        longer hold: the flag goes off, and the log records it as lapsed with
        this version, which the ambassador space offers to re-confirm.
        Set-based: one INSERT of log rows, one UPDATE of the flags, then what
        follows the flag (mailing lists...) in batches."""
        self.ensure_one()
        from .res_partner import CONSENT_PURPOSES
        field = {purpose: name for name, purpose in CONSENT_PURPOSES.items()}.get(
            self.purpose)
        if not field:
            # Membership has no flag: it holds while the person is a member;
            # the new text applies at the next sign-up or import.
            return 0
        cr = self.env.cr
        reason = _("New version %d of the text published: to re-confirm") % (
            self.version)
        cr.execute(
            """
            WITH lapsed AS (
                UPDATE res_partner SET {field} = false
                WHERE {field} AND ambassador_state IS NOT NULL
                RETURNING id
            )
            INSERT INTO ambassador_consent (
                partner_id, purpose, granted, date, channel, legal_basis, reason,
                user_id, purpose_text_id, version, lapsed,
                create_uid, create_date, write_uid, write_date)
            SELECT id, %(purpose)s, false, %(now)s, 'staff',
                   'consent', %(reason)s, %(uid)s, %(text)s, %(version)s, true,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
            FROM lapsed
            RETURNING partner_id
            """.format(field=field),  # a field name of CONSENT_PURPOSES
            {"purpose": self.purpose, "reason": reason[:256], "uid": self.env.uid,
             "text": self.id, "version": self.version,
             # The clock, as the ORM dates the other rows (now() is the
             # transaction's start: it could sort before a consent of the
             # same transaction).
             "now": fields.Datetime.now()},
        )
        ids = [row[0] for row in cr.fetchall()]
        Partner = self.env["res.partner"]
        Partner.invalidate_cache([field], ids)
        Engine = as_engine(self.env["ambassador.status.engine"])
        for start in range(0, len(ids), LAPSE_BATCH):
            Engine._sync_benefits(Partner.browse(ids[start:start + LAPSE_BATCH]),
                                  {field})
            _logger.info("Consent text %s v%d: %d/%d lapsed consents followed",
                         self.purpose, self.version,
                         min(start + LAPSE_BATCH, len(ids)), len(ids))
        return len(ids)
