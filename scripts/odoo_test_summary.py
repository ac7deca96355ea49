#!/usr/bin/env python3
"""Count the ambassador_program test results in an Odoo 11 log, and check that
every test the addon defines ran.

    odoo_test_summary.py LOG [--tests-dir DIR | --expected JSON]
        prints "PASSED FAILED SKIPPED"; each problem on stderr.
    odoo_test_summary.py --count DIR
        prints, as JSON, the tests DIR defines (read before Odoo starts, so that
        an edit made during the run does not count).

What counts as a failure:
- a failing or erroring test, an unexpected success (unittest's own summary line
  of each test module, "OK (skipped=1)" / "FAILED (failures=1, errors=2)");
- a test module that Odoo cannot import ("Can not `import"), a CRITICAL line;
- a test that the files define but that did not run, or ran twice: each
  `test_*.py` of the tests folder is read with `ast`; its TestCase classes (bound
  at module level, defined there or imported, their test methods inherited
  included) are what unittest loads from it. A file missing from
  `tests/__init__.py`, a class that no phase runs (at_install and post_install
  both off), a class shadowed by another of the same name, a method defined
  twice, test methods in a class that is no TestCase: each fails the run with
  its name;
- no test at all.
Skipped tests are counted apart, neither passed nor failed.
"""
import argparse
import ast
import collections
import json
import os
import re
import sys

ADDON = "ambassador_program"
MODULE = "odoo.addons.%s" % ADDON
TESTS_PACKAGE = MODULE + ".tests"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TESTS_DIR = os.path.join(REPO_ROOT, ADDON, "tests")

# "2026-11-27 15:07:58,596 29488 INFO dbname logger.name: message"
RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[\w.]+): (?P<message>.*)$"
)
RUNNING = re.compile(
    r"^(?:running tests (?P<a>[\w.]+?)\.?|(?P<b>[\w.]+) running tests\.)$")
DESCRIPTION = re.compile(r"^(?P<method>test\w*) \((?P<cls>[\w.]+)\)$")
RAN = re.compile(r"^Ran (\d+) tests? in ")
RESULT = re.compile(r"^(OK|FAILED)(?: \((?P<details>.*)\))?\s*$")
REPORT = re.compile(r"^(FAIL|ERROR|UNEXPECTED SUCCESS): ")


# ----------------------------------------------------------------------------
# What the test files define
# ----------------------------------------------------------------------------
def _external_is_testcase(dotted):
    """A base class from outside the tests folder (odoo.tests.common.*Case,
    unittest.TestCase...): a TestCase when its name says so."""
    return dotted.rsplit(".", 1)[-1].endswith("Case")


class _TestFile(object):
    def __init__(self, tests_dir, name):
        self.name = name
        self.path = os.path.join(tests_dir, name + ".py")
        with open(self.path, encoding="utf-8") as handle:
            self.tree = ast.parse(handle.read(), self.path)
        self.classes = {}  # name -> ClassDef (the last definition wins)
        self.bindings = []  # (bound name, kind, value) in order
        self.problems = []
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef):
                if node.name in self.classes:
                    self.problems.append(
                        "%s.py: class %s is defined twice, the first one never runs"
                        % (name, node.name))
                self.classes[node.name] = node
                self.bindings.append((node.name, "class", node.name))
            elif isinstance(node, ast.ImportFrom):
                relative = node.level > 0
                source = node.module or ""
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if relative and node.level == 1 and not source:
                        # from . import common [as c]: a sibling module
                        self.bindings.append((bound, "module", alias.name))
                    elif relative and node.level == 1:
                        self.bindings.append((bound, "sibling", (source, alias.name)))
                    else:
                        self.bindings.append(
                            (bound, "external", "%s.%s" % (source, alias.name)))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.bindings.append(
                        (alias.asname or alias.name.split(".")[0], "external",
                         alias.name))

    def binding(self, name):
        found = None
        for bound, kind, value in self.bindings:
            if bound == name:
                found = (kind, value)
        return found


