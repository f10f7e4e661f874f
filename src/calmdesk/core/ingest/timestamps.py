"""Timestamps as aware datetimes: analysis compares times across channels and time zones."""

from __future__ import annotations

from datetime import UTC, datetime

ISO_EXPECTED = "expected an ISO 8601 date-time like '2024-03-05T14:02:00Z'"


def parse_iso(value: str) -> datetime | None:
    """An aware datetime from ISO 8601 text (naive means UTC), or None if it is not one."""
    text = value.strip()
    if not text or not text[0].isdigit():
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
