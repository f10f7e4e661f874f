"""The scorecard rubric: criteria, ordering rules and penalties, read from a TOML file.

The rubric is data, not code, so a team can weigh the playbook its own way (`--rubric`); a bad
file fails with the name of the entry and field at fault.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS, AGENT_LABELS, CUSTOMER_LABELS

ORDERING_KINDS = ("before", "no_fact_finding_before_solution", "at_close")


class RubricError(ValueError):
    """A rubric file that cannot be used; the message names the entry and the field."""


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    label: str
    applies: str
    weight: float
    rule: str = ""
    description: str = ""
    min_value: float | None = None


@dataclass(frozen=True, slots=True)
class OrderingRule:
    id: str
    kind: str
    applies: str
    weight: float
    first: str = ""
    then: str = ""
    labels: tuple[str, ...] = ()
    window: int = 1
    rule: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    ordering: tuple[OrderingRule, ...]
    penalties: dict[str, float]
    penalty_cap: float
    source: str


def _check_applies(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise RubricError(f"{where}: field 'applies' must be a string")
    if value in ("always", "escalated"):
        return value
    if value.startswith("customer:") and value.removeprefix("customer:") in CUSTOMER_LABELS:
        return value
    raise RubricError(
        f"{where}: field 'applies' is {value!r}; expected 'always', 'escalated' or "
        f"'customer:<label>' with a customer label"
    )


def _field(entry: dict[str, Any], name: str, kind: type, where: str, default: Any = None) -> Any:
    if name not in entry:
        if default is None:
            raise RubricError(f"{where}: missing field {name!r}")
        return default
    value = entry[name]
    ok = isinstance(value, kind) or (kind is float and isinstance(value, int))
    if not ok or isinstance(value, bool):
        raise RubricError(f"{where}: field {name!r} must be {kind.__name__}, got {value!r}")
    return value


def _agent_label(value: str, where: str, name: str) -> str:
    if value not in AGENT_LABELS:
        raise RubricError(f"{where}: field {name!r} is {value!r}, not an agent label")
    return value


def _criterion(entry: dict[str, Any], where: str) -> Criterion:
    min_value = entry.get("min_value")
    if min_value is not None and not isinstance(min_value, int | float):
        raise RubricError(f"{where}: field 'min_value' must be a number")
    return Criterion(
        id=_field(entry, "id", str, where),
        label=_agent_label(_field(entry, "label", str, where), where, "label"),
        applies=_check_applies(entry.get("applies", "always"), where),
        weight=float(_field(entry, "weight", float, where)),
        rule=_field(entry, "rule", str, where, ""),
        description=_field(entry, "description", str, where, ""),
        min_value=None if min_value is None else float(min_value),
    )


def _ordering(entry: dict[str, Any], where: str) -> OrderingRule:
    kind = _field(entry, "kind", str, where)
    if kind not in ORDERING_KINDS:
        raise RubricError(f"{where}: field 'kind' is {kind!r}; expected one of {ORDERING_KINDS}")
    rule = OrderingRule(
        id=_field(entry, "id", str, where),
        kind=kind,
        applies=_check_applies(entry.get("applies", "always"), where),
        weight=float(_field(entry, "weight", float, where)),
        first=_field(entry, "first", str, where, ""),
        then=_field(entry, "then", str, where, ""),
        labels=tuple(_field(entry, "labels", list, where, [])),
        window=int(_field(entry, "window", int, where, 1)),
        rule=_field(entry, "rule", str, where, ""),
        description=_field(entry, "description", str, where, ""),
    )
    if kind == "before":
        _agent_label(rule.first, where, "first")
        _agent_label(rule.then, where, "then")
    if kind == "at_close":
        if not rule.labels:
            raise RubricError(f"{where}: kind 'at_close' needs a non-empty 'labels' list")
        for lab in rule.labels:
            _agent_label(lab, where, "labels")
    return rule


def parse_rubric(data: dict[str, Any], source: str) -> Rubric:
    """Build a rubric from parsed TOML, checking every entry."""
    criteria = tuple(
        _criterion(e, f"{source}: criterion #{n}")
        for n, e in enumerate(data.get("criterion", []), 1)
    )
    ordering = tuple(
        _ordering(e, f"{source}: ordering #{n}") for n, e in enumerate(data.get("ordering", []), 1)
    )
    ids = [c.id for c in criteria] + [o.id for o in ordering]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RubricError(f"{source}: duplicate id(s) {', '.join(dupes)}")
    penalties: dict[str, float] = {}
    for name, points in data.get("antipatterns", {}).items():
        if name not in AGENT_ANTIPATTERNS:
            raise RubricError(f"{source}: [antipatterns] {name!r} is not an anti-pattern label")
        if not isinstance(points, int | float) or isinstance(points, bool):
            raise RubricError(f"{source}: [antipatterns] {name!r} must be a number")
        penalties[name] = float(points)
    cap = data.get("scoring", {}).get("antipattern_penalty_cap", 100)
    if not isinstance(cap, int | float):
        raise RubricError(f"{source}: [scoring] 'antipattern_penalty_cap' must be a number")
    if not criteria and not ordering:
        raise RubricError(f"{source}: no [[criterion]] or [[ordering]] entries")
    return Rubric(criteria, ordering, penalties, float(cap), source)


def load_rubric(path: Path | None = None) -> Rubric:
    """The rubric at `path`, or the default one shipped with calmdesk."""
    if path is None:
        text = resources.files("calmdesk.core").joinpath("rubric.toml").read_text("utf-8")
        source = "default rubric"
    else:
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise RubricError(f"{path}: cannot read rubric: {exc.strerror}") from exc
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{source}: not valid TOML: {exc}") from exc
    return parse_rubric(data, source)
