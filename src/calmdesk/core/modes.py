"""The detector modes a pipeline can run (`--detectors`), in one place.

- "encoder" (the default): the fine-tuned multi-task encoder (core/encoder) with the rules,
  combined per label by the policy training chose; evidence for every label.
- "fast": the static-embedding heads on customer messages, the rules on agent messages
  (core/learned); tens of times faster, for batch runs over very large archives, and less
  accurate (the README's eval table gives the cost per dataset).
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
