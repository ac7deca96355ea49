from .common import FIXTURE_CONSENT, AmbassadorCase


class TestMailingBenefits(AmbassadorCase):
    """Segment and tier lists follow the ambassadors; programme mailings respect
    the contact-frequency cap, opt-outs and the blacklist."""

    @classmethod
    def setUpClass(cls):
        super(TestMailingBenefits, cls).setUpClass()
        ref = cls.env.ref
        cls.Lists = cls.env["mail.mass_mailing.list"]
        cls.Mailing = cls.env["mail.mass_mailing"]
        cls.list_invest = ref("ambassador_program.mailing_list_segment_invest")
        cls.list_live = ref("ambassador_program.mailing_list_segment_live")
        cls.list_ivory = ref("ambassador_program.mailing_list_tier_ivory")
        cls.list_silver = ref("ambassador_program.mailing_list_tier_silver")

    def lists_of(self, partner):
        contact = self.env["mail.mass_mailing.contact"].search(
            [("ambassador_partner_id", "=", partner.id)])
        self.assertLessEqual(len(contact), 1, "one mailing contact per ambassador")
        contact.invalidate_cache()
        return contact.list_ids

    def nightly(self):
        return self.Lists._cron_ambassador_sync_lists()

    def test_lists_reference_segments_and_tiers(self):
        self.assertEqual(self.invest.mailing_list_id, self.list_invest)
        self.assertEqual(self.silver.mailing_list_id, self.list_silver)

    def test_join_consent_promotion(self):
        ann = self.make_ambassador("Ann List", state="candidate",
                                   ambassador_consent_newsletter=True)
        self.nightly()
        self.assertFalse(self.lists_of(ann), "a candidate is not on any list")
        ann.sudo(self.staff_user).action_ambassador_activate()
        self.nightly()
        self.assertEqual(self.lists_of(ann), self.list_invest | self.list_ivory)
        # Promotion: the tier hook moves the ambassador at once.
        self.Ledger.create({"partner_id": ann.id, "points": 20, "origin": "manual"})
        self.env["ambassador.status.engine"]._evaluate(ann)
        self.assertEqual(ann.ambassador_tier_id, self.silver)
        self.assertEqual(self.lists_of(ann), self.list_invest | self.list_silver)

    def test_no_consent_no_list(self):
        bob = self.make_ambassador("Bob List", points=20)
        self.nightly()
        self.assertFalse(self.lists_of(bob))

    def test_suspension_and_consent_withdrawal(self):
        cat = self.make_ambassador("Cat List", segment=self.live,
                                   ambassador_consent_newsletter=True)
        dan = self.make_ambassador("Dan List", segment=self.live,
                                   ambassador_consent_newsletter=True)
        self.nightly()
        self.assertEqual(self.lists_of(cat), self.list_live | self.list_ivory)
        cat.sudo(self.staff_user).action_ambassador_suspend()
        dan.with_context(**FIXTURE_CONSENT).write(
            {"ambassador_consent_newsletter": False})
        # The contact's write already synced both: nothing is left to remove.
        self.assertFalse(self.lists_of(cat))
        self.assertFalse(self.lists_of(dan))
        stats = self.Lists._ambassador_sync_lists((cat | dan).ids)
        self.assertEqual(stats["removed"], 0)
        self.nightly()
        self.assertFalse(self.lists_of(cat))
        self.assertFalse(self.lists_of(dan))
        # Back again: same contact, lists restored at once.
        cat.sudo(self.staff_user).action_ambassador_activate()
        self.assertEqual(self.lists_of(cat), self.list_live | self.list_ivory)

    def test_sync_is_idempotent_and_follows_email(self):
        eve = self.make_ambassador("Eve List", ambassador_consent_newsletter=True)
        self.nightly()
        stats = self.nightly()
        self.assertEqual((stats["contacts"], stats["added"], stats["removed"]),
                         (0, 0, 0))
        eve.write({"email": "eve.new@example.com"})
        self.Lists._ambassador_sync_lists(eve.ids)
        contact = self.env["mail.mass_mailing.contact"].search(
            [("ambassador_partner_id", "=", eve.id)])
        self.assertEqual(contact.email, "eve.new@example.com")

    # ------------------------------------------------------------------
    # Contact-frequency cap
    # ------------------------------------------------------------------
    def make_mailing(self, name, mailing_list, **vals):
        values = {
            "name": name,
            "mailing_model_id": self.env.ref(
                "mass_mailing.model_mail_mass_mailing_list").id,
            "contact_list_ids": [(6, 0, mailing_list.ids)],
            "mailing_domain": "[('list_ids', 'in', [%d]), ('opt_out', '=', False)]"
            % mailing_list.id,
            "reply_to_mode": "email",
            "body_html": "<p>News of the territory</p>",
        }
        values.update(vals)
        return self.Mailing.create(values)

    def mailed(self, mailing, among):
        """Who of ``among`` the mailing reached (demo ambassadors may be on the
        same lists)."""
        self.env["mail.mail.statistics"].invalidate_cache()
        stats = self.env["mail.mail.statistics"].search(
            [("mass_mailing_id", "=", mailing.id)])
        contacts = self.env["mail.mass_mailing.contact"].browse(stats.mapped("res_id"))
        return contacts.mapped("ambassador_partner_id") & among

    def test_frequency_cap_on_the_nth_plus_one_mailing(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "4")
        # The cap counts every programme message (status e-mails, invitations
        # too): the demo's ambassadors on the list start from none here.
        self.env.cr.execute("DELETE FROM ambassador_message_log")
        fay = self.make_ambassador("Fay Cap", segment=self.visit,
                                   ambassador_consent_newsletter=True)
        gil = self.make_ambassador("Gil Cap", segment=self.visit)
        visit_list = self.visit.mailing_list_id
        self.nightly()
        for number in range(4):
            mailing = self.make_mailing("Visit news %d" % number, visit_list)
            self.assertTrue(mailing.ambassador_programme,
                            "a mailing to a programme list is a programme mailing")
            mailing.send_mail()
            self.assertEqual(self.mailed(mailing, fay | gil), fay)
            self.assertEqual(mailing.ambassador_capped_count, 0)
        gil.with_context(**FIXTURE_CONSENT).write(
            {"ambassador_consent_newsletter": True})
        self.nightly()
        fifth = self.make_mailing("Visit news 5", visit_list)
        fifth.send_mail()
        self.assertEqual(self.mailed(fifth, fay | gil), gil, "Fay reached the cap of 4")
        self.assertGreaterEqual(fifth.ambassador_capped_count, 1)
        self.assertEqual(
            fifth.ambassador_capped_count,
            self.env["mail.mass_mailing.contact"].search_count(
                [("list_ids", "in", visit_list.ids), ("opt_out", "=", False)])
            - len(self.env["mail.mail.statistics"].search(
                [("mass_mailing_id", "=", fifth.id)])),
            "every recipient left out was left out by the cap")
        # A mailing outside the programme neither counts nor is capped.
        other_list = self.Lists.create({"name": "Partners of the tourist office"})
        self.env["mail.mass_mailing.contact"].create(
            {"name": "Fay", "email": fay.email, "list_ids": [(4, other_list.id)]})
        other = self.make_mailing("Tourist office news", other_list)
        self.assertFalse(other.ambassador_programme)
        other.send_mail()
        self.assertEqual(self.env["mail.mail.statistics"].search_count(
            [("mass_mailing_id", "=", other.id)]), 1)
        # With no cap (0), Fay receives again.
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "0")
        sixth = self.make_mailing("Visit news 6", visit_list)
        sixth.send_mail()
        self.assertEqual(self.mailed(sixth, fay | gil), fay | gil)

    def test_opt_out_and_blacklist_respected(self):
        hal = self.make_ambassador("Hal Opt", segment=self.study,
                                   ambassador_consent_newsletter=True)
        ida = self.make_ambassador("Ida Opt", segment=self.study,
                                   ambassador_consent_newsletter=True)
        jon = self.make_ambassador("Jon Opt", segment=self.study,
                                   ambassador_consent_newsletter=True)
        self.nightly()
        study_list = self.study.mailing_list_id
        # Hal unsubscribed through a mailing's link; Ida's address is
        # blacklisted as a contact elsewhere (opt-out on another mailing contact).
        self.env["mail.mass_mailing.contact"].search(
            [("ambassador_partner_id", "=", hal.id)]).write({"opt_out": True})
        self.env["mail.mass_mailing.contact"].create(
            {"name": "Ida", "email": ida.email, "opt_out": True})
        mailing = self.make_mailing("Study news", study_list)
        mailing.send_mail()
        self.assertEqual(self.mailed(mailing, hal | ida | jon), jon)
        self.assertEqual(mailing.ambassador_capped_count, 0)
        # The sync never resets an opt-out.
        self.nightly()
        self.assertTrue(self.env["mail.mass_mailing.contact"].search(
            [("ambassador_partner_id", "=", hal.id)]).opt_out)
