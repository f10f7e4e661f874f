"""The run's memory between attempts: which partitions are finished, by fingerprint.

A partition's files are renamed into place by the worker only when complete; the driver then
records the partition here and rewrites this file atomically. A partition counts as done only if
it is recorded *and* its files exist, so a kill at any moment costs at most the partitions that
were in flight.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

MANIFEST = "_manifest.json"
VERSION = 1
TABLES = ("messages", "conversations", "errors")


def part_file(table: str, fingerprint: str) -> str:
    return f"{table}/part-{fingerprint}.parquet"


@dataclass
class Manifest:
    fs: Any
    root: str
    partitions: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, fs: Any, root: str) -> Manifest:
        path = f"{root}/{MANIFEST}"
        if not fs.exists(path):
            return cls(fs, root)
        try:
            doc = json.loads(fs.cat_file(path))
        except ValueError:
            return cls(fs, root)  # unreadable: redo everything rather than trust it
        if doc.get("version") != VERSION:
            return cls(fs, root)
        return cls(fs, root, dict(doc.get("partitions", {})))

    def done(self, fingerprint: str) -> bool:
        entry = self.partitions.get(fingerprint)
        return entry is not None and all(
            self.fs.exists(f"{self.root}/{name}") for name in entry.get("files", [])
        )

    def record(self, summary: dict[str, Any]) -> None:
        self.partitions[summary["fingerprint"]] = summary

    def keep_only(self, fingerprints: set[str]) -> None:
        """Forget partitions the current inputs no longer have."""
        self.partitions = {k: v for k, v in self.partitions.items() if k in fingerprints}

    def save(self) -> None:
        doc = {"version": VERSION, "partitions": self.partitions}
        path = f"{self.root}/{MANIFEST}"
        tmp = f"{self.root}/.{MANIFEST}.{uuid.uuid4().hex}.tmp"
        with self.fs.open(tmp, "w") as handle:
            json.dump(doc, handle, indent=1, sort_keys=True)
        self.fs.mv(tmp, path)

    def totals(self) -> dict[str, int]:
        return {
            key: sum(int(e.get(key, 0)) for e in self.partitions.values())
            for key in ("messages", "conversations", "errors")
        }
