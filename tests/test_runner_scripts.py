"""The test runner cannot be fooled: scripts/test.sh's checks, fed with samples
(no Odoo needed, a few seconds)."""
import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import textwrap

import pytest

# Needs no live server: scripts/test.sh runs it beside the Odoo tests.
pytestmark = pytest.mark.standalone

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(REPO_ROOT, "scripts")
PACKAGE = "odoo.addons.ambassador_program.tests"


def load(name):
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(SCRIPTS, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


odoo_summary = load("odoo_test_summary")
pytest_summary = load("pytest_summary")
server_log_errors = load("server_log_errors")
port_check = load("port_check")


# ----------------------------------------------------------------------------
# Odoo's log: counts, and every defined test ran
# ----------------------------------------------------------------------------
def record(logger, message, level="INFO"):
    return "2026-11-27 15:07:58,596 29488 %s amb_db %s: %s\n" % (level, logger, message)


def module_run(module, tests, ran=None, result="OK", skipped=(), failing=()):
    """Log lines of Odoo's runner for one test module: tests is a list of
    "Class.method"."""
    logger = "%s.%s" % (PACKAGE, module)
    lines = [record("odoo.modules.module", "%s running tests." % logger)]
    for test in tests:
        cls, method = test.split(".")
        lines.append(record(logger, "%s (%s.%s)" % (method, logger, cls)))
        if test in skipped:
            lines.append(record(logger, "skipped 'no network here'"))
        if test in failing:
            lines.append(record(logger, "FAIL", "ERROR"))
    for test in failing:
        cls, method = test.split(".")
        lines.append(
            record(logger, "FAIL: %s (%s.%s)" % (method, logger, cls), "ERROR"))
        lines.append(record(logger, "` Traceback (most recent call last):"))
    ran = len(tests) if ran is None else ran
    lines.append(record(logger, "Ran %d tests in 0.123s" % ran))
    level = "ERROR" if result.startswith("FAILED") else "INFO"
    lines.append(record(logger, result, level))
    return lines


def write_tests(tmp_path, files, imported=None):
    tests_dir = tmp_path / "tests"
    tests_dir.mkdir()
    names = sorted(files) if imported is None else imported
    (tests_dir / "__init__.py").write_text(
        "".join("from . import %s\n" % name for name in names))
    (tests_dir / "common.py").write_text(textwrap.dedent("""\
        from odoo.tests import common


        class AmbassadorCase(common.SavepointCase):
            def helper(self):
                pass
        """))
    for name, source in files.items():
        (tests_dir / (name + ".py")).write_text(textwrap.dedent(source))
    return str(tests_dir)


TEST_A = """\
    from odoo.tests import common

    from .common import AmbassadorCase


    class Probes(object):
        def test_probe(self):
            pass


    class TestA(AmbassadorCase, Probes):
        def test_one(self):
            pass

        def test_two(self):
            pass


    @common.at_install(False)
    @common.post_install(True)
    class TestAOverHttp(common.HttpCase, Probes):
        def test_three(self):
            pass
    """
TEST_A_RAN = ["TestA.test_one", "TestA.test_probe", "TestA.test_two",
              "TestAOverHttp.test_probe", "TestAOverHttp.test_three"]
TEST_B = """\
    from .common import AmbassadorCase


    class TestB(AmbassadorCase):
        def test_b(self):
            pass
    """


def summarize(tests_dir, lines):
    return odoo_summary.summarize(lines, odoo_summary.count_tests(tests_dir))


def test_odoo_all_ran(tmp_path):
    tests_dir = write_tests(tmp_path, {"test_a": TEST_A, "test_b": TEST_B})
    expected = odoo_summary.count_tests(tests_dir)
    assert expected["problems"] == [] and expected["not_imported"] == []
    # Mixin methods count once per TestCase class using them.
    assert sum(expected["modules"]["test_a"].values()) == 5
    lines = (module_run("test_a", TEST_A_RAN[:3], result="OK")
             + module_run("test_b", ["TestB.test_b"])
             + module_run("test_a", TEST_A_RAN[3:]))  # the post-install phase
    assert summarize(tests_dir, lines)[:3] == (6, 0, 0)


def test_odoo_skipped_test_is_not_passed(tmp_path):
    tests_dir = write_tests(tmp_path, {"test_b": TEST_B})
    lines = module_run("test_b", ["TestB.test_b"], result="OK (skipped=1)",
                       skipped=["TestB.test_b"])
    assert summarize(tests_dir, lines)[:3] == (0, 0, 1)


def test_odoo_failure_counted(tmp_path):
    tests_dir = write_tests(tmp_path, {"test_a": TEST_A})
    lines = module_run("test_a", TEST_A_RAN, result="FAILED (failures=1, skipped=1)",
                       failing=["TestA.test_one"], skipped=["TestA.test_two"])
    assert summarize(tests_dir, lines)[:3] == (3, 1, 1)


def test_odoo_module_left_out_of_init_fails(tmp_path):
    tests_dir = write_tests(tmp_path, {"test_a": TEST_A, "test_b": TEST_B},
                            imported=["test_a"])
    passed, failed, skipped, problems = summarize(
        tests_dir, module_run("test_a", TEST_A_RAN))
    assert (passed, skipped) == (5, 0) and failed >= 1
    assert any("test_b.py is not imported by tests/__init__.py" in p for p in problems)
    assert any("test_b.py: 1 tests defined, 0 ran" in p for p in problems)


def test_odoo_class_not_collected_fails(tmp_path):
    # Neither phase runs TestAOverHttp (at_install and post_install both off):
    # its tests are missing from the log.
    source = TEST_A.replace("post_install(True)", "post_install(False)")
    tests_dir = write_tests(tmp_path, {"test_a": source})
    passed, failed, skipped, problems = summarize(
        tests_dir, module_run("test_a", TEST_A_RAN[:3]))
    assert passed == 3 and failed == 2
    assert any("test_a.py: 5 tests defined, 3 ran; not run: TestAOverHttp.test_probe, "
               "TestAOverHttp.test_three" in p for p in problems), problems


def test_odoo_tests_outside_a_testcase_fail(tmp_path):
    source = textwrap.dedent(TEST_B) + textwrap.dedent("""\


        class TestForgotten(object):
            def test_never(self):
                pass


        class TestB(AmbassadorCase):
            def test_c(self):
                pass

            def test_c(self):
                pass
        """)
    tests_dir = write_tests(tmp_path, {"test_b": source})
    expected = odoo_summary.count_tests(tests_dir)
    assert expected["modules"]["test_b"] == {"TestB.test_c": 1}
    problems = "\n".join(expected["problems"])
    assert "class TestForgotten has test methods but is no TestCase" in problems
    assert "class TestB is defined twice" in problems
    assert "TestB.test_c is defined 2 times" in problems
    passed, failed, skipped, _ = summarize(
        tests_dir, module_run("test_b", ["TestB.test_c"]))
    assert passed == 1 and failed == 3


def test_odoo_unfinished_or_empty_run_fails(tmp_path):
    tests_dir = write_tests(tmp_path, {"test_b": TEST_B})
    lines = module_run("test_b", ["TestB.test_b"])[:2]  # no "Ran", no "OK"
    passed, failed, _, problems = summarize(tests_dir, lines)
    assert failed >= 1 and any("did not finish" in p for p in problems)
    assert summarize(tests_dir, [])[1] >= 1
    import_error = record("odoo.modules.module", "Can not `import ambassador_program`.",
                          "ERROR")
    lines = [import_error] + module_run("test_b", ["TestB.test_b"])
    assert summarize(tests_dir, lines)[1] == 1


def test_odoo_command_line(tmp_path):
    tests_dir = write_tests(tmp_path, {"test_b": TEST_B})
    expected = tmp_path / "expected.json"
    expected.write_text(subprocess.check_output(
        [sys.executable, os.path.join(SCRIPTS, "odoo_test_summary.py"),
         "--count", tests_dir],
        universal_newlines=True))
    log = tmp_path / "odoo.log"
    log.write_text("".join(module_run(
        "test_b", ["TestB.test_b"], result="OK (skipped=1)",
        skipped=["TestB.test_b"])))
    out = subprocess.check_output(
        [sys.executable, os.path.join(SCRIPTS, "odoo_test_summary.py"), str(log),
         "--expected", str(expected)], universal_newlines=True)
    assert out.split() == ["0", "0", "1"]


def test_addon_test_files_read_cleanly():
    expected = odoo_summary.count_tests(
        os.path.join(REPO_ROOT, "ambassador_program", "tests"))
    assert expected["problems"] == []
    assert expected["not_imported"] == []
    assert all(expected["modules"].values()), "a test file without tests"


# ----------------------------------------------------------------------------
# pytest: read from its JUnit XML
# ----------------------------------------------------------------------------
def test_pytest_counts_from_junit_xml(tmp_path):
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "test_sample.py").write_text(textwrap.dedent("""\
        import pytest


        @pytest.fixture
        def broken():
            raise RuntimeError("fixture fails")


        def test_passes():
            pass


        def test_fails():
            assert False


        def test_errors(broken):
            pass


        @pytest.mark.skip(reason="not here")
        def test_skipped():
            pass


        @pytest.mark.xfail(reason="known")
        def test_xfail():
            assert False
        """))
    junit = tmp_path / "result.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--junitxml=%s" % junit, str(sample)],
        cwd=str(sample), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert run.returncode == 1
    passed, failed, skipped, problems = pytest_summary.summarize_xml(str(junit))
    assert (passed, failed, skipped) == (1, 2, 2), problems
    out = subprocess.check_output(
        [sys.executable, os.path.join(SCRIPTS, "pytest_summary.py"), str(junit)],
        universal_newlines=True, stderr=subprocess.DEVNULL)
    assert out.split() == ["1", "2", "2"]


