"""E-mail as a real channel (issue 18): what an ambassador receives, read as
delivered by SMTP to the mail catcher (maildev, started by scripts/test.sh),
from the live test server. Each message is checked for its language (a French
ambassador reads French, subject included, dates and event names localised),
its link back to the site (web.base.url, and it opens), its sender and
Reply-To, and, for newsletters, the List-Unsubscribe header; nobody whose
consent or frequency cap forbids it gets a newsletter."""
import re
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from mail_catcher import Inbox, maildev_url  # noqa: F401
from test_website_browser import Rpc, shot, wait_for

FRENCH = "fr_FR"
LINK = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def rpc(odoo_url, odoo_db):
    rpc = Rpc(odoo_url, odoo_db)
    return rpc


@pytest.fixture(scope="module")
def inbox(maildev_url, rpc):  # noqa: F811
    return Inbox(maildev_url, rpc)


@pytest.fixture(scope="module")
def site(rpc):
    """What the programme's e-mails must show: the site's address and the
    programme's sender."""
    base_url = rpc("ir.config_parameter", "get_param", "web.base.url")
    company = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"]
    email = rpc("res.company", "read", [company[0]], ["email"])[0]["email"]
    assert email, "the programme's company has a sender address"
    return {"base_url": base_url.rstrip("/"), "sender": email.lower()}


def tag():
    return "%d" % (time.time() * 1000)


def ref(rpc, xmlid):
    return rpc("ir.model.data", "xmlid_to_res_id", xmlid)


def ambassador(rpc, name, lang=FRENCH, segment="invest", **values):
    email = "%s.%s@example.org" % (name.lower().replace(" ", "."), tag())
    values.update(name=name, email=email, lang=lang, ambassador_state="active",
                  ambassador_segment_id=ref(rpc, "ambassador_program.segment_%s"
                                            % segment))
    partner = rpc("res.partner", "create", values, context={
        "ambassador_consent_reason": "Test fixture: chosen by the person"})
    return partner, email


def check_programme_mail(message, site, html, odoo_url):
    """Sender and Reply-To of the programme; every link absolute on the site's
    address, and the first one opens."""
    assert message["from"][0]["address"].lower() == site["sender"], message["from"]
    assert message["replyTo"][0]["address"].lower() == site["sender"], \
        message.get("replyTo")
    links = [link for link in LINK.findall(html) if not link.startswith("mailto:")]
    assert links, html
    for link in links:
        assert link.startswith(site["base_url"] + "/"), link
    # The site's address is the test server's: the link opens there.
    response = requests.get(links[0].replace("&amp;", "&"), timeout=60)
    assert response.status_code == 200, (links[0], response.status_code)
    return links


