"""(being written)"""

from __future__ import annotations

from calmdesk.core.detect.base import Detector

DETECTORS: list[Detector] = []
