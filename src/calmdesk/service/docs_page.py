"""The interactive API docs (/docs), served from the package so they work offline.

FastAPI's own /docs page loads Swagger UI from a CDN, which a desk on a closed network cannot
reach: the page would stay blank. Swagger UI 5.35.0 (Apache-2.0, `swagger-ui-dist` on npm,
licence and notice beside it) ships in `static/swagger/` instead, and the validator badge, which
calls an outside service, is turned off. ReDoc (/redoc) is not served: it would need a second
bundle for the same schema.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(__file__).resolve().parent / "static" / "swagger"
ASSETS_URL = "/docs-assets"


def mount_docs(app: FastAPI) -> None:
    """/docs and its assets on `app`, which must be built with `docs_url=None`."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(ASSETS)), name="docs-assets")
    oauth2_redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=str(app.openapi_url),
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
            oauth2_redirect_url=oauth2_redirect,
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    def docs_oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
