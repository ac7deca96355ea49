# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one definition of "an active ambassador at tier X or above", for what
a minimum tier reserves (events, collector goodies): tiers are ordered by
their sequence; a contact that is not an active ambassador with a tier is
below every tier."""

BELOW_EVERY_TIER = -1


def ambassador_rank(partner):
    """The tier sequence of ``partner`` if it is an active ambassador with a
    tier, else BELOW_EVERY_TIER. The caller gives a record it may read (the
    visitor's own contact is read with sudo)."""
    if partner.ambassador_state == "active" and partner.ambassador_tier_id:
        return partner.ambassador_tier_id.sequence
    return BELOW_EVERY_TIER


def reaches(rank, min_tier):
    """True when an ambassador of ``rank`` may have what ``min_tier`` (a
    tier, or empty for everyone) reserves."""
    return not min_tier or (rank != BELOW_EVERY_TIER and min_tier.sequence <= rank)


def min_tier_domain(field, rank):
    """Domain of the records whose minimum tier ``field`` lets an ambassador
    of ``rank`` in."""
    if rank == BELOW_EVERY_TIER:
        return [(field, "=", False)]
    return ["|", (field, "=", False), ("%s.sequence" % field, "<=", rank)]


def reaches_sql(tier_alias, param):
    """SQL condition: the tier ``tier_alias`` (joined on the ambassador's
    tier) is at least the minimum tier's sequence, given as the query
    parameter ``param``. The query checks the active state itself."""
    return "%s.sequence >= %%(%s)s" % (tier_alias, param)
