# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Request hygiene for the addon's routes (issue #8, hole 12), in one place
instead of in every route:

- before a route of ours runs, its parameters are cleaned: a value sent as a
  file where the form has a text field is dropped (Odoo 11 merges the uploaded
  files into the keyword arguments), control characters are removed from the
  text (PostgreSQL refuses NUL), text is cut to a hard maximum (the forms have
  their own, lower limits and say so); ids in the path out of PostgreSQL's
  integer range and path parts with control characters answer 404;
- an exception that escapes one of our routes (or a 4xx/5xx on a path of
  ours) is answered with the programme's message page and its status, never
  with the website's debug panel: with ``?debug=1`` Odoo shows the traceback
  to any visitor; a JSON-RPC error loses its traceback likewise.
"""
import inspect
import json
import logging
import re

import werkzeug
from werkzeug.datastructures import FileStorage

from odoo import _, models
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import SessionExpiredException, request
from odoo.tools import config

_logger = logging.getLogger(__name__)

MODULE_PREFIX = "odoo.addons.ambassador_program."
# The page answering a GET on an address of ours that takes only a POST
# (controllers/main.py, ambassadors_form_only).
FORM_ONLY_PATH = "/ambassadors/form-only"
# The only form field of ours that carries files: the proof's uploads.
FILE_FIELDS = frozenset(["files"])
TEXT_HARD_MAX = 100000
KEY_MAX = 256
MAX_ID = 2 ** 31 - 1  # PostgreSQL "integer": a larger id is an SQL error
# C0 control characters but tab, line feed and carriage return, and DEL.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text):
    return CONTROL_RE.sub("", text)[:TEXT_HARD_MAX]


def clean_value(value, depth=0):
    """``value`` with its text cleaned, through the lists and dicts a
    JSON-RPC call may carry (a few levels: nothing of ours nests deeper)."""
    if isinstance(value, str):
        return clean_text(value)
    if depth > 4:
        return None
    if isinstance(value, list):
        return [clean_value(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_value(item, depth + 1)
                for key, item in value.items()}
    return value


def clean_params(params):
    """Clean a request's parameters in place."""
    for key in list(params):
        value = params[key]
        if (not isinstance(key, str) or len(key) > KEY_MAX
                or CONTROL_RE.search(key)):
            # No form of ours has such a field name.
            del params[key]
        elif value is None:
            # A JSON null: as if not sent, the route's default applies.
            del params[key]
        elif isinstance(value, FileStorage):
            if key not in FILE_FIELDS:
                del params[key]
        else:
            params[key] = clean_value(value)


def missing_arguments(method, given):
    """The arguments ``method`` requires that ``given`` lacks: calling it
    without them is a TypeError, a server error."""
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        return []
    return [
        name for name, parameter in signature.parameters.items()
        if parameter.default is parameter.empty and name not in given
        and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD,
                               parameter.KEYWORD_ONLY)
    ]


