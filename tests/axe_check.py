"""WCAG 2.1 A/AA checks with axe-core (installed by scripts/setup.sh from npm) in
the browser tests: inject axe into the page the test is on and list what fails.

Only the content the addon renders is checked (``main`` by default: Odoo's
website puts each page's body there; the header and footer are Odoo's theme)."""
import os

AXE_JS = os.path.join(
    os.environ.get("AMBASSADOR_CACHE")
    or os.path.join(os.path.expanduser("~"), ".cache", "ambassador_program"),
    "node", "node_modules", "axe-core", "axe.min.js",
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """
var context = arguments[0], tags = arguments[1];
var done = arguments[arguments.length - 1];
axe.run(context, {runOnly: {type: 'tag', values: tags},
                  resultTypes: ['violations']})
   .then(function (result) { done(result.violations); },
         function (error) { done({error: String(error)}); });
"""


def axe_violations(driver, include="main", exclude=()):
    """The axe violations of the page the browser is on, within ``include``
    (a CSS selector) minus ``exclude`` (selectors)."""
    if not os.path.exists(AXE_JS):
        raise AssertionError("axe-core is missing (%s): run scripts/setup.sh" % AXE_JS)
    with open(AXE_JS) as handle:
        driver.execute_script(handle.read())
    driver.set_script_timeout(60)
    context = {"include": [[include]], "exclude": [[sel] for sel in exclude]}
    result = driver.execute_async_script(_RUN, context, WCAG_TAGS)
    if isinstance(result, dict) and result.get("error"):
        raise AssertionError("axe-core failed on %s: %s"
                             % (driver.current_url, result["error"]))
    return result


def format_violations(violations):
    """One paragraph per rule: its id, impact and help, then each element with
    the fix axe suggests."""
    lines = []
    for violation in violations:
        lines.append("[%s] %s (%s) %s" % (
            violation.get("impact"), violation["id"], violation["help"],
            violation.get("helpUrl", "")))
        for node in violation["nodes"]:
            lines.append("    at %s" % " ".join(str(t) for t in node["target"]))
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            lines.append("       %s" % summary)
    return "\n".join(lines)


def assert_accessible(driver, include="main", exclude=(), label=None):
    """Fail with every violation listed when the page has any."""
    violations = axe_violations(driver, include=include, exclude=exclude)
    if violations:
        count = sum(len(v["nodes"]) for v in violations)
        raise AssertionError("%d axe violation(s) (%d rules) on %s:\n%s" % (
            count, len(violations), label or driver.current_url,
            format_violations(violations)))


_STRUCTURE = """
var lang = arguments[0], problems = [];
var htmlLang = (document.documentElement.getAttribute('lang') || '').toLowerCase();
if (htmlLang.split('-')[0] !== lang) {
    problems.push('<html lang="' + htmlLang + '"> on a page in ' + lang);
}
if (!document.title.trim()) { problems.push('no <title>'); }
var h1 = document.querySelectorAll('h1');
if (h1.length !== 1) { problems.push(h1.length + ' h1 elements (one expected)'); }
var main = document.querySelector('main') || document.body, previous = 0;
main.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach(function (heading) {
    var level = parseInt(heading.tagName.substring(1), 10);
    if (previous && level > previous + 1) {
        problems.push('heading ' + heading.tagName + ' "' + heading.textContent.trim()
                      .substring(0, 40) + '" after h' + previous);
    }
    previous = level;
});
var skip = document.querySelector('a.o_ambassador_skip_link');
var first = document.querySelector('a[href], button, input, select, textarea');
if (!skip) {
    problems.push('no "skip to content" link');
} else if (first !== skip) {
    problems.push('the "skip to content" link is not the first link of the page');
} else if (!document.getElementById(skip.getAttribute('href').substring(1))) {
    problems.push('the "skip to content" link leads nowhere');
}
return problems;
"""


def page_structure_problems(driver, lang):
    """What axe's WCAG rules leave to best practice but RGAA requires: the
    page's language, a title, one h1, headings in order, a skip link first."""
    return driver.execute_script(_STRUCTURE, lang)
