"""The shipped encoder as calmdesk's judge: calibrated confidences and the words behind them.

`model/judge.json` (written by training/train_encoder.py) says how to read the network's one
output vector: groups of columns (each side's taxonomy labels, 3-class sentiment, the native
heads of datasets eval compares with published figures), and per label the Platt calibration
fitted on the selection part, the decision threshold, and the policy against the rules.

A label's confidence is its calibrated probability remapped piecewise-linearly so the chosen
threshold sits at 0.5, the desk's `PRESENT`: every consumer (console, scorecard, forecaster)
reads "present" the same way, and the order of confidences is the calibrated one. The
calibrated probability itself is `probability`; `calmdesk eval` and training/README.md report
its expected calibration error.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from calmdesk.core.encoder.inputs import EncoderInput, input_of, inputs_of, previous_of
from calmdesk.core.encoder.runtime import batch_arrays, configure_tokenizer
from calmdesk.core.model import Conversation, Span

#: Inputs per ONNX run: larger batches pad more; 32 was the fastest on this machine's core.
BATCH = 32
#: Keys of the sentiment group's probabilities in a message's scores.
SENTIMENT_KEYS = ("sentiment:negative", "sentiment:neutral", "sentiment:positive")
#: A clause for occlusion: a run up to and including sentence or clause punctuation.
_CLAUSE = re.compile(r"[^.!?;,\n]+[.!?;,\n]*")
#: At most this many pieces are occluded per message: a long e-mail's clauses are grouped into
#: this many runs of similar length, so its evidence costs 4 extra passes, not 30 (measured on
#: the bundled examples: occluding every clause made the pipeline 8 times the bare forward pass).
MAX_PIECES = 4


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    kind: str  # "sigmoid" | "softmax"
    labels: tuple[str, ...]
    offset: int


@dataclass(frozen=True, slots=True)
class LabelReading:
    """How one output column becomes a confidence, and how it combines with the rule."""

    name: str
    column: int
    a: float = 1.0
    b: float = 0.0
    threshold: float = 0.5
    #: "model" (the encoder decides), "or", "and", or "rules" (the rule decides)
    policy: str = "model"

    def probability(self, logit: float) -> float:
        z = self.a * logit + self.b
        return 1.0 / (1.0 + math.exp(-z)) if z >= -50 else 0.0

    def confidence(self, logit: float) -> float:
        return remap(self.probability(logit), self.threshold)


def remap(p: float, threshold: float) -> float:
    """A probability on a scale where `threshold` reads 0.5 (monotone, 0 and 1 kept)."""
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    out = 0.5 * p / t if p < t else 0.5 + 0.5 * (p - t) / (1 - t)
    return min(1.0, max(0.0, out))


class Judge:
    """The ONNX session, the tokenizer and the readings; safe to share between threads."""

    def __init__(self, folder: Path | Any) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((folder / "judge.json").read_text(encoding="utf-8"))
        self.meta: dict[str, Any] = meta
        self.groups = {
            g["name"]: Group(g["name"], g["kind"], tuple(g["labels"]), int(g["offset"]))
            for g in meta["groups"]
        }
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        model = folder / meta.get("model", "judge.int8.onnx")
        self._session = ort.InferenceSession(
            model.read_bytes(), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        tok_text = (folder / meta.get("tokenizer", "tokenizer.json")).read_text(encoding="utf-8")
        self._tokenizer = configure_tokenizer(Tokenizer.from_str(tok_text))
        self._lock = threading.Lock()  # the Rust tokenizer's truncation state is shared
        self.readings: dict[str, dict[str, LabelReading]] = {}
        for side in ("customer", "agent"):
            group = self.groups[side]
            fitted = meta.get("labels", {}).get(side, {})
            self.readings[side] = {
                name: LabelReading(
                    name,
                    group.offset + i,
                    **{k: fitted[name][k] for k in ("a", "b", "threshold", "policy")},
                )
                if name in fitted
                else LabelReading(name, group.offset + i)
                for i, name in enumerate(group.labels)
            }
        self.views: dict[str, LabelReading] = {}
        for view, spec in meta.get("views", {}).items():
            group = self.groups[spec["group"]]
            col = group.offset + group.labels.index(spec["label"])
            self.views[view] = LabelReading(
                view, col, spec["a"], spec["b"], spec["threshold"], spec["policy"]
            )

    # ------------------------------------------------------------------------ raw outputs
    def logits(self, pairs: Sequence[EncoderInput]) -> npt.NDArray[np.float32]:
        """The network's output vector for each input (batched by length, original order)."""
        n = len(pairs)
        width = sum(len(g.labels) for g in self.groups.values())
        out = np.zeros((n, width), dtype=np.float32)
        if n == 0:
            return out
        order = sorted(range(n), key=lambda i: len(pairs[i].text) + len(pairs[i].previous or ""))
        for start in range(0, n, BATCH):
            idx = order[start : start + BATCH]
            with self._lock:
                arrays = batch_arrays(self._tokenizer, [pairs[i] for i in idx])
            (result,) = self._session.run(["logits"], arrays)
            out[idx] = result
        return out

    # ----------------------------------------------------------------------- the readings
    def read(self, side: str, row: npt.NDArray[np.float32]) -> dict[str, float]:
        """One message's scores: each label of its side's confidence; for customer messages
        the sentiment probabilities and each view's confidence."""
        out = {name: r.confidence(float(row[r.column])) for name, r in self.readings[side].items()}
        if side == "customer":
            s = self.groups["sentiment"]
            z = row[s.offset : s.offset + 3].astype(np.float64)
            p = np.exp(z - z.max())
            p /= p.sum()
            out.update(zip(SENTIMENT_KEYS, (float(x) for x in p), strict=True))
            for view, r in self.views.items():
                out[view] = r.confidence(float(row[r.column]))
        return out

    def score(self, conversation: Conversation) -> list[dict[str, float]]:
        """Per message of the conversation, its scores (`read`), in one batched pass."""
        msgs = conversation.messages
        rows = self.logits(inputs_of(conversation))
        return [
            self.read("customer" if m.is_customer else "agent", rows[i]) for i, m in enumerate(msgs)
        ]

    def view_policy(self, view: str) -> str | None:
        """How a view's confidence (`impolite`) combines with its rule-side answer."""
        reading = self.views.get(view)
        return reading.policy if reading is not None else None

    # -------------------------------------------------------------------------- evidence
    def evidence(
        self, conversation: Conversation, index: int, names: Sequence[str]
    ) -> dict[str, Span]:
        """The clause behind each named label of message `index`, by occlusion: the clause
        whose removal lowers the label's logit most, i.e. leaves the lowest logit (so the
        message itself need not be run again). A message of one clause is its own evidence.
        Used where the encoder fires and no rule gave words; one batched run per message."""
        msg = conversation.messages[index]
        side = "customer" if msg.is_customer else "agent"
        clauses = pieces_of(msg.text)
        if not names or not clauses:
            return {}
        if len(clauses) == 1:
            return {n: clauses[0] for n in names}
        before = previous_of(conversation, index)
        variants = [
            input_of(side, (msg.text[: c.start] + msg.text[c.end :]).strip(), before)
            for c in clauses
        ]
        rows = self.logits(variants)
        out: dict[str, Span] = {}
        for n in names:
            col = self.readings[side][n].column
            out[n] = clauses[int(np.argmin(rows[:, col]))]
        return out


