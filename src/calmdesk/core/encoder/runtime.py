"""Running the shipped encoder: tokenizer and ONNX session, loaded once per process.

onnxruntime and tokenizers only (no torch at run time). The session runs on one intra-op
thread: the desk serves many conversations at once, and on a 2-core machine one thread per
request beat two per request in throughput (bench/analyze.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from calmdesk.core.encoder.inputs import MAX_TOKENS, EncoderInput


def configure_tokenizer(tok: Any) -> Any:
    """Truncate pairs to `MAX_TOKENS` (longer segment first), no padding (done per batch)."""
    tok.enable_truncation(MAX_TOKENS, strategy="longest_first")
    tok.no_padding()
    return tok


def batch_arrays(tok: Any, pairs: Sequence[EncoderInput]) -> dict[str, npt.NDArray[np.int64]]:
    """Token ids, attention mask and segment ids of a batch, padded to its longest input."""
    encs = [tok.encode(p.text, p.previous) if p.previous else tok.encode(p.text) for p in pairs]
    width = max((len(e.ids) for e in encs), default=1)
    ids = np.zeros((len(encs), width), dtype=np.int64)
    mask = np.zeros((len(encs), width), dtype=np.int64)
    types = np.zeros((len(encs), width), dtype=np.int64)
    for i, e in enumerate(encs):
        n = len(e.ids)
        ids[i, :n] = e.ids
        mask[i, :n] = 1
        types[i, :n] = e.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
