"""Secrets kept in files outside the database: the web session key and the audit checkpoint key.

Whoever can read (or restore a backup of) the database must not be able to forge a login
cookie or re-sign a rewritten audit chain, so these keys never live in it. Each is one file in
the secrets folder (`CALMDESK_SECRETS_DIR`, by default `$XDG_STATE_HOME/calmdesk` or
`~/.local/state/calmdesk`), readable by the owner only, made on first start. Several workers of
one desk share the folder; the first to start creates a file with O_EXCL and the others read it.
Losing the folder logs everyone out and leaves old checkpoints unverifiable; it loses no data.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

#: Bytes of randomness in a made secret.
SECRET_BYTES = 32


def default_dir(env: Mapping[str, str] | None = None) -> Path:
    """The secrets folder when CALMDESK_SECRETS_DIR is unset."""
    env = os.environ if env is None else env
    configured = env.get("CALMDESK_SECRETS_DIR")
    if configured:
        return Path(configured).expanduser()
    state = env.get("XDG_STATE_HOME")
    base = Path(state).expanduser() if state else Path.home() / ".local" / "state"
    return base / "calmdesk"


class SecretFileError(RuntimeError):
    """A secret file exists but cannot be used; the message names the file and what to do."""


def load_or_create(directory: Path, name: str) -> bytes:
    """The secret in `directory/name`, made on first use (owner-only permissions)."""
    try:
        return _load_or_create(directory, name)
    except OSError as exc:  # a file where the folder should be, no permission, a full disk
        raise SecretFileError(
            f"{directory}: cannot keep the {name.replace('_', ' ')} key there "
            f"({exc.strerror or exc}); set CALMDESK_SECRETS_DIR to a folder this user may write"
        ) from exc


def _load_or_create(directory: Path, name: str) -> bytes:
    path = directory / f"{name}.key"
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it between our read and our create
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(SECRET_BYTES) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return _read(path)


def _read(path: Path) -> bytes:
    raw = path.read_text(encoding="ascii", errors="replace").strip()
    if not raw:
        # a worker is between O_EXCL and its write; so short a window that one retry suffices
        raw = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        value = bytes.fromhex(raw)
    except ValueError:
        raise SecretFileError(
            f"{path}: not a calmdesk secret (expected {SECRET_BYTES * 2} hex digits); "
            "move it away and the desk makes a new one"
        ) from None
    if len(value) < 16:
        raise SecretFileError(f"{path}: a secret of {len(value)} bytes is too short (at least 16)")
    return value
