"""Jinja2 rendering for the pages: one environment per app, autoescaped, with small filters.

Times are shown in UTC with the zone named, and every deadline also carries its ISO value in a
`data-deadline` attribute that the page's own script turns into a live countdown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from calmdesk.web.session import WebUser


def make_env() -> Environment:
    env = Environment(
        loader=PackageLoader("calmdesk.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.filters["pct"] = pct
    env.filters["human"] = human
    env.filters["money"] = money
    env.filters["ago"] = ago
    env.globals["until"] = until
    env.globals["ago"] = ago
    return env


def when(v: datetime | None) -> str:
    return v.strftime("%Y-%m-%d %H:%M UTC") if v else "–"


def pct(v: float | None) -> str:
    return "–" if v is None else f"{v * 100:.0f}%"


def human(name: str) -> str:
    """A label or state name as words: 'solution_offered' -> 'solution offered'."""
    return name.replace("_", " ")


def money(v: float) -> str:
    return f"{v:,.0f}"


def ago(minutes: float) -> str:
    """A duration in the unit a person reads at a glance."""
    m = abs(minutes)
    return f"{m:.0f} min" if m < 90 else f"{m / 60:.1f} h" if m < 48 * 60 else f"{m / 1440:.1f} d"


def until(deadline: datetime, now: datetime) -> str:
    """'in 3.2 h' or 'overdue by 5 min' (calmdesk.js keeps it ticking in the browser)."""
    minutes = (deadline - now).total_seconds() / 60
    return f"in {ago(minutes)}" if minutes >= 0 else f"overdue by {ago(minutes)}"


def render(
    request: Request,
    template: str,
    user: WebUser | None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    env: Environment = request.app.state.web_env
    html = env.get_template(template).render(
        user=user,
        demo_note=request.app.state.demo_note,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers=headers)
