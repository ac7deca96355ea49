"""Recognition (issue 14) in a real browser: an ambassador who has not joined
the leaderboards sees an explanation and the consent text, joins with the
checkbox, then sees its segment's board, its rank and its badges; chooses
another period; the pages pass axe-core's WCAG checks in English and in
French (headless Chromium; records made over XML-RPC as admin)."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from axe_check import assert_accessible, page_structure_problems
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for

REASON = {"context": {"ambassador_consent_reason": "Browser test: chosen by the "
                                                   "person"}}


def shot(browser, screenshot_dir, name):
    return full_page_shot(browser, screenshot_dir, "recognition_" + name)


def rival(rpc, name, points):
    """An active Study ambassador on the leaderboards with ``points``."""
    study = rpc("ambassador.segment", "search", [("code", "=", "study")])[0]
    partner = rpc("res.partner", "create", {
        "name": name, "email": "%s.%d@example.org" % (
            name.lower().replace(" ", "."), int(time.time() * 1000)),
        "ambassador_state": "candidate", "ambassador_segment_id": study,
        "ambassador_consent_leaderboard": True}, **REASON)
    rpc("res.partner", "action_ambassador_activate", [partner])
    rpc("ambassador.point.transaction", "create", {
        "partner_id": partner, "points": points, "origin": "manual",
        "note": "Browser test"})
    return partner


def test_join_the_board_and_see_it(browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    rival(rpc, "Rita Rival", 40)
    rival(rpc, "Ravi Rival", 3)
    partner, login, password = make_ambassador(rpc, "board", points=15)
    proof = rpc("ambassador.proof", "create", {
        "name": "Browser proof", "partner_id": partner,
        "rule_id": rpc.ref("ambassador_program.rule_partnership")})
    rpc("ambassador.proof", "action_approve", [proof])
    # The hourly grant, run now (as the scheduler would).
    rpc("ir.cron", "method_direct_trigger",
        [rpc.ref("ambassador_program.cron_ambassador_milestones")])
    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")

    browser.get(odoo_url + "/my/ambassador/leaderboard")
    wait_for(browser, ".o_ambassador_leaderboard_join")
    assert not browser.find_elements(By.CSS_SELECTOR, "table.o_ambassador_leaderboard")
    assert "leaderboards" in browser.find_element(
        By.ID, "leaderboard_join_help").text
    shot(browser, screenshot_dir, "01_join_en")
    assert_accessible(browser, label="leaderboard, not joined (en)")
    browser.find_element(By.ID, "leaderboard_join").click()
    browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_leaderboard_join button[type=submit]").click()
    wait_for(browser, ".o_ambassador_leaderboard_joined")
    table = wait_for(browser, "table.o_ambassador_leaderboard")
    names = [cell.text for cell in table.find_elements(By.CSS_SELECTOR, "tbody th")]
    assert names.index("Rita Rival") < names.index("Sam Space board (you)"), names
    assert "Ravi Rival" in names
    assert "Your rank" in browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_my_rank").text
    shot(browser, screenshot_dir, "02_board_en")
    assert_accessible(browser, label="leaderboard (en)")
    assert page_structure_problems(browser, "en") == []

    Select(browser.find_element(By.ID, "leaderboard_period")).select_by_value("all")
    browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_leaderboard_choice button").click()
    wait_for(browser, "table.o_ambassador_leaderboard")
    assert "period=all" in browser.current_url

    # French: the same page under /fr_FR/, and the space with its badges.
    rpc("res.partner", "write", [partner], {"lang": "fr_FR"})
    browser.get(odoo_url + "/fr_FR/my/ambassador/leaderboard")
    wait_for(browser, "table.o_ambassador_leaderboard")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute(
        "lang").startswith("fr")
    shot(browser, screenshot_dir, "03_board_fr")
    assert_accessible(browser, label="leaderboard (fr)")
    assert page_structure_problems(browser, "fr") == []
    browser.get(odoo_url + "/fr_FR/my/ambassador")
    badges = wait_for(browser, ".o_ambassador_recognition")
    assert badges.find_elements(By.CSS_SELECTOR, ".o_ambassador_badge")
    shot(browser, screenshot_dir, "04_space_fr")
    assert_accessible(browser, label="space with badges (fr)")


def test_wall_shows_badges_of_those_who_joined(browser, odoo_url, odoo_db,
                                               screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    platinum = rpc.ref("ambassador_program.tier_platinum")
    portal = rpc.ref("base.group_portal")
    tag = int(time.time() * 1000)
    names = {}
    for key, joined in (("joined", True), ("kept", False)):
        name = "Wally %s %d" % (key.title(), tag)
        partner = rival(rpc, name, 5)
        values = {"ambassador_consent_wall": True,
                  "ambassador_consent_leaderboard": joined}
        rpc("res.partner", "write", [partner], values, **REASON)
        rpc("res.users", "create", {
            "name": name, "login": "wally.%s.%d@example.org" % (key, tag),
            "partner_id": partner, "groups_id": [(6, 0, [portal])]})
        proof = rpc("ambassador.proof", "create", {
            "name": "Wall proof", "partner_id": partner,
            "rule_id": rpc.ref("ambassador_program.rule_partnership")})
        rpc("ambassador.proof", "action_approve", [proof])
        names[key] = (partner, name)
    # Platinum is given by the committee: a promotion decided by staff.
    for partner, _name in names.values():
        promotion = rpc("ambassador.promotion", "create", {
            "partner_id": partner, "to_tier_id": platinum})
        rpc("ambassador.promotion", "action_approve", [promotion])
    rpc("ir.cron", "method_direct_trigger",
        [rpc.ref("ambassador_program.cron_ambassador_milestones")])
    for prefix, lang in (("", "en"), ("/fr_FR", "fr")):
        browser.get(odoo_url + prefix + "/ambassadors/wall")
        wait_for(browser, ".o_ambassador_wall")
        people = {
            item.find_element(By.TAG_NAME, "h2").text: item
            for item in browser.find_elements(
                By.CSS_SELECTOR, ".o_ambassador_wall_person")}
        assert people[names["joined"][1]].find_elements(
            By.CSS_SELECTOR, ".o_ambassador_badge")
        assert not people[names["kept"][1]].find_elements(
            By.CSS_SELECTOR, ".o_ambassador_badge")
        shot(browser, screenshot_dir, "05_wall_%s" % lang)
        assert_accessible(browser, label="wall with badges (%s)" % lang)