def test_signup_confirmation_delivered_opened_once(browser, odoo_url, odoo_db, rpc,
                                                   inbox, site, screenshot_dir):
    """A French visitor signs up on /fr_FR/, reads the French e-mail in the
    inbox, follows its link and lands signed up; the link works once; an
    expired link is refused."""
    if not rpc("ambassador.charter", "search", [("state", "=", "published")]):
        charter = rpc("ambassador.charter", "create", {
            "name": "Charter", "version": "mail-%s" % tag(),
            "content": "<p>I promote the territory.</p>"})
        rpc("ambassador.charter", "action_publish", [charter])
    email = "lucie.inbox.%s@example.org" % tag()
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    browser.get(odoo_url + "/fr_FR/ambassadors/join/study")
    form = wait_for(browser, "form.o_ambassador_signup_form")
    form.find_element(By.NAME, "name").send_keys("Lucie Boîte")
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "ambassador_institution").send_keys("Université")
    form.find_element(By.NAME, "ambassador_research_field").send_keys("Glaciologie")
    Select(form.find_element(By.NAME, "country_id")).select_by_index(3)
    form.find_element(By.NAME, "charter_accepted").click()
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_signup_submit").click()
    wait_for(browser, ".o_ambassador_signup_done")

    [message] = inbox.wait(email)
    assert message["subject"] == "Confirmez votre inscription comme ambassadeur"
    html = inbox.html(message)
    assert "Bonjour Lucie Boîte" in html
    links = check_programme_mail(message, site, html, odoo_url)
    confirm = [link for link in links if "/ambassadors/confirm?token=" in link][0]
    confirm = confirm.replace("&amp;", "&")
    # The visitor clicks the link of the delivered e-mail.
    browser.get(confirm)
    wait_for(browser, ".o_ambassador_confirm_button").click()
    wait_for(browser, ".o_ambassador_set_password")
    shot(browser, screenshot_dir, "mail_signup_confirmed_fr")
    partner = rpc("res.partner", "search_read", [("email", "=", email)],
                  fields=["ambassador_state", "lang"])
    assert [(p["ambassador_state"], p["lang"]) for p in partner] == [
        ("active", FRENCH)]
    # Once only.
    again = requests.get(confirm, timeout=60)
    assert again.status_code == 410 and "o_ambassador_message" in again.text

    # An English sign-up whose link expired before it was opened.
    late = "late.inbox.%s@example.org" % tag()
    session = requests.Session()
    page = session.get(odoo_url + "/ambassadors/join/study", timeout=60)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    charter_id = re.search(r'name="charter_id" value="(\d+)"', page.text)
    country = re.search(r'<option value="(\d+)"', page.text).group(1)
    posted = session.post(odoo_url + "/ambassadors/join/study", timeout=60, data={
        "csrf_token": csrf, "name": "Late Reader", "email": late,
        "ambassador_institution": "University", "ambassador_research_field": "Ice",
        "country_id": country, "charter_accepted": "on",
        "charter_id": charter_id.group(1) if charter_id else ""})
    assert posted.status_code == 200 and "o_ambassador_signup_done" in posted.text, \
        re.findall(r'class="[^"]*invalid-feedback[^"]*"[^>]*>([^<]*)', posted.text)
    [message] = inbox.wait(late)
    assert message["subject"] == "Confirm your ambassador sign-up"
    html = inbox.html(message)
    link = re.search(r'href="([^"]*/ambassadors/confirm\?token=[^"]+)"', html).group(1)
    request_ids = rpc("ambassador.signup.request", "search", [("email", "=", late)])
    rpc("ambassador.signup.request", "write", request_ids,
        {"expiration": "2000-01-01 00:00:00"})
    expired = requests.get(link.replace("&amp;", "&"), timeout=60)
    assert expired.status_code == 410 and "o_ambassador_message" in expired.text


def test_proof_decisions_and_tier_reached(rpc, inbox, site, odoo_url):
    """Two proofs approved at once (20 points: Silver) and one rejected, for
    a French ambassador: three e-mails in French."""
    partner, email = ambassador(rpc, "Pierre Preuve")
    partnership = rpc("ambassador.point.rule", "search", [("code", "=", "partnership")])
    press = ref(rpc, "ambassador_program.rule_press_foreign_article")
    proofs = [
        rpc("ambassador.proof", "create", {
            "name": name, "partner_id": partner, "rule_id": rule,
            "press_media": "The Foreign Times",
            "press_country_id": ref(rpc, "base.uk"), "press_language": "English",
            "press_date": "2026-10-01"})
        for name, rule in (("Salon Kyoto", partnership[0]), ("Article Zeit", press),
                           ("Blog", partnership[0]))]
    rpc("ambassador.proof", "action_approve", proofs[:2])
    rpc("ambassador.proof", "action_reject", [proofs[2]], "Il manque le lien")
    messages = inbox.wait(email, count=4)
    subjects = sorted(message["subject"] for message in messages)
    assert subjects == sorted([
        "Votre justificatif « Salon Kyoto » a été approuvé",
        "Votre justificatif « Article Zeit » a été approuvé",
        "Votre justificatif « Blog » n'a pas été accepté",
        "Vous êtes désormais ambassadeur Silver",
    ]), subjects
    for message in messages:
        html = inbox.html(message)
        assert "Bonjour Pierre Preuve" in html
        check_programme_mail(message, site, html, odoo_url)
        if "Blog" in message["subject"]:
            assert "Il manque le lien" in html
        if "Silver" in message["subject"]:
            assert "Félicitations" in html and "20 points" in html


