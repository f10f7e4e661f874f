"""Learned detectors: a static sentence embedding and per-label heads, combined with the rules.

`trained_files()` lists the data files the shipped heads were fitted on (for `calmdesk eval`).
"""

from calmdesk.core.learned.heads import trained_files

__all__ = ["trained_files"]
