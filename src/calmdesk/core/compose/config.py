"""The team's composer configuration: a knowledge base and a remedy catalogue, both YAML.

The composer may only say what these files, the conversation and the customer record say, so every
explanation, option, ETA and amount in a draft can be traced back to a line a team wrote. Loading
is strict: a malformed file fails with the file, the entry and the field, never half-loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]


class ComposeConfigError(ValueError):
    """A knowledge base or remedy catalogue a person must fix: where, which field, what."""


@dataclass(frozen=True, slots=True)
class KnowledgeEntry:
    """A known incident or policy: when it applies (cues), why it happened, how we prevent it."""

    id: str
    kind: str
    cues: tuple[str, ...]
    explanation: str
    prevention: str = ""
    issue_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IssueType:
    """A family of problems: its cues and ways to restate it in our words (P4 understanding)."""

    id: str
    cues: tuple[str, ...]
    restate: tuple[str, ...]
    #: what to call the thing at stake when the customer named none of `items`
    default_item: str = "it"
    #: things of this issue a customer may name ("stroller"), reused as "your stroller"
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Remedy:
    """One option the team may offer, with why it is viable, its ETA and who may have it."""

    id: str
    offer: str
    why: str
    eta: str
    action: str
    issue_types: tuple[str, ...] = ()
    cost: float = 0.0
    tiers: tuple[str, ...] = ()
    min_tenure_years: float = 0.0
    goodwill: bool = False
    #: offered only when the customer used one of these words ("router" needs "internet")
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GoodwillPolicy:
    """How much goodwill a case may give, sized to the relationship (P1, P4a)."""

    currency: str = "£"
    budget_per_case: float = 50.0
    base: float = 10.0
    per_tenure_year: float = 2.0
    value_share: float = 0.005
    tier_multiplier: Mapping[str, float] = field(default_factory=dict)
    #: a customer with at most this many past cases is having an "occasional" problem
    occasional_max_past_cases: int = 2


@dataclass(frozen=True, slots=True)
class TeamConfig:
    knowledge: tuple[KnowledgeEntry, ...]
    issue_types: tuple[IssueType, ...]
    remedies: tuple[Remedy, ...]
    goodwill: GoodwillPolicy
    supervisor_eta: str = "within two hours"
    sign_off: str = "Kind regards,"


def _strs(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ComposeConfigError(f"{where}: expected a list of strings")
    return tuple(raw)


def _req(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ComposeConfigError(f"{where}: field {key!r} is required (a non-empty string)")
    return value.strip()


def _num(entry: Mapping[str, Any], key: str, where: str, default: float) -> float:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ComposeConfigError(f"{where}: field {key!r} must be a number, got {value!r}")
    return float(value)


def _load_yaml(path: Path) -> Mapping[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise ComposeConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ComposeConfigError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(doc, dict):
        raise ComposeConfigError(f"{path}: expected a mapping at the top level")
    return doc


def _entries(doc: Mapping[str, Any], key: str, path: Path) -> list[Mapping[str, Any]]:
    raw = doc.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise ComposeConfigError(f"{path}: {key!r} must be a list of mappings")
    return raw


def load_knowledge(path: Path) -> tuple[KnowledgeEntry, ...]:
    doc = _load_yaml(path)
    out = []
    for i, e in enumerate(_entries(doc, "entries", path)):
        where = f"{path}: entries[{i}]"
        eid = _req(e, "id", where)
        where = f"{path}: entry {eid!r}"
        out.append(
            KnowledgeEntry(
                id=eid,
                kind=str(e.get("kind", "incident")),
                cues=tuple(c.lower() for c in _strs(e.get("cues"), f"{where}: cues")),
                explanation=_req(e, "explanation", where).rstrip("."),
                prevention=str(e.get("prevention", "")).strip().rstrip("."),
                issue_types=_strs(e.get("issue_types"), f"{where}: issue_types"),
            )
        )
    return tuple(out)


def _remedy(e: Mapping[str, Any], where: str) -> Remedy:
    rid = _req(e, "id", where)
    where = f"{where.split(':')[0]}: remedy {rid!r}"
    return Remedy(
        id=rid,
        offer=_req(e, "offer", where).rstrip("."),
        why=_req(e, "why", where).rstrip("."),
        eta=_req(e, "eta", where),
        action=_req(e, "action", where).rstrip("."),
        issue_types=_strs(e.get("issue_types"), f"{where}: issue_types"),
        cost=_num(e, "cost", where, 0.0),
        tiers=tuple(t.lower() for t in _strs(e.get("tiers"), f"{where}: tiers")),
        min_tenure_years=_num(e, "min_tenure_years", where, 0.0),
        goodwill=bool(e.get("goodwill", False)),
        requires=tuple(c.lower() for c in _strs(e.get("requires"), f"{where}: requires")),
    )


def _goodwill(raw: Any, path: Path) -> GoodwillPolicy:
    if raw is None:
        return GoodwillPolicy()
    if not isinstance(raw, dict):
        raise ComposeConfigError(f"{path}: 'goodwill' must be a mapping")
    where = f"{path}: goodwill"
    mult = raw.get("tier_multiplier", {})
    if not isinstance(mult, dict):
        raise ComposeConfigError(f"{where}: 'tier_multiplier' must map tiers to numbers")
    return GoodwillPolicy(
        currency=str(raw.get("currency", "£")),
        budget_per_case=_num(raw, "budget_per_case", where, 50.0),
        base=_num(raw, "base", where, 10.0),
        per_tenure_year=_num(raw, "per_tenure_year", where, 2.0),
        value_share=_num(raw, "value_share", where, 0.005),
        tier_multiplier={str(k).lower(): _num(mult, k, where, 1.0) for k in mult},
        occasional_max_past_cases=int(_num(raw, "occasional_max_past_cases", where, 2)),
    )


def load_remedies(
    path: Path,
) -> tuple[tuple[IssueType, ...], tuple[Remedy, ...], GoodwillPolicy, Mapping[str, Any]]:
    doc = _load_yaml(path)
    types_raw = doc.get("issue_types", {})
    if not isinstance(types_raw, dict):
        raise ComposeConfigError(f"{path}: 'issue_types' must map an id to cues and restate")
    types = []
    for tid, spec in types_raw.items():
        where = f"{path}: issue type {tid!r}"
        if not isinstance(spec, dict):
            raise ComposeConfigError(f"{where}: expected a mapping with 'cues' and 'restate'")
        restate = _strs(spec.get("restate"), f"{where}: restate")
        if not restate:
            raise ComposeConfigError(f"{where}: 'restate' needs at least one phrasing")
        cues = tuple(c.lower() for c in _strs(spec.get("cues"), f"{where}: cues"))
        item = str(spec.get("default_item", "it"))
        items = tuple(w.lower() for w in _strs(spec.get("items"), f"{where}: items"))
        types.append(IssueType(str(tid), cues, restate, item, items))
    remedies = tuple(
        _remedy(e, f"{path}: remedies[{i}]") for i, e in enumerate(_entries(doc, "remedies", path))
    )
    if len(remedies) < 2:
        raise ComposeConfigError(f"{path}: 'remedies' needs at least two remedies (P3)")
    extra = doc.get("team", {})
    if not isinstance(extra, dict):
        raise ComposeConfigError(f"{path}: 'team' must be a mapping")
    return tuple(types), remedies, _goodwill(doc.get("goodwill"), path), extra


def example_team_dir() -> Path:
    """The bundled example knowledge base and remedy catalogue."""
    return Path(str(resources.files("calmdesk.examples").joinpath("team")))


def load_team(kb: Path | None = None, remedies: Path | None = None) -> TeamConfig:
    """The team configuration from the given files, the bundled examples filling any gap."""
    folder = example_team_dir()
    knowledge = load_knowledge(kb or folder / "knowledge_base.yaml")
    types, catalogue, goodwill, extra = load_remedies(remedies or folder / "remedies.yaml")
    return TeamConfig(
        knowledge=knowledge,
        issue_types=types,
        remedies=catalogue,
        goodwill=goodwill,
        supervisor_eta=str(extra.get("supervisor_eta", "within two hours")),
        sign_off=str(extra.get("sign_off", "Kind regards,")),
    )
