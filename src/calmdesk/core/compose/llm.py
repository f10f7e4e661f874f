"""The LLM engine: any OpenAI-compatible chat-completions endpoint, through the stdlib only.

Customer text leaves the machine only when an operator configures this (DESIGN.md: offline by
default). The core may not import an HTTP library, so the client is `urllib`; timeouts and
retries are explicit. The prompt carries the same grounding as the template engine (the
conversation, the matched knowledge entry and the eligible options), and the caller still runs
the self-check on the answer and falls back to the template engine when it fails.
"""

from __future__ import annotations

import json
import os
import random
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calmdesk.core.compose.config import TeamConfig
from calmdesk.core.compose.reading import Situation
from calmdesk.core.compose.remedies import choose_offers


class LLMError(RuntimeError):
    """The endpoint could not give a usable answer (after retries)."""


@dataclass(frozen=True, slots=True)
class LLMSettings:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 0.5
    temperature: float = 0.4

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        timeout: float = 20.0,
        retries: int = 2,
    ) -> LLMSettings:
        """Settings from CALMDESK_LLM_BASE_URL / _MODEL / _API_KEY, explicit values winning."""
        env = os.environ if env is None else env
        url = base_url or env.get("CALMDESK_LLM_BASE_URL", "")
        name = model or env.get("CALMDESK_LLM_MODEL", "")
        if not url or not name:
            raise LLMError(
                "LLM engine needs a base URL and a model: set CALMDESK_LLM_BASE_URL and "
                "CALMDESK_LLM_MODEL (or pass them)"
            )
        key = api_key if api_key is not None else env.get("CALMDESK_LLM_API_KEY", "")
        return cls(base_url=url, model=name, api_key=key, timeout=timeout, retries=retries)


SYSTEM = """You are a customer-service agent writing the next reply in a conversation.
Follow this order: (1) acknowledge the customer's emotion by name and restate their issue in
your own words (start with "If I've understood this correctly,"), say their reaction is
legitimate; (2) give the company's perspective using only the CONTEXT given; (3) offer the
OPTIONS given as a numbered list, each with why it is viable, and let the customer choose;
(4) say what happens next with the ETAs given, that you will personally see it through, and
the prevention step; (5) end with a sincere apology ("I'm sorry") and thanks ("Thank you for").
Never ask the customer questions, never argue, correct, blame, doubt or cite policy as the
answer, never use capitals for emphasis or exclamation marks, and never state any order number,
amount, date or duration that is not in the conversation, CONTEXT or OPTIONS.
Reply with the message text only."""


def build_messages(sit: Situation, team: TeamConfig, seed: int) -> list[dict[str, str]]:
    """The chat prompt: the conversation as turns, then the grounding the reply may use."""
    options, gesture = choose_offers(
        team, sit.issue.id, sit.customer, random.Random(seed), text=sit.customer_text
    )
    lines = [f"- {o.offer} ({o.remedy.eta}): {o.why}" for o in options]
    if gesture is not None:
        lines.append(f"- in addition, whichever they choose: {gesture.offer}")
    kb = sit.knowledge
    grounding = [
        f"CHANNEL: {sit.channel} (twitter: under 600 characters; email: greeting and sign-off)",
        f"CUSTOMER: {sit.customer.name or 'unknown'}, {sit.customer.tenure_years:g} years with "
        f"us, tier {sit.customer.tier}",
        f"EMOTION: {sit.feeling}",
        f"CONTEXT: {kb.explanation if kb else 'none known'}",
        f"PREVENTION: {kb.prevention if kb and kb.prevention else 'none known'}",
        "OPTIONS:\n" + "\n".join(lines),
    ]
    if sit.supervisor_pending:
        grounding.append(
            f"The customer asked for a supervisor: say one will contact them {team.supervisor_eta}."
        )
    chat: list[dict[str, str]] = [{"role": "system", "content": SYSTEM}]
    for m in sit.analysis.conversation.messages:
        chat.append({"role": "user" if m.is_customer else "assistant", "content": m.text})
    chat.append({"role": "system", "content": "\n".join(grounding)})
    return chat


def complete(settings: LLMSettings, messages: list[dict[str, str]], *, seed: int) -> str:
    """One chat completion, retried on timeouts, connection errors, 429 and 5xx."""
    url = settings.base_url.rstrip("/") + "/chat/completions"
    body = json.dumps(
        {
            "model": settings.model,
            "messages": messages,
            "temperature": settings.temperature,
            "seed": seed,
        }
    ).encode()
    headers = {"Content-Type": "application/json"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    last = "no attempt made"
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(settings.backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout) as resp:
                doc = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} from {url}"
            if exc.code == 429 or exc.code >= 500:
                continue
            raise LLMError(last) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = f"cannot reach {url} ({getattr(exc, 'reason', exc)})"
            continue
        except json.JSONDecodeError as exc:
            raise LLMError(f"{url} answered with invalid JSON") from exc
        return _content(doc, url)
    raise LLMError(f"{last}, after {settings.retries + 1} attempts")


def _content(doc: Any, url: str) -> str:
    try:
        text = doc["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise LLMError(f"{url}: no choices[0].message.content in the answer") from exc
    if not isinstance(text, str) or not text.strip():
        raise LLMError(f"{url}: the answer was empty")
    return text.strip()


@dataclass(frozen=True, slots=True)
class LLMEngine:
    settings: LLMSettings
    name: str = "llm"

    def draft(self, sit: Situation, team: TeamConfig, seed: int) -> str:
        return complete(self.settings, build_messages(sit, team, seed), seed=seed)
