"""The detector modes a pipeline can run (`--detectors`), in one place.

- "encoder": the fine-tuned multi-task encoder (core/encoder) with the rules, combined per
  label by the policy training chose; evidence for every label. Far better than the other
  modes on real Twitter support threads (twcs-*-taxonomy validation parts), but on the 16
  bundled multi-channel conversations (long e-mails, chats, a call) it over-fires
  (label precision 0.52 against 0.81 for "fast", measured 2026-12-04): it learned from
  tweets. Not the default until it holds on both (training/README.md, "Known limits").
- "fast" (the default): the static-embedding heads on customer messages, the rules on agent
  messages (core/learned); tens of times faster than the encoder.
- "rules": the rule detectors and VADER only.
- "models", "both": the static heads on both sides, alone or combined with the rules; "auto"
  is the old name of "fast".
"""

from __future__ import annotations

MODES: tuple[str, ...] = ("encoder", "fast", "rules", "models", "both", "auto")
DEFAULT_MODE = "fast"
#: Modes served by the static heads, and the static mode each one means.
STATIC: dict[str, str] = {
    "fast": "auto",
    "rules": "rules",
    "models": "models",
    "both": "both",
    "auto": "auto",
}


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown detector mode {mode!r}; choose one of {', '.join(MODES)}")