class TestInventory(object):
    """The tests a folder of Odoo test modules defines, read without importing."""

    def __init__(self, tests_dir):
        self.tests_dir = tests_dir
        self.files = {}
        self.problems = []
        self._resolving = set()

    def file(self, name):
        if name not in self.files:
            path = os.path.join(self.tests_dir, name + ".py")
            if not os.path.exists(path):
                return None
            self.files[name] = _TestFile(self.tests_dir, name)
            self.problems.extend(self.files[name].problems)
        return self.files[name]

    # A class is resolved to (is_testcase, set of test method names, ancestors)
    def resolve_class(self, file_name, class_name):
        test_file = self.file(file_name)
        key = (file_name, class_name)
        if (test_file is None or class_name not in test_file.classes
                or key in self._resolving):
            return None
        self._resolving.add(key)
        try:
            node = test_file.classes[class_name]
            is_testcase = False
            methods = set()
            ancestors = set()
            own = collections.Counter(
                item.name for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                and item.name.startswith("test"))
            for method, count in own.items():
                if count > 1:
                    self.problems.append(
                        "%s.py: %s.%s is defined %d times, only the last one runs"
                        % (file_name, class_name, method, count))
            for base in node.bases:
                resolved = self.resolve_expression(file_name, base)
                if resolved is None:
                    continue
                base_is_testcase, base_methods, base_ancestors = resolved
                is_testcase = is_testcase or base_is_testcase
                methods |= base_methods
                ancestors |= base_ancestors
            methods |= set(own)
            ancestors.add(key)
            return is_testcase, methods, ancestors
        finally:
            self._resolving.discard(key)

    def resolve_name(self, file_name, name):
        test_file = self.file(file_name)
        binding = test_file.binding(name) if test_file else None
        if binding is None:
            return None
        kind, value = binding
        if kind == "class":
            return self.resolve_class(file_name, value)
        if kind == "sibling":
            source, imported = value
            if self.file(source) is not None:
                return self.resolve_name(source, imported)
            return None
        if kind == "external":
            return (_external_is_testcase(value), set(), set())
        return None  # a module object

    def resolve_expression(self, file_name, node):
        if isinstance(node, ast.Name):
            return self.resolve_name(file_name, node.id)
        if isinstance(node, ast.Attribute):
            parts = []
            while isinstance(node, ast.Attribute):
                parts.insert(0, node.attr)
                node = node.value
            if not isinstance(node, ast.Name):
                return None
            test_file = self.file(file_name)
            binding = test_file.binding(node.id) if test_file else None
            if binding and binding[0] == "module" and len(parts) == 1:
                if self.file(binding[1]) is not None:
                    return self.resolve_name(binding[1], parts[0])
                return None
            return (_external_is_testcase(parts[-1]), set(), set())
        return None

    def module_tests(self, file_name):
        """Counter of "Class.method" unittest loads from the module: one entry
        per module-level name bound to a TestCase class."""
        test_file = self.file(file_name)
        expected = collections.Counter()
        ancestors = set()
        seen = set()
        for bound, kind, value in test_file.bindings:
            if bound in seen:
                continue
            seen.add(bound)
            if kind not in ("class", "sibling"):
                continue
            binding = test_file.binding(bound)  # the last binding of that name
            if binding[0] == "class":
                class_name = binding[1]
                resolved = self.resolve_class(file_name, class_name)
            else:
                class_name = binding[1][1]
                resolved = self.resolve_name(file_name, bound)
            if resolved is None:
                continue
            is_testcase, methods, class_ancestors = resolved
            if is_testcase:
                ancestors |= class_ancestors
                for method in methods:
                    expected["%s.%s" % (class_name, method)] += 1
        return expected, ancestors


def count_tests(tests_dir):
    """{"modules": {"test_x": {"Class.method": times}}, "problems": [...],
    "not_imported": [...]} for the tests folder."""
    inventory = TestInventory(tests_dir)
    names = sorted(
        name[:-3] for name in os.listdir(tests_dir)
        if name.startswith("test_") and name.endswith(".py"))
    modules = {}
    testcase_ancestors = set()
    for name in names:
        expected, ancestors = inventory.module_tests(name)
        modules[name] = dict(expected)
        testcase_ancestors |= ancestors
    # Test methods in a class no TestCase uses never run.
    for name in names:
        test_file = inventory.file(name)
        for class_name, node in sorted(test_file.classes.items()):
            has_tests = any(
                isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                and item.name.startswith("test") for item in node.body)
            resolved = inventory.resolve_class(name, class_name)
            if has_tests and resolved and not resolved[0] \
                    and (name, class_name) not in testcase_ancestors:
                inventory.problems.append(
                    "%s.py: class %s has test methods but is no TestCase "
                    "(nor a base of one): they never run" % (name, class_name))
    imported = set()
    init = os.path.join(tests_dir, "__init__.py")
    if os.path.exists(init):
        with open(init, encoding="utf-8") as handle:
            for node in ast.parse(handle.read(), init).body:
                if not isinstance(node, ast.ImportFrom) or node.level != 1:
                    continue
                if not node.module:
                    imported.update(alias.name for alias in node.names)
                else:
                    imported.add(node.module.split(".")[0])
    return {
        "modules": modules,
        "problems": sorted(set(inventory.problems)),
        "not_imported": [name for name in names if name not in imported],
    }


# ----------------------------------------------------------------------------
# What the log says
# ----------------------------------------------------------------------------
def _details(text):
    """"failures=1, unexpected successes=2" -> {"failures": 1, ...}"""
    return dict(
        (key.strip(), int(value))
        for key, value in re.findall(r"([\w ]+?)=(\d+)", text or ""))


