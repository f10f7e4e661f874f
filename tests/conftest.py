"""Tests keep their secrets (session and audit checkpoint keys, the checkpoint file) in folders
of their own, never in the home directory of whoever runs them: one for the run, for apps that
module- or session-scoped fixtures build, and a fresh one for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


def _use(mp: pytest.MonkeyPatch, folder: object) -> None:
    mp.setenv("CALMDESK_SECRETS_DIR", str(folder))
    mp.delenv("CALMDESK_AUDIT_CHECKPOINTS", raising=False)


@pytest.fixture(autouse=True, scope="session")
def _run_secrets_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        _use(mp, tmp_path_factory.mktemp("run-secrets"))
        yield


@pytest.fixture(autouse=True)
def _own_secrets_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    _use(monkeypatch, tmp_path_factory.mktemp("secrets"))
