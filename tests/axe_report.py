"""Print the axe-core violation count (WCAG 2.1 A/AA, content the addon renders)
of every page of the addon, per language and kind of visitor, against a running
server:

    ODOO_URL=http://127.0.0.1:8069 ODOO_DB=mydb python tests/axe_report.py [-v]

It creates its own records over XML-RPC (admin/admin), like the tests. With -v
each violation is listed with the element and the fix axe suggests. The exit
status is 1 when any page has a violation or a structure problem."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from a11y_pages import KINDS, LANGS, Odoo, check_pages, make_data  # noqa: E402
from axe_check import format_violations  # noqa: E402


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--window-size=1280,900", "--user-data-dir=%s" % profile):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                              options=options)
    driver.set_page_load_timeout(60)
    return driver, profile


def main(argv):
    verbose = "-v" in argv
    url = os.environ.get("ODOO_URL", "http://127.0.0.1:8069").rstrip("/")
    db = os.environ.get("ODOO_DB", "ambassador_test")
    data = make_data(Odoo(url, db))
    total = problems = 0
    try:
        for lang in LANGS:
            for kind in KINDS:
                driver, profile = chromium()
                try:
                    results = check_pages(driver, url, db, data, kind, lang)
                finally:
                    driver.quit()
                    shutil.rmtree(profile, ignore_errors=True)
                for name, page_url, violations, structure, title in results:
                    count = sum(len(v["nodes"]) for v in violations)
                    total += count
                    problems += len(structure)
                    print("%-3s %-8s %-18s %3d violation(s) %s" % (
                        lang, kind, name, count,
                        "; ".join(structure) if structure else ""))
                    if verbose and violations:
                        print("    " + format_violations(violations).replace(
                            "\n", "\n    "))
    finally:
        data["restore"]()
    print("total: %d axe violation(s), %d structure problem(s)" % (total, problems))
    return 1 if total or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
