"""The Flask application: countries, briefings, proposals, decisions, audit log, feeds.

Pages are rendered on the server with the product's one Jinja2 environment (per
language), never with Flask's own. Every POST needs a signed-in user (403 otherwise) and
the session's CSRF token (400 otherwise); only managers may decide.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jinja2
from flask import Flask, Response, abort, g, redirect, request, session
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException

from alerts import briefing
from alerts.decisions import DecisionError, decide
from alerts.i18n import available_languages, load_language
from alerts.templating import make_environment
from config import Settings
from store import statuses as statuses_store
from store import users as users_store
from store.db import make_engine, make_sessionmaker, migrate, transaction
from store.records import Place
from web import feeds
from web.auth import LoginLimiter, csrf_token_matches, new_csrf_token, password_matches

logger = logging.getLogger(__name__)

STATES = ("suspended", "resumption_proposed", "suspension_proposed", "watch", "normal")
SESSION_HOURS = 8
SECRET_FILE = "web-secret.key"


@dataclass
class WebContext:
    """What the views share: settings, sessions of the store, the login limiter."""

    settings: Settings
    factory: sessionmaker[Session]
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    _envs: dict[str, jinja2.Environment] = field(default_factory=dict)

    def env(self, language: str) -> jinja2.Environment:
        if language not in self._envs:
            self._envs[language] = make_environment(language)
        return self._envs[language]


def create_app(settings: Settings, factory: sessionmaker[Session] | None = None) -> Flask:
    """Build the app; without a session factory it opens (and migrates) the settings' database."""
    if factory is None:
        engine = make_engine(settings.database_url)
        migrate(engine)
        factory = make_sessionmaker(engine)
    ctx = WebContext(settings, factory)
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.config.update(
        SECRET_KEY=_secret_key(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=SESSION_HOURS * 3600,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    app.extensions["returnwatch"] = ctx
    _install_hooks(app, ctx)
    _install_routes(app, ctx)
    return app


def _secret_key(settings: Settings) -> str:
    """The session signing key: from the settings' extras, else a private file in the workdir."""
    configured = settings.extra.get("web_secret_key")
    if configured:
        return str(configured)
    path = settings.workdir / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


# --- request hooks -----------------------------------------------------------------------


def _install_hooks(app: Flask, ctx: WebContext) -> None:
    @app.before_request
    def load_user() -> Response | None:
        g.user = None
        uid = session.get("uid")
        if isinstance(uid, int):
            with transaction(ctx.factory) as s:
                user = users_store.get_user(s, uid)
            g.user = user if user is not None and user.active else None
        if "csrf" not in session:
            session["csrf"] = new_csrf_token()
        wanted = request.args.get("lang")
        if wanted in available_languages():
            session["lang"] = wanted
        g.lang = session.get("lang", "en")
        if request.method == "POST":
            if request.endpoint != "login" and g.user is None:
                abort(403)
            if not csrf_token_matches(session.get("csrf"), request.form.get("csrf_token")):
                abort(400, description="invalid CSRF token")
        return None

    @app.after_request
    def secure_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    @app.errorhandler(HTTPException)
    def error_page(exc: HTTPException) -> Response:
        body = render(ctx, "web/error.html.j2", code=exc.code, message=exc.description or "")
        return Response(body, status=exc.code or 500, mimetype="text/html")


def render(ctx: WebContext, template: str, **values: Any) -> str:
    """Render a page with the user's language, user and CSRF token."""
    env = ctx.env(getattr(g, "lang", "en"))
    return env.get_template(template).render(
        user=getattr(g, "user", None),
        csrf_token=session.get("csrf", ""),
        programme=ctx.settings.programme_name,
        languages=available_languages(),
        path=request.path,
        **values,
    )


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(f"/login?next={request.full_path.rstrip('?')}")
        return view(*args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never redirect a signed-in user to another host."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


# --- routes ------------------------------------------------------------------------------


def _install_routes(app: Flask, ctx: WebContext) -> None:
    from web import pages

    @app.route("/login", methods=["GET", "POST"], endpoint="login")
    def login() -> Any:
        error, status = None, 200
        if request.method == "POST":
            email = request.form.get("email", "").strip().lower()
            keys = (f"ip:{request.remote_addr}", f"email:{email}")
            if ctx.limiter.blocked(*keys):
                error, status = "Too many failed sign-ins. Try again in 15 minutes.", 429
            else:
                with transaction(ctx.factory) as s:
                    user = users_store.find_user(s, email)
                    ok = password_matches(
                        user.password_hash if user else None, request.form.get("password", "")
                    )
                    if ok and user is not None and user.active:
                        users_store.mark_login(s, user.id)
                if ok and user is not None and user.active:
                    ctx.limiter.succeed(*keys)
                    language = session.get("lang", "en")
                    session.clear()
                    session.permanent = True
                    session.update(uid=user.id, csrf=new_csrf_token(), lang=language)
                    logger.info("web sign-in: %s", user.email)
                    return redirect(_safe_next(request.args.get("next")))
                ctx.limiter.fail(*keys)
                error, status = "Wrong email or password.", 401
        body = render(ctx, "web/login.html.j2", error=error, next=request.args.get("next", ""))
        return Response(body, status=status, mimetype="text/html")

    @app.post("/logout")
    def logout() -> Any:
        session.clear()
        return redirect("/login")

    pages.install(app, ctx, login_required)

    @app.get("/api/statuses")
    def api_statuses() -> Response:
        with transaction(ctx.factory) as s:
            rows = statuses_store.list_statuses(s)
        return _json([feeds.status_json(r) for r in rows])

    @app.get("/api/status-changes")
    def api_changes() -> Response:
        return _json([feeds.change_json(c) for c in _all_changes(ctx)])

    @app.get("/feed.atom")
    def atom() -> Response:
        base = ctx.settings.base_url.rstrip("/") or request.host_url.rstrip("/")
        title = f"{ctx.settings.programme_name}: status changes"
        return Response(
            feeds.atom_feed(_all_changes(ctx), base, title), mimetype="application/atom+xml"
        )

    @app.get("/healthz")
    def health() -> Response:
        return _json({"ok": True})


def _all_changes(ctx: WebContext, limit: int = 100) -> list[statuses_store.StatusChangeView]:
    with transaction(ctx.factory) as s:
        countries = sorted({st.place.country for st in statuses_store.list_statuses(s)})
        changes = [c for code in countries for c in statuses_store.status_history(s, code)]
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:limit]


def _json(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json")


def decide_from_form(ctx: WebContext, proposal_id: int) -> tuple[str | None, int]:
    """Apply the manager's decision from the posted form; an error message and HTTP status."""
    if g.user is None or g.user.role != "manager":
        abort(403)
    verdict = request.form.get("verdict")
    reason = request.form.get("reason", "").strip()
    if verdict not in ("approve", "reject"):
        return "Choose approve or reject.", 400
    try:
        with transaction(ctx.factory) as s:
            outcome = decide(
                s, proposal_id, verdict == "approve", g.user.email, reason, ctx.settings
            )
    except DecisionError as exc:
        return str(exc), 409
    logger.info("web decision: %s", outcome)
    return None, 303


def place_of(country: str, area: str | None) -> Place:
    return Place(country.upper(), area or "")


def briefing_for(ctx: WebContext, country: str, area: str | None) -> briefing.Briefing:
    with transaction(ctx.factory) as s:
        if country.upper() not in briefing.briefing_countries(s):
            abort(404)
        return briefing.gather_briefing(s, country.upper(), area, ctx.settings, language=g.lang)


def language_name(code: str) -> str:
    return str(load_language(code).locale.get_display_name(code) or code)


def static_path() -> Path:
    return Path(__file__).resolve().parent / "static"
