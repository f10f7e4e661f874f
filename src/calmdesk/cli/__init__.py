"""The command-line layer: Typer commands over the core, rendered with Rich."""

from calmdesk.cli.app import app, main

__all__ = ["app", "main"]