def test_pytest_collection_error_and_missing_result(tmp_path):
    junit = tmp_path / "result.xml"
    junit.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" '
        'errors="1" failures="0" skipped="0" tests="1"><testcase classname="" '
        'name="tests.test_x"><error message="collection failure">ImportError'
        '</error></testcase></testsuite></testsuites>')
    assert pytest_summary.summarize_xml(str(junit))[:3] == (0, 1, 0)
    # A last printed line saying "passed" fools nobody: no XML, a failure.
    assert pytest_summary.summarize_xml(str(tmp_path / "missing.xml"))[:3] == (0, 1, 0)
    empty = tmp_path / "empty.xml"
    empty.write_text('<testsuites><testsuite tests="0"/></testsuites>')
    assert pytest_summary.summarize_xml(str(empty))[:3] == (0, 1, 0)


# ----------------------------------------------------------------------------
# The server's log during tests/
# ----------------------------------------------------------------------------
SERVER_LOG = """\
2026-11-27 15:11:20,000 1 ERROR db odoo.modules.graph: module x: Unmet dependencies: y
2026-11-27 15:11:25,724 30477 WARNING db odoo.http: No CSRF validation token provided

Odoo URLs are CSRF-protected by default.
2026-11-27 15:11:31,419 1 ERROR db odoo.http: Exception during JSON request handling.
Traceback (most recent call last):
  File "odoo/http.py", line 650, in _handle_exception
werkzeug.exceptions.BadRequest: 400 Bad Request
2026-11-27 15:11:32,000 30477 WARNING amb_db odoo.addons.x: handled, with its traceback
Traceback (most recent call last):
ValueError: boom
2026-11-27 15:11:33,000 30477 INFO amb_db werkzeug: 127.0.0.1 "GET / HTTP/1.1" 200
"""


