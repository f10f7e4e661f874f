"""`suggest`: five-step drafts that calmdesk's own analysis passes, grounded and varied."""

import json
import re
from pathlib import Path

import pytest
from compose_handmade import conv, example, example_names

from calmdesk.core.compose.config import example_team_dir
from calmdesk.core.compose.facts import find_facts
from calmdesk.core.compose.reading import read_situation
from calmdesk.core.compose.remedies import goodwill_amount
from calmdesk.core.compose.suggest import suggest
from calmdesk.core.detect.text_tokens import copy_ratio, profile
from calmdesk.core.model import Conversation, Message

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "twcs-amazonhelp-sentiment"

STROLLER = conv(
    (
        "customer",
        "The stroller I ordered (order #48213-RT) arrived today with the frame snapped. We bring "
        "our newborn home on Friday and I really need a working stroller by then. I'm so upset.",
    ),
    customer={"tenure_years": 6, "tier": "gold", "lifetime_value": 3000, "past_cases": 0},
)


@pytest.mark.parametrize("name", example_names())
def test_suggest_every_bundled_example_passes_the_self_check(name, pipeline, team):
    s = suggest(example(name[:2]), team, pipeline, seed=0)
    assert s.passed, [(p.name, p.detail) for p in s.check.problems]
    assert not any(lab.name in {"suspicion", "defensive"} for lab in s.check.draft.present())


@pytest.mark.shared_data
def test_suggest_passes_the_self_check_on_real_twitter_threads(pipeline, team):
    path = SHARED / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"real threads not available: {path} is missing")
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    rows = [r for r in rows if r["role"] == "customer"][:40]
    for row in rows:
        turns = [*row["context"], {"role": "customer", "text": row["text"]}]
        msgs = tuple(
            Message(f"t{i}", t["role"], t["role"], t["text"], channel="twitter")
            for i, t in enumerate(turns)
        )
        s = suggest(Conversation(row["id"], msgs, channel="twitter"), team, pipeline)
        assert s.passed, (row["id"], [(p.name, p.detail) for p in s.check.problems])


def test_suggest_is_deterministic_for_a_seed_and_varied_across_seeds(pipeline, team):
    first = suggest(STROLLER, team, pipeline, seed=3).text
    assert suggest(STROLLER, team, pipeline, seed=3).text == first
    texts = {suggest(STROLLER, team, pipeline, seed=s).text for s in range(6)}
    assert len(texts) >= 4
    openings = {t.split("\n\n")[1].split(".")[0] for t in texts}
    assert len(openings) >= 2  # no single canned sentence for the first step


def test_suggest_follows_the_five_step_order(pipeline, team):
    s = suggest(STROLLER, team, pipeline)
    text = s.text
    spans = {lab.name: lab.spans[0].start for lab in s.check.draft.present()}
    assert spans["empathy"] < spans["explanation"] < spans["alternatives"]
    assert text.rindex("sorry") > spans["alternatives"]
    assert s.check.draft.value("alternatives") >= 2


def test_suggest_names_the_emotion_and_restates_in_other_words(pipeline, team):
    s = suggest(STROLLER, team, pipeline)
    assert s.situation.feeling in s.text or s.situation.situation_word in s.text
    said = s.check.draft.get("understanding")
    assert said is not None and said.confidence >= 0.5
    customer = STROLLER.messages[0].text
    assert copy_ratio(profile(s.text), profile(customer)) < 0.3
    assert "stroller" in s.text and "Friday" in s.text


def test_suggest_asks_no_question_before_a_solution_was_accepted(pipeline, team):
    for seed in range(5):
        s = suggest(STROLLER, team, pipeline, seed=seed)
        assert "?" not in s.text
        assert not s.check.draft.has("clarifying_question")


def _grounding(conversation: Conversation) -> str:
    folder = example_team_dir()
    own = " ".join(m.text for m in conversation.messages)
    config = (folder / "knowledge_base.yaml").read_text() + (folder / "remedies.yaml").read_text()
    return own + " " + config


@pytest.mark.parametrize("name", example_names())
def test_suggest_never_invents_a_number_amount_or_date(name, pipeline, team):
    c = example(name[:2])
    s = suggest(c, team, pipeline)
    source = _grounding(c).lower()
    allowed = {f"£{goodwill_amount(team.goodwill, s.situation.customer)}"}
    allowed.add(f"{s.situation.customer.tenure_years:g} years")
    for fact in find_facts(s.text):
        assert fact.lower() in source or fact in allowed, fact
    numbers = set(re.findall(r"\d+", s.text))
    known = set(re.findall(r"\d+", source)) | {n for a in allowed for n in re.findall(r"\d+", a)}
    assert numbers <= known | {"1", "2", "3"}  # list numbering


def test_suggest_always_honours_a_supervisor_request(pipeline, team):
    c = conv(
        ("customer", "My refund still hasn't arrived after three weeks."),
        ("agent", "I'm sorry, I'll check on it."),
        ("customer", "I want to speak to your manager. Now."),
    )
    s = suggest(c, team, pipeline)
    assert s.passed
    assert s.situation.supervisor_pending
    assert s.check.draft.has("supervisor_offer")
    assert "within two hours" in s.text


def test_suggest_fits_the_channel(pipeline, team):
    text = STROLLER.messages[0].text
    tweet = suggest(conv(("customer", text), channel="twitter"), team, pipeline).text
    mail = suggest(conv(("customer", text), channel="email"), team, pipeline)
    assert len(tweet) < len(mail.text) * 0.7
    assert "\n" not in tweet and not tweet.startswith(("Dear", "Hello", "Hi"))
    assert mail.text.startswith(("Dear Dana,", "Hello Dana,"))
    assert mail.text.rstrip().endswith("Kind regards,")  # nobody has signed yet: no name made up


def test_suggest_acknowledges_a_long_relationship(pipeline, team):
    s = suggest(STROLLER, team, pipeline)
    assert "6 years" in s.text


def test_suggest_closes_briefly_once_the_customer_is_happy(pipeline, team):
    s = suggest(example("14"), team, pipeline)
    assert s.situation.mode == "close"
    assert s.passed and s.check.draft.has("gratitude")
    assert "1." not in s.text  # no options re-offered to a content customer


def test_situation_reads_issue_item_deadline_and_knowledge(pipeline, team):
    sit = read_situation(pipeline.analyze(STROLLER), team)
    assert (sit.issue.id, sit.item, sit.deadline) == ("damaged_item", "your stroller", "Friday")
    assert sit.knowledge is not None and sit.knowledge.id == "courier-hub-backlog"
