import pytest

from calmdesk.core.rubric import RubricError, load_rubric


def test_rubric_default_has_every_ordering_rule_of_the_design():
    rubric = load_rubric()
    assert {o.id for o in rubric.ordering} == {
        "empathy_before_explanation",
        "no_fact_finding_before_solution",
        "apology_and_gratitude_at_close",
    }
    assert rubric.penalties["suspicion"] > 0


def test_rubric_team_file_overrides_weights(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text(
        '[[criterion]]\nid = "empathy"\nlabel = "empathy"\napplies = "always"\nweight = 5\n'
    )
    rubric = load_rubric(path)
    assert [c.id for c in rubric.criteria] == ["empathy"]
    assert rubric.ordering == ()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[[criterion]]\nid = "x"\nlabel = "hug"\nweight = 1\n',
            "criterion #1: field 'label' is 'hug'",
        ),
        ('[[criterion]]\nid = "x"\nlabel = "empathy"\n', "criterion #1: missing field 'weight'"),
        (
            '[[criterion]]\nid = "x"\nlabel = "empathy"\nweight = 1\napplies = "sometimes"\n',
            "field 'applies' is 'sometimes'",
        ),
        (
            '[[ordering]]\nid = "o"\nkind = "after"\nweight = 1\n',
            "ordering #1: field 'kind' is 'after'",
        ),
        ("[antipatterns]\nrudeness = 5\n", "'rudeness' is not an anti-pattern label"),
        ("criterion = [", "not valid TOML"),
    ],
)
def test_rubric_bad_file_names_the_entry_and_field(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(RubricError, match=message.replace("(", r"\(")) as info:
        load_rubric(path)
    assert str(path) in str(info.value)


def test_rubric_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(RubricError, match="cannot read rubric"):
        load_rubric(tmp_path / "nope.toml")
