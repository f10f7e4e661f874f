"""Benchmark: what a desk answers to login and key abuse, and to an agent overstepping.

Runs the web app in process on a fresh SQLite file (keys of all three roles) and prints one
line per probe:
- 1,000 wrong web logins and 1,000 wrong API keys from one address, as fast as they go:
  the answers by status code and the rate;
- a session cookie reused after its logout;
- the security headers of a page, an API answer and /docs;
- an agent handing a case to a made-up owner, and an agent's case record.
Works against older checkouts too (PYTHONPATH=<checkout>/src), to compare before and after.

Usage: PYTHONPATH=src python bench/auth_abuse.py [--tries 1000]
"""

from __future__ import annotations

import argparse
import collections
import logging
import os
import re
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

WRONG = "cdk_" + "x" * 43
OTHER_WRONG = "cdk_" + "y" * 43


def _app(folder: Path):  # type: ignore[no-untyped-def]
    os.environ["CALMDESK_SECRETS_DIR"] = str(folder / "secrets")
    from calmdesk.service.settings import Settings
    from calmdesk.store import keys
    from calmdesk.web.app import create_app

    app = create_app(Settings(database_url=f"sqlite:///{folder}/bench.db"))
    tokens = {}
    with app.state.sessions() as s:
        for role in keys.ROLES:
            tokens[role] = keys.create_key(
                session=s, team="support", role=role, name=f"support-{role}", now=app.state.clock()
            ).token
        s.commit()
    return app, tokens


def _burst(label: str, tries: int, call) -> None:  # type: ignore[no-untyped-def]
    codes: collections.Counter[int] = collections.Counter()
    start = time.perf_counter()
    for _ in range(tries):
        codes[call()] += 1
    took = time.perf_counter() - start
    print(f"{label}: {dict(sorted(codes.items()))} at {tries / took:,.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=1000)
    tries = parser.parse_args().tries
    logging.getLogger("calmdesk.security").setLevel(logging.ERROR)  # one line per failure
    with tempfile.TemporaryDirectory() as tmp:
        app, tokens = _app(Path(tmp))
        web = TestClient(app)
        _burst(
            f"{tries} wrong web logins",
            tries,
            lambda: web.post("/ui/login", data={"key": WRONG}).status_code,
        )
        api = TestClient(app, client=("192.0.2.1", 5000))
        _burst(
            f"{tries} wrong API keys",
            tries,
            lambda: api.get("/cases", headers={"X-API-Key": OTHER_WRONG}).status_code,
        )

        browser = TestClient(app, client=("192.0.2.2", 5000))
        browser.post("/ui/login", data={"key": tokens["agent"]})
        cookies = dict(browser.cookies)
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', browser.get("/ui").text)
        browser.post("/ui/logout", data={"csrf": csrf[1] if csrf else ""})
        reused = TestClient(app, cookies=cookies).get("/ui", follow_redirects=False)
        print(f"cookie reused after logout: {reused.status_code} (200: still logged in)")

        for path in ("/ui/login", "/health", "/docs"):
            h = web.get(path).headers
            found = [
                n
                for n in (
                    "content-security-policy",
                    "x-frame-options",
                    "x-content-type-options",
                    "referrer-policy",
                )
                if n in h
            ]
            print(f"security headers of {path}: {found or 'none'}")

        agent = {"X-API-Key": tokens["agent"]}
        api2 = TestClient(app, client=("192.0.2.3", 5000))
        case = api2.post("/cases", json={"title": "Call", "priority": "P3"}, headers=agent).json()
        r = api2.post(f"/cases/{case['id']}/handoff", json={"supervisor": "mallory"}, headers=agent)
        owner = api2.get(f"/cases/{case['id']}", headers=agent).json()["owner"]
        print(f"agent hands a case to 'mallory': {r.status_code}, owner now {owner!r}")
        doc = api2.get(f"/cases/{case['id']}/record", headers=agent).json()
        print(f"agent's case record has the audit entries: {'actions_taken' in doc}")
        app.state.engine.dispose()


if __name__ == "__main__":
    main()
