"""The web app: server-rendered pages (agent console, case view, supervisor dashboard) on top of
the service's API, in the same process; `calmdesk.web.app.create_app` builds both."""
