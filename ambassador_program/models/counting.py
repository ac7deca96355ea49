# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Counts for smart buttons and lists, one read_group for a whole recordset."""


def count_per_record(model, field, ids, domain=()):
    """{id: number of ``model`` records whose many2one ``field`` is id}, among
    ``ids``, for the records matching ``domain`` too."""
    groups = model.read_group(
        [(field, "in", list(ids))] + list(domain), [field], [field]
    )
    return {group[field][0]: group["%s_count" % field] for group in groups}
