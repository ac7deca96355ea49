# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .authority import is_engine

_logger = logging.getLogger(__name__)

ORIGINS = [
    ("proof", "Proof"),
    ("event", "Event"),
    ("referral", "Referral"),
    ("manual", "Manual"),
    ("reversal", "Reversal"),
    ("import", "Opening Balance (Import)"),
    ("mission", "Mission"),
    ("share", "Tracked Share"),
    ("lead", "Lead"),
]


class AmbassadorPointTransaction(models.Model):
    """The points ledger: append-only. A balance is the sum of these lines; a
    correction is a reversing line. Write and delete are refused here and by a
    database trigger; approving a proof twice is refused by a unique index."""

    _name = "ambassador.point.transaction"
    _description = "Ambassador Points Ledger Line"
    _order = "date desc, id desc"
    _rec_name = "reference"

    reference = fields.Char(compute="_compute_reference")
    partner_id = fields.Many2one(
        "res.partner",
        string="Ambassador",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    segment_id = fields.Many2one(
        "ambassador.segment",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    rule_id = fields.Many2one(
        "ambassador.point.rule", index=True, ondelete="restrict", readonly=True
    )
    points = fields.Integer(required=True, readonly=True)
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True
    )
    origin = fields.Selection(ORIGINS, required=True, default="manual", readonly=True)
    proof_id = fields.Many2one(
        "ambassador.proof", index=True, ondelete="restrict", readonly=True
    )
    reversed_transaction_id = fields.Many2one(
        "ambassador.point.transaction",
        string="Reverses",
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    reversal_ids = fields.One2many(
        "ambassador.point.transaction", "reversed_transaction_id", string="Reversals"
    )
    is_reversed = fields.Boolean(compute="_compute_is_reversed")
    note = fields.Char(readonly=True)
    capped_points = fields.Integer(
        readonly=True, help="Points the rule's yearly cap withheld from this line."
    )

    _sql_constraints = [
        (
            "reversal_once",
            "unique(reversed_transaction_id)",
            "A ledger line can be reversed only once.",
        ),
    ]

    @api.model_cr
    def init(self):
        cr = self.env.cr
        # One proof, one award: the database refuses a second line even when two
        # users approve the same proof at the same moment.
        cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ambassador_point_transaction_proof_once
            ON ambassador_point_transaction (proof_id) WHERE origin = 'proof'
            """)
        # One attendance, one award (same guarantee as for proofs).
        cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ambassador_point_transaction_event_once
            ON ambassador_point_transaction (event_registration_id)
            WHERE origin = 'event'
            """)
        # One award per ambassador and event, however many of its registrations
        # are attended (a website form gives the visitor to every attendee row).
        # Lines older than event_id have it NULL: the model checks those.
        cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS
                ambassador_point_transaction_event_partner_once
            ON ambassador_point_transaction (partner_id, event_id)
            WHERE origin = 'event' AND event_id IS NOT NULL
            """)
        # Balances per ambassador and segment are read from this index.
        cr.execute("""
            CREATE INDEX IF NOT EXISTS ambassador_point_transaction_balance_idx
            ON ambassador_point_transaction (partner_id, segment_id) INCLUDE (points)
            """)
        # Append-only, whoever connects: no UPDATE or DELETE of a ledger line.
        cr.execute("""
            CREATE OR REPLACE FUNCTION ambassador_point_transaction_append_only()
            RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'The points ledger is append-only (% refused)', TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS ambassador_point_transaction_append_only
                ON ambassador_point_transaction;
            CREATE TRIGGER ambassador_point_transaction_append_only
                BEFORE UPDATE OR DELETE ON ambassador_point_transaction
                FOR EACH ROW
                EXECUTE PROCEDURE ambassador_point_transaction_append_only();
            """)

    @api.depends("origin", "points", "partner_id")
    def _compute_reference(self):
        origins = dict(self._fields["origin"]._description_selection(self.env))
        for line in self:
            line.reference = "%s %+d (%s)" % (
                line.partner_id.display_name or "",
                line.points,
                origins.get(line.origin, ""),
            )

    @api.depends("reversal_ids")
    def _compute_is_reversed(self):
        for line in self:
            line.is_reversed = bool(line.reversal_ids)

    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        # Every line goes through _award, which calls super().create itself.
        return self._award([vals])

    @api.model
    def _award(self, vals_list, evaluate=True):
        """The one way points enter the ledger (proofs, attendance, referrals,
        manual lines, reversals, imports, missions, shares, leads), like
        gamification's ``_add_karma_batch``: writes the lines of
        ``vals_list`` set-based (``_insert_awards``: a constant number of
        queries whatever their number), adds them to the balances in one
        statement and evaluates the tiers of the ambassadors concerned once
        (unless ``evaluate`` is false: the caller evaluates after it).
        Opening balances (origin "import") have their own checks
        (_insert_opening_balances). Returns the lines; nothing is written
        when one line is refused."""
        # Rights first: nothing is read or locked for a user who may not write.
        self.check_access_rights("create")
        if not vals_list:
            return self.browse()
        openings = [vals for vals in vals_list if vals.get("origin") == "import"]
        vals_list = [vals for vals in vals_list if vals.get("origin") != "import"]
        partner_ids = sorted(
            {vals.get("partner_id") or 0 for vals in vals_list + openings})
        # Serialises concurrent awards to these ambassadors (in one order, so
        # two batches cannot deadlock), so that yearly caps and the balance
        # increments see each other.
        # log_exceptions: a concurrent award makes this fail with a
        # serialization error that Odoo retries; not an error to log.
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE",
            (tuple(partner_ids),),
            log_exceptions=False,
        )
        lines = self._insert_opening_balances(openings) if openings else self.browse()
        if vals_list:
            lines |= self._insert_awards(vals_list)
        self._add_to_balances(lines)
        if evaluate:
            # The lines' ambassadors, known without reading the new lines
            # back: every line of vals_list was written, or none.
            self.env["ambassador.status.engine"]._evaluate(
                self.env["res.partner"].browse([pid for pid in partner_ids if pid]))
        return lines

    @api.model
    def _insert_awards(self, vals_list):
        """Write the lines of ``vals_list`` as create() would, one by one,
        but in one INSERT ... SELECT FROM unnest: the values completed and
        checked for the set (``_check_awards``), the fields' defaults of the
        missing keys (``default_get``, booleans False), the log columns,
        then what create() does after its INSERT (fields marked modified,
        stored computed fields, python constraints, record rules). The
        database guards (unique indexes, foreign keys) refuse the whole
        statement. The caller holds the ambassadors' locks (_award)."""
        vals_list = [dict(vals) for vals in vals_list]
        missing = sorted({
            name for name in self._fields if name not in models.MAGIC_COLUMNS
            and any(name not in vals for vals in vals_list)})
        defaults = self.default_get(missing) if missing else {}
        self._check_awards(vals_list, defaults.get("date"))
        rows = []
        for vals in vals_list:
            row = dict(defaults)
            row.update(vals)
            for name in models.MAGIC_COLUMNS + ["parent_left", "parent_right"]:
                row.pop(name, None)
            rows.append(row)
        columns, todo, unknown = set(), set(), set()
        for row in rows:
            for name in row:
                field = self._fields.get(name)
                if not field:
                    unknown.add(name)
                elif field.store and field.column_type:
                    columns.add(name)
                elif field.store:
                    todo.add(name)
        if unknown:
            _logger.warning("%s.create() includes unknown fields: %s",
                            self._name, ", ".join(sorted(unknown)))
        # As _create: stored booleans missing from the values are False.
        for name, field in self._fields.items():
            if field.type == "boolean" and field.store:
                columns.add(name)
                for row in rows:
                    row.setdefault(name, False)
        columns = sorted(columns)
        record = self.browse()
        checked = set()
        arrays = []
        for name in columns:
            field = self._fields[name]
            values = []
            for row in rows:
                if name not in row:
                    # Left out of create()'s INSERT: the column stays NULL.
                    values.append(None)
                    continue
                value = row[name]
                if hasattr(field, "selection") and value and (
                        (name, value) not in checked):
                    self._check_selection_field_value(name, value)
                    checked.add((name, value))
                values.append(field.convert_to_column(value, record, row))
            arrays.append(values)
        query = """
            INSERT INTO "{table}" ({columns}, create_uid, create_date,
                                   write_uid, write_date)
            SELECT {values}, %s, (now() at time zone 'UTC'),
                   %s, (now() at time zone 'UTC')
            FROM unnest({arrays}) WITH ORDINALITY AS r({aliases}, ord)
            ORDER BY r.ord
            RETURNING id
            """.format(
                table=self._table,
                columns=", ".join('"%s"' % name for name in columns),
                values=", ".join("r.c%d" % i for i in range(len(columns))),
                arrays=", ".join(
                    "%%s::%s[]" % self._fields[name].column_type[1]
                    for name in columns),
                aliases=", ".join("c%d" % i for i in range(len(columns))),
            )
        self.env.cr.execute(query, [self.env.uid, self.env.uid] + arrays)
        # nextval() follows the ORDER BY: the ids come in the values' order.
        lines = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        # What _create does after its INSERT, for the set.
        lines.modified(self._fields)
        if todo:
            rel_context = {key: value for key, value in self._context.items()
                           if not key.startswith("default_")}
            for name in sorted(todo, key=lambda name: self._fields[name]._sequence):
                for line, row in zip(lines, rows):
                    if name in row:
                        self._fields[name].write(
                            line.with_env(self.env(context=rel_context)),
                            row[name], create=True)
            lines.modified(todo)
        lines._validate_fields(set(columns) | todo)
        # Stored computed fields other modules may add are computed as by create().
        for field in self._fields.values():
            if field.store and field.compute:
                self.env.add_todo(field, lines)
        if self.env.recompute and self._context.get("recompute", True):
            self.recompute()
        lines.check_access_rule("create")
        return lines

    @api.model
    def _check_awards(self, vals_list, default_date=None):
        """Complete and check in place the values of ``vals_list`` (segment,
        the ambassador's state, the rule's yearly cap) as if each line were
        written before the next is checked, in three queries: the
        ambassadors, the rules, and what each (ambassador, rule, year) pair
        already earned. A line's cap year is its date's (today's without);
        the points it is given count against the later lines of the same
        ambassador, rule and year, as a line already in the ledger would.
        What the cap withholds is kept in ``capped_points``.
        ``default_date``: the date of the lines without one."""
        cr = self.env.cr
        partner_ids = sorted({vals.get("partner_id") or 0 for vals in vals_list})
        cr.execute(
            "SELECT id, ambassador_state, ambassador_segment_id FROM res_partner "
            "WHERE id = ANY(%s)", (partner_ids,))
        partners = {pid: (state, segment) for pid, state, segment in cr.fetchall()}
        Partner = self.env["res.partner"]
        capped = []
        for vals in vals_list:
            state, segment = partners.get(vals.get("partner_id") or 0, (None, None))
            self._check_award_line(vals, state, segment)
            if not state:
                raise UserError(_("Points can only be given to an ambassador."))
            vals.setdefault("segment_id", segment or False)
            partner = Partner.browse(vals["partner_id"])
            if not vals.get("segment_id"):
                raise UserError(_("%s has no segment.") % partner.display_name)
            points = vals.get("points", 0)
            origin = vals.get("origin", "manual")
            if points > 0 and origin != "reversal" and state != "active":
                raise UserError(
                    _("%s is not an active ambassador and earns no points.")
                    % partner.display_name
                )
            if points > 0 and origin != "reversal" and vals.get("rule_id"):
                capped.append(vals)
        rules = self.env["ambassador.point.rule"].browse(
            sorted({vals["rule_id"] for vals in capped}))
        caps = {rule.id: rule.yearly_cap for rule in rules}
        this_year = date.today().year
        keys = {}
        for vals in capped:
            if caps[vals["rule_id"]]:
                keys[id(vals)] = (
                    vals["partner_id"], vals["rule_id"],
                    fields.Datetime.from_string(vals["date"]).year
                    if vals.get("date") else this_year)
        if not keys:
            return
        pairs = sorted(set(keys.values()))
        cr.execute(
            """
            SELECT k.partner_id, k.rule_id, k.year, COALESCE(SUM(t.points), 0)
            FROM unnest(%s::int[], %s::int[], %s::int[])
                AS k(partner_id, rule_id, year)
            LEFT JOIN ambassador_point_transaction t
                ON t.partner_id = k.partner_id AND t.rule_id = k.rule_id
               AND t.date >= make_timestamp(k.year, 1, 1, 0, 0, 0)
               AND t.date < make_timestamp(k.year + 1, 1, 1, 0, 0, 0)
            GROUP BY k.partner_id, k.rule_id, k.year
            """,
            ([p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs]))
        used = {(pid, rid, year): total for pid, rid, year, total in cr.fetchall()}
        for vals in vals_list:
            key = keys.get(id(vals))
            if key:
                allowed = max(caps[key[1]] - used[key], 0)
                if allowed < vals["points"]:
                    vals["capped_points"] = vals["points"] - allowed
                    vals["points"] = allowed
            # Every line of the batch counts for the later ones, as it would
            # once written (reversals and lines without cap included).
            when = vals.get("date") or default_date
            written = (vals.get("partner_id"), vals.get("rule_id"),
                       fields.Datetime.from_string(when).year if when else None)
            if written in used:
                used[written] += vals.get("points") or 0

    @api.model
    def _check_award_line(self, vals, state, segment):
        """Hook: refuse a line of ``vals_list`` for its origin's own rules,
        given the ambassador's state and segment (None when the contact is
        not found), before the common checks of ``_check_awards``."""

    @api.model
    def _insert_opening_balances(self, vals_list):
        """Opening balances of an imported programme, in one INSERT whatever
        their number, after the checks of _check_awards done for the set in
        one query: programme managers only; active ambassadors (of the line's
        segment, the contact's by default); no rule, hence no yearly cap (the
        former programme awarded these points). The caller holds the
        ambassadors' locks (_award)."""
        if not self.env.user.has_group(
                "ambassador_program.group_ambassador_manager") and not (
                    is_engine(self.env)):
            raise AccessError(_("Only programme managers import opening balances."))
        partner_ids = [vals.get("partner_id") or 0 for vals in vals_list]
        self.env.cr.execute(
            """
            SELECT id, ambassador_state, ambassador_segment_id FROM res_partner
            WHERE id = ANY(%s)
            """,
            (partner_ids,),
        )
        partners = {pid: (state, segment) for pid, state, segment in
                    self.env.cr.fetchall()}
        segments, points, notes, jobs = [], [], [], []
        for vals in vals_list:
            state, segment = partners.get(vals.get("partner_id"), (None, None))
            if state != "active" or vals.get("rule_id") or vals.get("proof_id"):
                raise UserError(
                    _("Opening balances go to active ambassadors, without rule "
                      "or proof (contact %s).") % vals.get("partner_id"))
            if (vals.get("points") or 0) < 0:
                raise UserError(_("An opening balance cannot be negative."))
            segment = vals.get("segment_id") or segment
            if not segment:
                raise UserError(_("Contact %s has no segment.") % vals["partner_id"])
            segments.append(segment)
            points.append(int(vals.get("points") or 0))
            notes.append(vals.get("note") or None)
            jobs.append(vals.get("import_job_id") or None)
        now = fields.Datetime.now()
        self.env.cr.execute(
            """
            INSERT INTO ambassador_point_transaction
                (partner_id, segment_id, points, date, origin, note, import_job_id,
                 create_uid, create_date, write_uid, write_date)
            SELECT r.partner_id, r.segment_id, r.points, %s, 'import', r.note,
                   r.job_id, %s, %s, %s, %s
            FROM unnest(%s::int[], %s::int[], %s::int[], %s::varchar[], %s::int[])
                AS r(partner_id, segment_id, points, note, job_id)
            RETURNING id
            """,
            (now, self.env.uid, now, self.env.uid, now, partner_ids, segments,
             points, notes, jobs),
        )
        lines = self.browse([row[0] for row in self.env.cr.fetchall()])
        # Stored computed fields other modules may add are computed as by create().
        for field in self._fields.values():
            if field.store and field.compute:
                self.env.add_todo(field, lines)
        self.recompute()
        return lines

    @api.model
    def _add_to_balances(self, lines):
        """Add ``lines`` to their ambassadors' balances (those in the line's
        segment, which the balance counts), in one statement."""
        if not lines:
            return
        self.env.cr.execute(
            """
            UPDATE res_partner p
            SET ambassador_balance = COALESCE(p.ambassador_balance, 0) + d.points
            FROM (
                SELECT partner_id, segment_id, SUM(points) AS points
                FROM ambassador_point_transaction WHERE id IN %s
                GROUP BY partner_id, segment_id
            ) d
            WHERE p.id = d.partner_id AND p.ambassador_segment_id = d.segment_id
            RETURNING p.id
            """,
            (tuple(lines.ids),),
        )
        # Only the balances changed here; the new lines are not read back.
        self.env["res.partner"].invalidate_cache(
            ["ambassador_balance"], [row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _balance_query(self, where=""):
        """Ledger sum per ambassador in its current segment; ``where`` is a
        constant SQL fragment of this model (its values go as parameters)."""
        return """
            SELECT p.id AS partner_id, COALESCE(SUM(t.points), 0) AS total
            FROM res_partner p
            LEFT JOIN ambassador_point_transaction t
                ON t.partner_id = p.id AND t.segment_id = p.ambassador_segment_id
            WHERE p.ambassador_state IS NOT NULL {where}
            GROUP BY p.id
        """.format(where=where)

    @api.model
    def _recompute_balances(self, partners):
        """Set the balances of ``partners`` (nobody when empty) to the sum of
        their ledger in one statement; returns how many were wrong."""
        if not partners:
            return 0
        return self._recompute_balances_where(
            "AND p.id IN %s", [tuple(partners.ids)]
        )

    @api.model
    def _recompute_all_balances(self):
        """``_recompute_balances`` for every ambassador (nightly, benchmarks)."""
        return self._recompute_balances_where("", [])

    @api.model
    def _recompute_balances_where(self, where, params):
        self.env.cr.execute(
            """
            WITH sums AS ({query})
            UPDATE res_partner p SET ambassador_balance = sums.total
            FROM sums
            WHERE p.id = sums.partner_id
              AND p.ambassador_balance IS DISTINCT FROM sums.total
            """.format(query=self._balance_query(where)),
            params,
        )
        fixed = self.env.cr.rowcount
        self.env["res.partner"].invalidate_cache(["ambassador_balance"])
        return fixed

    @api.model
    def _balance_mismatches(self):
        """Ambassadors whose stored balance differs from their ledger sum."""
        self.env.cr.execute("""
            WITH sums AS ({query})
            SELECT p.id FROM res_partner p JOIN sums ON sums.partner_id = p.id
            WHERE p.ambassador_balance IS DISTINCT FROM sums.total
            """.format(query=self._balance_query()))
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.env["res.partner"].browse(ids)

    @api.model
    def _cron_check_balances(self):
        """Nightly safety net: repair and report balances that drifted, then
        evaluate every active ambassador's tier."""
        fixed = self._recompute_all_balances()
        if fixed:
            _logger.warning("Repaired %d ambassador balances", fixed)
        self.env["ambassador.status.engine"]._evaluate_all()
        return fixed

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        # Append-only: no line is ever written again (a trigger refuses it too).
        raise UserError(
            _("The points ledger is append-only: reverse a line instead of editing it.")
        )

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(
            _(
                "The points ledger is append-only: "
                "reverse a line instead of deleting it."
            )
        )

    @api.multi
    def action_reverse(self, reason=None):
        """Cancel lines by appending opposite lines; returns the new lines."""
        awards = []
        for line in self:
            if line.origin == "reversal":
                raise UserError(_("A reversal cannot be reversed; add a manual line."))
            if line.reversal_ids:
                raise UserError(_("This line is already reversed."))
            awards.append(
                {
                    "partner_id": line.partner_id.id,
                    "segment_id": line.segment_id.id,
                    "rule_id": line.rule_id.id,
                    "proof_id": line.proof_id.id,
                    "points": -line.points,
                    "origin": "reversal",
                    "reversed_transaction_id": line.id,
                    # Not the reference, which names the ambassador: the
                    # append-only ledger must outlive an erasure.
                    "note": reason or _("Reversal of line %(line)d (%(points)+d)") % {
                        "line": line.id, "points": line.points},
                }
            )
        return self._award(awards)

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(_("Ledger lines cannot be duplicated."))

    event_registration_id = fields.Many2one(
        "event.registration",
        string="Event Attendance",
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    # Set when the line is written (no backfill: the ledger refuses UPDATE);
    # older event lines reach their event through their registration.
    import_job_id = fields.Many2one(
        "ambassador.import.job",
        string="Import",
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    event_id = fields.Many2one(
        "event.event",
        string="Event",
        index=True,
        ondelete="restrict",
        readonly=True,
    )
