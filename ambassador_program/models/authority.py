# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The authority of the programme's engine: a capability no RPC call can forge.

Balances, tiers, applied status changes, an ambassador's life-cycle state and
consents given through the data subject's own channels are written only by
server code holding this capability, never because of who the user is: in
Odoo 11 the ``admin`` account is the superuser (uid 1), and integrators use it
over RPC. The capability is a module-private object put in the context by
``as_engine``; JSON-RPC can only put JSON values in a context, never this
object, so ``is_engine`` is false for every request whatever its user.

Call ``as_engine`` only after the check the operation relies on, and say which
in a comment, as for ``sudo()``.
"""

CONTEXT_KEY = "ambassador_engine"


class _EngineToken(str):
    """A str, so that a context holding it stays JSON-serialisable (returned
    actions, logged contexts), but equal only to itself: Odoo reuses an
    existing Environment whose context compares equal, so a context holding the
    string this token reads as must never compare equal to the engine's."""

    __slots__ = ()

    def __eq__(self, other):
        return other is self

    def __ne__(self, other):
        return other is not self

    __hash__ = str.__hash__


_ENGINE = _EngineToken("ambassador-engine")


def as_engine(records):
    """``records`` as superuser with the engine's authority."""
    return records.sudo().with_context(**{CONTEXT_KEY: _ENGINE})


def is_engine(env):
    """True only in code that went through ``as_engine``."""
    return env.context.get(CONTEXT_KEY) is _ENGINE
