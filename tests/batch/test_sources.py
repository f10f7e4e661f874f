"""Cutting JSON Lines into blocks: every line in exactly one block, whatever the block size."""

from __future__ import annotations

import io

import pytest

from calmdesk.batch.sources import _block

DATA = b"".join(b"%d:" % i + b"x" * (i % 17) + b"\n" for i in range(200)) + b"last-no-newline"


@pytest.mark.parametrize("size", [1, 5, 16, 97, 1000, len(DATA)])
def test_sources_blocks_cover_every_line_once(size: int):
    blocks = [
        _block(io.BytesIO(DATA), start, min(start + size, len(DATA)))[1]
        for start in range(0, len(DATA), size)
    ]
    assert b"".join(blocks) == DATA
    assert all(not b or b.endswith(b"\n") or b.endswith(b"last-no-newline") for b in blocks)


def test_sources_block_says_where_it_begins():
    begin, data = _block(io.BytesIO(DATA), 10, 40)
    assert DATA[begin - 1 : begin] == b"\n" and DATA[begin:].startswith(data)
