"""Security headers on the pages, the API, static files and the Swagger page."""

from __future__ import annotations

import base64
import hashlib
import re

from calmdesk.service.security_headers import FRAME_ANCESTORS, policy


def test_security_headers_on_health_static_files_and_errors(sqlite_desk):
    client = sqlite_desk.client
    for path, status in (
        ("/health", 200),
        ("/ui/static/htmx.min.js", 200),
        ("/ui/login", 200),
        ("/nowhere", 404),
    ):
        r = client.get(path)
        assert r.status_code == status
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], path


def test_security_headers_pages_allow_no_inline_script(sqlite_desk):
    csp = sqlite_desk.client.get("/ui/login").headers["content-security-policy"]
    script = re.search(r"script-src ([^;]*)", csp)[1]
    assert script == "'self'"
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp


def test_security_headers_docs_allow_exactly_their_own_inline_script(sqlite_desk):
    r = sqlite_desk.client.get("/docs")
    inline = re.findall(r"<script>(.*?)</script>", r.text, re.S)
    assert len(inline) == 1 and "SwaggerUIBundle" in inline[0]
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    script = re.search(r"script-src ([^;]*)", r.headers["content-security-policy"])[1]
    assert script == f"'self' 'sha256-{digest}'"
    assert "unsafe-inline" not in script and len(r.content) == int(r.headers["content-length"])


def test_security_headers_frame_ancestors_come_from_one_place():
    assert FRAME_ANCESTORS == "'none'"
    assert policy({"type": "http", "path": "/ui"}).endswith("frame-ancestors 'none'")
