"""The LLM engine against a real HTTP server on loopback that speaks chat completions."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from compose_handmade import conv

from calmdesk.core.compose.llm import LLMEngine, LLMError, LLMSettings, complete
from calmdesk.core.compose.reading import read_situation
from calmdesk.core.compose.suggest import suggest
from calmdesk.core.compose.template import template_draft

ANGRY = conv(
    ("customer", "My parcel is a week late and I'm furious. I need it by Friday."),
    customer={"tenure_years": 4, "tier": "silver", "lifetime_value": 900},
)


class Fake:
    """What the server will answer, in order (a status and a reply text each), and what it got."""

    def __init__(self, answers: list[tuple[int, str]], delay: float = 0.0) -> None:
        self.answers = answers
        self.delay = delay
        self.requests: list[dict] = []
        self.headers: list[dict] = []


@contextmanager
def serve(fake: Fake) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            fake.headers.append(dict(self.headers))
            status, text = fake.answers.pop(0) if fake.answers else (500, "")
            if fake.delay:
                threading.Event().wait(fake.delay)
            doc = {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}
            payload = json.dumps(doc).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and hung up: that is the point of the test

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def settings(url: str, **kw) -> LLMSettings:
    return LLMSettings(base_url=url, model="tiny-test", api_key="k-test", backoff=0.01, **kw)


def good_reply(pipeline, team) -> str:
    return template_draft(read_situation(pipeline.analyze(ANGRY), team), team, 11)


def test_llm_engine_reply_that_passes_the_check_is_used(pipeline, team):
    fake = Fake([(200, good_reply(pipeline, team))])
    with serve(fake) as url:
        s = suggest(ANGRY, team, pipeline, engine=LLMEngine(settings(url)))
    assert (s.engine, s.fallback, s.passed) == ("llm", "", True)
    sent = fake.requests[0]
    assert sent["model"] == "tiny-test" and sent["messages"][0]["role"] == "system"
    assert any("OPTIONS:" in m["content"] for m in sent["messages"])
    assert fake.headers[0]["Authorization"] == "Bearer k-test"


def test_llm_engine_reply_that_fails_the_check_falls_back_saying_so(pipeline, team):
    fake = Fake([(200, "That's not our fault. Please calm down!!!")])
    with serve(fake) as url:
        s = suggest(ANGRY, team, pipeline, engine=LLMEngine(settings(url)))
    assert s.engine == "template" and s.passed
    assert "failed the self-check" in s.fallback and "defensive" in s.fallback


def test_llm_client_retries_server_errors_then_succeeds(pipeline, team):
    fake = Fake([(503, ""), (500, ""), (200, "hello")])
    with serve(fake) as url:
        assert complete(settings(url, retries=2), [], seed=1) == "hello"
    assert len(fake.requests) == 3


def test_llm_client_does_not_retry_a_bad_request():
    fake = Fake([(400, ""), (200, "never")])
    with serve(fake) as url, pytest.raises(LLMError, match="HTTP 400"):
        complete(settings(url), [], seed=1)
    assert len(fake.requests) == 1


def test_llm_timeout_falls_back_to_the_template_engine(pipeline, team):
    fake = Fake([(200, "late"), (200, "late")], delay=0.5)
    with serve(fake) as url:
        engine = LLMEngine(settings(url, timeout=0.1, retries=1))
        s = suggest(ANGRY, team, pipeline, engine=engine)
    assert s.engine == "template" and s.passed
    assert "llm engine failed" in s.fallback and "2 attempts" in s.fallback


def test_llm_unreachable_endpoint_falls_back(pipeline, team):
    engine = LLMEngine(settings("http://127.0.0.1:9/v1", timeout=0.2, retries=0))
    s = suggest(ANGRY, team, pipeline, engine=engine)
    assert s.engine == "template" and "cannot reach" in s.fallback


def test_llm_settings_come_from_the_environment_and_explicit_values_win():
    env = {"CALMDESK_LLM_BASE_URL": "http://h/v1", "CALMDESK_LLM_MODEL": "m"}
    s = LLMSettings.from_env(env, api_key="x", model=None)
    assert (s.base_url, s.model, s.api_key) == ("http://h/v1", "m", "x")
    with pytest.raises(LLMError, match="CALMDESK_LLM_BASE_URL"):
        LLMSettings.from_env({})
