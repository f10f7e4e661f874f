"""The security settings read from the environment, with clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmdesk.service.settings import Settings


def test_settings_defaults_keep_secrets_out_of_the_database_folder(tmp_path):
    s = Settings.from_env({"XDG_STATE_HOME": str(tmp_path)})
    assert s.secrets_dir == tmp_path / "calmdesk"
    assert (s.session_idle_minutes, s.session_hours, s.login_max_failures) == (120, 12, 5)
    assert (s.login_backoff_seconds, s.login_backoff_max_seconds) == (1.0, 900.0)


def test_settings_are_read_from_the_environment(tmp_path):
    s = Settings.from_env(
        {
            "CALMDESK_SECRETS_DIR": str(tmp_path / "keys"),
            "CALMDESK_SESSION_IDLE_MINUTES": "15",
            "CALMDESK_SESSION_HOURS": "8",
            "CALMDESK_LOGIN_MAX_FAILURES": "10",
            "CALMDESK_LOGIN_BACKOFF_SECONDS": "0.5",
            "CALMDESK_LOGIN_BACKOFF_MAX_SECONDS": "60",
        }
    )
    assert s.secrets_dir == Path(tmp_path / "keys")
    assert (s.session_idle_minutes, s.session_hours, s.login_max_failures) == (15, 8, 10)
    assert (s.login_backoff_seconds, s.login_backoff_max_seconds) == (0.5, 60.0)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("CALMDESK_LOGIN_MAX_FAILURES", "five", "expected a whole number"),
        ("CALMDESK_LOGIN_MAX_FAILURES", "0", "expected at least 1"),
        ("CALMDESK_SESSION_HOURS", "-1", "expected at least 1"),
        ("CALMDESK_LOGIN_BACKOFF_SECONDS", "0", "expected more than 0"),
        ("CALMDESK_LOGIN_BACKOFF_MAX_SECONDS", "soon", "expected a number"),
    ],
)
def test_settings_name_the_variable_that_is_wrong(name, value, problem):
    with pytest.raises(ValueError, match=f"{name}='{value}': {problem}"):
        Settings.from_env({name: value})
