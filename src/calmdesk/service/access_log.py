"""The access log without keys: helpdesks that cannot set headers send `?api_key=cdk_...`, and
uvicorn's access log writes each request's full path, so every such token would land in the
log files (and whatever collects them) in clear.

`QueryKeyMask` rewrites the key's value to `***` before a record is formatted; `log_config()`
is uvicorn's logging set-up with the mask on the access handler, which `calmdesk serve` uses.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

#: `api_key=` in a query string, its name in any case or percent-encoded, up to the next field
_QUERY_KEY = re.compile(r"((?:^|[?&;])api(?:_|%5f)key=)[^&;#\s\"]*", re.IGNORECASE)
MASK = "***"


def mask(text: str) -> str:
    """`text` with the value of every api_key= query field replaced by ***."""
    return _QUERY_KEY.sub(lambda m: m.group(1) + MASK, text)


class QueryKeyMask(logging.Filter):
    """Masks query-string keys in a record's message and its string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: mask(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration with `QueryKeyMask` on every handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["query_key_mask"] = {"()": QueryKeyMask}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("query_key_mask")
    return config