def path_argument_refused(value):
    """True for a path argument no link of ours can hold."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not 0 < value <= MAX_ID  # no id nor page number is 0
    if isinstance(value, str):
        return bool(CONTROL_RE.search(value))
    if isinstance(value, models.BaseModel):
        return any(not isinstance(id_, int) or not 0 < id_ <= MAX_ID
                   for id_ in value._ids)
    return False


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    # ------------------------------------------------------------------
    # Which requests are ours
    # ------------------------------------------------------------------
    @classmethod
    def _ambassador_endpoint(cls, endpoint):
        """True when ``endpoint`` is a route of this addon, or an Odoo route
        this addon overrides (its final method is ours)."""
        function = getattr(endpoint, "original", None)
        return getattr(function, "__module__", "").startswith(MODULE_PREFIX)

    @classmethod
    def _ambassador_path_prefixes(cls):
        """The fixed beginnings of our routes' paths ("/ambassadors",
        "/my/ambassador", "/shop/product/"...), for the requests that fail
        before their route is known (no route matches, a bad id)."""
        if not hasattr(cls, "_ambassador_prefixes"):
            prefixes = set()
            for rule in cls.routing_map().iter_rules():
                if cls._ambassador_endpoint(rule.endpoint):
                    prefixes.add(rule.rule.split("<", 1)[0])
            cls._ambassador_prefixes = tuple(sorted(prefixes))
        return cls._ambassador_prefixes

    @classmethod
    def _ambassador_request(cls):
        ours = getattr(request, "ambassador_route", None)
        if ours is not None:
            return ours
        path = request.httprequest.path
        return any(
            path == prefix or path.startswith(
                prefix if prefix.endswith("/") else prefix + "/")
            for prefix in cls._ambassador_path_prefixes()
        )

    @classmethod
    def _find_handler(cls, return_rule=False):
        try:
            return super(IrHttp, cls)._find_handler(return_rule=return_rule)
        except werkzeug.exceptions.MethodNotAllowed:
            # A form's address opened directly (a link shared, a reload after
            # the session expired): instead of werkzeug's bare 405, the site's
            # page saying so, with a way back; it answers 405 too.
            if (request.httprequest.method not in ("GET", "HEAD")
                    or not cls._ambassador_request()):
                raise
            adapter = cls.routing_map().bind_to_environ(request.httprequest.environ)
            return adapter.match(FORM_ONLY_PATH, method="GET",
                                 return_rule=return_rule)

    @classmethod
    def _ambassador_way_back(cls):
        """The nearest path above the request's one that a GET may open (the
        page of the form that posts there, mostly), or None."""
        adapter = cls.routing_map().bind("")
        parts = request.httprequest.path.rstrip("/").split("/")
        while len(parts) > 1:
            parts.pop()
            path = "/".join(parts) or "/"
            try:
                adapter.match(path, method="GET")
            except werkzeug.exceptions.HTTPException:
                continue
            return path
        return None

    # ------------------------------------------------------------------
    # Before the route: clean what it is given
    # ------------------------------------------------------------------
    @classmethod
    def _postprocess_args(cls, arguments, rule):
        ours = cls._ambassador_endpoint(rule.endpoint)
        request.ambassador_route = ours
        if ours:
            if any(path_argument_refused(value) for value in arguments.values()):
                return cls._handle_exception(werkzeug.exceptions.NotFound())
            clean_params(request.params)
            if missing_arguments(rule.endpoint.method,
                                 set(request.params) | set(arguments)):
                return cls._handle_exception(werkzeug.exceptions.BadRequest())
        return super(IrHttp, cls)._postprocess_args(arguments, rule)

    # ------------------------------------------------------------------
    # After an exception: a message page, never the debug panel
    # ------------------------------------------------------------------
    @classmethod
    def _handle_exception(cls, exception):
        if "werkzeug" in config["dev_mode"] or not cls._ambassador_request():
            return super(IrHttp, cls)._handle_exception(exception)
        if getattr(request, "_request_type", None) == "json":
            return cls._ambassador_json_error(exception)
        if (isinstance(exception, SessionExpiredException)
                and request.httprequest.method == "POST"):
            # Odoo would keep the whole form, files included, in the session
            # store to replay it after the login (and fails on files): the
            # visitor logs in and fills the form again.
            return werkzeug.utils.redirect("/web/login?%s" % werkzeug.urls.url_encode(
                {"redirect": "/my/ambassador"}))
        if isinstance(exception, SessionExpiredException) or (
                isinstance(exception, werkzeug.exceptions.HTTPException)
                and (exception.code or 0) < 400):
            # Login redirection, redirections: Odoo's answer is right.
            return super(IrHttp, cls)._handle_exception(exception)
        if isinstance(exception, werkzeug.exceptions.NotFound) and not (
                CONTROL_RE.search(request.httprequest.path)):
            # A website page or a redirection an editor made at that path
            # (looked up in the database, which refuses a NUL in the path).
            served = cls._serve_fallback(exception)
            if served:
                return served
        return cls._ambassador_error_page(exception)

    @classmethod
    def _ambassador_status(cls, exception):
        if isinstance(exception, werkzeug.exceptions.HTTPException):
            return exception.code or 500
        if isinstance(exception, AccessError):
            return 403
        if isinstance(exception, MissingError):
            return 404
        if isinstance(exception, UserError):
            return 400
        return 500

    @classmethod
    def _ambassador_error_page(cls, exception):
        status = cls._ambassador_status(exception)
        # %r: a path may hold control characters (a NUL makes the log binary).
        if status >= 500:
            _logger.error("Error on %r", request.httprequest.path,
                          exc_info=exception)
        else:
            _logger.info("%s on %r: %r", status, request.httprequest.path,
                         exception)
        # Nothing the request did is kept (Odoo rolls it back); the page below
        # must not see a transaction PostgreSQL already aborted.
        request._failed = exception
        if request._cr:
            request._cr.rollback()
            if request._env is not None:
                request._env.clear()
        messages = {
            400: (_("The request could not be read"),
                  _("The form may have expired, or it held something it cannot "
                    "take. Reload the page and send it again.")),
            403: (_("Not allowed"), _("You may not see this page.")),
            404: (_("Page not found"),
                  _("This page does not exist, or no longer does.")),
            405: (_("Not allowed"), _("This page cannot be used that way.")),
        }
        if status >= 500:
            title, message = (_("Something went wrong"),
                              _("The request could not be completed and nothing "
                                "was saved. Please try again later."))
        elif isinstance(exception, UserError) and status == 400:
            # A message written for users, never a technical one.
            title, message = _("Not possible"), exception.name
        else:
            title, message = messages.get(status, (
                _("The request could not be handled"),
                _("Reload the page and try again.")))
        links = [("/ambassadors", _("The ambassador programme"))]
        try:
            if not request.uid:
                cls._auth_method_public()
            html = request.env["ir.ui.view"].render_template(
                "ambassador_program.ambassador_message_page",
                {"title": title, "message": message, "links": links},
            )
        except Exception:
            _logger.exception("The error page of %r failed",
                              request.httprequest.path)
            html = "<h1>%s</h1>" % werkzeug.utils.escape(title)
        return werkzeug.wrappers.Response(
            html, status=status, content_type="text/html;charset=utf-8")

    @classmethod
    def _ambassador_json_error(cls, exception):
        """Odoo's JSON-RPC error without its ``debug`` member (the
        traceback)."""
        if isinstance(exception, werkzeug.exceptions.HTTPException) and (
                400 <= (exception.code or 0) < 500):
            # A refusal of what was sent: answered here, as Odoo answers a
            # 404, without Odoo's handler logging it as a server error.
            request._failed = exception
            if request._cr:
                request._cr.rollback()
            return request._json_response(error={
                "code": exception.code,
                "http_status": exception.code,
                "message": "%s: %s" % (exception.code, exception.name),
                "data": {
                    "name": "werkzeug.exceptions.%s" % type(exception).__name__,
                    "message": exception.description or exception.name,
                    "arguments": [],
                    "exception_type": "internal_error",
                },
            })
        response = super(IrHttp, cls)._handle_exception(exception)
        if not isinstance(response, werkzeug.wrappers.Response):
            return response
        try:
            payload = json.loads(response.get_data(as_text=True))
        except ValueError:
            return response
        error = payload.get("error") if isinstance(payload, dict) else None
        if not isinstance(error, dict):
            return response
        if isinstance(error.get("data"), dict):
            error["data"].pop("debug", None)
        response.set_data(json.dumps(payload))
        return response
