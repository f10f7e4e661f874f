"""The case workflow (P1: fact-finding after a solution was accepted) and the priority formula."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from calmdesk.store import workflow
from calmdesk.store.priority import PriorityConfig, PriorityInputs, deadlines, priority, value_of

HAPPY = [
    "new",
    "acknowledged",
    "solution_offered",
    "solution_accepted",
    "fact_finding",
    "resolved",
    "closed",
]


def test_workflow_happy_path_is_allowed():
    for a, b in itertools.pairwise(HAPPY):
        workflow.check(a, b)


@pytest.mark.parametrize("before", ["new", "acknowledged", "solution_offered"])
def test_workflow_fact_finding_before_acceptance_is_refused(before):
    with pytest.raises(workflow.TransitionError, match="only after a solution was accepted"):
        workflow.check(before, "fact_finding")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("new", "resolved"),
        ("closed", "acknowledged"),
        ("new", "closed"),
        ("fact_finding", "solution_offered"),
    ],
)
def test_workflow_skipping_steps_is_refused(a, b):
    with pytest.raises(workflow.TransitionError, match="allowed"):
        workflow.check(a, b)


def test_workflow_declined_solution_and_reopen_are_allowed():
    workflow.check("solution_offered", "acknowledged")
    workflow.check("resolved", "acknowledged")


def test_workflow_unknown_state_names_the_states():
    with pytest.raises(workflow.TransitionError, match="expected one of new"):
        workflow.check("new", "done")


@pytest.mark.parametrize(
    ("severity", "value", "time", "expected"),
    [
        (1.0, 1.0, 1.0, "P1"),
        (1.0, 1.0, 0.0, "P1"),
        (0.67, 0.2, 0.0, "P2"),
        (0.6, 0.2, 0.0, "P3"),
        (0.2, 0.0, 0.0, "P4"),
    ],
)
def test_priority_from_severity_value_and_time(severity, value, time, expected):
    inputs = PriorityInputs(severity=severity, value=value, time_pressure=time)
    assert priority(inputs, PriorityConfig()) == expected


def test_priority_config_overrides_change_the_outcome():
    inputs = PriorityInputs(severity=0.6, value=0.2, time_pressure=0.0)
    strict = PriorityConfig.from_overrides({"p2": 0.3})
    assert priority(inputs, strict) == "P2"


def test_priority_config_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown priority setting 'urgency'"):
        PriorityConfig.from_overrides({"urgency": 1})


def test_priority_value_uses_tier_or_value_whichever_higher():
    config = PriorityConfig()
    assert value_of("vip", 0, config) == 1.0
    assert value_of("standard", 5000, config) == 0.5


def test_priority_deadlines_follow_the_sla_table():
    opened = datetime(2026, 1, 1, tzinfo=UTC)
    ack, resolve = deadlines(opened, "P1", PriorityConfig())
    assert (ack - opened).total_seconds() == 15 * 60
    assert (resolve - opened).total_seconds() == 4 * 3600
