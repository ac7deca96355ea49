# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import UserError

ORIGINS = [
    ("proof", "Proof"),
    ("event", "Event"),
    ("referral", "Referral"),
    ("manual", "Manual"),
    ("reversal", "Reversal"),
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
    def create(self, vals):
        # Rights first: nothing is read or locked for a user who may not write.
        self.check_access_rights("create")
        partner = self.env["res.partner"].browse(vals.get("partner_id"))
        if not partner.exists() or not partner.ambassador_state:
            raise UserError(_("Points can only be given to an ambassador."))
        # Serialises concurrent awards to one ambassador, so that yearly caps and
        # the balance increment see each other.
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id = %s FOR UPDATE", (partner.id,)
        )
        vals.setdefault("segment_id", partner.ambassador_segment_id.id)
        if not vals.get("segment_id"):
            raise UserError(_("%s has no segment.") % partner.display_name)
        points = vals.get("points", 0)
        origin = vals.get("origin", "manual")
        if points > 0 and origin != "reversal" and partner.ambassador_state != "active":
            raise UserError(
                _("%s is not an active ambassador and earns no points.")
                % partner.display_name
            )
        rule = self.env["ambassador.point.rule"].browse(vals.get("rule_id"))
        if points > 0 and rule.yearly_cap and origin != "reversal":
            allowed = self._cap_allowance(partner, rule, vals.get("date"))
            if allowed < points:
                vals["capped_points"] = points - allowed
                vals["points"] = points = allowed
        line = super(AmbassadorPointTransaction, self).create(vals)
        partner._ambassador_add_to_balance(line.segment_id, line.points)
        if not self.env.context.get("ambassador_defer_tiers"):
            # Callers creating many lines defer this and evaluate once, set-based.
            partner._ambassador_update_tiers()
        return line

    @api.model
    def _cap_allowance(self, partner, rule, when=None):
        """Points ``rule`` may still award ``partner`` in the year of ``when``."""
        year = fields.Datetime.from_string(when).year if when else date.today().year
        self.env.cr.execute(
            """
            SELECT COALESCE(SUM(points), 0) FROM ambassador_point_transaction
            WHERE partner_id = %s AND rule_id = %s
              AND date >= %s AND date < %s
            """,
            (partner.id, rule.id, "%d-01-01" % year, "%d-01-01" % (year + 1)),
        )
        return max(rule.yearly_cap - self.env.cr.fetchone()[0], 0)

    @api.multi
    def write(self, vals):
        raise UserError(
            _("The points ledger is append-only: reverse a line instead of editing it.")
        )

    @api.multi
    def unlink(self):
        raise UserError(
            _(
                "The points ledger is append-only: "
                "reverse a line instead of deleting it."
            )
        )

    @api.multi
    def action_reverse(self, reason=None):
        """Cancel lines by appending opposite lines; returns the new lines."""
        reversals = self.browse()
        for line in self:
            if line.origin == "reversal":
                raise UserError(_("A reversal cannot be reversed; add a manual line."))
            if line.reversal_ids:
                raise UserError(_("This line is already reversed."))
            reversals |= self.with_context(ambassador_defer_tiers=True).create(
                {
                    "partner_id": line.partner_id.id,
                    "segment_id": line.segment_id.id,
                    "rule_id": line.rule_id.id,
                    "proof_id": line.proof_id.id,
                    "points": -line.points,
                    "origin": "reversal",
                    "reversed_transaction_id": line.id,
                    "note": reason or _("Reversal of %s") % line.reference,
                }
            )
        reversals.mapped("partner_id")._ambassador_update_tiers()
        return reversals

    def copy(self, default=None):
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
    event_id = fields.Many2one(
        "event.event",
        string="Event",
        index=True,
        ondelete="restrict",
        readonly=True,
    )
