"""Case priority P1-P4 from severity, customer value and time pressure; SLA targets per priority.

    score = w_severity * severity + w_value * value + w_time * time_pressure   (weights sum to 1)
    P1 if score >= p1, P2 if >= p2, P3 if >= p3, else P4

severity is the larger of the conversation's peak escalation risk and the gravest signal seen
(SIGNAL_SEVERITY); value is the customer's tier weight or value / value_cap, whichever is larger;
time_pressure is the confidence of the customer's `time_pressure` label. Every number is a field
of `PriorityConfig`, which a team overrides (PUT /team) without touching code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

PRIORITIES = ("P1", "P2", "P3", "P4")

#: how grave each escalation signal is on its own, in [0, 1]
SIGNAL_SEVERITY: dict[str, float] = {
    "legal_threat": 1.0,
    "abuse_toward_agent": 0.9,
    "public_threat": 0.85,
    "supervisor_request": 0.7,
    "churn_threat": 0.7,
    "documenting": 0.5,
    "repeat_contact": 0.5,
    "compensation_demand": 0.4,
}


@dataclass(frozen=True, slots=True)
class PriorityConfig:
    w_severity: float = 0.55
    w_value: float = 0.25
    w_time: float = 0.20
    p1: float = 0.7
    p2: float = 0.4
    p3: float = 0.25
    value_cap: float = 10_000.0
    tiers: Mapping[str, float] = field(
        default_factory=lambda: {"standard": 0.2, "silver": 0.4, "gold": 0.7, "vip": 1.0}
    )
    #: minutes from opening to first acknowledgement, per priority
    ack_minutes: Mapping[str, int] = field(
        default_factory=lambda: {"P1": 15, "P2": 60, "P3": 240, "P4": 1440}
    )
    #: minutes from opening to resolution; the ETA promised is this latest possible time (P1)
    resolve_minutes: Mapping[str, int] = field(
        default_factory=lambda: {"P1": 240, "P2": 1440, "P3": 4320, "P4": 10080}
    )

    @staticmethod
    def from_overrides(overrides: Mapping[str, Any] | None) -> PriorityConfig:
        """Defaults updated by a team's overrides; unknown keys are an error a person can fix."""
        base = asdict(PriorityConfig())
        known = {f.name for f in fields(PriorityConfig)}
        for key, value in (overrides or {}).items():
            if key not in known:
                raise ValueError(
                    f"unknown priority setting {key!r}; expected one of {sorted(known)}"
                )
            if isinstance(base[key], Mapping):
                base[key] = {**base[key], **value}
            else:
                base[key] = float(value)
        config = PriorityConfig(**base)
        config.check()
        return config

    def check(self) -> None:
        """Raise ValueError naming the first setting out of its range."""
        for name in ("w_severity", "w_value", "w_time", "p1", "p2", "p3"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"priority setting {name!r} must be in [0, 1]")
        if not 0.0 < self.value_cap <= 1e15:
            raise ValueError("priority setting 'value_cap' must be positive")
        for table in ("ack_minutes", "resolve_minutes"):
            minutes = getattr(self, table)
            for prio in PRIORITIES:
                if not 0 < float(minutes.get(prio, 0)) <= 5_256_000:  # ten years
                    raise ValueError(f"{table}[{prio}] must be minutes in (0, 5256000]")
        for tier, weight in self.tiers.items():
            if not 0.0 <= float(weight) <= 1.0:
                raise ValueError(f"tiers[{tier!r}] must be in [0, 1]")


@dataclass(frozen=True, slots=True)
class PriorityInputs:
    severity: float
    value: float
    time_pressure: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def severity_of(peak_risk: float, signals: Mapping[str, float]) -> float:
    """The gravest of the risk and the signals seen (signal -> its best confidence)."""
    graves = [SIGNAL_SEVERITY.get(name, 0.0) * conf for name, conf in signals.items()]
    return min(1.0, max([peak_risk, *graves]))


def value_of(tier: str, value: float, config: PriorityConfig) -> float:
    by_value = min(1.0, max(0.0, value) / config.value_cap) if config.value_cap > 0 else 0.0
    return max(config.tiers.get(tier.lower(), 0.0), by_value)


def score(inputs: PriorityInputs, config: PriorityConfig) -> float:
    return (
        config.w_severity * inputs.severity
        + config.w_value * inputs.value
        + config.w_time * inputs.time_pressure
    )


def priority(inputs: PriorityInputs, config: PriorityConfig) -> str:
    s = score(inputs, config)
    if s >= config.p1:
        return "P1"
    if s >= config.p2:
        return "P2"
    if s >= config.p3:
        return "P3"
    return "P4"


def higher(a: str, b: str) -> str:
    """The more urgent of two priorities (P1 beats P2)."""
    return min(a, b)


def deadlines(opened: datetime, prio: str, config: PriorityConfig) -> tuple[datetime, datetime]:
    """(acknowledge by, resolve by) for a case of this priority opened at `opened`."""
    ack = opened + timedelta(minutes=config.ack_minutes[prio])
    return ack, opened + timedelta(minutes=config.resolve_minutes[prio])
