"""Every test keeps its secrets (session and audit checkpoint keys, the checkpoint file) in its
own folder, never in the home directory of whoever runs the tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_secrets_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CALMDESK_SECRETS_DIR", str(tmp_path_factory.mktemp("secrets")))
    monkeypatch.delenv("CALMDESK_AUDIT_CHECKPOINTS", raising=False)
