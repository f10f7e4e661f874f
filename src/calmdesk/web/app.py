"""The web app: the API of `calmdesk.service` plus the pages, served by one process.

`create_app(settings)` builds the API app and mounts the pages, their static files (all served
from the package; nothing comes from a CDN) and the login routes on it. The service layer does
not import the web layer (core <- store <- service <- web), so the API stays usable alone.
In demo mode the bundled examples and generated history are loaded once and fresh demo keys are
created on every start.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from calmdesk.service import ratelimit
from calmdesk.service.app import create_app as create_api
from calmdesk.service.deps import DbSession, Now
from calmdesk.service.settings import Settings
from calmdesk.web import case_pages, composer, console, dashboard, demo
from calmdesk.web import session as web_session
from calmdesk.web.render import make_env, render
from calmdesk.web.session import COOKIE, AgentUser, Form, LoginRequired

auth = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only a page of this site: an open redirect would make the login page a phishing aid."""
    ok = target.startswith("/ui") and "//" not in target and "\\" not in target
    return target if ok else "/ui"


@auth.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/ui", status_code=303)


def _login_page(
    request: Request,
    next_url: str,
    error: str = "",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "login.html",
        None,
        status_code=status,
        headers=headers,
        next=_safe_next(next_url),
        error=error,
        demo_keys=request.app.state.demo_keys,
    )


@auth.get("/ui/login", response_class=HTMLResponse)
def login_page(
    request: Request, next: Annotated[str, Query(max_length=500)] = "/ui"
) -> HTMLResponse:
    return _login_page(request, next)


@auth.post("/ui/login", response_model=None)
def login(request: Request, session: DbSession, now: Now, form: Form) -> Response:
    """Exchange an API key for a session cookie; the key itself never goes into the cookie.

    Wrong keys back off per client address and key prefix (calmdesk.service.ratelimit): a try
    that comes too early is answered 429 without looking the key up."""
    token = form.get("key", "").strip()
    tried = ratelimit.attempt(request, token, "web login")
    wait = tried.too_early()
    if wait:
        return _login_page(
            request,
            form.get("next", "/ui"),
            f"Too many wrong keys from here: try again in {wait} s.",
            status=429,
            headers={"Retry-After": str(wait)},
        )
    key = web_session.login(session, token)
    if key is None:
        tried.failed()
        return _login_page(
            request, form.get("next", "/ui"), "That key is unknown or revoked.", status=401
        )
    target = _safe_next(form.get("next", "/ui"))
    if target == "/ui" and key.role != "agent":
        target = "/ui/dashboard"
    times: web_session.Lifetimes = request.app.state.session_lifetimes
    secret: bytes = request.app.state.session_secret
    if earlier := request.cookies.get(COOKIE):  # a new login ends this browser's last one
        web_session.end(secret, session, earlier, now)
    cookie = web_session.issue(session, secret, key, now, times)
    session.commit()
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(times.lifetime.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@auth.post("/ui/logout")
def logout(request: Request, user: AgentUser, session: DbSession, now: Now) -> RedirectResponse:
    """End the session on the server; deleting the cookie alone would leave copies working."""
    web_session.end(request.app.state.session_secret, session, request.cookies[COOKIE], now)
    session.commit()
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _wants_page(request: Request) -> bool:
    return request.url.path.startswith("/ui") and "HX-Request" not in request.headers


#: every router of the pages (the role matrix test reads them to list each page's route)
ROUTERS: tuple[APIRouter, ...] = (
    auth,
    console.router,
    composer.router,
    case_pages.router,
    dashboard.router,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API and the pages on one app (what `calmdesk serve` runs)."""
    settings = settings or Settings.from_env()
    app = create_api(settings)
    app.state.web_env = make_env()
    app.state.session_secret = web_session.make_secret(
        settings.session_secret, settings.secrets_dir
    )
    app.state.session_lifetimes = web_session.Lifetimes.of(settings)
    app.state.demo_keys = []
    app.state.demo_note = ""
    app.state.demo_loaded_at = None
    if settings.demo:
        with app.state.sessions() as s:
            now = settings.clock()
            summary = demo.load(s, app.state.pipeline, now)
            app.state.demo_keys = demo.demo_keys(s, now)
            app.state.demo_note = summary.note
            app.state.demo_loaded_at = summary.loaded_at
    for router in ROUTERS:
        app.include_router(router)
    static = resources.files("calmdesk.web").joinpath("static")
    app.mount("/ui/static", StaticFiles(directory=str(static)), name="static")

    @app.exception_handler(LoginRequired)
    def _login_required(request: Request, exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(web_session.login_url(exc.next_url), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Pages get an HTML error page; the API and HTMX fragments keep the JSON answer."""
        if not _wants_page(request):
            return await http_exception_handler(request, exc)
        return render(
            request,
            "error.html",
            None,
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
            status=exc.status_code,
            detail=exc.detail,
        )

    return app
