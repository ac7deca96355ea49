# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .form_input import parse_id
from .programme_params import int_param

DEFAULT_DAILY_CAP = 200  # distinct directory profiles one account may see per day
PAGE_SIZE = 20
SEARCH_MAX = 64
# What each "show" consent reveals in the directory.
DIRECTORY_FIELDS = {
    "ambassador_show_email": "email",
    "ambassador_show_phone": "phone",
    "ambassador_show_company": "company",
    "ambassador_show_city": "city",
    "ambassador_show_skills": "skills",
}
# The directory's filters besides the name: form key -> (partner field, model).
FILTER_FIELDS = {
    "skill_id": "ambassador_skill_ids",
    "lang_id": "ambassador_language_ids",
    "country_id": "ambassador_network_country_ids",
}
FILTER_MODELS = {
    "skill_id": "ambassador.skill",
    "lang_id": "res.lang",
    "country_id": "res.country",
}


class DirectoryClosed(AccessError):
    """The directory is not open to this ambassador (tier, state)."""


class DirectoryQuotaReached(UserError):
    """The ambassador saw as many distinct profiles as a day allows."""


class AmbassadorDirectoryView(models.Model):
    """One line per directory page an ambassador opened, with the profiles it
    showed. The daily cap against harvesting counts DISTINCT profiles seen that
    day (a profile seen twice is one), and staff can spot misuse (SPEC 2.5)."""

    _name = "ambassador.directory.view"
    _description = "Ambassador Directory View"
    _order = "date desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Ambassador", index=True, ondelete="cascade",
        readonly=True,
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True
    )
    profile_count = fields.Integer(string="Profiles Shown", readonly=True)
    profile_ids = fields.Many2many(
        "res.partner",
        "ambassador_directory_view_profile_rel",
        "view_id",
        "partner_id",
        string="Profiles Shown",
        readonly=True,
    )
    search_term = fields.Char(readonly=True)

    @api.model
    def _daily_cap(self):
        return int_param(self.env, "directory_daily_cap", DEFAULT_DAILY_CAP)

    @api.model
    def _day_start(self):
        return fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()).replace(
                hour=0, minute=0, second=0
            )
        )

    @api.model
    def _seen_today(self, user, among=None):
        """Ids of the distinct profiles ``user`` saw today (those of ``among``
        only, when given)."""
        query = """
            SELECT DISTINCT r.partner_id
            FROM ambassador_directory_view v
            JOIN ambassador_directory_view_profile_rel r ON r.view_id = v.id
            WHERE v.user_id = %s AND v.date >= %s
        """
        params = [user.id, self._day_start()]
        if among is not None:
            if not among:
                return set()
            query += " AND r.partner_id IN %s"
            params.append(tuple(among))
        self.env.cr.execute(query, params)
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _remaining_today(self, user):
        return max(self._daily_cap() - len(self._seen_today(user)), 0)

    @api.model
    def _directory_filters(self, filters):
        """The directory's filters from the search form: {key: record or
        text}, unknown or invalid values dropped (an empty filter is none)."""
        filters = filters or {}
        clean = {}
        for key, model in FILTER_MODELS.items():
            record = self.env[model].sudo().with_context(active_test=False).browse(
                parse_id(filters.get(key))).exists()
            if record:
                clean[key] = record
        city = filters.get("city")
        if isinstance(city, str) and city.strip():
            clean["city"] = city.strip()[:SEARCH_MAX]
        return clean

    @api.model
    def _directory_domain(self, viewer, scope, search, filters=None):
        """Who the directory lists. A filter only matches what the person
        chose to show (searching by a hidden field would reveal it)."""
        domain = [
            ("ambassador_state", "=", "active"),
            ("id", "!=", viewer.id),
            "|", "|", "|", "|",
        ] + [(flag, "=", True) for flag in DIRECTORY_FIELDS]
        if scope == "segment":
            segment = viewer.ambassador_segment_id
            domain.append(("ambassador_segment_id", "=", segment.id))
        if search:
            domain.append(("name", "ilike", search))
        filters = filters or {}
        for key, field in FILTER_FIELDS.items():
            if filters.get(key):
                domain += [("ambassador_show_skills", "=", True),
                           (field, "in", filters[key].ids)]
        if filters.get("city"):
            # Equal, whatever the case (=ilike without wildcards).
            city = filters["city"].replace("\\", "\\\\").replace(
                "%", "\\%").replace("_", "\\_")
            domain += [("ambassador_show_city", "=", True), ("city", "=ilike", city)]
        return domain

    @api.model
    def _ambassador_search(self, search=None, page=1, filters=None):
        """The directory page the current user's ambassador may see: who (the
        tier's scope, active ambassadors who opted in to a field), what (only
        the fields each one chose), how many (the daily cap of distinct
        profiles, held under concurrent requests). Logs what was shown.
        Returns {people, total, page, page_count, remaining, scope, search}."""
        user = self.env.user
        viewer = user.partner_id
        scope = viewer.ambassador_tier_id.directory_scope
        if viewer.ambassador_state != "active" or scope not in ("segment", "all"):
            raise DirectoryClosed(
                _("The ambassadors' directory opens at the Silver status, for "
                  "active ambassadors.")
            )
        search = (search or "").strip()[:SEARCH_MAX]
        filters = self._directory_filters(filters)
        # Serialises this user's concurrent directory requests: the count of
        # profiles seen today below cannot miss a parallel page.
        self.env["ambassador.quota.lock"].sudo()._acquire("directory:%d" % user.id)
        # sudo: ambassadors may not read other contacts; the domain keeps the
        # active ambassadors of the tier's scope who opted in to at least one
        # field, and only the fields each one chose leave this method.
        Partner = self.env["res.partner"].sudo()
        domain = self._directory_domain(viewer, scope, search, filters)
        total = Partner.search_count(domain)
        page_count = max(int(math.ceil(total / float(PAGE_SIZE))), 1)
        try:
            page = max(1, min(int(page), page_count))
        except (TypeError, ValueError):
            page = 1
        candidates = Partner.search(
            domain, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE, order="name, id"
        )
        seen = self._seen_today(user, candidates.ids)
        remaining = max(self._daily_cap() - len(self._seen_today(user)), 0)
        shown = candidates.filtered(lambda p: p.id in seen)
        fresh = (candidates - shown)[:remaining]
        if candidates and not (shown or fresh):
            raise DirectoryQuotaReached(
                _("You have seen as many profiles as the directory shows in a day. "
                  "Come back tomorrow.")
            )
        shown = candidates.filtered(lambda p: p in shown or p in fresh)
        people = self._directory_cards(shown)
        # sudo: the log is the programme's, not the ambassador's to write.
        self.sudo().create(
            {
                "user_id": user.id,
                "partner_id": viewer.id,
                "profile_count": len(people),
                "profile_ids": [(6, 0, shown.ids)],
                "search_term": " ".join(
                    [search] + ["%s" % (value.display_name if hasattr(
                        value, "display_name") else value)
                        for value in filters.values()]).strip()[:256] or False,
            }
        )
        return {
            "people": people,
            "total": total,
            "page": page,
            "page_count": page_count,
            "remaining": remaining - len(fresh),
            "scope": scope,
            "search": search,
            "filters": filters,
            "daily_cap": self._daily_cap(),
        }

    @api.model
    def _directory_cards(self, partners):
        """What the directory shows of each partner: its name and segment, and
        the fields it chose to show (already sudo'ed by the caller). One read
        per related model, whatever the number of partners."""
        lists = {"ambassador_skill_ids": "skills",
                 "ambassador_language_ids": "languages",
                 "ambassador_network_country_ids": "countries"}
        # Spoken languages need not be installed ones (inactive res.lang).
        rows = partners.with_context(active_test=False).read(
            ["name", "email", "phone", "city", "company_name", "parent_id",
             "ambassador_segment_id"] + list(lists) + list(DIRECTORY_FIELDS)
        )
        names = {}
        for field in lists:
            ids = {rid for row in rows if row["ambassador_show_skills"]
                   for rid in row[field]}
            comodel = self.env["res.partner"]._fields[field].comodel_name
            names[field] = dict(
                self.env[comodel].sudo().with_context(active_test=False)
                .browse(list(ids)).name_get())
        people = []
        for row in rows:
            person = {"name": row["name"],
                      "segment": row["ambassador_segment_id"]
                      and row["ambassador_segment_id"][1]}
            for flag, key in DIRECTORY_FIELDS.items():
                if not row[flag]:
                    continue
                if key == "company":
                    person[key] = row["company_name"] or (
                        row["parent_id"] and row["parent_id"][1])
                elif key == "skills":
                    for field, list_key in lists.items():
                        person[list_key] = ", ".join(
                            names[field][i] for i in row[field]
                            if i in names[field])
                else:
                    person[key] = row[key]
            people.append(person)
        return people
