"""Fuzzing every reader: whatever the bytes, a result and never an exception, within 2 s each.

Bounded for CI (FUZZ_EXAMPLES inputs per reader, 40 by default: a few seconds in all); a longer
session is the same tests with more, e.g. FUZZ_EXAMPLES=5000. What such sessions found is kept
in regressions/ and read by test_regressions.py.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from calmdesk.core.ingest import IngestOptions

from .fuzzing import (
    check_read,
    csv_file,
    eml_file,
    json_file,
    jsonl_file,
    mbox_file,
    transcript_file,
    twcs_file,
)

fuzzed = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@fuzzed
@given(data=json_file)
def test_fuzz_json(data: bytes) -> None:
    check_read("json", "fuzz.json", data)


@fuzzed
@given(data=jsonl_file)
def test_fuzz_jsonl(data: bytes) -> None:
    check_read("jsonl", "fuzz.jsonl", data)


@fuzzed
@given(data=csv_file)
def test_fuzz_csv(data: bytes) -> None:
    check_read("csv", "fuzz.csv", data, IngestOptions(column_map={}))


@fuzzed
@given(data=twcs_file)
def test_fuzz_twcs(data: bytes) -> None:
    check_read("twcs", "fuzz.csv", data)


@fuzzed
@given(data=eml_file)
def test_fuzz_eml(data: bytes) -> None:
    check_read("email", "fuzz.eml", data)


@fuzzed
@given(data=mbox_file)
def test_fuzz_mbox(data: bytes) -> None:
    check_read("email", "fuzz.mbox", data, IngestOptions(support_addresses=("@shop.example",)))


@fuzzed
@given(data=transcript_file)
def test_fuzz_transcript(data: bytes) -> None:
    check_read("transcript", "fuzz.txt", data, IngestOptions(speakers={"Dana": "customer"}))