def read_log(lines):
    """Blocks of tests of our modules, as Odoo's runner logged them."""
    blocks = []
    problems = []
    failures = 0
    block = None
    for line in lines:
        line = line.rstrip("\n")
        if "Can not `import" in line:
            problems.append(line.strip())
            failures += 1
            continue
        record = RECORD.match(line)
        if not record:
            continue
        message = record.group("message")
        if record.group("level") == "CRITICAL":
            problems.append(line.strip())
            failures += 1
        running = RUNNING.match(message)
        if running:
            module = running.group("a") or running.group("b")
            block = None
            if module.startswith(TESTS_PACKAGE + "."):
                block = {"module": module[len(TESTS_PACKAGE) + 1:], "tests": [],
                         "ran": None, "result": None, "reports": 0}
                blocks.append(block)
            continue
        if block is None:
            continue
        logger = record.group("logger")
        if logger.startswith(MODULE) and not logger.startswith(
                "%s.%s" % (TESTS_PACKAGE, block["module"])) and logger != "odoo.tests":
            continue  # our models logging during the tests
        description = DESCRIPTION.match(message)
        if description and block["ran"] is None:
            class_name = description.group("cls").rsplit(".", 1)[-1]
            block["tests"].append("%s.%s" % (class_name, description.group("method")))
            continue
        if REPORT.match(message):
            block["reports"] += 1
            continue
        ran = RAN.match(message)
        if ran:
            block["ran"] = int(ran.group(1))
            continue
        result = RESULT.match(message)
        if result and block["ran"] is not None and block["result"] is None:
            block["result"] = (result.group(1), _details(result.group("details")))
            block = None
    return blocks, failures, problems


def summarize(lines, expected=None):
    """(passed, failed, skipped, problems). `expected` is count_tests()'s result,
    or None not to check what ran against the files."""
    blocks, failed, problems = read_log(lines)
    passed = skipped = 0
    ran_tests = collections.defaultdict(collections.Counter)
    ran_total = collections.Counter()
    for block in blocks:
        module = block["module"]
        ran_tests[module].update(block["tests"])
        if block["ran"] is None or block["result"] is None:
            problems.append(
                "%s: the test run did not finish (no unittest summary)" % module)
            failed += 1
            continue
        ran_total[module] += block["ran"]
        outcome, details = block["result"]
        bad = (details.get("failures", 0) + details.get("errors", 0)
               + details.get("unexpected successes", 0))
        bad = max(bad, block["reports"])
        if outcome == "FAILED" and bad == 0:
            bad = 1
        block_skipped = details.get("skipped", 0)
        failed += bad
        skipped += block_skipped
        passed += max(block["ran"] - bad - block_skipped, 0)
        if bad:
            problems.append("%s: %s" % (module, " ".join(
                "%s=%s" % item for item in sorted(details.items()))))
    if expected is not None:
        for problem in expected.get("problems", []):
            problems.append(problem)
            failed += 1
        for name in expected.get("not_imported", []):
            problems.append(
                "%s.py is not imported by tests/__init__.py: its tests never run"
                % name)
        for name, tests in sorted(expected.get("modules", {}).items()):
            want = collections.Counter(tests)
            got = ran_tests.get(name, collections.Counter())
            total = sum(want.values())
            if ran_total[name] != total or got != want:
                missing = sorted((want - got).elements())
                extra = sorted((got - want).elements())
                message = "%s.py: %d tests defined, %d ran" % (
                    name, total, ran_total[name])
                if name in expected.get("not_imported", []):
                    message += " (not imported by tests/__init__.py)"
                if missing:
                    message += "; not run: %s" % ", ".join(missing[:20])
                if extra:
                    message += "; unexpected or run twice: %s" % ", ".join(extra[:20])
                problems.append(message)
                failed += max(len(missing) + len(extra),
                              abs(total - ran_total[name]), 1)
        for name in sorted(set(ran_total) - set(expected.get("modules", {}))):
            problems.append("%s: ran but no such test file in the tests folder" % name)
            failed += 1
    if not blocks or sum(ran_total.values()) == 0:
        problems.append("no %s test ran" % ADDON)
        failed += 1
    return passed, failed, skipped, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", nargs="?")
    parser.add_argument("--count", metavar="TESTS_DIR",
                        help="print the tests the folder defines, as JSON")
    parser.add_argument("--tests-dir", default=DEFAULT_TESTS_DIR)
    parser.add_argument("--expected", help="JSON written by --count")
    args = parser.parse_args(argv)
    if args.count:
        print(json.dumps(count_tests(args.count), indent=1, sort_keys=True))
        return 0
    if not args.log:
        parser.error("the log is required")
    if args.expected:
        with open(args.expected, encoding="utf-8") as handle:
            expected = json.load(handle)
    else:
        expected = count_tests(args.tests_dir)
    with open(args.log, encoding="utf-8", errors="replace") as log:
        passed, failed, skipped, problems = summarize(log, expected)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(passed, failed, skipped)
    return 0


if __name__ == "__main__":
    sys.exit(main())
