"""The secrets folder: keys made once, kept outside the database, refused when damaged."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from calmdesk.service.secret_files import SecretFileError, default_dir, load_or_create


def test_a_secret_is_made_once_and_read_back(tmp_path: Path) -> None:
    first = load_or_create(tmp_path / "secrets", "web_session")
    assert len(first) == 32
    assert load_or_create(tmp_path / "secrets", "web_session") == first
    assert load_or_create(tmp_path / "secrets", "audit") != first


def test_the_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    load_or_create(tmp_path, "web_session")
    mode = stat.S_IMODE((tmp_path / "web_session.key").stat().st_mode)
    assert mode == 0o600


def test_a_damaged_file_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "web_session.key").write_text("not hex\n")
    with pytest.raises(SecretFileError, match=r"web_session\.key"):
        load_or_create(tmp_path, "web_session")


def test_the_folder_follows_the_environment(tmp_path: Path) -> None:
    assert default_dir({"CALMDESK_SECRETS_DIR": str(tmp_path)}) == tmp_path
    assert default_dir({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "calmdesk"
