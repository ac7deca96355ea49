# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one reader of the programme's numeric system parameters
(``ambassador_program.<key>``): a missing, empty or mistyped value falls back
on the default, so that a typo in Settings > Technical never breaks a public
page or a cron."""

PREFIX = "ambassador_program."


def _raw_param(env, key):
    # sudo: parameters are configuration every caller (the public user of the
    # sign-up form included) must read, and they hold no personal data.
    return env["ir.config_parameter"].sudo().get_param(PREFIX + key)


def _number_param(env, key, default, cast, minimum):
    value = _raw_param(env, key)
    if value in (None, False) or not str(value).strip():
        return default
    try:
        number = cast(value)
    except (TypeError, ValueError):
        return default
    return number if minimum is None else max(number, minimum)


def int_param(env, key, default, minimum=None):
    """``ambassador_program.<key>`` as an integer (at least ``minimum`` if
    given), or ``default`` when it is not set or not a number."""
    return _number_param(env, key, default, int, minimum)


def float_param(env, key, default, minimum=None):
    """``ambassador_program.<key>`` as a float, like int_param."""
    return _number_param(env, key, default, float, minimum)


def text_param(env, key, default=False):
    """``ambassador_program.<key>`` as it is stored, or ``default``."""
    return _raw_param(env, key) or default
