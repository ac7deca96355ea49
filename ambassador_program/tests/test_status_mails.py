"""Status changes reach the ambassador by e-mail, in its language (issue 11):
a tier reached by points, a committee decision, a yearly review opening or
lapsing, a proof approved or rejected. E-mails are queued (mail.mail) by batch
and language; tests/test_mail_delivery.py reads them delivered."""
from odoo import fields
from odoo.tools.safe_eval import safe_eval

from ..models.authority import as_engine
from .common import AmbassadorCase, ensure_french

FRENCH = "fr_FR"


class TestStatusMails(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestStatusMails, cls).setUpClass()
        ensure_french(cls.env)
        cls.env.user.company_id.email = "ambassadors@mycity.example"
        cls.base_url = cls.env["ir.config_parameter"].get_param("web.base.url")
        cls.Engine = cls.env["ambassador.status.engine"]

    def mails_to(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id")

    def assert_programme_mail(self, mail, partner):
        self.assertEqual(mail.recipient_ids, partner, "one recipient each")
        sender = "%s <ambassadors@mycity.example>" % self.env.user.company_id.name
        self.assertEqual(mail.email_from, sender)
        self.assertEqual(mail.reply_to, sender)
        self.assertIn(
            'href="%s/web/login?redirect=/my/ambassador"' % self.base_url,
            mail.body_html, "an absolute link to the ambassador space")

    def french_ambassador(self, name, **vals):
        return self.make_ambassador(name, lang=FRENCH, **vals)

    def test_silver_by_points_in_each_language(self):
        """One evaluation moves a French and an English ambassador: each reads
        its own language, tier name included, and nobody else gets a mail."""
        amelie = self.french_ambassador("Amelie Argent")
        john = self.make_ambassador("John Silver", lang="en_US")
        before = self.env["mail.mail"].search([]).ids
        self.Ledger._award([
            {"partner_id": partner.id, "points": 20, "origin": "manual",
             "note": "Test"}
            for partner in (amelie | john)
        ])
        self.assertEqual((amelie | john).mapped("ambassador_tier_id"), self.silver)
        new = self.env["mail.mail"].search([("id", "not in", before)])
        self.assertEqual(new.mapped("recipient_ids"), amelie | john)
        french, english = self.mails_to(amelie), self.mails_to(john)
        self.assertEqual(len(french), 1)
        self.assertEqual(len(english), 1)
        silver_fr = self.silver.with_context(lang=FRENCH).name
        self.assertEqual(french.subject,
                         "Vous êtes désormais ambassadeur %s" % silver_fr)
        self.assertIn("Félicitations", french.body_html)
        self.assertEqual(english.subject, "You are now a Silver ambassador")
        self.assertIn("Congratulations", english.body_html)
        for mail, partner in ((french, amelie), (english, john)):
            self.assert_programme_mail(mail, partner)
            self.assertEqual((mail.model, mail.res_id), (
                "ambassador.promotion",
                partner.ambassador_promotion_ids.filtered(
                    lambda p: p.to_tier_id == self.silver).id))

    def test_no_mail_without_a_usable_address_or_when_silenced(self):
        nomail = self.make_ambassador("Nomail Person", email=False)
        bad = self.make_ambassador("Bad Address", email="not-an-address")
        silent = self.make_ambassador("Silent Import")
        before = self.env["mail.mail"].search([]).ids
        award = [{"partner_id": p.id, "points": 20, "origin": "manual", "note": "T"}
                 for p in (nomail | bad)]
        self.Ledger._award(award)
        self.assertEqual((nomail | bad).mapped("ambassador_tier_id"), self.silver)
        self.Ledger.with_context(ambassador_status_mail=False)._award(
            [{"partner_id": silent.id, "points": 20, "origin": "manual",
              "note": "Import"}])
        self.assertEqual(silent.ambassador_tier_id, self.silver)
        self.assertFalse(self.env["mail.mail"].search([("id", "not in", before)]))

    def test_points_lost_lowered_mail(self):
        pam = self.french_ambassador("Pam Baisse", points=20)
        self.assertEqual(pam.ambassador_tier_id, self.silver)
        pam.ambassador_transaction_ids.action_reverse("Entered by mistake")
        mail = self.mails_to(pam)[-1]
        self.assertEqual(
            mail.subject, "Votre statut d'ambassadeur est désormais %s"
            % self.ivory.with_context(lang=FRENCH).name)
        self.assert_programme_mail(mail, pam)

    def gold_proposal(self, partner):
        return self.Promotion.search(
            [("partner_id", "=", partner.id), ("state", "=", "proposed")])

    def test_committee_decisions(self):
        gaelle = self.french_ambassador("Gaelle Or", points=120)
        gordon = self.make_ambassador("Gordon Gold", points=120, lang="en_US")
        proposals = self.gold_proposal(gaelle) | self.gold_proposal(gordon)
        self.assertEqual(len(proposals), 2)
        self.assertFalse(
            self.mails_to(gaelle).filtered(lambda m: "comité" in (m.subject or "")),
            "a proposal is the committee's business until it decides")
        before = self.env["mail.mail"].search([]).ids
        self.gold_proposal(gaelle).sudo(self.committee_user).action_approve()
        self.gold_proposal(gordon).sudo(self.committee_user).action_refuse()
        new = self.env["mail.mail"].search([("id", "not in", before)])
        self.assertEqual(new.mapped("recipient_ids"), gaelle | gordon)
        granted = new.filtered(lambda m: m.recipient_ids == gaelle)
        gold_fr = self.gold.with_context(lang=FRENCH).name
        self.assertEqual(granted.subject,
                         "Le comité vous a accordé le statut %s" % gold_fr)
        valid_until = fields.Date.from_string(gaelle.ambassador_tier_valid_until)
        self.assertIn(valid_until.strftime("%d/%m/%Y"), granted.body_html,
                      "the date as French write it")
        refused = new.filtered(lambda m: m.recipient_ids == gordon)
        self.assertEqual(refused.subject,
                         "The committee's decision on the Gold status")
        for mail in new:
            self.assert_programme_mail(mail, mail.recipient_ids)

    def test_yearly_review_opening_and_refusal(self):
        rita = self.french_ambassador("Rita Revue", points=120)
        self.gold_proposal(rita).sudo(self.committee_user).action_approve()
        end = fields.Date.from_string(fields.Date.context_today(rita))
        self.Engine._set_validity(rita, fields.Date.to_string(end))
        before = self.env["mail.mail"].search([]).ids
        review = self.Engine._open_reviews().filtered(
            lambda r: r.partner_id == rita)
        opened = self.env["mail.mail"].search([("id", "not in", before)])
        self.assertEqual(opened.mapped("recipient_ids"), rita)
        gold_fr = self.gold.with_context(lang=FRENCH).name
        self.assertEqual(
            opened.subject,
            "Votre statut %s arrive à sa revue annuelle" % gold_fr)
        deadline = fields.Date.from_string(review.review_deadline)
        self.assertIn(deadline.strftime("%d/%m/%Y"), opened.body_html)
        self.assert_programme_mail(opened, rita)
        before = self.env["mail.mail"].search([]).ids
        review.sudo(self.committee_user).action_refuse()
        lowered = self.env["mail.mail"].search([("id", "not in", before)])
        self.assertEqual(len(lowered), 1, "the fall-back's e-mail tells it")
        self.assertEqual(
            lowered.subject, "Votre statut d'ambassadeur est désormais %s"
            % self.silver.with_context(lang=FRENCH).name)

    def test_proof_decisions(self):
        paul = self.french_ambassador("Paul Preuve")
        approved = self.make_proof(paul, self.rule_partnership, name="Salon")
        rejected = self.make_proof(paul, self.rule_partnership, name="Blog")
        before = self.env["mail.mail"].search([]).ids
        approved.sudo(self.staff_user).action_approve()
        rejected.sudo(self.staff_user).action_reject("Pas de lien vers l'article")
        new = self.env["mail.mail"].search([("id", "not in", before)], order="id")
        self.assertEqual(len(new), 2, "no English notification to followers")
        self.assertEqual(new[0].subject, 'Votre justificatif « Salon » a été approuvé')
        self.assertIn("15 points", new[0].body_html)
        self.assertEqual(new[1].subject,
                         "Votre justificatif « Blog » n'a pas été accepté")
        self.assertIn("Pas de lien vers l'article", new[1].body_html)
        for mail in new:
            self.assert_programme_mail(mail, paul)
        self.assertEqual((new[0].model, new[0].res_id),
                         ("ambassador.proof", approved.id))

    def test_batch_renders_once_per_language(self):
        """Rendering is per batch and language: the queries of a mixed batch
        of 30 do not grow with its size (compared with a batch of 3)."""
        def run(count, tag):
            partners = self.Partner
            for index in range(count):
                partners |= self.make_ambassador(
                    "Batch %s %d" % (tag, index),
                    lang=FRENCH if index % 2 else "en_US")
            changes = self.Engine.with_context(ambassador_status_mail=False)\
                ._record_changes([(p.id, self.silver.id) for p in partners],
                                 "applied")
            changes = as_engine(changes)
            changes.invalidate_cache()
            queries = self.env.cr.sql_log_count
            mails = self.Engine._notify_status_changes(changes)
            self.assertEqual(len(mails), count)
            return self.env.cr.sql_log_count - queries

        small, large = run(3, "small"), run(30, "large")
        # One INSERT per mail.mail (and its message) is expected; nothing else
        # grows per ambassador.
        per_mail = (large - small) / 27.0
        self.assertLessEqual(per_mail, 12, "queries per extra e-mail")

    def test_event_invitation_in_each_language(self):
        """The invitation gives the event's name and date in the recipient's
        language (issue 11: English name and ISO date before)."""
        camille = self.french_ambassador("Camille Invitee", points=20)
        kate = self.make_ambassador("Kate Invited", points=20, lang="en_US")
        event = self.env["event.event"].create({
            "name": "Ambassadors' evening",
            "date_begin": "2027-03-05 17:30:00",
            "date_end": "2027-03-05 20:00:00",
            "date_tz": "Europe/Paris",
            "ambassador_min_tier_id": self.silver.id,
        })
        event.with_context(lang=FRENCH).name = "Soirée des ambassadeurs"
        event.action_ambassador_invite()
        french = self.mails_to(camille).filtered(lambda m: m.model == "event.event")
        english = self.mails_to(kate).filtered(lambda m: m.model == "event.event")
        self.assertEqual(french.subject, "Invitation : Soirée des ambassadeurs")
        self.assertIn("vendredi 5 mars 2027, 18:30", french.body_html)
        self.assertIn("S'inscrire", french.body_html)
        self.assertEqual(english.subject, "Invitation: Ambassadors' evening")
        self.assertIn("Friday 5 March 2027, 18:30", english.body_html)
        for mail in french | english:
            self.assertIn('href="%s/event/' % self.base_url, mail.body_html)
            self.assertEqual(mail.res_id, event.id)

    def test_newsletter_carries_list_unsubscribe(self):
        """A newsletter's e-mail leaves with a List-Unsubscribe header giving
        mass mailing's unsubscribe link for its recipient (the test mode of
        ir.mail_server builds the message and skips the SMTP exchange)."""
        mailing_list = self.env["mail.mass_mailing.list"].create({"name": "News"})
        contact = self.env["mail.mass_mailing.contact"].create({
            "name": "Nora News", "email": "nora.news@example.com",
            "list_ids": [(4, mailing_list.id)]})
        mailing = self.env["mail.mass_mailing"].create({
            "name": "Territory news", "body_html": "<p>News</p>",
            # Kept after sending: in test mode "sending" succeeds at once.
            "keep_archives": True,
            "email_from": "ambassadors@mycity.example",
            "contact_list_ids": [(6, 0, mailing_list.ids)],
            "mailing_domain": "[('list_ids', 'in', [%d])]" % mailing_list.id,
        })
        mailing.send_mail()
        mail = self.env["mail.mail"].search([("mailing_id", "=", mailing.id)])
        self.assertEqual(len(mail), 1)
        mail.auto_delete = False
        # _send: send() would first open an SMTP session, which the test mode
        # refuses; _send builds the message (test mode skips the delivery).
        mail._send()
        headers = safe_eval(mail.headers)
        url = headers["List-Unsubscribe"]
        self.assertTrue(url.startswith("<%s/mail/mailing/%d/unsubscribe?" % (
            self.base_url, mailing.id)), url)
        self.assertIn("res_id=%d" % contact.id, url)
        self.assertIn("email=nora.news%40example.com", url)
        # Other e-mails get none.
        other = self.env["mail.mail"].create({
            "subject": "Hello", "body_html": "<p>Hi</p>", "auto_delete": False,
            "email_to": "someone@example.com", "email_from": "a@example.com"})
        other._send()
        self.assertFalse(other.headers)