def test_committee_decision(rpc, inbox, site, odoo_url):
    committee = ref(rpc, "ambassador_program.group_ambassador_committee")
    rpc("res.users", "write", [rpc.uid], {"groups_id": [(4, committee)]})
    granted, granted_email = ambassador(rpc, "Gaston Or")
    refused, refused_email = ambassador(rpc, "Gary Gold", lang="en_US")
    for partner in (granted, refused):
        rpc("ambassador.point.transaction", "create",
            {"partner_id": partner, "points": 120, "origin": "manual"})
    rpc("ir.cron", "method_direct_trigger",
        [ref(rpc, "ambassador_program.cron_check_balances")])
    proposals = {
        partner: rpc("ambassador.promotion", "search", [
            ("partner_id", "=", partner), ("state", "=", "proposed")])
        for partner in (granted, refused)}
    assert all(len(ids) == 1 for ids in proposals.values()), proposals
    rpc("ambassador.promotion", "action_approve", proposals[granted])
    rpc("ambassador.promotion", "action_refuse", proposals[refused])
    gold = [m for m in inbox.wait(granted_email, count=2)
            if "comité" in m["subject"]]
    assert [m["subject"] for m in gold] == ["Le comité vous a accordé le statut Gold"]
    html = inbox.html(gold[0])
    valid = rpc("res.partner", "read", [granted], ["ambassador_tier_valid_until"])[0]
    year, month, day = valid["ambassador_tier_valid_until"].split("-")
    assert "valable jusqu'au %s/%s/%s" % (day, month, year) in html, html
    check_programme_mail(gold[0], site, html, odoo_url)
    decision = [m for m in inbox.wait(refused_email, count=2)
                if "committee" in m["subject"]]
    assert [m["subject"] for m in decision] == [
        "The committee's decision on the Gold status"]
    check_programme_mail(decision[0], site, inbox.html(decision[0]), odoo_url)


def test_event_invitation_localised(rpc, inbox, site, odoo_url):
    french, french_email = ambassador(rpc, "Eve Evenement")
    english, english_email = ambassador(rpc, "Ed Event", lang="en_US")
    for partner in (french, english):
        rpc("ambassador.point.transaction", "create",
            {"partner_id": partner, "points": 20, "origin": "manual"})
    rpc("ir.cron", "method_direct_trigger",
        [ref(rpc, "ambassador_program.cron_check_balances")])
    name = "Ambassadors' evening %s" % tag()
    event = rpc("event.event", "create", {
        "name": name, "date_begin": "2027-03-05 17:30:00",
        "date_end": "2027-03-05 20:00:00", "date_tz": "Europe/Paris",
        "ambassador_min_tier_id": ref(rpc, "ambassador_program.tier_silver"),
        "website_published": True})
    rpc("event.event", "write", [event], {"name": "Soirée des ambassadeurs"},
        context={"lang": FRENCH})
    rpc("event.event", "action_ambassador_invite", [event])
    [invitation] = [m for m in inbox.wait(french_email, count=2)
                    if m["subject"].startswith("Invitation")]
    assert invitation["subject"] == "Invitation : Soirée des ambassadeurs"
    html = inbox.html(invitation)
    assert "vendredi 5 mars 2027, 18:30" in html, html
    links = check_programme_mail(invitation, site, html, odoo_url)
    assert "/event/" in links[0] and links[0].endswith("/register"), links
    [english_invitation] = [m for m in inbox.wait(english_email, count=2)
                            if m["subject"].startswith("Invitation")]
    assert english_invitation["subject"] == "Invitation: %s" % name
    assert "Friday 5 March 2027, 18:30" in inbox.html(english_invitation)