def clauses_of(text: str) -> list[Span]:
    """The message's clauses with their character offsets (whitespace trimmed)."""
    out = []
    for m in _CLAUSE.finditer(text):
        chunk = m.group(0)
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        if not any(ch.isalnum() for ch in body):
            continue
        start = m.start() + lead
        out.append(Span(start, start + len(body), body))
    return out


def pieces_of(text: str, limit: int = MAX_PIECES) -> list[Span]:
    """The clauses of `text`, or, past `limit` of them, `limit` runs of consecutive clauses of
    about equal length (each run's span covers its clauses and what lies between them)."""
    clauses = clauses_of(text)
    if len(clauses) <= limit:
        return clauses
    total = sum(c.end - c.start for c in clauses)
    runs: list[list[Span]] = [[]]
    done = 0
    for c in clauses:
        if runs[-1] and len(runs) < limit and done >= total * len(runs) / limit:
            runs.append([])
        runs[-1].append(c)
        done += c.end - c.start
    return [Span(r[0].start, r[-1].end, text[r[0].start : r[-1].end]) for r in runs]


def model_folder() -> Path:
    return Path(str(resources.files("calmdesk.core.encoder").joinpath("model")))


def trained_files() -> list[dict[str, Any]]:
    """The data files the shipped encoder learned from (dataset, split, sha256, rows), read
    from judge.json without loading the model: `calmdesk eval` scores only the validation
    part of these."""
    meta = json.loads((model_folder() / "judge.json").read_text(encoding="utf-8"))
    return [dict(f) for f in meta.get("trained_files", ())]


@cache
def shipped_judge() -> Judge:
    """The shipped encoder, loaded once per process (about 0.3 s, 23 MB)."""
    return Judge(model_folder())
