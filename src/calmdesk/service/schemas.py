"""Request bodies. Responses are the plain JSON views of views.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from calmdesk.store.workflow import STATES

Priority = Literal["P1", "P2", "P3", "P4"]
State = Literal[
    "new",
    "acknowledged",
    "solution_offered",
    "solution_accepted",
    "fact_finding",
    "resolved",
    "closed",
]
assert set(State.__args__) == set(STATES)  # type: ignore[attr-defined]
Role = Literal["agent", "supervisor", "admin"]
#: ids are 32-bit on every database; larger numbers are simply not found
MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def _utc(v: datetime | None) -> datetime | None:
    if v is None:
        return None
    return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, v: object) -> object:
        # PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database
        if isinstance(v, str) and "\x00" in v:
            raise ValueError("must not contain a NUL character")
        return v


class CaseCreate(Strict):
    title: str = Field(min_length=1, max_length=256)
    priority: Priority = "P3"
    owner: str | None = Field(default=None, min_length=1, max_length=256)
    customer_id: Id | None = None
    conversation_id: Id | None = None


class CaseUpdate(Strict):
    title: str | None = Field(default=None, min_length=1, max_length=256)
    owner: str | None = Field(default=None, min_length=1, max_length=256)
    priority: Priority | None = None
    eta: datetime | None = None

    _eta = field_validator("eta")(_utc)


class Transition(Strict):
    to: State


class Handoff(Strict):
    supervisor: str = Field(min_length=1, max_length=256)
    note: str = Field(default="", max_length=2000)


class ActionCreate(Strict):
    text: str = Field(min_length=1, max_length=2000)
    owner: str | None = Field(default=None, min_length=1, max_length=256)
    due: datetime | None = None

    _due = field_validator("due")(_utc)


class ActionUpdate(Strict):
    text: str | None = Field(default=None, min_length=1, max_length=2000)
    owner: str | None = Field(default=None, min_length=1, max_length=256)
    due: datetime | None = None
    status: Literal["open", "done", "cancelled"] | None = None

    _due = field_validator("due")(_utc)


class CustomerUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=256)
    tier: str | None = Field(default=None, min_length=1, max_length=32)
    value: float | None = Field(default=None, ge=0, le=1e12)
    customer_since: datetime | None = None

    _since = field_validator("customer_since")(_utc)


class IdentityAdd(Strict):
    kind: Literal["email", "phone", "twitter", "chat", "chatwoot", "zendesk", "external"]
    value: str = Field(min_length=1, max_length=320)


class Goodwill(Strict):
    amount: float = Field(gt=0, le=1e9)
    reason: str = Field(min_length=1, max_length=500)


class KeyCreate(Strict):
    name: str = Field(min_length=1, max_length=128)
    role: Role


class TeamUpdate(Strict):
    threshold: float | None = Field(default=None, gt=0, le=1)
    redact: bool | None = None
    priority_config: dict[str, float | dict[str, float]] | None = None