def list_domain(list_id):
    """The recipients' domain the mailing form sets from its lists (an
    onchange, which RPC does not run)."""
    return "[('list_ids', 'in', [%d]), ('opt_out', '=', False)]" % list_id


def test_newsletter_to_a_segment(rpc, inbox, site):
    """A newsletter to the Live segment's list reaches the consenting
    ambassador with a List-Unsubscribe header; not the one without consent,
    nor the one over the frequency cap."""
    consent = {"ambassador_consent_newsletter": True}
    reader, reader_email = ambassador(rpc, "Nina News", segment="live", **consent)
    silent, silent_email = ambassador(rpc, "Olga NoConsent", segment="live")
    capped, capped_email = ambassador(rpc, "Paula Capped", segment="live", **consent)
    segment_list = ref(rpc, "ambassador_program.mailing_list_segment_live")
    # The nightly sync puts consenting ambassadors on their segment's list.
    rpc("ir.cron", "method_direct_trigger",
        [ref(rpc, "ambassador_program.cron_sync_mailing_lists")])
    on_list = rpc("mail.mass_mailing.contact", "search_read",
                  [("list_ids", "in", [segment_list]),
                   ("email", "in", [reader_email, silent_email, capped_email])],
                  fields=["email"])
    assert sorted(c["email"] for c in on_list) == sorted([reader_email, capped_email])
    cap_key = "ambassador_program.mailing_cap"
    cap_before = rpc("ir.config_parameter", "get_param", cap_key)
    # Paula already received one programme mailing: with a cap of 1 she gets
    # no second one within 30 days.
    first_list = rpc("mail.mass_mailing.list", "create", {"name": "Cap %s" % tag()})
    rpc("mail.mass_mailing.contact", "create", {
        "name": "Paula Capped", "email": capped_email, "list_ids": [(4, first_list)]})
    first = rpc("mail.mass_mailing", "create", {
        "name": "First %s" % tag(), "ambassador_programme": True,
        "body_html": "<p>First news</p>", "email_from": site["sender"],
        "contact_list_ids": [(6, 0, [first_list])],
        "mailing_domain": list_domain(first_list)})
    rpc("mail.mass_mailing", "send_mail", [first])
    inbox.wait(capped_email)
    rpc("ir.config_parameter", "set_param", cap_key, "1")
    try:
        subject = "Live news %s" % tag()
        mailing = rpc("mail.mass_mailing", "create", {
            "name": subject, "body_html": "<p>News of the territory</p>",
            "email_from": site["sender"], "reply_to": site["sender"],
            "reply_to_mode": "email", "contact_list_ids": [(6, 0, [segment_list])],
            "mailing_domain": list_domain(segment_list)})
        rpc("mail.mass_mailing", "send_mail", [mailing])
        [news] = [m for m in inbox.wait(reader_email) if m["subject"] == subject]
    finally:
        rpc("ir.config_parameter", "set_param", cap_key, cap_before or "4")
    assert news["from"][0]["address"].lower() == site["sender"]
    assert news["replyTo"][0]["address"].lower() == site["sender"]
    unsubscribe = news["headers"].get("list-unsubscribe", "")
    assert re.match(r"<%s/mail/mailing/%d/unsubscribe\?" % (
        re.escape(site["base_url"]), mailing), unsubscribe), unsubscribe
    assert requests.get(unsubscribe.strip("<>"), timeout=60).status_code == 200
    # Everything queued is sent: what the others did not get was never sent.
    inbox.flush()
    assert not [m for m in inbox.to(silent_email) if m["subject"] == subject]
    assert not [m for m in inbox.to(capped_email) if m["subject"] == subject]
