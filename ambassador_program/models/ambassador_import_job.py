# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bringing an existing programme in: a file of ambassadors checked row by row,
then written set-based (contacts, opening balances, tiers, consents)."""
import base64
import json
import logging
from datetime import date

from dateutil.relativedelta import relativedelta

import odoo
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .ambassador_consent import PURPOSES
from .ambassador_segment_field import SIGNUP_FIELDS
from .authority import as_engine, is_engine
from .email_address import usable_email
from .programme_params import int_param
from .import_file import (
    ImportFileError,
    looks_like_formula,
    parse_bool,
    parse_date,
    read_rows,
    split_list,
)
from .res_partner import (
    CONSENT_PURPOSES,
    LINK_FIELDS,
    PROFILE_LONG_MAX,
    PROFILE_TEXT_MAX,
    TERRITORY_LINKS,
)
from .safe_url import is_http_url

_logger = logging.getLogger(__name__)

MANAGER = "ambassador_program.group_ambassador_manager"
REQUIRED_COLUMNS = ("name", "email", "segment")
BASE_COLUMNS = (
    "name", "email", "segment", "tier", "points", "since", "valid_until", "lang",
    "skills", "languages", "network_countries",
)
CONSENT_COLUMNS = {"consent_%s" % purpose: purpose for purpose, _label in PURPOSES}
FIELD_OF_PURPOSE = {purpose: name for name, purpose in CONSENT_PURPOSES.items()}
SEGMENT_COLUMNS = [name for name, _label in SIGNUP_FIELDS]
LONG_TEXT_COLUMNS = {"ambassador_motivation"}
NAME_MAX = 128
# Rows written per statement; the job's progress moves by batch.
BATCH_ROWS = 5000
# Up to this many rows, the Import button writes at once; above, the job is
# queued for the cron (an HTTP request would time out).
SYNC_ROWS = 5000
EDITABLE_FIELDS = {"name", "file", "filename", "send_reconfirmation"}
EDITABLE_STATES = ("draft", "checked", "failed")
STATES = [
    ("draft", "Draft"),
    ("checked", "Checked"),
    ("failed", "Refused"),
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Imported"),
    ("reversed", "Reversed"),
]


class AmbassadorImportJob(models.Model):
    """One import of an existing programme's file. Every row is checked first;
    the file is written only when no row is refused (all or nothing), in one
    transaction, batch by batch, the progress committed apart so that staff
    see it move."""

    _name = "ambassador.import.job"
    _description = "Ambassador Import"
    _order = "id desc"

    name = fields.Char(required=True, default=lambda self: _("Import"))
    file = fields.Binary(attachment=True, required=True)
    filename = fields.Char()
    state = fields.Selection(STATES, default="draft", required=True, readonly=True)
    send_reconfirmation = fields.Boolean(
        string="Send Re-confirmation E-mail",
        help="E-mail each imported ambassador a link to accept the charter and "
        "confirm its consents (imported consents hold until then).",
    )
    progress = fields.Float(string="Progress (%)", readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    error_count = fields.Integer(string="Refused Rows", readonly=True)
    created_count = fields.Integer(string="Contacts Created", readonly=True)
    updated_count = fields.Integer(string="Contacts Enrolled", readonly=True)
    points_total = fields.Integer(string="Opening Points", readonly=True)
    error_report = fields.Text(readonly=True)
    # The report as data ([{row, column, message}]) for RPC callers.
    error_data = fields.Text(readonly=True)
    started_date = fields.Datetime(readonly=True)
    finished_date = fields.Datetime(readonly=True)
    partner_ids = fields.Many2many(
        "res.partner",
        "ambassador_import_job_partner_rel",
        "job_id",
        "partner_id",
        string="Imported Ambassadors",
        readonly=True,
    )
    transaction_ids = fields.One2many(
        "ambassador.point.transaction", "import_job_id", string="Opening Balances"
    )
    reconfirmation_ids = fields.One2many(
        "ambassador.reconfirmation", "job_id", string="Re-confirmations",
        readonly=True,
    )

    @api.model
    def create(self, vals):
        self._check_editable(vals)
        return super(AmbassadorImportJob, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_editable(vals)
        if not is_engine(self.env) and self.filtered(
                lambda job: job.state not in EDITABLE_STATES):
            raise UserError(_("An import under way or done is not edited."))
        return super(AmbassadorImportJob, self).write(vals)

    @api.model
    def _check_editable(self, vals):
        """Staff choose the file and its options; the state, the counts and
        the report are the job's own (else a finished job set back to draft
        would import its balances twice)."""
        if not is_engine(self.env) and set(vals) - EDITABLE_FIELDS:
            raise UserError(_("Only the name, the file and the e-mail option of "
                              "an import are edited."))

    # ------------------------------------------------------------------
    # Entry points: the form's buttons and RPC
    # ------------------------------------------------------------------
    @api.model
    def import_file(self, content, filename, dry_run=True, send_reconfirmation=False):
        """Check (``dry_run``) or import the file ``content`` (base64), as the
        form does. Returns {job_id, state, rows, errors: [{row, column,
        message}], created, updated}. Files above SYNC_ROWS rows are queued."""
        self._check_manager()
        job = self.create({
            "file": content,
            "filename": filename,
            "name": filename or _("Import"),
            "send_reconfirmation": bool(send_reconfirmation),
        })
        if dry_run:
            job.action_check()
        else:
            job.action_import()
        return job._summary()

    @api.multi
    def action_check(self):
        """Dry run: check every row, write nothing but the report."""
        self._check_manager()
        for job in self:
            if job.state not in EDITABLE_STATES:
                raise UserError(_("This file was already imported or queued."))
            job._check_file()
        return True

    @api.multi
    def action_import(self):
        """Check, then import now (small files) or queue for the cron."""
        self._check_manager()
        for job in self:
            if job.state not in ("draft", "checked", "failed"):
                raise UserError(_("This file was already imported or queued."))
            rows = job._check_file()
            if rows is None:
                continue
            if len(rows) > int_param(self.env, "import_sync_rows", SYNC_ROWS, 0):
                as_engine(job).write({"state": "queued", "progress": 0.0})
                # sudo: the manager cannot read crons; run the queue soon.
                cron = self.env.ref(
                    "ambassador_program.cron_import_jobs", raise_if_not_found=False)
                if cron:
                    cron.sudo().write({"nextcall": fields.Datetime.now()})
            else:
                job._import_rows(rows)
        return True

    @api.multi
    def action_reverse_import(self):
        """Reverse the opening balances of an import (reversing lines, the
        ledger keeps both). Contacts, tiers and consents stay: they are the
        people's, corrected one by one if need be."""
        self._check_manager()
        for job in self:
            if job.state != "done":
                raise UserError(_("Only a finished import can be reversed."))
            lines = job.transaction_ids.filtered(
                lambda line: line.origin == "import" and not line.reversal_ids)
            lines.action_reverse(_("Reversal of import %s") % job.name)
            as_engine(job).write({"state": "reversed"})
        return True

    @api.model
    def _cron_run_queued(self):
        """Run the queued imports, one transaction each (all or nothing)."""
        for job in self.search([("state", "=", "queued")], order="id"):
            try:
                job._run_queued()
                self.env.cr.commit()  # pylint: disable=invalid-commit
            except Exception as error:  # any failure is reported on the job
                self.env.cr.rollback()
                _logger.exception("Import %s failed", job.id)
                as_engine(job).write({
                    "state": "failed",
                    "error_report": _("The import stopped: %s") % error,
                })
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.multi
    def _run_queued(self):
        """Run a queued import as the manager who queued it, in its language
        (also from a script: ``env[...].browse(id)._run_queued()``)."""
        self.ensure_one()
        job = self.sudo(self.create_uid).with_context(lang=self.create_uid.lang)
        rows = job._check_file()
        if rows is not None:
            job._import_rows(rows)
        return job

    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only programme managers import ambassadors."))
        self.check_access_rights("create")

    @api.multi
    def _summary(self):
        self.ensure_one()
        return {
            "job_id": self.id,
            "state": self.state,
            "rows": self.row_count,
            "errors": json.loads(self.error_data or "[]"),
            "created": self.created_count,
            "updated": self.updated_count,
        }

    @api.multi
    def _check_file(self):
        """Check every row; store the report. Returns the rows ready to write,
        or None when the file or any row is refused."""
        self.ensure_one()
        rows, errors = self._parse(base64.b64decode(self.file or b""), self.filename)
        report = "\n".join(self._error_line(error) for error in errors)
        values = {
            # Every data row read: those ready and those refused.
            "row_count": (len(rows) if rows is not None else 0) + len(
                {error["row"] for error in errors if error["row"] > 1}),
            "error_count": len({error["row"] for error in errors}),
            "error_report": report or _("Every row can be imported."),
            "error_data": json.dumps(errors),
        }
        if errors or self.state in ("draft", "checked", "failed"):
            values["state"] = "failed" if errors else "checked"
        # Engine: the job's outcome, written by the job itself.
        as_engine(self).write(values)
        return None if errors else rows

    @api.model
    def _error_line(self, error):
        if error["row"]:
            return _("Row %(row)s, column %(column)s: %(message)s") % error
        return error["message"]

    # ------------------------------------------------------------------
    # Checking
    # ------------------------------------------------------------------
    @api.model
    def _file_messages(self):
        return {
            "too_big": _("The file is too large (60 MB at most)."),
            "too_many": _("The file has too many rows (200,000 at most)."),
            "encoding": _(
                "The file is not encoded in UTF-8: save it as \"CSV UTF-8\"."),
            "spreadsheet": _("The file is not a readable spreadsheet (XLSX)."),
            "empty": _("The file has no rows."),
        }

    @api.model
    def _parse(self, content, filename):
        """(rows ready to write, errors), every row checked in memory against
        lookups read once (segments, tiers, skills, languages, countries,
        existing contacts by address)."""
        try:
            header, lines = read_rows(content, filename, self._file_messages())
        except ImportFileError as error:
            return None, [{"row": 0, "column": "", "message": str(error)}]
        errors = []
        known = set(BASE_COLUMNS) | set(CONSENT_COLUMNS) | set(SEGMENT_COLUMNS)
        for column in header:
            if column and column not in known:
                errors.append({"row": 1, "column": column, "message": _(
                    "Unknown column (columns: %s).") % ", ".join(
                        sorted(known))})
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            errors.append({"row": 1, "column": ", ".join(missing), "message": _(
                "Required column missing.")})
        if errors:
            return None, errors
        lookups = self._lookups()
        rows, seen = [], {}
        for index, cells in enumerate(lines, start=2):
            if not any(cells):
                continue
            raw = {column: (cells[i] if i < len(cells) else "")
                   for i, column in enumerate(header) if column}
            row, row_errors = self._check_row(index, raw, lookups)
            if row and row["email"] in seen:
                row_errors.append((index, "email", _(
                    "This address is already on row %s.") % seen[row["email"]]))
            elif row:
                seen[row["email"]] = index
            errors.extend({"row": r, "column": c, "message": m}
                          for r, c, m in row_errors)
            if row and not row_errors:
                rows.append(row)
        self._match_contacts(rows, errors)
        return rows, errors

    @api.model
    def _lookups(self):
        """Names and codes (lower-cased) -> ids, in English, French and the
        user's language."""
        def by_names(model, extra=("code",), domain=None):
            result = {}
            for lang in {"en_US", "fr_FR", self.env.lang or "en_US"}:
                records = self.env[model].with_context(
                    lang=lang, active_test=False).search(domain or [])
                for record in records:
                    for attr in ("name",) + tuple(extra):
                        if record[attr]:
                            result.setdefault(str(record[attr]).strip().lower(),
                                              record.id)
            return result
        tiers = self.env["ambassador.tier"].search([])
        langs = self.env["res.lang"].with_context(active_test=False).search([])
        lang_ids = {}
        for lang in langs:
            for key in (lang.code, lang.iso_code, lang.name):
                if key:
                    lang_ids.setdefault(key.lower(), lang.id)
        return {
            "segment": by_names("ambassador.segment", domain=[("active", "=", True)]),
            "tier": by_names("ambassador.tier", domain=[("active", "=", True)]),
            "tiers": {tier.id: tier for tier in tiers},
            "skill": by_names("ambassador.skill", extra=()),
            "lang": lang_ids,
            "lang_codes": {lang.id: lang.code for lang in langs if lang.active},
            "country": {country.code.lower(): country.id for country in
                        self.env["res.country"].search([]) if country.code},
            "territory": {key for key, _label in TERRITORY_LINKS},
            "base_tier": self.env["ambassador.tier"].get_base_tier().id,
        }

    @api.model
    def _check_row(self, index, raw, lookups):
        """(row values, [(row, column, message)])."""
        errors = []

        def refuse(column, message):
            errors.append((index, column, message))

        for column, value in raw.items():
            if looks_like_formula(value) and column != "points":
                refuse(column, _(
                    "A cell may not start with =, +, - or @ (it would run as a "
                    "spreadsheet formula)."))
        if errors:
            return None, errors
        row = {"row": index, "partner_id": False}
        name = raw.get("name", "")
        if not name:
            refuse("name", _("The name is required."))
        elif len(name) > NAME_MAX:
            refuse("name", _("The name is too long (%d characters at most).")
                   % NAME_MAX)
        row["name"] = name
        email = usable_email(raw.get("email", ""))
        if not email:
            refuse("email", _("This is not a usable e-mail address."))
        row["email"] = email
        row["segment_id"] = lookups["segment"].get(raw.get("segment", "").lower())
        if not row["segment_id"]:
            refuse("segment", _("Unknown segment \"%s\".") % raw.get("segment", ""))
        tier_text = raw.get("tier", "")
        row["tier_id"] = lookups["tier"].get(tier_text.lower()) if tier_text else (
            lookups["base_tier"])
        if not row["tier_id"]:
            refuse("tier", _("Unknown tier \"%s\".") % tier_text)
        points_text = raw.get("points", "") or "0"
        try:
            row["points"] = int(points_text.replace(" ", ""))
        except ValueError:
            row["points"] = 0
            refuse("points", _("The points must be a whole number."))
        if row["points"] < 0:
            refuse("points", _("Opening points cannot be negative."))
        elif row["points"] > 10 ** 7:
            refuse("points", _("The opening points are implausibly high."))
        row["since"] = self._check_date(raw, "since", refuse) or date.today()
        if row["since"] > date.today():
            refuse("since", _("The date an ambassador joined cannot be in the "
                              "future."))
        row["valid_until"] = self._check_date(raw, "valid_until", refuse)
        lang_text = raw.get("lang", "")
        row["lang"] = lookups["lang_codes"].get(
            lookups["lang"].get(lang_text.lower())) if lang_text else None
        if lang_text and not row["lang"]:
            refuse("lang", _("Unknown or inactive language \"%s\".") % lang_text)
        for column, key in (("skills", "skill"), ("languages", "lang"),
                            ("network_countries", "country")):
            ids = []
            for item in split_list(raw.get(column, "")):
                found = lookups[key].get(item.lower())
                if not found:
                    refuse(column, _("Unknown value \"%s\".") % item)
                ids.append(found)
            row[column] = sorted(set(ids))
        row["consents"] = {}
        for column, purpose in CONSENT_COLUMNS.items():
            text = raw.get(column, "")
            if text:
                value = parse_bool(text)
                if value is None:
                    refuse(column, _("Write yes or no (oui or non)."))
                row["consents"][purpose] = value
        row["fields"] = self._check_segment_fields(raw, lookups, refuse)
        return row, errors

    @api.model
    def _check_date(self, raw, column, refuse):
        text = raw.get(column, "")
        if not text:
            return None
        value = parse_date(text)
        if not value:
            refuse(column, _("Write the date as 2021-03-31 or 31/03/2021."))
        return value

    @api.model
    def _check_segment_fields(self, raw, lookups, refuse):
        values = {}
        for column in SEGMENT_COLUMNS:
            text = raw.get(column, "")
            if not text:
                continue
            limit = PROFILE_LONG_MAX if column in LONG_TEXT_COLUMNS else (
                PROFILE_TEXT_MAX)
            if column == "country_id":
                value = lookups["country"].get(text.lower())
                if not value:
                    refuse(column, _("Unknown country code \"%s\".") % text)
            elif column == "ambassador_territory_link":
                value = text if text in lookups["territory"] else None
                if not value:
                    refuse(column, _("Write one of: %s.")
                           % ", ".join(sorted(lookups["territory"])))
            elif len(text) > limit:
                value = None
                refuse(column, _("Too long (%d characters at most).") % limit)
            elif column in LINK_FIELDS and not is_http_url(text):
                value = None
                refuse(column, _("A web address starts with http:// or https://."))
            else:
                value = text
            values[column] = value
        return values

    @api.model
    def _match_contacts(self, rows, errors):
        """Deduplicate on the normalised address against existing contacts
        (archived ones too), in one query; refuse rows whose contact is
        already in the programme or ambiguous."""
        if not rows:
            return
        self.env.cr.execute(
            """
            SELECT lower(trim(email)), array_agg(id ORDER BY id),
                   bool_or(ambassador_state IS NOT NULL)
            FROM res_partner WHERE lower(trim(email)) = ANY(%s)
            GROUP BY lower(trim(email))
            """,
            ([row["email"] for row in rows],),
        )
        found = {email: (ids, member) for email, ids, member in self.env.cr.fetchall()}
        kept = []
        for row in rows:
            ids, member = found.get(row["email"], ([], False))
            if member:
                errors.append({"row": row["row"], "column": "email", "message": _(
                    "This person is already in the programme.")})
            elif len(ids) > 1:
                errors.append({"row": row["row"], "column": "email", "message": _(
                    "Several contacts have this address: merge them first.")})
            else:
                row["partner_id"] = ids[0] if ids else False
                kept.append(row)
        rows[:] = kept

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
    @api.multi
    def _import_rows(self, rows):
        """Write the checked ``rows`` batch by batch in this transaction."""
        self.ensure_one()
        self._set_progress(0, len(rows), "running")
        started = fields.Datetime.now()
        created = updated = points = 0
        imported = self.env["res.partner"]
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start:start + BATCH_ROWS]
            known = [row for row in batch if row["partner_id"]]
            created += self._insert_contacts(
                [row for row in batch if not row["partner_id"]])
            updated += self._enrol_contacts(known)
            partners = self._write_programme_data(batch)
            points += sum(row["points"] for row in batch)
            imported |= partners
            self._analyze_tables()
            self._set_progress(start + len(batch), len(rows), "running")
        as_engine(self).write({
            "state": "done",
            "progress": 100.0,
            "created_count": created,
            "updated_count": updated,
            "points_total": points,
            "error_report": _("Every row was imported: %(created)s contacts "
                              "created, %(updated)s enrolled.") % {
                                  "created": created, "updated": updated},
            "started_date": started,
            "finished_date": fields.Datetime.now(),
        })
        if self.send_reconfirmation:
            self.env["ambassador.reconfirmation"]._send_to(imported, self)
        return imported

    @api.model
    def _analyze_tables(self):
        """Statistics of the tables this transaction grows, between batches:
        without them the planner takes the tables for as small as at the
        last commit and joins them by nested loops (every batch slower than
        the last). ANALYZE counts the rows this transaction inserted."""
        self.env.cr.execute(
            "ANALYZE res_partner, ambassador_point_transaction, ambassador_promotion,"
            " ambassador_consent, ambassador_import_job_partner_rel,"
            " mail_mass_mailing_contact, mail_mass_mailing_contact_list_rel")

    @api.multi
    def _set_progress(self, done, total, state):
        """Progress in the log and, committed apart, on the job's form (the
        import's own transaction commits only at its end). A row the
        transaction holds (or one not committed yet) is skipped, never waited
        for."""
        percent = 100.0 * done / total if total else 100.0
        _logger.info("Import %s: %d of %d rows (%.0f%%)", self.id, done, total,
                     percent)
        if odoo.tools.config["test_enable"]:
            return  # the tests' cursor is shared: nothing to commit apart
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            cr.execute(
                """
                UPDATE ambassador_import_job SET progress = %s, state = %s
                WHERE id IN (SELECT id FROM ambassador_import_job WHERE id = %s
                             FOR UPDATE SKIP LOCKED)
                """,
                (percent, state, self.id),
            )

    @api.model
    def _contact_columns(self, rows):
        """{column: (SQL type, values per row)} for new contacts: Odoo's
        defaults, the row's values, and the stored computed fields a contact
        without parent or company has (display_name is its name, it is its own
        commercial partner, set after the insert)."""
        Partner = self.env["res.partner"]
        stored = [name for name, field in Partner._fields.items()
                  if field.store and field.column_type and not field.compute]
        defaults = Partner.default_get(stored)
        now = fields.Datetime.now()
        count = len(rows)
        values = {}
        for name, value in defaults.items():
            field = Partner._fields[name]
            values[name] = [field.convert_to_column(value, Partner)] * count
        values.update({
            "name": [row["name"] for row in rows],
            "display_name": [row["name"] for row in rows],
            "email": [row["email"] for row in rows],
            "ambassador_state": ["active"] * count,
            "ambassador_segment_id": [row["segment_id"] for row in rows],
            "ambassador_since": [row["since"] for row in rows],
            "ambassador_balance": [0] * count,
            "partner_share": [True] * count,
            "create_uid": [self.env.uid] * count,
            "write_uid": [self.env.uid] * count,
            "create_date": [now] * count,
            "write_date": [now] * count,
        })
        if any(row["lang"] for row in rows):
            values["lang"] = [row["lang"] or values["lang"][0] for row in rows]
        for column in SEGMENT_COLUMNS:
            if any(column in row["fields"] for row in rows):
                values[column] = [row["fields"].get(column) for row in rows]
        ids = [row["partner_id"] for row in rows]
        values["id"] = values["commercial_partner_id"] = ids
        # The file's consents (the log is written by _import_consents).
        for purpose, field in FIELD_OF_PURPOSE.items():
            if any(purpose in row["consents"] for row in rows):
                values[field] = [bool(row["consents"].get(purpose)) for row in rows]
        values["commercial_company_name"] = values.get("company_name", [None] * count)
        values["commercial_partner_country_id"] = values.get(
            "country_id", [None] * count)
        return {name: (Partner._fields[name].column_type[1], column_values)
                for name, column_values in values.items()}

    @api.model
    def _insert_contacts(self, rows):
        """New contacts in one INSERT; sets each row's partner_id."""
        if not rows:
            return 0
        # Ids first, so that each contact is its own commercial partner in
        # the INSERT itself (no second pass over the rows).
        self.env.cr.execute(
            "SELECT nextval('res_partner_id_seq') FROM generate_series(1, %s)",
            (len(rows),),
        )
        for row, (partner_id,) in zip(rows, self.env.cr.fetchall()):
            row["partner_id"] = partner_id
            row["new"] = True
        columns = self._contact_columns(rows)
        names = sorted(columns)
        self.env.cr.execute(
            """
            INSERT INTO res_partner ({columns})
            SELECT * FROM unnest({arrays})
            """.format(
                columns=", ".join('"%s"' % name for name in names),
                arrays=", ".join("%%s::%s[]" % columns[name][0] for name in names),
            ),
            [columns[name][1] for name in names],
        )
        return len(rows)

    @api.model
    def _enrol_contacts(self, rows):
        """Existing contacts join the programme: its fields are set; of the
        contact's own data (segment questions: phone, city, company...) only
        empty fields are completed, never overwritten; name, address and
        language stay as they are."""
        if not rows:
            return 0
        Partner = self.env["res.partner"]
        sets, arrays, params = [], ["%s::int[]"], [[row["partner_id"] for row in rows]]
        aliases = ["partner_id"]
        programme = {"ambassador_segment_id": "segment_id", "ambassador_since": "since"}
        for column in list(programme) + SEGMENT_COLUMNS:
            if column in programme:
                values = [row[programme[column]] for row in rows]
                sets.append('"{c}" = r."{c}"'.format(c=column))
            elif any(column in row["fields"] for row in rows):
                values = [row["fields"].get(column) for row in rows]
                if Partner._fields[column].column_type[1] in ("varchar", "text"):
                    sets.append(
                        '"{c}" = CASE WHEN COALESCE(p."{c}", \'\') = \'\' '
                        'THEN r."{c}" ELSE p."{c}" END'.format(c=column))
                else:
                    sets.append('"{c}" = COALESCE(p."{c}", r."{c}")'.format(c=column))
            else:
                continue
            aliases.append(column)
            arrays.append("%%s::%s[]" % Partner._fields[column].column_type[1])
            params.append(values)
        self.env.cr.execute(
            """
            UPDATE res_partner p SET ambassador_state = 'active',
                ambassador_balance = COALESCE(p.ambassador_balance, 0),
                write_uid = %s, write_date = now() at time zone 'UTC', {sets}
            FROM unnest({arrays}) AS r({aliases})
            WHERE p.id = r.partner_id
            """.format(sets=", ".join(sets), arrays=", ".join(arrays),
                       aliases=", ".join('"%s"' % a for a in aliases)),
            [self.env.uid] + params,
        )
        return len(rows)

    @api.multi
    def _write_programme_data(self, rows):
        """Lists, consents, opening balances and tiers of the contacts of
        ``rows`` (written by _insert_contacts/_enrol_contacts)."""
        cr = self.env.cr
        partner_ids = [row["partner_id"] for row in rows]
        partners = self.env["res.partner"].browse(partner_ids)
        for column, table, key in (
            ("skills", "ambassador_skill_partner_rel", "skill_id"),
            ("languages", "ambassador_lang_partner_rel", "lang_id"),
            ("network_countries", "ambassador_network_country_rel", "country_id"),
        ):
            pairs = [(row["partner_id"], item) for row in rows for item in row[column]]
            if pairs:
                cr.execute(
                    """
                    INSERT INTO {table} (partner_id, {key})
                    SELECT * FROM unnest(%s::int[], %s::int[])
                    ON CONFLICT DO NOTHING
                    """.format(table=table, key=key),
                    ([p for p, _i in pairs], [i for _p, i in pairs]),
                )
        cr.execute(
            """
            INSERT INTO ambassador_import_job_partner_rel (job_id, partner_id)
            SELECT %s, unnest(%s::int[]) ON CONFLICT DO NOTHING
            """,
            (self.id, partner_ids),
        )
        self._import_consents(rows)
        # The SQL above wrote these contacts: the ORM reads them afresh.
        self.env["res.partner"].invalidate_cache(ids=partner_ids)
        self._import_balances(rows)
        self._import_tiers(rows)
        # Engine (managers checked in the entry points): after the opening
        # balances and tiers, the usual rules run; promotions to committee
        # tiers are proposed to the committee, never given.
        engine = as_engine(self.env["ambassador.status.engine"]).with_context(
            ambassador_status_mail=False)
        engine._evaluate(partners)
        return partners

    @api.multi
    def _import_consents(self, rows):
        """The file's consents as the contact's flags and as log lines of
        channel "import", basis "legacy programme" (to be re-confirmed), in
        two statements. Set-based beside res.partner._ambassador_set_consents,
        which logs one person's own choices line by line."""
        cr = self.env.cr
        entries = [(row["partner_id"], purpose, value)
                   for row in rows for purpose, value in row["consents"].items()]
        if not entries:
            return
        cr.execute(
            """
            INSERT INTO ambassador_consent
                (partner_id, purpose, granted, date, channel, legal_basis, reason,
                 user_id, create_uid, create_date, write_uid, write_date)
            SELECT r.partner_id, r.purpose, r.granted, now() at time zone 'UTC',
                   'import', 'legacy', %s, %s, %s, now() at time zone 'UTC', %s,
                   now() at time zone 'UTC'
            FROM unnest(%s::int[], %s::varchar[], %s::bool[])
                AS r(partner_id, purpose, granted)
            """,
            (_("Imported from the former programme (%s)") % self.name,
             self.env.uid, self.env.uid, self.env.uid,
             [e[0] for e in entries], [e[1] for e in entries],
             [e[2] for e in entries]),
        )
        by_field = {}
        known = {row["partner_id"] for row in rows if not row.get("new")}
        for partner_id, purpose, value in entries:
            if purpose in FIELD_OF_PURPOSE and partner_id in known:
                by_field.setdefault(FIELD_OF_PURPOSE[purpose], []).append(
                    (partner_id, value))
        for field, values in by_field.items():
            cr.execute(
                """
                UPDATE res_partner p SET "{field}" = r.granted
                FROM unnest(%s::int[], %s::bool[]) AS r(partner_id, granted)
                WHERE p.id = r.partner_id
                """.format(field=field),
                ([v[0] for v in values], [v[1] for v in values]),
            )

    @api.multi
    def _import_balances(self, rows):
        """Opening balances: one ledger line of origin "import" per row with
        points, through the ledger's one path (set-based for imports)."""
        awards = [
            {
                "partner_id": row["partner_id"],
                "segment_id": row["segment_id"],
                "points": row["points"],
                "origin": "import",
                "import_job_id": self.id,
                "note": _("Opening balance (%s)") % self.name,
            }
            for row in rows if row["points"]
        ]
        Ledger = self.env["ambassador.point.transaction"]
        return Ledger._award(awards, evaluate=False)

    @api.multi
    def _import_tiers(self, rows):
        """The file's tiers, recorded as status changes of reason "import" and
        given set-based; a committee tier (Gold, Platinum) keeps a validity:
        the file's, else the current period of its validity counted from the
        date the ambassador joined."""
        tiers = self.env["ambassador.tier"]
        today = date.today()
        by_tier, validities = {}, {}
        for row in rows:
            tier = tiers.browse(row["tier_id"])
            by_tier.setdefault(tier, []).append(row["partner_id"])
            if tier.committee_required:
                valid_until = row["valid_until"]
                months = tier.validity_months
                if not valid_until and months:
                    valid_until = row["since"] + relativedelta(months=months)
                    while valid_until <= today:
                        valid_until += relativedelta(months=months)
                if valid_until:
                    validities[row["partner_id"]] = fields.Date.to_string(valid_until)
        # Engine: managers checked in the entry points; the agency's decisions
        # (its committee granted these tiers) are recorded as such.
        engine = as_engine(self.env["ambassador.status.engine"]).with_context(
            ambassador_status_mail=False)
        engine._record_changes(
            [(pid, tier.id) for tier, ids in by_tier.items() for pid in ids],
            "applied", reason="import",
            notes=_("Imported from the former programme (%s)") % self.name,
        )
        # No chatter message per contact: the status changes above are the log.
        Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_notrack=True)
        for tier, ids in by_tier.items():
            engine._set_tiers(Partner.browse(ids), tier)
        engine._set_validities(validities)
