"""Static sentence embeddings: a token table distilled from all-MiniLM-L6-v2 (model2vec).

Why static: a message's embedding is the mean of its tokens' rows, so encoding costs a
tokenizer pass and a table lookup (tens of thousands of messages a second on one core), where
the full transformer manages under two hundred. The distilled table (PCA to 256 dims, int8
with a scale per row) and its WordPiece tokenizer ship inside the package; nothing is
downloaded at run time, and the only run-time libraries are numpy, safetensors and tokenizers
(no torch).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file
from tokenizers import Tokenizer

#: Folder (inside this package) holding the distilled table and its tokenizer.
MODEL_DIR = "model"
#: Tokens read per message; longer messages are cut (as model2vec does at 512).
MAX_TOKENS = 512


@dataclass(frozen=True)
class StaticEmbedder:
    """Mean of token rows, L2-normalised: the same vectors as model2vec's `StaticModel.encode`."""

    table: NDArray[np.float32]
    tokenizer: Tokenizer
    unk_id: int | None

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """One unit-length row per text (a zero row for a text with no known token)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch_fast(texts, add_special_tokens=False)
        lengths = np.zeros(len(texts), dtype=np.int64)
        chunks: list[list[int]] = []
        unk = self.unk_id
        for i, enc in enumerate(encodings):
            ids = enc.ids[:MAX_TOKENS]
            if unk is not None and unk in ids:
                ids = [t for t in ids if t != unk]
            lengths[i] = len(ids)
            chunks.append(ids)
        flat = np.fromiter((t for ids in chunks for t in ids), dtype=np.int64)
        filled = lengths > 0
        if flat.size:
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[filled]
            sums = np.add.reduceat(self.table[flat], starts, axis=0)
            out[filled] = sums / lengths[filled, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


def load_embedder(folder: Path | None = None) -> StaticEmbedder:
    """The shipped embedder, or one saved in `folder` (`embeddings.safetensors` + tokenizer)."""
    base = Path(__file__).resolve().parent / MODEL_DIR  # files installed with the package
    where = folder or base
    arrays = load_file(str(where / "embeddings.safetensors"))
    table = arrays["embeddings"].astype(np.float32)
    if "scales" in arrays:  # int8 rows, one scale per row (a quarter of float32's size)
        table *= arrays["scales"].astype(np.float32)[:, None] / 127.0
    tokenizer = Tokenizer.from_file(str(where / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return StaticEmbedder(table, tokenizer, tokenizer.token_to_id("[UNK]"))


@cache
def shipped_embedder() -> StaticEmbedder:
    """The package's embedder, loaded once per process."""
    return load_embedder()
