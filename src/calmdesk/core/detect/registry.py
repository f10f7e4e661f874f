"""Every detector by name, in the order the pipeline runs them.

Written out by hand (no import side effects): a reader sees every detector here, and a team can
pick a subset or swap one by name. Order matters within a message: a detector sees the labels
that earlier detectors gave the same message (`Context.current`), so moves run before the
anti-patterns that are defined by their absence.
"""

from __future__ import annotations

from collections.abc import Iterable

from calmdesk.core.detect import (
    agent_antipatterns,
    agent_moves,
    customer_emotions,
    customer_sentiment,
    customer_signals,
)
from calmdesk.core.detect.base import Detector

REGISTRY: dict[str, Detector] = {
    d.name: d
    for d in (
        *customer_sentiment.DETECTORS,
        *customer_emotions.DETECTORS,
        *customer_signals.DETECTORS,
        *agent_moves.DETECTORS,
        *agent_antipatterns.DETECTORS,
    )
}


def select(names: Iterable[str] | None = None) -> tuple[Detector, ...]:
    """Detectors by name in registry order; all of them when `names` is None."""
    if names is None:
        return tuple(REGISTRY.values())
    wanted = set(names)
    unknown = wanted - REGISTRY.keys()
    if unknown:
        known = ", ".join(REGISTRY)
        raise KeyError(f"unknown detector(s): {', '.join(sorted(unknown))}; known: {known}")
    return tuple(d for d in REGISTRY.values() if d.name in wanted)
