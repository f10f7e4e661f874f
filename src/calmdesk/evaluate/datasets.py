"""Reading labelled datasets in the shared layout, and the fixed validation part of each.

Layout (../shared/data/README.md): `<dataset>/<split>.jsonl`, one example a line with `id`,
`text`, `role`, `context` (earlier turns, oldest first) and `labels` in the dataset's own
vocabulary. Training and evaluation must agree on which rows are held out, so the carve lives
here, decided by a hash of a grouping key rather than by row order: rows of one conversation or
transcript always fall on the same side.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calmdesk.core.model import Conversation, Message, Participant, Role

#: Share of a development file's groups that is kept for validation when the dataset has no
#: separate training file. Never trained on; the dataset's official test split is elsewhere.
VALIDATION_SHARE = 0.25
#: Split file names that are training data when present beside a development file.
TRAIN_SPLITS = ("train",)


class DatasetError(ValueError):
    """A dataset file that cannot be read; the message names the file, line and field."""


@dataclass(frozen=True, slots=True)
class Turn:
    role: str
    text: str


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    text: str
    role: str
    context: tuple[Turn, ...]
    labels: Mapping[str, Any]
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def group(self) -> str:
        """What keeps related rows together: the conversation, transcript or request."""
        for key in ("transcript_id", "convo_id", "conversation_id", "request_id"):
            if key in self.meta and self.meta[key] is not None:
                return f"{key}:{self.meta[key]}"
        if self.context:
            return "opening:" + self.context[0].text
        return "text:" + self.text

    def conversation(self) -> Conversation:
        """The example as a calmdesk conversation whose last message is the labelled one."""
        turns = (*self.context, Turn(self.role, self.text))
        msgs = tuple(
            Message(id=f"{self.id}-{i}", author=t.role, role=side_of(t.role), text=t.text)
            for i, t in enumerate(turns)
        )
        people = tuple(
            Participant(id=r, role=side_of(r)) for r in dict.fromkeys(t.role for t in turns)
        )
        return Conversation(id=self.id, messages=msgs, participants=people)


def side_of(role: str) -> Role:
    """A dataset row's role as calmdesk's side: the customer, or the company's agent."""
    return "customer" if role == "customer" else "agent"


def in_validation(group: str, share: float = VALIDATION_SHARE) -> bool:
    """Whether a group belongs to the validation part (stable across runs and machines)."""
    digest = hashlib.sha256(group.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def read_split(path: Path) -> Iterator[Example]:
    """Examples of one split file; a bad line raises `DatasetError` naming file, line and field."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{where}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise DatasetError(f"{where}: expected an object")
            yield _example(row, where)


def _example(row: dict[str, Any], where: str) -> Example:
    for name, kind in (("id", str), ("text", str), ("role", str), ("labels", dict)):
        if not isinstance(row.get(name), kind):
            raise DatasetError(f"{where}: field '{name}' missing or not a {kind.__name__}")
    context = row.get("context") or []
    if not isinstance(context, list):
        raise DatasetError(f"{where}: field 'context' must be a list")
    turns = []
    for i, turn in enumerate(context):
        if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
            raise DatasetError(f"{where}: field 'context[{i}].text' missing or not a str")
        turns.append(Turn(str(turn.get("role", "customer")), turn["text"]))
    meta = row.get("meta")
    return Example(
        id=row["id"],
        text=row["text"],
        role=row["role"],
        context=tuple(turns),
        labels=row["labels"],
        meta=meta if isinstance(meta, dict) else {},
    )


@dataclass(frozen=True, slots=True)
class SplitFile:
    dataset: str
    split: str
    path: Path

    @property
    def has_train_sibling(self) -> bool:
        return any((self.path.parent / f"{s}.jsonl").exists() for s in TRAIN_SPLITS)

    def manifest_entry(self, rows: int, rows_used: int) -> dict[str, Any]:
        """How a shipped model records a file it was fitted on (`trained_files`): by content
        hash, so `calmdesk eval` knows the file wherever it is and whatever it is called."""
        return {
            "dataset": self.dataset,
            "split": self.split,
            "sha256": hashlib.sha256(self.path.read_bytes()).hexdigest(),
            "rows": rows,
            "rows_used": rows_used,
        }


def discover(data_dir: Path, splits: tuple[str, ...] = ()) -> list[SplitFile]:
    """Every `<dataset>/<split>.jsonl` under `data_dir` (only the named splits if given)."""
    found = []
    for path in sorted(data_dir.glob("*/*.jsonl")):
        split = path.stem
        if splits and split not in splits:
            continue
        found.append(SplitFile(dataset=path.parent.name, split=split, path=path))
    return found


def part_of(example: Example, split: SplitFile) -> str:
    """'train' or 'validation': which part of the development data a row belongs to.

    A file named like a training split is all training; a development file beside a training
    file is all validation; a development file alone is carved by group hash.
    """
    if split.split in TRAIN_SPLITS:
        return "train"
    if split.has_train_sibling:
        return "validation"
    return "validation" if in_validation(example.group) else "train"
