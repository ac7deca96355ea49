# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The map of the personal data the programme holds on a person (GDPR
articles 15, 17 and 20): every table, how it reaches the contact, what the
export shows and what erasure does with it. Export and erasure both walk
``PERSONAL_DATA``; readme/PRIVACY.rst says why each choice."""
import logging
from collections import namedtuple

from odoo import _, api, fields, models

from .authority import as_engine

_logger = logging.getLogger(__name__)

# One table of the map. ``link``: the field reaching the contact (res.partner
# ids); ``export``: the fields the export shows; ``erase``: what erasure does
# (see AmbassadorPersonalData._erase_* and readme/PRIVACY.rst).
Table = namedtuple("Table", "key model link export erase")

PROFILE_FIELDS = [
    "name", "email", "phone", "mobile", "street", "street2", "zip", "city",
    "state_id", "country_id", "website", "function", "lang", "company_name",
    "parent_id", "ambassador_state", "ambassador_segment_id", "ambassador_tier_id",
    "ambassador_tier_valid_until", "ambassador_balance", "ambassador_signup_date",
    "ambassador_since", "ambassador_left_date", "ambassador_institution",
    "ambassador_research_field", "ambassador_organisation", "ambassador_activity",
    "ambassador_territory_link", "ambassador_motivation", "ambassador_testimonial",
    "ambassador_skill_ids", "ambassador_language_ids",
    "ambassador_network_country_ids", "ambassador_consent_newsletter",
    "ambassador_consent_wall", "ambassador_show_email", "ambassador_show_phone",
    "ambassador_show_company", "ambassador_show_city", "ambassador_show_skills",
    "ambassador_consent_leaderboard", "ambassador_charter_id", "create_date",
    # Referrals: who referred the person (its name), its own link's code and
    # the network (not the address) of its last sign-in.
    "ambassador_referrer_id", "ambassador_referral_code",
    "ambassador_signin_network", "ambassador_signin_date",
    # Introductions: how many requests a quarter, for what, only through them.
    "ambassador_intro_quota", "ambassador_intro_purpose_ids",
    "ambassador_intro_only",
]

PERSONAL_DATA = [
    Table("profile", "res.partner", "id", PROFILE_FIELDS, "anonymise"),
    # Addresses (delivery, invoice) the person added under its contact.
    Table("addresses", "res.partner", "parent_id",
          ["type", "name", "email", "phone", "street", "street2", "zip", "city",
           "country_id"], "anonymise"),
    Table("portal_users", "res.users", "partner_id",
          ["login", "create_date", "login_date", "active"], "deactivate"),
    Table("consents", "ambassador.consent", "partner_id",
          ["date", "purpose", "granted", "channel", "legal_basis", "ip_address",
           "reason"], "strip"),
    Table("charter_acceptances", "ambassador.charter.acceptance", "partner_id",
          ["date", "charter_id", "version", "channel", "ip_address", "user_agent"],
          "strip"),
    Table("signup_requests", "ambassador.signup.request", "partner_id",
          ["create_date", "segment_id", "email", "state", "ip_address",
           "user_agent", "confirmed_date", "confirmed_ip", "referrer_id"], "delete"),
    Table("proofs", "ambassador.proof", "partner_id",
          ["create_date", "name", "rule_id", "channel", "state", "description",
           "url", "press_media", "press_country_id", "press_language",
           "press_date", "rejection_reason", "decision_date"], "anonymise"),
    Table("ledger", "ambassador.point.transaction", "partner_id",
          ["date", "segment_id", "rule_id", "points", "origin", "note",
           "proof_id", "event_id", "reversed_transaction_id"], "keep"),
    # The committee's deliberations (committee_notes) and who decided stay
    # out of the export (SPEC 2.6); erasure clears the notes.
    Table("status_history", "ambassador.promotion", "partner_id",
          ["create_date", "from_tier_id", "to_tier_id", "reason", "state",
           "balance", "decision_date", "review_deadline", "valid_until"], "strip"),
    # reported_by names a third person: not exported, cleared by erasure.
    Table("incidents", "ambassador.incident", "partner_id",
          ["date", "name", "category", "description", "sanction", "state",
           "decision_date"], "anonymise"),
    Table("event_registrations", "event.registration", "partner_id",
          ["create_date", "event_id", "name", "email", "phone", "state",
           "date_open", "date_closed"], "anonymise"),
    Table("mailing_contacts", "mail.mass_mailing.contact", "ambassador_partner_id",
          ["create_date", "name", "email", "list_ids", "opt_out"], "delete"),
    Table("directory_views_made", "ambassador.directory.view", "partner_id",
          ["date", "profile_count", "search_term"], "delete"),
    # Who looked is another ambassador's data: the date and the page only.
    Table("directory_views_received", "ambassador.directory.view", "profile_ids",
          ["date", "profile_count"], "unlink"),
    # The re-confirmation e-mail of an imported ambassador (a hashed token).
    Table("reconfirmations", "ambassador.reconfirmation", "partner_id",
          ["create_date", "state", "expiration", "confirmed_date"], "delete"),
    # The programme messages sent to the person, and those the contact cap
    # deferred (counted for the cap, shown in the deferral report).
    Table("programme_messages", "ambassador.message.log", "partner_id",
          ["date", "channel", "priority", "state", "reason", "mass_mailing_id"],
          "delete"),
    # The import that brought the person in: erasure takes the person out of
    # the job's list and drops the job's source file, which named it.
    Table("imports", "ambassador.import.job", "partner_ids",
          ["name", "create_date", "finished_date"], "unlink"),
    # Missions taken (issue 14): erasure clears the answers and closes what
    # waited (the ledger lines they earned stay, as every ledger line).
    Table("mission_participations", "ambassador.mission.participation",
          "partner_id", ["create_date", "mission_id", "state", "survey_answer",
                         "date_proved", "points_awarded"], "strip"),
    # The person's own referral (who brought it in, the checks' outcome):
    # kept by erasure, like the ledger line of the referrer it explains; it
    # holds no identity once the contact is erased.
    Table("referral", "ambassador.referral", "referee_id",
          ["create_date", "referrer_id", "segment_id", "state", "activation_date",
           "flag_same_email", "flag_disposable_domain", "flag_same_address",
           "flag_same_network"], "keep"),
    # The personal share links (issue 14): kept with the anonymous contact,
    # the ledger's share lines refer to them; their clicks are the visitors'.
    Table("share_links", "ambassador.share.link", "partner_id",
          ["create_date", "kit_id", "clicks_awarded", "last_award_date"], "keep"),
    # The outcomes attributed to the person (issue 15): the outcome's
    # figures are the agency's and stay; the line stays with the anonymous
    # contact, so that nothing in it names the person any more.
    Table("outcome_attributions", "ambassador.outcome.attribution", "partner_id",
          ["outcome_id", "share"], "keep"),
    # Introductions (issue 15) the person asked for or was asked for: the
    # other side by its name only; erasure deletes them (an abuse report's
    # incident stays, about the requester, as every incident).
    Table("introductions_sent", "ambassador.introduction", "requester_id",
          ["date_requested", "recipient_id", "purpose_id", "message", "state",
           "date_answered"], "delete"),
    Table("introductions_received", "ambassador.introduction", "recipient_id",
          ["date_requested", "requester_id", "purpose_id", "message", "state",
           "date_answered", "abuse_reason"], "delete"),
    # Leads the person passed on (issue 15): the agency's leads stay, linked
    # to the anonymous contact (the ledger's lead lines refer to them). A
    # lead never holds the ambassador's own address (an e-mailed one drops
    # the sender's: crm.lead.message_new); the e-mail itself is the
    # person's message, erased as such.
    Table("leads", "crm.lead", "ambassador_partner_id",
          ["create_date", "name", "ambassador_lead_kind", "country_id",
           "ambassador_status"], "keep"),
]

# Fields of the addon's models that point to a contact or a user without being
# about the person of the map (the staff who decided, recorded, logged...).
# With PERSONAL_DATA's links, every such field of the addon is accounted for
# (tests/test_privacy.py fails on a new one).
NOT_THE_PERSON = {
    ("ambassador.consent", "user_id"): "staff or user who recorded the change",
    ("ambassador.proof", "decided_by_id"): "staff who decided",
    ("ambassador.promotion", "decided_by_id"): "committee member who decided",
    ("ambassador.incident", "decided_by_id"): "staff who decided",
    ("ambassador.directory.view", "user_id"):
        "the viewer's account (its partner_id is the map's link)",
    ("ambassador.point.award.wizard", "partner_id"): "transient wizard",
    ("ambassador.consent.wizard", "partner_id"): "transient wizard",
    ("ambassador.erase.wizard", "partner_id"): "transient wizard",
    ("ambassador.promotion", "partner_skill_ids"): "related, not stored",
    # The referrer is another person: named (by its name only) in the
    # referee's data; its own side of a referral is its ledger line.
    ("ambassador.referral", "referrer_id"): "the referrer of the person",
    ("ambassador.signup.request", "referrer_id"): "the referrer of the person",
    ("res.partner", "ambassador_referrer_id"): "the referrer of the person",
    ("ambassador.share.click.report", "partner_id"):
        "SQL view of the share links' clicks (the links are mapped)",
    ("ambassador.outcome", "user_id"): "staff who follows the outcome up",
    ("ambassador.value.press.report", "partner_id"):
        "SQL view of the press proofs (the proofs are mapped)",
}

# Contact fields cleared by erasure (SQL, so that no tracking copies them).
CLEARED_PARTNER_COLUMNS = [
    "email", "phone", "mobile", "street", "street2", "zip", "city", "state_id",
    "country_id", "website", "function", "title", "comment", "vat", "ref",
    "barcode", "company_name", "commercial_company_name", "parent_id",
    "signup_token", "signup_type", "signup_expiration", "invoice_warn_msg",
    "sale_warn_msg", "website_meta_title", "website_meta_description",
    "website_meta_keywords", "website_description", "website_short_description",
    "ambassador_institution", "ambassador_research_field",
    "ambassador_organisation", "ambassador_activity", "ambassador_territory_link",
    "ambassador_motivation", "ambassador_testimonial",
    "ambassador_referral_code", "ambassador_signin_network",
    "ambassador_signin_date",
]
FALSE_PARTNER_COLUMNS = [
    "ambassador_consent_newsletter", "ambassador_consent_wall",
    "ambassador_show_email", "ambassador_show_phone", "ambassador_show_company",
    "ambassador_show_city", "ambassador_show_skills", "website_published",
    "ambassador_intro_only",
]
PARTNER_RELATIONS = [
    ("ambassador_skill_partner_rel", "partner_id"),
    ("ambassador_lang_partner_rel", "partner_id"),
    ("ambassador_network_country_rel", "partner_id"),
    ("ambassador_intro_purpose_partner_rel", "partner_id"),
]
# Records whose chatter is about the person (besides its contact).
THREAD_TABLES = ["addresses", "signup_requests", "proofs", "incidents",
                 "status_history", "event_registrations", "mailing_contacts",
                 "mission_participations",
                 # The introductions' e-mails name both sides.
                 "introductions_sent", "introductions_received"]
MESSAGE_FIELDS = ["date", "model", "res_id", "message_type", "subject", "body"]


class AmbassadorPersonalData(models.AbstractModel):
    """Export and erasure of a person's data, walking PERSONAL_DATA. The
    callers check who asks (res_partner_privacy.py, controllers/privacy.py);
    everything here reads and writes as the superuser."""

    _name = "ambassador.personal.data"
    _description = "Ambassador Personal Data"

    @api.model
    def _tables(self):
        return PERSONAL_DATA

    @api.model
    def _records(self, table, partners):
        """The records of ``table`` about ``partners`` (one search)."""
        Model = self.env[table.model].sudo().with_context(active_test=False)
        if table.link == "id":
            return Model.browse(partners.ids)
        return Model.search([(table.link, "in", partners.ids)])

    # ------------------------------------------------------------------
    # Export (articles 15 and 20)
    # ------------------------------------------------------------------
    @api.model
    def _export(self, partner):
        """Everything the map holds on ``partner``, as JSON-ready data; files
        base64-encoded inside (one self-contained document)."""
        partner.ensure_one()
        data = {
            "format": "ambassador_program.personal_data/1",
            "generated": fields.Datetime.now(),
            "partner_id": partner.id,
        }
        found = {}
        for table in self._tables():
            records = self._records(table, partner)
            found[table.key] = records
            data[table.key] = self._rows(records, table.export)
        # The photo and the proofs' files, content included.
        photo = partner.sudo().image
        data["profile"][0]["photo_base64"] = (
            photo.decode("ascii") if isinstance(photo, bytes) else photo) or None
        data["files"] = self._files(found["proofs"])
        messages = self._messages(partner, found)
        data["messages"] = self._rows(messages, MESSAGE_FIELDS)
        tracking = self.env["mail.tracking.value"].sudo().search(
            [("mail_message_id", "in", messages.ids)])
        data["tracking_values"] = self._rows(
            tracking, ["mail_message_id", "field_desc", "old_value_char",
                       "new_value_char", "old_value_text", "new_value_text"])
        return data

    @api.model
    def _rows(self, records, names):
        """[{id, field: value}] with relations as their names (what a person
        reads), dates as text."""
        rows = []
        for record in records:
            row = {"id": record.id}
            for name in names:
                field = record._fields[name]
                value = record[name]
                if field.type == "many2one":
                    value = value.display_name if value else None
                elif field.type in ("one2many", "many2many"):
                    value = value.mapped("display_name")
                elif field.type == "selection":
                    labels = dict(field._description_selection(self.env))
                    value = labels.get(value, value) if value else None
                elif value is False and field.type != "boolean":
                    value = None
                row[name] = value
            rows.append(row)
        return rows

    @api.model
    def _files(self, proofs):
        Attachment = self.env["ir.attachment"].sudo()
        files = Attachment.search(
            ["|", ("id", "in", proofs.mapped("attachment_ids").ids),
             "&", ("res_model", "=", "ambassador.proof"),
             ("res_id", "in", proofs.ids or [0])])
        result = []
        for attachment in files:
            content = attachment.datas
            result.append({
                "id": attachment.id,
                "name": attachment.datas_fname or attachment.name,
                "mimetype": attachment.mimetype,
                "proof_ids": [p.id for p in proofs if attachment in p.attachment_ids]
                or [attachment.res_id],
                "content_base64": (content.decode("ascii")
                                   if isinstance(content, bytes) else content),
            })
        return result

    @api.model
    def _messages(self, partners, found):
        """Chatter messages about ``partners``: on their contact and on their
        records of THREAD_TABLES, written by them or addressed to them."""
        threads = [("res.partner", partners.ids)] + [
            (found[key]._name, found[key].ids)
            for key in THREAD_TABLES if found[key]]
        # E-mails to the person (its recipients, not always the message's).
        mailed = self.env["mail.mail"].sudo().search(
            [("recipient_ids", "in", partners.ids)]).mapped("mail_message_id")
        domain = ["|", "|", ("id", "in", mailed.ids),
                  ("author_id", "in", partners.ids),
                  ("partner_ids", "in", partners.ids)]
        for model, ids in threads:
            domain = ["|", "&", ("model", "=", model), ("res_id", "in", ids)] + domain
        return self.env["mail.message"].sudo().search(domain, order="id")

    # ------------------------------------------------------------------
    # Erasure (article 17)
    # ------------------------------------------------------------------
    @api.model
    def _erase(self, partners):
        """Anonymise ``partners`` in every table of the map: a fixed number of
        statements, whatever the number of partners. The contact rows stay,
        as "Erased ambassador #<id>", holding the ledger (append-only: its
        sums stay right), orders and statistics."""
        if not partners:
            return 0
        partners = partners.sudo().with_context(active_test=False)
        # An employee's contact is its account's identity: managed in Settings,
        # never erased here (the retention job may pass one who was also an
        # ambassador).
        employees = partners.filtered(
            lambda partner: partner.user_ids.filtered(lambda user: not user.share))
        if employees:
            _logger.warning("Not erased, employees' contacts: %s", employees.ids)
            partners -= employees
        if not partners:
            return 0
        cr = self.env.cr
        found = {table.key: self._records(table, partners)
                 for table in self._tables()}
        # Identities, taken before they go, to scrub their copies elsewhere.
        people = partners | found["addresses"]
        names = [n for n in people.mapped("name") if n]
        emails = [e.strip().lower() for e in people.mapped("email") if e]
        emails += [u.login.lower() for u in found["portal_users"]]
        phones = [p for p in people.mapped("phone") + people.mapped("mobile") if p]
        messages = self._messages(partners, found)
        self._erase_messages(messages, names + emails + phones)
        self._erase_files(partners, found, messages)
        self._erase_tables(found, emails)
        self._erase_users(found["portal_users"])
        self._erase_partners(partners, found["addresses"])
        self.invalidate_cache()
        # The mailing lists and the pricelist follow the new state (left, no
        # consent); the mailing contacts themselves are gone.
        as_engine(self.env["ambassador.status.engine"])._sync_benefits(
            partners.filtered("ambassador_state"),
            {"ambassador_state", "ambassador_consent_newsletter"})
        cr.execute(
            "DELETE FROM mail_mass_mailing_contact WHERE ambassador_partner_id IN %s",
            (tuple(partners.ids),))
        self.invalidate_cache()
        return len(partners)

    @api.model
    def _erase_messages(self, messages, identities):
        cr = self.env.cr
        erased = _("(erased)")
        if messages:
            ids = tuple(messages.ids)
            cr.execute(
                """UPDATE mail_message SET body = %s, subject = NULL,
                   record_name = NULL, email_from = NULL, reply_to = NULL
                   WHERE id IN %s""", ("<p>%s</p>" % erased, ids))
            cr.execute(
                """UPDATE mail_tracking_value SET old_value_char = NULL,
                   new_value_char = NULL, old_value_text = NULL,
                   new_value_text = NULL WHERE mail_message_id IN %s""", (ids,))
            # Mails not sent yet to or about the person: never sent now.
            cr.execute("DELETE FROM mail_mail WHERE mail_message_id IN %s", (ids,))
        if identities:
            likes = ["%%%s%%" % value.lower() for value in identities]
            # Mails to the address not tied to those messages, and the live
            # notifications (bus) that named the person.
            cr.execute("DELETE FROM mail_mail WHERE lower(email_to) LIKE ANY(%s) "
                       "OR lower(email_cc) LIKE ANY(%s)", (likes, likes))
            cr.execute("DELETE FROM bus_bus WHERE lower(message) LIKE ANY(%s)",
                       (likes,))
            # Tracking on other records that copied a name, e-mail or phone
            # (a proof's or registration's contact, for instance).
            patterns = list(identities)
            for column in ("old_value_char", "new_value_char"):
                cr.execute(
                    "UPDATE mail_tracking_value SET {col} = %s "
                    "WHERE lower({col}) = ANY(%s)".format(col=column),
                    (erased, [p.lower() for p in patterns]))

    @api.model
    def _erase_files(self, partners, found, messages):
        """The photo (attachments of the contact's image fields), the proofs'
        files, files attached to the contact or to the scrubbed messages."""
        Attachment = self.env["ir.attachment"].sudo()
        proofs = found["proofs"]
        domain = [
            "|", "|", "|",
            "&", ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            "&", ("res_model", "=", "ambassador.proof"),
            ("res_id", "in", proofs.ids or [0]),
            ("id", "in", proofs.mapped("attachment_ids").ids),
            ("id", "in", messages.mapped("attachment_ids").ids),
        ]
        # res_field in the domain: the image fields' attachments are searched too.
        files = Attachment.search(domain + ["|", ("res_field", "=", False),
                                            ("res_field", "!=", False)])
        files.unlink()

    @api.model
    def _erase_tables(self, found, emails):
        cr = self.env.cr
        erased = _("(erased)")
        # The sign-up quotas' locks named after the person's networks (a lock
        # only serialises requests: dropping one is harmless).
        cr.execute("DELETE FROM ambassador_quota_lock WHERE key = ANY(%s)", ([
            "signup_ip:%s" % key for key in
            found["signup_requests"].mapped("rate_limit_key") if key],))
        for key in ("signup_requests", "directory_views_made", "mailing_contacts",
                    "reconfirmations"):
            found[key].unlink()
        # Introductions: unlink() as superuser (their write() is the engine's
        # only, their deletion is not); the other side loses them too.
        (found["introductions_sent"] | found["introductions_received"]).unlink()
        # sudo: managers' import files, read by nobody else (the caller
        # checked who asks for the erasure).
        self.env["ir.attachment"].sudo().search([
            ("res_model", "=", "ambassador.import.job"), ("res_field", "=", "file"),
            ("res_id", "in", found["imports"].ids)]).unlink()
        # Sign-up requests of the address that never reached the contact, and
        # the quota locks named after the address or the sign-up networks.
        if emails:
            cr.execute("DELETE FROM ambassador_signup_request WHERE lower(email) "
                       "= ANY(%s)", (emails,))
            cr.execute("DELETE FROM mail_mass_mailing_contact WHERE lower(email) "
                       "= ANY(%s)", (emails,))
            cr.execute("DELETE FROM ambassador_quota_lock WHERE key = ANY(%s)",
                       (["signup_email:%s" % email for email in emails],))
        partner_ids = tuple(found["profile"].ids)
        cr.execute("DELETE FROM ambassador_directory_view_profile_rel "
                   "WHERE partner_id IN %s", (partner_ids,))
        cr.execute("DELETE FROM ambassador_import_job_partner_rel "
                   "WHERE partner_id IN %s", (partner_ids,))
        cr.execute("UPDATE ambassador_consent SET ip_address = NULL, reason = NULL "
                   "WHERE partner_id IN %s", (partner_ids,))
        cr.execute("UPDATE ambassador_charter_acceptance SET ip_address = NULL, "
                   "user_agent = NULL WHERE partner_id IN %s", (partner_ids,))
        # What waited for a decision is closed: nobody reviews an erased
        # person's proposal or proof (the queues' counts follow).
        cr.execute(
            """UPDATE ambassador_promotion SET committee_notes = NULL,
               state = CASE WHEN state = 'proposed' THEN 'refused' ELSE state END
               WHERE partner_id IN %s""", (partner_ids,))
        cr.execute(
            """UPDATE ambassador_proof SET name = %s, description = NULL,
               url = NULL, press_media = NULL, press_language = NULL,
               rejection_reason = NULL,
               state = CASE WHEN state IN ('submitted', 'unconfirmed')
                            THEN 'rejected' ELSE state END
               WHERE partner_id IN %s""",
            (erased, partner_ids))
        cr.execute(
            """UPDATE ambassador_mission_participation SET survey_answer = NULL,
               state = CASE WHEN state IN ('taken', 'submitted')
                            THEN 'cancelled' ELSE state END
               WHERE partner_id IN %s""", (partner_ids,))
        cr.execute(
            """UPDATE ambassador_incident SET description = NULL,
               reported_by = NULL, name = %s WHERE partner_id IN %s""",
            (erased, partner_ids))
        cr.execute(
            """UPDATE event_registration SET name = %s || partner_id, email = NULL,
               phone = NULL WHERE partner_id IN %s""",
            (_("Erased ambassador #"), partner_ids))

    @api.model
    def _erase_users(self, users):
        """Deactivated, login replaced, password and signature gone: the
        account no longer logs in (its session token changes with them)."""
        if not users:
            return
        self.env.cr.execute(
            """UPDATE res_users SET active = false,
               login = 'erased-' || id || '@invalid', password = NULL,
               password_crypt = NULL, signature = NULL WHERE id IN %s""",
            (tuple(users.ids),))

    @api.model
    def _erase_partners(self, partners, addresses):
        cr = self.env.cr
        today = fields.Date.context_today(self)
        for rows, label, active in ((partners, _("Erased ambassador #"), True),
                                    (addresses, _("Erased address #"), False)):
            if not rows:
                continue
            ids = tuple(rows.ids)
            cleared = ", ".join("%s = NULL" % column
                                for column in CLEARED_PARTNER_COLUMNS)
            unset = ", ".join("%s = false" % column for column in FALSE_PARTNER_COLUMNS)
            cr.execute(
                """UPDATE res_partner SET name = %s || id, display_name = %s || id,
                   {cleared}, {unset}, active = active AND %s
                   WHERE id IN %s""".format(cleared=cleared, unset=unset),
                (label, label, active, ids))
        ids = tuple(partners.ids)
        # A placeholder stays a (left) ambassador: counts by segment and tier,
        # the ledger's sums and the balance stay right.
        cr.execute(
            """UPDATE res_partner SET ambassador_state = 'left',
               ambassador_left_date = COALESCE(ambassador_left_date, %s)
               WHERE id IN %s AND ambassador_state IS NOT NULL""", (today, ids))
        cr.execute("UPDATE res_partner SET ambassador_erased_date = %s WHERE id IN %s",
                   (today, ids))
        for table, column in PARTNER_RELATIONS:
            cr.execute("DELETE FROM {table} WHERE {column} IN %s".format(
                table=table, column=column), (ids,))
        cr.execute("DELETE FROM mail_followers WHERE partner_id IN %s", (ids,))

    @api.model
    def _export_titles(self):
        """The export's section titles, in the reader's language."""
        return {
            "profile": _("Profile"),
            "addresses": _("Addresses"),
            "portal_users": _("Account"),
            "consents": _("Consent log"),
            "charter_acceptances": _("Charter acceptances"),
            "signup_requests": _("Sign-up requests"),
            "proofs": _("Proofs"),
            "ledger": _("Points ledger"),
            "status_history": _("Status history"),
            "incidents": _("Incidents"),
            "event_registrations": _("Event registrations"),
            "mailing_contacts": _("Mailing list memberships"),
            "directory_views_made": _("Directory pages you opened"),
            "directory_views_received": _("Directory pages that showed you"),
            "reconfirmations": _("Re-confirmation e-mails"),
            "imports": _("Imports from the former programme"),
            "programme_messages": _("Programme messages sent or deferred"),
            "mission_participations": _("Missions"),
            "referral": _("Referral"),
            "share_links": _("Personal share links"),
            "outcome_attributions": _("Outcomes attributed to you"),
            "introductions_sent": _("Introductions requested"),
            "introductions_received": _("Introduction requests received"),
            "leads": _("Leads passed on to the agency"),
            "messages": _("Messages"),
        }
