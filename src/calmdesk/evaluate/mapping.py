"""Each dataset's labels mapped onto calmdesk's taxonomy (the table is `mapping.toml`).

Training and evaluation read gold answers only through `gold`, so a label means the same thing
in both. A team points `calmdesk eval` at its own data by adding a table in the same form.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from calmdesk.core.taxonomy import AGENT_LABELS, CUSTOMER_LABELS
from calmdesk.evaluate.datasets import Example, side_of
from calmdesk.evaluate.metrics import SENTIMENT_CLASSES

#: Questions a dataset asks that calmdesk answers with a combination of labels (see mapping.toml).
VIEWS: dict[str, str] = {
    "upset": "customer shows a negative emotion or an escalation signal (a complaint)",
    "impolite": "the message is rude or curt",
    "derails": "the conversation will turn into a personal attack (escalation forecast)",
}


class MappingError(ValueError):
    """A mapping table entry that cannot be used; the message names dataset, label and key."""


@dataclass(frozen=True, slots=True)
class Target:
    label: str
    field: str
    any: tuple[Any, ...] = ()
    none_of: tuple[Any, ...] = ()
    min: float | None = None
    equals: Any = None
    #: for sentiment: class name -> the dataset values of that class
    classes: Mapping[str, tuple[Any, ...]] | None = None

    def gold(self, labels: Mapping[str, Any]) -> bool | str | None:
        """True/False for a binary label, the class for sentiment, None to leave the row out."""
        value = labels.get(self.field)
        if value is None:
            return None
        values = value if isinstance(value, list) else [value]
        if self.classes is not None:
            hits = [c for c, vs in self.classes.items() if any(v in vs for v in values)]
            return hits[0] if len(hits) == 1 else None
        if any(v in self.none_of for v in values):
            return None
        if self.any:
            return any(v in self.any for v in values)
        if self.min is not None:
            return isinstance(value, int | float) and value >= self.min
        return bool(value == self.equals)


@dataclass(frozen=True, slots=True)
class DatasetMapping:
    dataset: str
    side: str
    targets: tuple[Target, ...]
    published: str = ""
    #: the dataset folder the table reads (its name unless a two-sided table names it)
    source: str = ""

    @property
    def folder(self) -> str:
        return self.source or self.dataset

    def gold(self, example: Example) -> dict[str, bool | str]:
        """The gold answer of every label this dataset covers for one row (rows of the other
        side, and labels whose field is missing, are left out)."""
        if side_of(example.role) != self.side:
            return {}
        out: dict[str, bool | str] = {}
        for t in self.targets:
            g = t.gold(example.labels)
            if g is not None:
                out[t.label] = g
        return out


def load_mapping(path: Path | None = None) -> dict[str, DatasetMapping]:
    """The bundled table, or a team's own file, checked against the taxonomy."""
    if path is None:
        text = resources.files("calmdesk.evaluate").joinpath("mapping.toml").read_text("utf-8")
        where = "mapping.toml"
    else:
        text = path.read_text(encoding="utf-8")
        where = str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{where}: {exc}") from exc
    return {name: _dataset(name, table, where) for name, table in raw.items()}


def _dataset(name: str, table: Any, where: str) -> DatasetMapping:
    if not isinstance(table, dict):
        raise MappingError(f"{where}: [{name}] must be a table")
    side = table.get("side")
    if side not in ("customer", "agent"):
        raise MappingError(f"{where}: [{name}] side must be 'customer' or 'agent', not {side!r}")
    known = {**(CUSTOMER_LABELS if side == "customer" else AGENT_LABELS), **VIEWS}
    targets = []
    for label, spec in (table.get("targets") or {}).items():
        at = f"{where}: [{name}.targets] {label}"
        if label not in known:
            raise MappingError(f"{at}: not a calmdesk {side} label or view")
        if not isinstance(spec, dict) or not isinstance(spec.get("field"), str):
            raise MappingError(f"{at}: needs a 'field'")
        targets.append(_target(label, spec, at))
    source = table.get("dataset", "")
    if not isinstance(source, str):
        raise MappingError(f"{where}: [{name}] dataset must be a folder name")
    return DatasetMapping(name, side, tuple(targets), str(table.get("published", "")), source)


def mappings_for(mappings: Mapping[str, DatasetMapping], folder: str) -> list[DatasetMapping]:
    """Every table that reads a dataset folder: one, or one per side for a dataset whose
    messages of both sides are labelled (tables named "<dataset>:<side>")."""
    return [m for m in mappings.values() if m.folder == folder]


def _target(label: str, spec: dict[str, Any], at: str) -> Target:
    if label == "sentiment":
        classes = {c: tuple(spec.get(c, ())) for c in SENTIMENT_CLASSES}
        if not all(classes.values()):
            raise MappingError(f"{at}: sentiment needs negative, neutral and positive value lists")
        return Target(label, spec["field"], classes=classes)
    rules = [k for k in ("any", "min", "equals") if k in spec]
    if len(rules) != 1:
        raise MappingError(f"{at}: give exactly one of any, min, equals")
    return Target(
        label,
        spec["field"],
        any=tuple(spec.get("any", ())),
        none_of=tuple(spec.get("none_of", ())),
        min=float(spec["min"]) if "min" in spec else None,
        equals=spec.get("equals"),
    )
