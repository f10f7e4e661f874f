"""The escalation service: `create_app(settings)` builds a FastAPI app over core and store."""
