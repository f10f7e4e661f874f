"""Redaction on the 376-message redaction set: recall and false positives per kind, character
precision and speed, for calmdesk.core.redact beside the service redactor it replaced.

The earlier redactor (service/redact.py at commit dc31fa7) is read from git history, not kept
in the tree; without git history only the current one is measured. Definitions of the figures
are in calmdesk.evaluate.redaction.

    .venv/bin/python bench/redact.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import subprocess
import time
import types
from collections.abc import Callable
from pathlib import Path

from calmdesk.core.redact import find, redact
from calmdesk.evaluate.redaction import Figures, Masker, Sample, load, masked_by_output, score

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "tests" / "core" / "fixtures" / "redaction" / "redaction_set.jsonl"
EARLIER = ("dc31fa7", "src/calmdesk/service/redact.py")
TOKENS = ["[email]", "[phone]", "[card]", "[address]", "[iban]"]


def earlier_redactor() -> Callable[[str], str] | None:
    shown = subprocess.run(
        ["git", "show", f"{EARLIER[0]}:{EARLIER[1]}"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode != 0:
        return None
    module = types.ModuleType("earlier_redact")
    exec(compile(shown.stdout, f"{EARLIER[0]}:{EARLIER[1]}", "exec"), module.__dict__)
    earlier: Callable[[str], str] = module.redact
    return earlier


def speed(redactor: Callable[[str], str], samples: list[Sample], repeat: int) -> float:
    texts = [s.text for s in samples]
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            redactor(text)
    return len(texts) * repeat / (time.perf_counter() - started)


def report(name: str, figures: Figures, per_second: float) -> None:
    print(f"\n{name}")
    print(
        f"  recall {figures.recall:.3f}  false positives {figures.false_positive_rate:.3f}"
        f"  char precision {figures.char_precision:.3f}  {per_second:,.0f} messages/s"
    )
    for kind, n in sorted(figures.items.items()):
        m = figures.masked[kind]
        print(f"  {kind:<10} masked   {m:>3}/{n:<3} {m / n:6.1%}")
    for kind, n in sorted(figures.lookalikes.items()):
        d = figures.damaged[kind]
        print(f"  {kind:<10} damaged  {d:>3}/{n:<3} {d / n:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the set for speed")
    args = parser.parse_args()
    samples = load(SET)
    items = sum(len(s.items) for s in samples)
    looks = sum(len(s.keep) for s in samples)
    print(f"{SET.relative_to(ROOT)}: {len(samples)} messages, {items} items, {looks} look-alikes")
    current: Masker = lambda text: [(f.start, f.end) for f in find(text)]  # noqa: E731
    report("calmdesk.core.redact", score(samples, current), speed(redact, samples, args.repeat))
    earlier = earlier_redactor()
    if earlier is None:
        print(f"\n(no git history: the earlier redactor {EARLIER[0]}:{EARLIER[1]} is not shown)")
        return
    figures = score(samples, masked_by_output(earlier, TOKENS))
    report(f"earlier {EARLIER[1]} ({EARLIER[0]})", figures, speed(earlier, samples, args.repeat))


if __name__ == "__main__":
    main()
