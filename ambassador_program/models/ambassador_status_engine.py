# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib
import logging
from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from .authority import as_engine, is_engine
from .email_address import USABLE_EMAIL_PARAMS, usable_email_sql
from .programme_params import int_param

_logger = logging.getLogger(__name__)

# Above this many contacts moved at once, the engine does not track the tier in
# each contact's chatter (the status history records every change).
TRACKING_LIMIT = 100
ALL_STATES = ("candidate", "active", "suspended", "left")
# Programme e-mails are rendered and queued by batches of this size.
MAIL_BATCH = 500
# What a programme e-mail is made of, rendered from its template.
MAIL_FIELDS = ("subject", "body_html", "email_from", "reply_to")
# The ``lang`` expressions of mail templates that name the language of the
# e-mail's recipient (the contact the programme's e-mails go to), by model.
RECIPIENT_LANG_EXPRESSIONS = {
    "ambassador.promotion": ("${object.partner_id.lang}",),
    "ambassador.proof": ("${object.partner_id.lang}",),
    "ambassador.reconfirmation": ("${object.partner_id.lang}",),
    "res.partner": ("${object.lang}",),
}
# The e-mail telling an ambassador about a status change, by kind of change
# (see _status_mail_kind); data/ambassador_status_mail_template_data.xml.
STATUS_MAIL_TEMPLATES = {
    "tier_reached": "ambassador_program.mail_template_status_tier_reached",
    "lowered": "ambassador_program.mail_template_status_lowered",
    "review_opened": "ambassador_program.mail_template_status_review_opened",
    "granted": "ambassador_program.mail_template_status_committee_granted",
    "refused": "ambassador_program.mail_template_status_committee_refused",
}


# Mail templates' texts compiled by jinja, by (text, not escaped): Odoo 11's
# render_template compiles a text on each call, tens of milliseconds for a
# body, for each field, language and batch of e-mails.
_COMPILED_MAIL_TEMPLATES = {}
COMPILED_MAIL_TEMPLATES_MAX = 200


def odoo_mail_template_module():
    """Odoo's mail/models/mail_template.py (its jinja environments and date
    helpers), imported when used: importing the mail addon at import time
    breaks loading the addon outside a server (the packaging test)."""
    return importlib.import_module("odoo.addons.mail.models.mail_template")


def compiled_mail_template(text, safe):
    """The jinja template of a mail.template field's ``text``, as
    render_template loads it (None when it does not load: render_template
    then renders nothing); ``safe``: not HTML-escaped (the subject)."""
    key = (tools.ustr(text), bool(safe))
    if key not in _COMPILED_MAIL_TEMPLATES:
        odoo_mail_template = odoo_mail_template_module()
        jinja = (odoo_mail_template.mako_safe_template_env if safe
                 else odoo_mail_template.mako_template_env)
        try:
            compiled = jinja.from_string(key[0])
        except Exception:
            _logger.info("Failed to load template %r", text, exc_info=True)
            compiled = None
        if len(_COMPILED_MAIL_TEMPLATES) >= COMPILED_MAIL_TEMPLATES_MAX:
            _COMPILED_MAIL_TEMPLATES.clear()
        _COMPILED_MAIL_TEMPLATES[key] = compiled
    return _COMPILED_MAIL_TEMPLATES[key]


