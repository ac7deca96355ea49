"""The programme's e-mails are rendered by the status engine's own loop
(_render_mails, issue 13: generate_email's per-record work the queue throws
away is skipped, templates are compiled once, a batch is read at once). What
each recipient gets must stay exactly what Odoo's
``mail.template.generate_email`` gives in the recipient's language: subject,
body (absolute links included), sender and reply address, compared byte for
byte (nothing normalised), for a batch of ambassadors in French and English
whose names need escaping, and every programme template queued this way."""
from odoo import fields

from ..models.ambassador_status_engine import MAIL_FIELDS, STATUS_MAIL_TEMPLATES
from ..models.authority import as_engine
from .common import AmbassadorCase, ensure_french

FRENCH = "fr_FR"
# Names that HTML escapes (the body) and must not (the subject) and accents.
NAMES = ("Zoé <b>O'Brien</b> & \"Co\"", "Jean-Loup Été", "Ann Smith & Sons",
         "Émile <script>x</script>", "Li Ø", "Plain Name")


class TestMailRendering(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestMailRendering, cls).setUpClass()
        ensure_french(cls.env)
        cls.env.user.company_id.email = "ambassadors@mycity.example"
        cls.Engine = cls.env["ambassador.status.engine"]
        # Alternately French and English, Silver by points, a committee
        # validity ending on a different day each.
        cls.partners = cls.Partner
        for index, name in enumerate(NAMES):
            partner = cls.make_ambassador(
                name, points=20, lang=FRENCH if index % 2 == 0 else "en_US",
                email="render%d@example.com" % index)
            cls.partners |= partner
        as_engine(cls.Engine)._set_validities({
            partner.id: "2027-0%d-1%d" % (index + 1, index)
            for index, partner in enumerate(cls.partners)})

    def assert_as_generate_email(self, template, records, recipients, **context):
        """_queue_mails' e-mail of each record is what generate_email gives
        for its recipient's language, field for field."""
        mails = self.Engine._queue_mails(template, records.ids, recipients, **context)
        self.assertEqual(len(mails), len(records))
        by_record = {mail.res_id: mail for mail in mails}
        langs = set()
        for record in records:
            lang = self.Partner.browse(recipients[record.id]).lang
            langs.add(lang)
            expected = template.sudo().with_context(lang=lang, **context)\
                .generate_email(record.id, list(MAIL_FIELDS))
            mail = by_record[record.id]
            for field in MAIL_FIELDS:
                self.assertEqual(mail[field] or False, expected[field] or False,
                                 "%s of %s in %s" % (field, template.name, lang))
            self.assertTrue(mail.subject and mail.body_html)
        self.assertEqual(langs, {FRENCH, "en_US"}, "a batch in two languages")
        return mails

    def changes(self, state="applied", reason="points", **vals):
        """One status change per test ambassador, Silver to Gold."""
        changes = self.Engine.with_context(ambassador_status_mail=False)\
            ._record_changes([(p.id, self.gold.id) for p in self.partners], state,
                             reason=reason)
        if vals:
            as_engine(changes).write(vals)
        return changes

    def test_status_templates(self):
        """Each status template, each of its branches, as generate_email."""
        cases = {
            "tier_reached": [self.changes()],
            "lowered": [self.changes(reason="annual_review"),
                        self.changes(from_tier_id=False)],
            "review_opened": [
                self.changes("proposed", "annual_review",
                             review_deadline=fields.Date.today()),
                self.changes("proposed", "annual_review")],
            "granted": [self.changes(valid_until="2027-12-31"), self.changes()],
            "refused": [self.changes("refused", "points")],
        }
        self.assertEqual(set(cases), set(STATUS_MAIL_TEMPLATES))
        for kind, batches in sorted(cases.items()):
            template = self.env.ref(STATUS_MAIL_TEMPLATES[kind])
            for changes in batches:
                changes.invalidate_cache()
                mails = self.assert_as_generate_email(
                    template, changes,
                    {change.id: change.partner_id.id for change in changes})
                if kind == "review_opened":
                    french = mails.filtered(
                        lambda mail: mail.recipient_ids.lang == FRENCH)[0]
                    valid_until = fields.Date.from_string(
                        french.recipient_ids.ambassador_tier_valid_until)
                    self.assertIn(valid_until.strftime("%d/%m/%Y"),
                                  french.body_html, "the date as French write it")
        zoe = self.partners[0]
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", zoe.ids)], order="id desc", limit=1)
        self.assertIn("Zoé &lt;b&gt;O'Brien&lt;/b&gt; &amp; \"Co\"", mail.body_html,
                      "the name escaped in the body")
        base_url = self.env["ir.config_parameter"].get_param("web.base.url")
        self.assertIn('href="%s/web/login?redirect=/my/ambassador"' % base_url,
                      mail.body_html)

    def test_proof_templates(self):
        proofs = self.Proof
        for partner in self.partners:
            proofs |= self.make_proof(partner, name="Article <i>%s</i> & co" %
                                      partner.name)
        recipients = {proof.id: proof.partner_id.id for proof in proofs}
        for xmlid in ("mail_template_proof_approved",
                      "mail_template_proof_rejected",
                      "mail_template_proof_email_unconfirmed"):
            proofs.invalidate_cache()
            self.assert_as_generate_email(
                self.env.ref("ambassador_program." + xmlid), proofs, recipients)

    def test_event_invitation(self):
        """The invitation (on res.partner, context values, Babel dates)."""
        event = self.env["event.event"].create({
            "name": "Ambassadors' <evening> & more",
            "date_begin": "2027-03-05 17:30:00",
            "date_end": "2027-03-05 20:00:00",
            "date_tz": "Europe/Paris",
        })
        event.with_context(lang=FRENCH).name = "Soirée <des> ambassadeurs"
        self.partners.invalidate_cache()
        self.assert_as_generate_email(
            self.env.ref("ambassador_program.mail_template_event_invitation"),
            self.partners, {partner.id: partner.id for partner in self.partners},
            ambassador_event_id=event.id, ambassador_event=event,
            ambassador_registration_url="https://mycity.example/event/1?a=1&b=2",
            use_babel=True)

    def test_reconfirmation_template(self):
        requests = self.env["ambassador.reconfirmation"].sudo()
        for partner in self.partners:
            requests |= requests.create({"partner_id": partner.id})
        urls = {request.id: "https://mycity.example/reconfirm?token=%d&x=<1>"
                % request.id for request in requests}
        self.assert_as_generate_email(
            self.env.ref("ambassador_program.mail_template_reconfirmation"),
            requests, {request.id: request.partner_id.id for request in requests},
            reconfirm_urls=urls)
