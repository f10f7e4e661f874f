"""The redaction figures: what counts as a masked item, a damaged look-alike, a wasted char."""

from __future__ import annotations

import json

import pytest

from calmdesk.core.redact import find, redact
from calmdesk.evaluate.redaction import Sample, Span, load, masked_by_output, score

TEXT = "Call 020 7946 0958 about order 4829173650"
SAMPLE = Sample("m1", TEXT, (Span("phone", 5, 18),), (Span("order", 31, 41),))


def test_redaction_scoring_nothing_masked_is_no_recall_and_no_damage():
    figures = score([SAMPLE], lambda text: [])
    assert (figures.recall, figures.false_positive_rate, figures.char_precision) == (0, 0, 1)


def test_redaction_scoring_an_item_half_masked_is_missed():
    figures = score([SAMPLE], lambda text: [(5, 12)])
    assert figures.recall == 0 and figures.missed == [("m1", "020 7946 0958")]


def test_redaction_scoring_everything_masked_damages_the_look_alike():
    figures = score([SAMPLE], lambda text: [(0, len(text))])
    assert figures.recall == 1 and figures.false_positive_rate == 1
    assert figures.char_precision == pytest.approx(13 / len(TEXT))


def test_redaction_scoring_reads_spans_back_from_redacted_text():
    masker = masked_by_output(redact, ["[phone]", "[email]"])
    assert masker(TEXT) == [(f.start, f.end) for f in find(TEXT)] == [(5, 18)]


def test_redaction_scoring_a_span_outside_its_text_names_the_line(tmp_path):
    row = {"id": "m1", "text": "short", "items": [{"kind": "email", "start": 2, "end": 9}]}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({**row, "keep": []}) + "\n")
    with pytest.raises(ValueError, match=r"set.jsonl:1: span"):
        load(path)
