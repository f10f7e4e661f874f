"""Redaction of personal data before anything is stored or exported (pure Python, no I/O)."""

from calmdesk.core.redact.redactor import Finding, Redactor, find, redact

__all__ = ["Finding", "Redactor", "find", "redact"]
