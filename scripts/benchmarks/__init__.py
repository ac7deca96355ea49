"""The scale benchmarks of ambassador_program, behind the command-line entry points
``scripts/benchmark_ledger.py`` and ``scripts/benchmark_mailing_sync.py``.

* ``common``: paths, errors, progress output, the timing helper, the database options
  and the Odoo environment both benchmarks run in;
* ``generate``: set-based generation of ambassadors, ledger lines and committee
  statuses (``BENCH-<n>`` contacts), their removal, and the changes the measures need;
* ``measure``: the timed operations of the addon, each beside its raw-SQL twin, one
  function per pair, returning figures (plain dicts, written as JSON as they are);
* ``report``: the tables printed, the JSON written and the plot drawn (matplotlib).
"""
