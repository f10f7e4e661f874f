import pytest

from calmdesk.core.ingest.email_text import clean_body, html_to_text, strip_quoted, strip_signature

NEW = "I still have not received my refund."


@pytest.mark.parametrize(
    "quoted",
    [
        "> Your refund was issued on Monday.\n> Regards",
        "On Tue, 5 Mar 2024 at 10:02, Sam <care@shop.example> wrote:\nYour refund was issued.",
        "On Tue, 5 Mar 2024 at 10:02 AM Sam Ortiz <\ncare@shop.example> wrote:\nYour refund.",
        "Am 05.03.2024 um 10:02 schrieb Sam <care@shop.example>:\nIhre Erstattung",
        "-----Original Message-----\nFrom: Sam\nSent: Tuesday\nYour refund was issued.",
        "From: Sam Ortiz <care@shop.example>\nSent: Tuesday, March 5, 2024 10:02 AM\nTo: Dana\n"
        "Subject: RE: refund\n\nYour refund was issued.",
        "________________________________\nFrom: Sam Ortiz\nSent: Tuesday\nYour refund was issued.",
        "---------- Forwarded message ---------\nFrom: Sam\nYour refund was issued.",
    ],
    ids=[
        "angle",
        "on-wrote",
        "on-wrote-wrapped",
        "german",
        "original",
        "outlook",
        "underscores",
        "fwd",
    ],
)
def test_email_text_strip_quoted_keeps_only_new_words(quoted: str) -> None:
    assert strip_quoted(f"{NEW}\n\n{quoted}") == NEW


def test_email_text_strip_quoted_drops_interleaved_quote_lines() -> None:
    text = "> Did you check the tracking?\nYes, twice.\n> And the neighbours?\nYes."
    assert strip_quoted(text) == "Yes, twice.\nYes."


def test_email_text_strip_quoted_keeps_a_from_line_that_is_not_a_header_block() -> None:
    text = "From: my side, this is unacceptable.\nI want a refund."
    assert strip_quoted(text) == text


@pytest.mark.parametrize(
    "signature",
    [
        "-- \nDana Whitfield\n+44 20 0000 0000",
        "--\nDana Whitfield",
        "Sent from my iPhone",
        "Sent from my Galaxy",
        "Get Outlook for iOS",
        "Kind regards,\nDana Whitfield\nHead of Operations | Acme Ltd",
        "Best,\nDana",
        "Regards\nDana",
        "Cheers,\nDana",
    ],
)
def test_email_text_strip_signature_removes_sign_off_blocks(signature: str) -> None:
    assert strip_signature(f"{NEW}\n\n{signature}") == NEW


@pytest.mark.parametrize("thanks", ["Thanks,", "Thank you!", "Many thanks,"])
def test_email_text_strip_signature_keeps_closing_thanks_but_not_the_name(thanks: str) -> None:
    assert strip_signature(f"{NEW}\n\n{thanks}\nDana") == f"{NEW}\n\n{thanks}"


def test_email_text_valediction_early_in_a_long_message_is_kept() -> None:
    text = "Regards\n" + "\n".join(f"line {i}" for i in range(8))
    assert strip_signature(text) == text


def test_email_text_clean_body_strips_signature_then_quote() -> None:
    text = f"{NEW}\n\nSent from my iPhone\n\nOn Tue, Sam wrote:\n> Refund issued"
    assert clean_body(text) == NEW


def test_email_text_html_to_text_keeps_paragraphs_and_drops_quotes_and_styles() -> None:
    html = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Hello&nbsp;Sam,</p><p>Line one<br>Line two</p>"
        '<div class="gmail_quote">On Tue wrote:<blockquote>old</blockquote></div>'
        "<script>alert(1)</script></body></html>"
    )
    assert html_to_text(html) == "Hello Sam,\n\nLine one\nLine two"


def test_email_text_html_to_text_survives_markup_the_parser_rejects() -> None:
    assert html_to_text("<p>Refund me</p><![bogus x") == "Refund me"