def test_server_errors_counted(tmp_path):
    errors = server_log_errors.server_errors(SERVER_LOG.splitlines(True))
    assert len(errors) == 2
    assert "BadRequest" in errors[0] and "ValueError" in errors[1]
    clean = "".join(line for line in SERVER_LOG.splitlines(True)[:4])
    assert server_log_errors.server_errors(clean.splitlines(True)) == []
    log = tmp_path / "server.log"
    log.write_text(SERVER_LOG)
    stderr = tmp_path / "server.stderr"
    stderr.write_text(
        "Exception in thread x:\nTraceback (most recent call last):\nKeyError\n")
    out = subprocess.check_output(
        [sys.executable, os.path.join(SCRIPTS, "server_log_errors.py"),
         str(log), str(stderr)],
        universal_newlines=True, stderr=subprocess.DEVNULL)
    assert out.strip() == "3"


# ----------------------------------------------------------------------------
# The port, and the server behind it
# ----------------------------------------------------------------------------
def port_check_cli(*args):
    return subprocess.run(
        [sys.executable, os.path.join(SCRIPTS, "port_check.py")]
        + [str(a) for a in args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="Linux /proc needed")
def test_port_check_refuses_an_occupied_port():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        refused = port_check_cli("free", port)
        assert refused.returncode == 1
        message = "port %d is already in use by pid %d" % (port, os.getpid())
        assert message in refused.stdout
        assert port_check_cli("owner", port, os.getpid()).returncode == 0
        other = port_check_cli("owner", port, 1)
        assert other.returncode == 1
        assert "not by the server started (pid 1)" in other.stdout
    finally:
        listener.close()
    assert port_check_cli("free", port).returncode == 0
    assert port_check_cli("owner", port, os.getpid()).returncode == 1


# ----------------------------------------------------------------------------
# Every step has a time limit
# ----------------------------------------------------------------------------
def with_timeout(*command):
    script = 'source "$0"; with_timeout "$@"'
    return subprocess.run(
        ["bash", "-c", script, os.path.join(SCRIPTS, "runner_lib.sh")] + list(command),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)


def test_step_timeout_is_a_failure_with_a_message():
    slow = with_timeout("1", "the slow step", "sleep", "20")
    assert slow.returncode == 124
    assert "ERROR: the slow step timed out after 1s" in slow.stdout
    assert with_timeout("10", "a step", "sh", "-c", "exit 3").returncode == 3
    assert with_timeout("10", "a step", "true").returncode == 0


# ----------------------------------------------------------------------------
# The mail catcher (maildev) beside the server: started on free ports, checked
# to be the one answering, stopped at the end
# ----------------------------------------------------------------------------
MAILDEV = os.path.join(
    os.environ.get("AMBASSADOR_CACHE",
                   os.path.expanduser("~/.cache/ambassador_program")),
    "node", "node_modules", ".bin", "maildev")


def runner_lib(script, *args):
    return subprocess.run(
        ["bash", "-c", 'source "$0/common.sh"; source "$0/runner_lib.sh"; ' + script,
         SCRIPTS] + [str(a) for a in args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
        timeout=120)


@pytest.mark.skipif(not os.path.exists(MAILDEV), reason="maildev not installed")
def test_maildev_delivers_and_stops(tmp_path):
    import requests

    ports = runner_lib("echo $(free_port) $(free_port)").stdout.split()
    smtp, web = int(ports[0]), int(ports[1])
    # Started, a message sent to its SMTP port is read from its REST API, and
    # stop_maildev leaves both ports free.
    script = """
        start_maildev "$1" "$2" "$3" || exit 1
        echo "pid=$MAILDEV_PID url=$MAILDEV_URL"
        python3 -c "$4" "$1" "$MAILDEV_URL"
        status=$?
        stop_maildev
        exit $status
    """
    client = textwrap.dedent("""
        import json, smtplib, sys, urllib.request
        from email.message import EmailMessage
        message = EmailMessage()
        message["From"], message["To"] = "a@example.org", "b@example.org"
        message["Subject"] = "Bonjour"
        message["List-Unsubscribe"] = "<https://example.org/u>"
        message.set_content("Hello")
        with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as server:
            server.send_message(message)
        mails = json.load(urllib.request.urlopen(sys.argv[2] + "/email"))
        assert [m["subject"] for m in mails] == ["Bonjour"], mails
        assert mails[0]["headers"]["list-unsubscribe"] == "<https://example.org/u>"
    """)
    done = runner_lib(script, smtp, web, tmp_path / "maildev.log", client)
    assert done.returncode == 0, done.stdout
    assert "url=http://127.0.0.1:%d" % web in done.stdout
    assert port_check_cli("free", smtp).returncode == 0
    assert port_check_cli("free", web).returncode == 0
    with pytest.raises(requests.ConnectionError):
        requests.get("http://127.0.0.1:%d/email" % web, timeout=5)


@pytest.mark.skipif(not os.path.exists(MAILDEV), reason="maildev not installed")
def test_maildev_refuses_an_occupied_port(tmp_path):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        web = runner_lib("free_port").stdout.strip()
        done = runner_lib('start_maildev "$1" "$2" "$3" || echo "rc=$?"', port, web,
                          tmp_path / "maildev.log")
        assert "rc=1" in done.stdout, done.stdout
        assert "port %d is already in use" % port in done.stdout  # on stderr
    finally:
        listener.close()


# ----------------------------------------------------------------------------
# Tracks: the steps scripts/test.sh runs at once in the background
# ----------------------------------------------------------------------------
def test_tracks_add_their_counts_and_a_track_without_result_fails(tmp_path):
    script = """
        LOG_DIR="$1"; declare -A track_pids=(); passed=0; failed=0; skipped=0
        good() {
            echo "good says hello"; echo "its program's log" > "$LOG_DIR/good.log"
            echo "3 1 2" > "$1"
        }
        dies() { echo "dies early"; exit 3; }
        garbled() { echo "x y" > "$1"; }
        start_track good good; start_track dies dies; start_track garbled garbled
        join_track good "The good track"
        join_track dies "The dying track"
        join_track garbled "The garbled track"
        echo "counts $passed $failed $skipped seconds $(cat "$LOG_DIR/good.seconds")"
    """
    done = runner_lib(script, tmp_path)
    assert done.returncode == 0, done.stdout
    assert "==> The good track\ngood says hello\n" in done.stdout
    assert "dies early" in done.stdout
    assert "ERROR: the track 'dies' ended without a result" in done.stdout
    assert "ERROR: the track 'garbled' ended without a result" in done.stdout
    assert re.search(r"counts 3 3 2 seconds \d+\n", done.stdout), done.stdout
    # The track's output and the log its programs write are two files.
    assert (tmp_path / "good.log").read_text() == "its program's log\n"


def test_stopping_the_tracks_stops_what_they_started(tmp_path):
    # A track's command runs under with_timeout (its own process group); it
    # must not outlive the test command when that one stops early.
    script = """
        LOG_DIR="$1"; declare -A track_pids=()
        sleeper() {
            with_timeout 60 "a sleeper" \\
                bash -c 'echo $$ > "$0/sleep.pid"; exec sleep 50' "$LOG_DIR"
            echo "0 0 0" > "$1"
        }
        start_track sleeper sleeper
        for _ in $(seq 1 50); do [ -s "$LOG_DIR/sleep.pid" ] && break; sleep 0.1; done
        kill -0 "$(cat "$LOG_DIR/sleep.pid")" && echo "sleeping"
        stop_tracks
        sleep 0.5
        kill -0 "$(cat "$LOG_DIR/sleep.pid")" 2>/dev/null || echo "stopped"
        echo "tracks left: ${#track_pids[@]}"
    """
    done = runner_lib(script, tmp_path)
    assert "sleeping" in done.stdout, done.stdout
    assert "stopped" in done.stdout, done.stdout
    assert "tracks left: 0" in done.stdout
    assert not (tmp_path / "sleeper.result").exists()


COLLECTOR = """
import json
import os

ITEMS = []


def pytest_collection_modifyitems(items):
    for item in items:
        ITEMS.append({"id": item.nodeid, "fixtures": list(item.fixturenames),
                      "standalone": item.get_closest_marker("standalone") is not None})


def pytest_collection_finish(session):
    with open(os.environ["COLLECTED_ITEMS"], "w") as out:
        json.dump(ITEMS, out)
"""


def test_the_two_pytest_runs_split_the_repository_tests(tmp_path):
    """scripts/test.sh runs tests/ twice, `-m standalone` beside the Odoo tests
    and `-m "not standalone"` against the live server: every test runs once,
    and a standalone test uses neither the server nor its database."""
    (tmp_path / "collector.py").write_text(COLLECTOR)
    env = dict(os.environ, PYTHONPATH=str(tmp_path),
               COLLECTED_ITEMS=str(tmp_path / "items.json"))
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "collector",
         "--collect-only", "-q", os.path.join(REPO_ROOT, "tests")],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=120)
    assert collected.returncode == 0, collected.stdout[-3000:]
    items = json.loads((tmp_path / "items.json").read_text())
    standalone = [item for item in items if item["standalone"]]
    assert standalone and len(standalone) < len(items)
    for item in standalone:
        used = {"odoo_url", "odoo_db", "browser"} & set(item["fixtures"])
        assert not used, "%s is marked standalone but uses %s" % (item["id"], used)
    with open(os.path.join(SCRIPTS, "test.sh")) as script:
        text = script.read()
    assert "run_pytest standalone-tests standalone " in text
    assert 'run_pytest live-tests "not standalone" ' in text
