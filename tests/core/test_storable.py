"""Unencodable code points are replaced once, when a model object is built, and nowhere else."""

from __future__ import annotations

import pytest

from calmdesk.core.model import Conversation, Message, Participant
from calmdesk.core.storable import storable, storable_tree


def test_storable_replaces_lone_surrogates_nul_and_non_characters():
    assert storable("a\ud800b\x00c\uffff\ufdd0\U0010fffe") == "a\ufffdb\ufffdc\ufffd\ufffd\ufffd"


def test_storable_joins_a_surrogate_pair_left_split():
    assert storable("ok \ud83d\ude00") == "ok \U0001f600"


def test_storable_returns_clean_text_itself():
    text = "Where is my parcel? 📦 \t\n"
    assert storable(text) is text


def test_storable_tree_cleans_keys_and_values_at_any_depth():
    deep: list = []
    inner = deep
    for _ in range(5000):  # deeper than Python's recursion limit
        inner.append([])
        inner = inner[0]
    inner.append("\x00")
    cleaned = storable_tree({"k\ud800": ("x\x00", 1, None), "deep": deep})
    assert list(cleaned) == ["k\ufffd", "deep"] and cleaned["k\ufffd"] == ("x\ufffd", 1, None)
    leaf = cleaned["deep"]
    for _ in range(5000):
        leaf = leaf[0]
    assert leaf == ["\ufffd"]


def test_model_objects_hold_only_storable_text():
    message = Message("m\x00", "a\ud800", "customer", "hi \ud800", metadata={"s": "\uffff"})
    conversation = Conversation("c\ud800", (message,), customer_id="\x00")
    person = Participant("p", "agent", name="Sam \udfff")
    assert (message.id, message.author, message.text) == ("m\ufffd", "a\ufffd", "hi \ufffd")
    assert dict(message.metadata) == {"s": "\ufffd"}
    assert (conversation.id, conversation.customer_id, person.name) == (
        "c\ufffd",
        "\ufffd",
        "Sam \ufffd",
    )


def test_model_refuses_a_field_of_the_wrong_type_naming_it():
    with pytest.raises(TypeError, match=r"Message\.text must be a str, got int"):
        Message("m1", "a", "customer", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Conversation\.metadata must be a mapping"):
        Conversation("c", (), metadata=["x"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Message\.role must be one of"):
        Message("m1", "a", "boss", "hi")  # type: ignore[arg-type]