def remembered(function):
    """``function`` (pure for one rendering: one language, one context)
    computed once per distinct arguments; unhashable arguments are passed
    through."""
    results = {}

    def call(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:
            return function(*args, **kwargs)
        if key not in results:
            results[key] = function(*args, **kwargs)
        return results[key]
    return call


class AmbassadorStatusEngine(models.AbstractModel):
    """The status engine: the one place that evaluates tiers, records status
    changes decided by the programme (points, yearly review, fall-back,
    sanction) and gives tiers. Every method takes its scope explicitly: an
    empty recordset is nobody, everyone is a method of its own.

    What follows a tier (shop pricelist, mailing lists) extends
    ``_sync_benefits`` by inheritance, next to the benefit it syncs."""

    _name = "ambassador.status.engine"
    _description = "Ambassador Status Engine"

    # ------------------------------------------------------------------
    # Evaluation by points
    # ------------------------------------------------------------------
    @api.model
    def _best_tier_query(self, committee, states=("active",)):
        """For each ambassador in ``states``, the highest tier whose threshold
        its balance reaches, among tiers with or without committee."""
        return """
            SELECT p.id AS partner_id, p.ambassador_tier_id AS current_tier_id,
                   cur.sequence AS current_sequence,
                   cur.committee_required AS current_committee,
                   best.id AS best_tier_id, best.sequence AS best_sequence
            FROM res_partner p
            LEFT JOIN ambassador_tier cur ON cur.id = p.ambassador_tier_id
            LEFT JOIN LATERAL (
                SELECT t.id, t.sequence FROM ambassador_tier t
                JOIN ambassador_tier_threshold th
                    ON th.tier_id = t.id AND th.segment_id = p.ambassador_segment_id
                WHERE t.active AND t.committee_required = %(committee)s
                  AND th.points <= COALESCE(p.ambassador_balance, 0)
                ORDER BY t.sequence DESC LIMIT 1
            ) best ON TRUE
            WHERE p.ambassador_state IN %(states)s {where}
        """, {
            "committee": committee,
            "states": tuple(states),
        }

    @api.model
    def _partners(self, partners):
        """``partners`` as contacts: data files pass lists of ids."""
        if isinstance(partners, models.BaseModel):
            return partners
        return self.env["res.partner"].browse(partners or [])

    @api.model
    def _evaluate(self, partners):
        """Apply the tiers points grant without committee (Silver), both ways,
        and propose committee tiers (Gold, Platinum) whose threshold is met,
        for ``partners`` only (nobody when empty). One query for the set."""
        partners = self._partners(partners)
        if not partners:
            return {}
        return self._evaluate_where("AND p.id IN %(ids)s", {"ids": tuple(partners.ids)})

    @api.model
    def _evaluate_all(self):
        """``_evaluate`` for every active ambassador (nightly, benchmarks)."""
        return self._evaluate_where("", {})

    @api.model
    def _evaluate_where(self, where, params):
        query, qparams = self._best_tier_query(committee=False)
        qparams.update(params)
        self.env.cr.execute(query.format(where=where), qparams)
        moves = {}
        for row in self.env.cr.dictfetchall():
            if row["current_committee"]:
                continue  # committee statuses change only by decision or review
            if row["best_tier_id"] and row["best_tier_id"] != row["current_tier_id"]:
                moves.setdefault(row["best_tier_id"], []).append(row["partner_id"])
        # The log first (it records the tier each ambassador leaves), in one
        # statement; then the tiers, one batched write per target tier.
        self._record_changes(
            [(pid, tier_id) for tier_id, ids in moves.items() for pid in ids],
            "applied",
        )
        # Engine: tiers by points follow the ledger, whoever added the line.
        engine = self._mass_engine(sum(len(ids) for ids in moves.values()))
        Partner = engine.env["res.partner"]
        Tier = self.env["ambassador.tier"]
        for tier_id, partner_ids in moves.items():
            engine._set_tiers(Partner.browse(partner_ids), Tier.browse(tier_id))
        self._propose_committee_tiers(where, params)
        return moves

    @api.model
    def _propose_committee_tiers(self, where, params):
        query, qparams = self._best_tier_query(committee=True)
        qparams.update(params)
        self.env.cr.execute(
            """
            SELECT q.partner_id, q.best_tier_id FROM ({query}) q
            WHERE q.best_tier_id IS NOT NULL
              AND q.best_sequence > COALESCE(q.current_sequence, -1)
              AND NOT EXISTS (
                SELECT 1 FROM ambassador_promotion pr
                WHERE pr.partner_id = q.partner_id AND pr.state = 'proposed'
                  AND pr.to_tier_id = q.best_tier_id)
              AND NOT EXISTS (
                SELECT 1 FROM ambassador_promotion pr
                WHERE pr.partner_id = q.partner_id AND pr.state = 'refused'
                  AND pr.to_tier_id = q.best_tier_id
                  AND pr.decision_date > now() - interval '1 year')
            """.format(query=query.format(where=where)),
            qparams,
        )
        self._record_changes(self.env.cr.fetchall(), "proposed")

    # ------------------------------------------------------------------
    # Status changes: the one writer for the engine's decisions
    # ------------------------------------------------------------------
    @api.model
    def _record_changes(self, changes, state, reason="points", notes=None,
                        review_deadlines=None):
        """Record status changes, ``changes`` being (partner id, tier id) pairs,
        in one INSERT whatever their number: ``state`` "applied" (decided now by
        the engine) or "proposed" (waits for the committee), for ``reason``
        (points, annual_review, sanction). Stores what
        ``ambassador.promotion.create`` would (tier left, balance, segment,
        kind); ``review_deadlines`` maps partner ids to a review's deadline.
        Returns the new records."""
        Promotion = as_engine(self.env["ambassador.promotion"])
        if not changes:
            return Promotion
        partner_ids, tier_ids = zip(*changes)
        deadlines = review_deadlines or {}
        now = fields.Datetime.now()
        applied = state == "applied"
        self.env.cr.execute(
            """
            INSERT INTO ambassador_promotion
                (partner_id, segment_id, from_tier_id, to_tier_id, reason, state,
                 kind, balance, decided_by_id, decision_date, committee_notes,
                 review_deadline, create_uid, create_date, write_uid, write_date)
            SELECT p.id, p.ambassador_segment_id, p.ambassador_tier_id, new.id,
                   %(reason)s, %(state)s,
                   CASE WHEN new.sequence > COALESCE(cur.sequence, -1) THEN 'up'
                        WHEN new.sequence < COALESCE(cur.sequence, -1) THEN 'down'
                        ELSE 'renewal' END,
                   COALESCE(p.ambassador_balance, 0), %(decided_by)s, %(decided_on)s,
                   %(notes)s, change.deadline::date,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
            FROM unnest(%(partner_ids)s::int[], %(tier_ids)s::int[],
                        %(deadlines)s::text[])
                AS change(partner_id, tier_id, deadline)
            JOIN res_partner p ON p.id = change.partner_id
            JOIN ambassador_tier new ON new.id = change.tier_id
            LEFT JOIN ambassador_tier cur ON cur.id = p.ambassador_tier_id
            ORDER BY change.partner_id
            RETURNING id
            """,
            {
                "reason": reason,
                "state": state,
                # Nobody decided it: the engine did, for the reason recorded.
                "decided_by": None,
                "decided_on": now if applied else None,
                "notes": notes,
                # Who set it in motion (the approval, the attendance, the cron).
                "uid": self.env.uid,
                "now": now,
                "partner_ids": list(partner_ids),
                "tier_ids": list(tier_ids),
                "deadlines": [deadlines.get(pid) for pid in partner_ids],
            },
        )
        promotions = Promotion.browse([row[0] for row in self.env.cr.fetchall()])
        # Stored computed fields other modules may add are computed as by create().
        inserted = ("segment_id", "kind")
        for field in Promotion._fields.values():
            if field.store and field.compute and field.name not in inserted:
                self.env.add_todo(field, promotions)
        Promotion.recompute()
        self.env["res.partner"].browse(list(partner_ids)).invalidate_cache(
            ["ambassador_promotion_ids"]
        )
        self._notify_status_changes(promotions)
        return promotions

    # ------------------------------------------------------------------
    # E-mails: the ambassador hears of every change of its status
    # ------------------------------------------------------------------
    @api.model
    def _status_mail_kind(self, change):
        """Which e-mail tells the ambassador about ``change`` (a key of
        STATUS_MAIL_TEMPLATES), or None: a tier proposed to the committee is
        the committee's business until it decides."""
        if change.state == "proposed":
            return "review_opened" if change.reason == "annual_review" else None
        if change.state == "refused":
            # A refused yearly review falls back at once: the fall-back's
            # e-mail tells it.
            return None if change.reason == "annual_review" else "refused"
        if change.state != "applied":
            return None
        if change.decided_by_id:
            return "granted"
        return {"up": "tier_reached", "down": "lowered"}.get(change.kind)

    @api.model
    def _notify_status_changes(self, changes):
        """Queue the e-mail of each change in ``changes`` to its ambassador, in
        the ambassador's language. Status e-mails are service messages of the
        programme (no marketing consent applies): every ambassador with a
        usable address and an active contact gets them. One query selects the
        reachable ones; templates are rendered by batch and language."""
        if not changes or self.env.context.get("ambassador_status_mail") is False:
            # ambassador_status_mail=False: a migration or an import of an
            # existing programme, whose ambassadors already know their status.
            return self.env["mail.mail"]
        self.env.cr.execute(
            """
            SELECT pr.id FROM ambassador_promotion pr
            JOIN res_partner p ON p.id = pr.partner_id
            WHERE pr.id IN %(ids)s AND p.active AND {usable}
            ORDER BY pr.id
            """.format(usable=usable_email_sql("p.email")),
            dict(USABLE_EMAIL_PARAMS, ids=tuple(changes.ids)),
        )
        # prefetch_fields=False: the kind of change needs four columns.
        reachable = changes.with_context(prefetch_fields=False).browse(
            [row[0] for row in self.env.cr.fetchall()])
        by_kind = {}
        for change in reachable:
            kind = self._status_mail_kind(change)
            if kind:
                by_kind.setdefault(kind, []).append(change)
        mails = self.env["mail.mail"]
        for kind, kind_changes in sorted(by_kind.items()):
            template = self.env.ref(STATUS_MAIL_TEMPLATES[kind])
            mails |= self._queue_mails(
                template,
                [change.id for change in kind_changes],
                {change.id: change.partner_id.id for change in kind_changes},
            )
        return mails

    @api.model
    def _mail_languages(self, template, res_ids, recipients=None):
        """{language: record ids} of ``res_ids`` by the template's ``lang``
        expression (the context's language when it is empty). Odoo 11's
        generate_email groups records by template, and the template in two
        languages is one record for a dictionary: a batch would be rendered in
        the language of one of them. So each language is rendered apart.
        When the expression is the recipient's own language (every programme
        template), it is read for the batch in one query instead of rendered
        record by record."""
        default = self.env.context.get("lang") or "en_US"
        expression = (template.lang or "").strip()
        if recipients is not None and expression in RECIPIENT_LANG_EXPRESSIONS.get(
                template.model, ()):
            self.env.cr.execute(
                "SELECT id, lang FROM res_partner WHERE id IN %s",
                (tuple({recipients[res_id] for res_id in res_ids}) or (0,),),
            )
            partner_langs = dict(self.env.cr.fetchall())
            langs = {res_id: partner_langs.get(recipients[res_id])
                     for res_id in res_ids}
        else:
            langs = (
                template.render_template(template.lang, template.model, res_ids)
                if template.lang else {}
            )
        by_lang = {}
        for res_id in res_ids:
            by_lang.setdefault(langs.get(res_id) or default, []).append(res_id)
        return by_lang

    @api.model
    def _queue_mails(self, template, res_ids, recipients, document=None, **context):
        """Render ``template`` on the records ``res_ids`` of its model and
        queue one e-mail per record to the contact ``recipients[res_id]``;
        the mail queue (cron "Mail: Email Queue Manager") sends them.
        Rendered once per batch and language (_mail_languages), so a French
        ambassador reads French,
        subject, tier and event names and dates included. ``context`` reaches
        the template as ``ctx``. The e-mails belong to ``document`` (a record)
        when given, else to the records rendered. Queued by batch
        (_insert_mails). Returns the queued mail.mail records."""
        # sudo: the programme's own e-mails, to recipients the caller chose
        # after its checks; rendering reads their contacts, which the user
        # who set the change in motion (an event officer, the cron) may not.
        # prefetch_fields=False: a template reads a few fields of each record
        # and contact; prefetching reads (and converts) every column of a
        # contact, a hundred and more.
        template = template.sudo().with_context(prefetch_fields=False, **context)
        Mail = self.env["mail.mail"].sudo()
        mails = Mail
        for start in range(0, len(res_ids), MAIL_BATCH):
            batch = res_ids[start:start + MAIL_BATCH]
            # Read afresh: records whose values the caller left in the cache
            # (e.g. just inserted) would be read again one contact at a time,
            # their contacts being missing from the prefetch set.
            records = template.env[template.model].browse(batch)
            records.invalidate_cache()
            rendered = {}
            for lang, lang_ids in sorted(
                    self._mail_languages(template, batch, recipients).items()):
                # One prefetch set for the batch, whatever the language and
                # field rendered (see _render_field).
                rendered.update(self._render_mails(
                    template.with_context(lang=lang),
                    records.browse(lang_ids, prefetch=records._prefetch)))
            # The name the e-mail's message shows for its document, read for
            # the batch at once (mail.message would read it mail by mail).
            if document:
                names = dict.fromkeys(batch, document.display_name)
            else:
                names = dict(self.env[template.model].sudo().with_context(
                    prefetch_fields=False).browse(batch).name_get())
            mails |= self._insert_mails([
                {
                    "subject": rendered[res_id].get("subject"),
                    "body_html": rendered[res_id].get("body_html"),
                    "email_from": rendered[res_id].get("email_from") or None,
                    "reply_to": rendered[res_id].get("reply_to") or None,
                    "recipient": recipients[res_id],
                    "record_name": names.get(res_id) or None,
                    "model": document._name if document else template.model,
                    "res_id": document.id if document else res_id,
                }
                for res_id in batch
            ], template.auto_delete)
        return mails

    @api.model
    def _render_mails(self, template, records):
        """{record id: {field: value}} of MAIL_FIELDS, ``template`` rendered on
        ``records`` (of its model) in the language of its context: what
        ``generate_email`` gives for these fields (tests/test_mail_rendering.py
        compares them), without the work it does record by record that the
        queue throws away: the ``lang`` expression rendered again (where
        _mail_languages read the batch's languages at once), the body
        sanitized into ``body``, attachments and technical values. As
        generate_email: the subject unescaped (``safe``), the body's local
        links made absolute, the user's signature appended when the template
        asks for it."""
        results = {record.id: {} for record in records}
        for field in MAIL_FIELDS:
            renderer = template.env["mail.template"].with_context(
                safe=field == "subject")
            values = self._render_field(
                renderer, getattr(template, field), records.with_env(renderer.env))
            for record_id, value in values.items():
                if field == "body_html":
                    value = renderer.render_post_process(value)
                results[record_id][field] = value
        signature = template.user_signature and template.env.user.signature
        if signature:
            for values in results.values():
                values["body_html"] = tools.append_content_to_html(
                    values["body_html"], signature, plaintext=False)
        return results

    @api.model
    def _render_field(self, renderer, text, records):
        """{record id: text rendered on the record}: mail.template's
        render_template(text, model, ids) of Odoo 11, line for line, with three
        differences that change no result: the template is compiled once
        (render_template compiles it on each call: for each field, language
        and batch); the records are ``records`` themselves rather than
        browsed again, so that they keep their prefetch set: fields read
        through one record (its contact, the contact's validity) are read for
        the whole batch at once, not contact by contact; the date and amount
        helpers format each distinct value once. ``renderer`` is the
        mail.template environment rendering (its context, ``safe``: not
        escaped, reaches the text as ``ctx``)."""
        results = dict.fromkeys(records.ids, "")
        compiled = compiled_mail_template(text, renderer.env.context.get("safe"))
        if compiled is None:
            return results
        env = renderer.env
        odoo_mail_template = odoo_mail_template_module()
        # The formatting helpers render_template gives, remembering their
        # results: a batch's recipients share a handful of dates and amounts.
        variables = {
            "format_date": remembered(
                lambda date, format=False, context=None:
                odoo_mail_template.format_date(env, date, format)),
            "format_tz": remembered(
                lambda dt, tz=False, format=False, context=None:
                odoo_mail_template.format_tz(env, dt, tz, format)),
            "format_amount": remembered(
                lambda amount, currency, context=None:
                odoo_mail_template.format_amount(env, amount, currency)),
            "user": env.user,
            "ctx": renderer._context,
        }
        for record in records:
            variables["object"] = record
            try:
                result = compiled.render(variables)
            except Exception:
                _logger.info("Failed to render template %r using values %r",
                             compiled, variables, exc_info=True)
                raise UserError(
                    _("Failed to render template %(template)r using values "
                      "%(values)r") % {"template": compiled, "values": variables})
            results[record.id] = "" if result == "False" else result
        return results

    @api.model
    def _mail_column_defaults(self, model, explicit):
        """{column: default} of the stored simple fields of ``model`` (its own,
        not inherited) that _insert_mails does not set: what create() would
        store (website_mail publishes messages, etc.)."""
        Model = self.env[model].sudo()
        names = [
            name for name, field in Model._fields.items()
            if field.store and field.column_type and not field.inherited
            and not field.compute and name not in explicit
            and name not in models.MAGIC_COLUMNS
            and field.type not in ("one2many", "many2many", "binary")
        ]
        # Without the caller's default_* keys (meant for its own records).
        context = {key: value for key, value in self.env.context.items()
                   if not key.startswith("default_")}
        defaults = Model.with_env(self.env(context=context)).default_get(names)
        return {name: value for name, value in defaults.items()
                if value not in (None, False)}

    @api.model
    def _insert_mails(self, values, auto_delete):
        """Queue e-mails (mail.mail, its mail.message, its recipient) in three
        statements for the list ``values`` (subject, body_html, email_from,
        reply_to, record_name, model, res_id, recipient), storing what
        ``mail.mail.create`` stores for them (author the current user's
        contact, a tracking Message-Id, outgoing, not a notification), so that
        a batch of 500 costs a few queries rather than a dozen per e-mail."""
        Mail = self.env["mail.mail"].sudo()
        if not values:
            return Mail
        now = fields.Datetime.now()
        message_explicit = {
            "subject", "date", "body", "model", "res_id", "record_name",
            "message_type", "email_from", "reply_to", "author_id", "message_id",
        }
        mail_explicit = {"mail_message_id", "body_html", "notification", "state",
                         "auto_delete"}
        message_defaults = self._mail_column_defaults("mail.message", message_explicit)
        mail_defaults = self._mail_column_defaults("mail.mail", mail_explicit)
        for value in values:
            value["message_id"] = tools.generate_tracking_message_id(
                "%s-%s" % (value["res_id"], value["model"]))
        columns = ["subject", "body_html", "email_from", "reply_to", "record_name",
                   "model", "res_id", "message_id", "recipient"]
        types = ["varchar", "text", "varchar", "varchar", "varchar", "varchar",
                 "int", "varchar", "int"]
        params = {
            "uid": self.env.uid, "now": now, "auto_delete": auto_delete,
            "author": self.env.user.partner_id.id,
        }
        unnest = []
        for column, sql_type in zip(columns, types):
            params["c_" + column] = [value[column] for value in values]
            unnest.append("%%(c_%s)s::%s[]" % (column, sql_type))
        message_extra = sorted(message_defaults)
        mail_extra = sorted(mail_defaults)
        params.update(("m_" + name, message_defaults[name]) for name in message_extra)
        params.update(("mm_" + name, mail_defaults[name]) for name in mail_extra)
        self.env.cr.execute(
            """
            WITH data AS (
                SELECT * FROM unnest({unnest}) WITH ORDINALITY
                    AS d({columns}, n)),
            messages AS (
                INSERT INTO mail_message (subject, date, body, model, res_id,
                    record_name, message_type, email_from, reply_to, author_id,
                    message_id, create_uid, create_date, write_uid, write_date
                    {message_extra_columns})
                SELECT d.subject, %(now)s, '', d.model, d.res_id, d.record_name,
                       'email', d.email_from, d.reply_to, %(author)s, d.message_id,
                       %(uid)s, %(now)s, %(uid)s, %(now)s {message_extra_values}
                FROM data d ORDER BY d.n
                RETURNING id, message_id),
            mails AS (
                INSERT INTO mail_mail (mail_message_id, body_html, notification,
                    state, auto_delete, create_uid, create_date, write_uid,
                    write_date {mail_extra_columns})
                SELECT m.id, d.body_html, FALSE, 'outgoing', %(auto_delete)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s {mail_extra_values}
                FROM messages m JOIN data d ON d.message_id = m.message_id
                ORDER BY d.n
                RETURNING id, mail_message_id),
            recipients AS (
                INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
                SELECT mails.id, d.recipient FROM mails
                JOIN messages m ON m.id = mails.mail_message_id
                JOIN data d ON d.message_id = m.message_id
                RETURNING mail_mail_id)
            SELECT mail_mail_id FROM recipients ORDER BY mail_mail_id
            """.format(
                unnest=", ".join(unnest), columns=", ".join(columns),
                message_extra_columns="".join(", " + n for n in message_extra),
                message_extra_values="".join(", %%(m_%s)s" % n for n in message_extra),
                mail_extra_columns="".join(", " + n for n in mail_extra),
                mail_extra_values="".join(", %%(mm_%s)s" % n for n in mail_extra),
            ),
            params,
        )
        mails = Mail.browse([row[0] for row in self.env.cr.fetchall()])
        # What mail.message.create does after its INSERT: the documents'
        # message lists change.
        for model in {value["model"] for value in values}:
            if model in self.env:
                self.env[model].invalidate_cache(
                    ["message_ids"] if "message_ids" in self.env[model]._fields
                    else None)
        return mails

    # ------------------------------------------------------------------
    # Tiers and what follows them
    # ------------------------------------------------------------------
    @api.model
    def _mass_engine(self, count):
        """The engine for a change of ``count`` contacts at once: above
        TRACKING_LIMIT in all (whatever the number per tier), no tier tracked
        in each contact's chatter (see _set_tiers)."""
        engine = as_engine(self)
        if count > TRACKING_LIMIT:
            engine = engine.with_context(mail_notrack=True)
        return engine

    @api.model
    def _set_tiers(self, partners, tier, valid_until=False):
        """The only way a tier changes: engine only (``as_engine``)."""
        if not is_engine(self.env):
            raise AccessError(_("Only the status engine changes tiers."))
        if not partners:
            return
        partners = as_engine(partners)
        if len(partners) > TRACKING_LIMIT:
            # Mass evaluation (cron, first run on imported ambassadors): one
            # chatter message per contact would cost a dozen queries each; the
            # status history is the log of these changes.
            partners = partners.with_context(mail_notrack=True)
        values = {
            "ambassador_tier_id": tier.id,
            "ambassador_tier_valid_until": valid_until,
        }
        partners.write(values)
        self._sync_benefits(partners, set(values))

    @api.model
    def _set_validity(self, partners, valid_until):
        """When the current committee status ends (imported programmes, the
        demo's story); moves the yearly review, changes no tier."""
        as_engine(self._partners(partners)).write(
            {"ambassador_tier_valid_until": valid_until}
        )

    @api.model
    def _set_validities(self, validities):
        """``_set_validity`` for many ambassadors with a date each
        ({partner id: date}), in one statement (imported programmes)."""
        if not is_engine(self.env):
            raise AccessError(_("Only the status engine changes tiers."))
        if not validities:
            return
        ids = list(validities)
        self.env.cr.execute(
            """
            UPDATE res_partner p SET ambassador_tier_valid_until = r.valid_until
            FROM unnest(%s::int[], %s::date[]) AS r(partner_id, valid_until)
            WHERE p.id = r.partner_id
            """,
            (ids, [validities[pid] for pid in ids]),
        )
        self.env["res.partner"].invalidate_cache(
            ["ambassador_tier_valid_until"], ids)

    @api.model
    def _sync_benefits(self, partners, changed_fields):
        """What follows an ambassador's status. Each benefit (pricelist,
        mailing lists) extends this with super() and acts only when a field it
        depends on is in ``changed_fields``. Set-based for ``partners``."""
        return True

    # ------------------------------------------------------------------
    # Falling back to what points allow
    # ------------------------------------------------------------------
    @api.model
    def _fallback_targets(self, partners):
        """{partner id: best tier its points allow without committee (the base
        tier at least)}, whatever the state, in one query."""
        if not partners:
            return {}
        query, params = self._best_tier_query(committee=False, states=ALL_STATES)
        params["ids"] = tuple(partners.ids)
        self.env.cr.execute(query.format(where="AND p.id IN %(ids)s"), params)
        best = {
            row["partner_id"]: row["best_tier_id"] for row in self.env.cr.dictfetchall()
        }
        Tier = self.env["ambassador.tier"]
        base = Tier.get_base_tier()
        return {pid: Tier.browse(best.get(pid)) or base for pid in partners.ids}

    @api.model
    def _fall_back(self, partners, notes, reason="annual_review"):
        """Lower each committee status of ``partners`` to what the points allow,
        recorded and applied at once (set-based). Callers decide who may: a
        committee refusal, a lapsed review, a sanction."""
        targets = self._fallback_targets(partners)
        if not targets:
            return self.env["ambassador.promotion"]
        # The current tiers in one query (the contacts' full prefetch would
        # read a hundred columns each).
        self.env.cr.execute(
            "SELECT id, ambassador_tier_id FROM res_partner WHERE id IN %s",
            (tuple(partners.ids),),
        )
        current = dict(self.env.cr.fetchall())
        changes = [
            (partner_id, targets[partner_id].id)
            for partner_id in partners.ids
            if targets[partner_id].id != current.get(partner_id)
        ]
        if not changes:
            return self.env["ambassador.promotion"]
        promotions = self._record_changes(changes, "applied", reason=reason,
                                          notes=notes)
        by_tier = {}
        for partner_id, tier_id in changes:
            by_tier.setdefault(tier_id, []).append(partner_id)
        Tier = self.env["ambassador.tier"]
        # Engine: the fall-back is the consequence of the caller's decision.
        engine = self._mass_engine(len(changes))
        Partner = engine.env["res.partner"]
        for tier_id, partner_ids in by_tier.items():
            engine._set_tiers(Partner.browse(partner_ids), Tier.browse(tier_id))
        # Pending proposals a fall-back makes moot (an open review of the old
        # status, a proposal of the tier given or lower), as a decision does.
        Promotion = as_engine(self.env["ambassador.promotion"])
        for tier_id, partner_ids in by_tier.items():
            self._lapse(Promotion.search(
                [
                    ("partner_id", "in", partner_ids),
                    ("state", "=", "proposed"),
                    ("id", "not in", promotions.ids),
                    "|",
                    ("reason", "=", "annual_review"),
                    ("to_tier_id.sequence", "<=", Tier.browse(tier_id).sequence),
                ]
            ))
        return promotions

    @api.model
    def _lapse(self, changes):
        """Set the pending status changes ``changes`` lapsed, in one write.
        Above TRACKING_LIMIT (the yearly review of a whole programme) the state
        is not tracked in each change's chatter: one message per change would
        cost a dozen queries each; the state itself records it."""
        if len(changes) > TRACKING_LIMIT:
            changes = changes.with_context(mail_notrack=True)
        changes.write({"state": "lapsed"})

    # ------------------------------------------------------------------
    # Yearly review of committee statuses
    # ------------------------------------------------------------------
    @api.model
    def _review_settings(self):
        """(notice days, grace days) of the yearly review (settings)."""
        return (
            int_param(self.env, "review_notice_days", 30),
            int_param(self.env, "review_grace_days", 30),
        )

    @api.model
    def _open_reviews(self):
        """Open the review of every committee status whose validity ends
        within the notice period (one INSERT for them all)."""
        notice, grace = self._review_settings()
        today = fields.Date.from_string(fields.Date.context_today(self))
        self.env.cr.execute(
            """
            SELECT p.id, p.ambassador_tier_id, p.ambassador_tier_valid_until
            FROM res_partner p JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
            WHERE t.committee_required AND p.ambassador_state IN ('active', 'suspended')
              AND p.ambassador_tier_valid_until <= %s
              AND NOT EXISTS (
                SELECT 1 FROM ambassador_promotion pr
                WHERE pr.partner_id = p.id AND pr.state = 'proposed'
                  AND pr.reason = 'annual_review')
            """,
            (fields.Date.to_string(today + timedelta(days=notice)),),
        )
        rows = self.env.cr.fetchall()
        deadlines = {
            partner_id: fields.Date.to_string(
                fields.Date.from_string(valid_until) + timedelta(days=grace)
            )
            for partner_id, _tier_id, valid_until in rows
        }
        return self._record_changes(
            [(partner_id, tier_id) for partner_id, tier_id, _until in rows],
            "proposed",
            reason="annual_review",
            review_deadlines=deadlines,
        )

    @api.model
    def _close_lapsed_reviews(self):
        """Reviews past their grace period without renewal lapse, and their
        ambassadors fall back to what their points allow."""
        today = fields.Date.context_today(self)
        lapsed = as_engine(self.env["ambassador.promotion"]).search(
            [
                ("state", "=", "proposed"),
                ("reason", "=", "annual_review"),
                ("review_deadline", "<", today),
            ]
        )
        self._lapse(lapsed)
        self._fall_back(
            lapsed.mapped("partner_id"),
            notes=_("Not renewed within the grace period of the yearly review."),
        )
        return lapsed

    @api.model
    def _cron_annual_review(self):
        """Open the yearly reviews that are due, and lower the statuses left
        without renewal past the grace period."""
        self._open_reviews()
        self._close_lapsed_reviews()
        return True
