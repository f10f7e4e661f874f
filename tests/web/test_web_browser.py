"""The web app in a real browser: Playwright drives Debian's chromium against `serve --demo`.

The server runs in a thread on a free port with a fresh SQLite file in demo mode and the real
clock. Screenshots of the main pages are written to $CALMDESK_SCREENSHOTS when it is set (the
README's come from `CALMDESK_SCREENSHOTS=docs/screenshots pytest tests/web -m browser`), else to
a temporary folder, so every run exercises them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from calmdesk.service.settings import Settings
from calmdesk.web import demo
from calmdesk.web.app import create_app
from calmdesk.web.coaching import risk_level

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
]
DEFENSIVE = "As I already said, that is our policy."
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class Live:
    base: str
    app: object
    shots: Path

    def conversation(self, external_id: str) -> int:
        from sqlalchemy import select

        from calmdesk.store.models import ConversationRow

        with self.app.state.sessions() as s:
            return s.scalar(
                select(ConversationRow.id).where(
                    ConversationRow.external_id == external_id,
                    ConversationRow.source == demo.LIVE_SOURCE,
                )
            )

    def case(self) -> int:
        from sqlalchemy import select

        from calmdesk.store.models_case import Case

        with self.app.state.sessions() as s:
            return s.scalar(select(Case.id).order_by(Case.id).limit(1))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Live]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    app = create_app(
        Settings(database_url=f"sqlite:///{folder}/web.db", demo=True, secrets_dir=folder / "keys")
    )
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    shots = Path(os.environ.get("CALMDESK_SCREENSHOTS") or folder / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    yield Live(f"http://127.0.0.1:{port}", app, shots)
    server.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def browser(live):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _log_in(browser, live: Live, role: str, viewport=DESKTOP):
    """Log in as a new user would: open the site, copy the demo key shown, paste it."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(live.base)
    assert "/ui/login" in page.url
    token = page.locator(f'code.token[data-role="{role}"]').inner_text()
    page.fill("#key", token)
    page.click("button:has-text('Log in')")
    page.wait_for_load_state()
    return context, page


CUSTOMER_AGAIN = "Still nothing. I want to speak to your manager."


def _ingest(live: Live, conversation: str, customer: str, text: str) -> None:
    """A customer message arriving through the REST API, as a helpdesk would send it."""
    token = next(t for r, _, t in live.app.state.demo_keys if r == "agent")
    body = {
        "id": conversation,
        "customer_id": customer,
        "messages": [
            {"id": f"m-{time.time_ns()}", "author": "darren", "role": "customer", "text": text}
        ],
    }
    request = urllib.request.Request(
        live.base + "/ingest",
        data=json.dumps(body).encode(),
        headers={"X-API-Key": token, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.status == 200


def _expect():
    """Playwright's retrying assertions (a page may still be loading after a click)."""
    return pytest.importorskip("playwright.sync_api").expect


def _shot(page, path: Path, *, height: int) -> None:
    """A screenshot of the page's top `height` pixels at desktop width, then back to normal."""
    page.set_viewport_size({"width": DESKTOP["width"], "height": height})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path))
    page.set_viewport_size(DESKTOP)


def test_web_browser_agent_handles_an_escalation_end_to_end(browser, live):
    context, page = _log_in(browser, live, "agent")
    page.click("a:has-text('demo-10-roaming-abuse')")
    risk = page.get_by_test_id("risk")
    _expect()(risk).to_have_text(re.compile(r"\d+% · (low|medium|high)"))
    percent, level = re.match(r"(\d+)% · (\w+)", risk.inner_text()).groups()
    assert level == risk_level(int(percent) / 100), "the word agrees with the number"
    checklist = page.get_by_test_id("checklist").locator("li")
    assert checklist.count() == 5
    done_before = page.locator("[data-testid=checklist] li.done").count()
    assert page.locator("text=Abuse toward the agent:").is_visible()
    assert page.locator("text=Supervisor request: not seen").is_visible()

    # the customer writes again through the API; the open console shows it without a reload
    _ingest(live, "demo-10-roaming-abuse", "cust-darren-pike", CUSTOMER_AGAIN)
    page.locator("#thread .msg.customer", has_text="speak to your manager").wait_for()
    page.locator("text=Supervisor request: detected").wait_for()

    page.click("#draft")
    page.keyboard.type(DEFENSIVE, delay=15)
    marked = page.locator("#draft-check mark", has_text="As I already said")
    marked.wait_for()
    assert "[correcting]" in marked.inner_text()
    _shot(page, live.shots / "console.png", height=1350)

    page.click("button:has-text('Rewrite with calmdesk')")
    page.locator("text=No anti-pattern in this draft").wait_for()
    reply = page.input_value("#draft")
    assert reply and "As I already said" not in reply
    first_words = reply.split("\n")[0][:30]

    page.click("button:has-text('Send')")
    page.locator("text=Sent.").wait_for()
    page.locator("#thread .msg.agent", has_text=first_words).wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=checklist] li.done').length > n",
        arg=done_before,
    )

    page.click("a:has-text('Open the case')")
    expect = _expect()
    state = page.get_by_test_id("state")
    expect(state).to_have_text("new")
    for step in ("acknowledged", "solution offered", "solution accepted"):
        page.click(f"button:has-text('Move to {step}')")
        expect(state).to_have_text(step)
    page.click("summary:has-text('Hand to a supervisor')")
    page.select_option("#ho-sup", "grace")  # an agent picks one of the team's supervisors
    page.fill("#ho-note", "Abusive messages: please take over")
    page.click("button:has-text('Hand off')")
    expect(page.locator(".facts")).to_contain_text("grace (supervisor, took over)")
    page.fill("#new-text", "Confirm the reversed £240 by email")
    page.click("button:has-text('Add')")
    item = page.locator(".actions li", has_text="Confirm the reversed £240")
    item.locator("button:has-text('tick')").click()
    expect(item).to_contain_text("· done ·")
    page.click("button:has-text('Move to resolved')")
    expect(state).to_have_text("resolved")
    expect(page.locator(".trail")).to_have_count(0)  # the audit trail is the supervisors'
    _shot(page, live.shots / "case.png", height=1100)
    context.close()


