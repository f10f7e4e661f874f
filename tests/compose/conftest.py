"""Shared fixtures: one pipeline and the bundled team configuration for every composer test."""

import pytest

from calmdesk.core.compose.config import TeamConfig, load_team
from calmdesk.core.pipeline import Pipeline, make_pipeline


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return make_pipeline()


@pytest.fixture(scope="session")
def team() -> TeamConfig:
    return load_team()
