"""Text every backend can hold: the one place where unencodable characters are replaced.

A Python string may hold code points that no UTF-8 consumer accepts: lone surrogates (a JSON
"\\ud800" escape, a header decoded with surrogateescape), NUL (PostgreSQL refuses it in text and
jsonb) and the Unicode non-characters (U+FFFE, U+FFFF, U+FDD0..U+FDEF and the last two of every
plane). Refusing them would drop a customer's whole message for one stray code point, so each is
replaced by U+FFFD REPLACEMENT CHARACTER, as a UTF-8 decoder does with a bad byte; a valid
surrogate pair left unjoined ("\\ud83d\\ude00") becomes the character it encodes.

The model's constructors call this, so readers, the API, the webhooks and the web pages all get
the same text, and the store, the tokenizer and the pages never see an unencodable string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

REPLACEMENT = "\ufffd"
#: NUL, surrogates and the non-characters of the first plane; the other planes' two each
#: (U+1FFFE, U+1FFFF, ...) are found among the astral characters, which are few in any text.
_BMP_UNSTORABLE = re.compile("[\x00\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _noncharacter(char: str) -> bool:
    return ord(char) & 0xFFFE == 0xFFFE


def is_storable(text: str) -> bool:
    """Whether `text` holds nothing `storable` would replace. Runs for every string of every
    message built, so ASCII text (most of it) is answered without a regex."""
    if text.isascii():
        return "\x00" not in text
    if _BMP_UNSTORABLE.search(text) is not None:
        return False
    return not any(_noncharacter(m[0]) for m in _ASTRAL.finditer(text))


def storable(text: str) -> str:
    """`text` with every unencodable code point replaced by U+FFFD (the same object if none)."""
    if is_storable(text):
        return text
    if _SURROGATE.search(text) is not None:
        # UTF-16 joins the valid pairs and replaces the lone halves, in C and in one pass.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = _BMP_UNSTORABLE.sub(REPLACEMENT, text)
    return _ASTRAL.sub(lambda m: REPLACEMENT if _noncharacter(m[0]) else m[0], text)


def needs_cleaning(value: object) -> bool:
    """Whether a JSON-like value holds a string (key or value) that `storable` would change.

    Walks with its own stack: metadata comes from callers' payloads and may nest deeper than
    Python's recursion limit.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            if not is_storable(item):  # type: ignore[arg-type]
                return True
        elif kind in _SCALARS:
            continue
        elif kind is dict or kind is MappingProxyType or isinstance(item, Mapping):
            stack.extend(item.keys())  # type: ignore[attr-defined]
            stack.extend(item.values())  # type: ignore[attr-defined]
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, str) and not is_storable(item):
            return True
    return False


#: Types with no text inside, skipped without the (slow) abstract Mapping check.
_SCALARS = frozenset({int, float, bool, type(None)})


def storable_tree(value: Any) -> Any:
    """A copy of a JSON-like value with `storable` applied to every string, keys included.

    Returns `value` itself when nothing needs replacing (the common case, checked first and
    without copying). Containers keep their kind: mappings become dicts, tuples stay tuples.
    """
    if not needs_cleaning(value):
        return value
    # Iterative post-order rebuild: (source, child results so far, children still to do, last
    # first so that pop() takes them in order).
    root: list[Any] = []
    frames: list[tuple[Any, list[Any], list[Any]]] = [(None, root, [value])]
    while frames:
        source, built, pending = frames[-1]
        if not pending:
            frames.pop()
            if frames:
                frames[-1][1].append(_assemble(source, built))
            continue
        child = pending.pop()
        if isinstance(child, Mapping):
            items = [item for pair in child.items() for item in pair]
            frames.append((child, [], items[::-1]))
        elif isinstance(child, (list, tuple)):
            frames.append((child, [], list(child)[::-1]))
        else:
            built.append(storable(child) if isinstance(child, str) else child)
    return root[0]


def _assemble(source: Any, built: list[Any]) -> Any:
    if isinstance(source, Mapping):
        return dict(zip(built[0::2], built[1::2], strict=True))
    if isinstance(source, tuple):
        return tuple(built)
    return built


def storable_mapping(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """`storable_tree` for a metadata mapping, read-only when a copy had to be made."""
    cleaned = storable_tree(mapping)
    return mapping if cleaned is mapping else MappingProxyType(cleaned)