def test_web_browser_dashboard_charts_render_and_drill_down(browser, live):
    context, page = _log_in(browser, live, "supervisor")
    assert page.url.endswith("/ui/dashboard")
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    for i in range(4):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
    assert page.locator("svg.chart circle").count() > 4
    assert page.locator("[data-testid=queue] tbody tr").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.screenshot(path=str(live.shots / "dashboard.png"), full_page=True)
    # the last point drawn: an earlier one can lie under another series' point of equal value
    # (escalation and de-escalation rate both 62 % in the week of 2026-10-26 on 2026-12-04)
    page.locator("svg.chart a").last.click()
    page.wait_for_url(re.compile(r"/ui/dashboard/drill\?"))
    assert page.locator("[data-testid=drill] tbody tr").count() > 0
    context.close()


def test_web_browser_phone_width_has_no_horizontal_scroll(browser, live):
    context, page = _log_in(browser, live, "supervisor", viewport=PHONE)
    cid = live.conversation("demo-01-stroller-fact-finding")
    for path in ("/ui", f"/ui/conversations/{cid}", "/ui/dashboard"):
        page.goto(live.base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    page.goto(live.base + "/ui/dashboard")
    page.locator("[data-testid=queue] a").first.click()
    page.wait_for_url(re.compile(r"/ui/cases/\d+$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(live.base + f"/ui/conversations/{cid}")
    page.screenshot(path=str(live.shots / "console-phone.png"))
    context.close()


def test_web_browser_keyboard_reaches_the_reply_box_with_a_visible_focus(browser, live):
    context, page = _log_in(browser, live, "agent")
    page.goto(live.base + f"/ui/conversations/{live.conversation('demo-14-wedding-suit')}")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "draft":
            break
    else:
        pytest.fail("Tab never reached the reply box")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline
    context.close()


def test_web_browser_suggest_reply_fills_the_composer(browser, live):
    context, page = _log_in(browser, live, "agent")
    page.goto(
        live.base + f"/ui/conversations/{live.conversation('demo-05-cancelled-flight-wedding')}"
    )
    page.click("button:has-text('Suggest reply')")
    page.locator("text=A suggested reply in the five steps").wait_for()
    assert len(page.input_value("#draft")) > 200
    page.locator("text=No anti-pattern in this draft").wait_for()
    assert page.evaluate("document.activeElement.id") == "draft"
    context.close()


def test_web_browser_api_docs_render_without_leaving_the_machine(browser, live):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((live.base, "data:")) else None,
    )
    page.goto(live.base + "/docs")
    _expect()(page.locator(".opblock-tag", has_text="cases").first).to_be_visible(timeout=20_000)
    _expect()(page.locator(".opblock-summary-path", has_text="/ingest").first).to_be_visible()
    assert outside == []
    context.close()


def _csp_watch(page) -> list[str]:
    """Every Content-Security-Policy refusal chromium reports for `page` (its console errors)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def test_web_browser_the_csp_watch_sees_a_refused_inline_script(browser, live):
    """The check below is only worth something if an inline script does show up in it."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    refused = _csp_watch(page)
    page.goto(live.base + "/ui/login")
    page.evaluate(
        "(() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.head.appendChild(s); })()"
    )
    page.wait_for_timeout(200)
    assert refused and page.evaluate("window.ran === undefined")
    context.close()


def test_web_browser_no_page_breaks_its_content_security_policy(browser, live):
    """Pages, fragments, charts, the case record and the API docs work under the policy."""
    for role in ("agent", "supervisor"):
        context, page = _log_in(browser, live, role)
        refused = _csp_watch(page)
        cid = live.conversation("demo-01-stroller-fact-finding")
        page.goto(live.base + f"/ui/conversations/{cid}")
        page.click("#draft")
        page.keyboard.type(DEFENSIVE, delay=5)
        page.locator("#draft-check mark").first.wait_for()
        page.click("button:has-text('Suggest reply')")
        page.locator("text=A suggested reply in the five steps").wait_for()
        page.goto(live.base + f"/ui/cases/{live.case()}")
        page.click("a:has-text('printable page')")
        page.wait_for_load_state()
        for path in ("/ui", "/ui/dashboard", "/docs"):
            page.goto(live.base + path)
            page.wait_for_load_state("networkidle")
        _expect()(page.locator(".opblock-tag").first).to_be_visible(timeout=20_000)
        assert refused == [], (role, refused)
        context.close()
