"""What a model is asked: the generation settings of a prediction run, the
request body they give for a sample, and the hashes that tie a prediction to
its sample and prompt.

Two request forms (``endpoint``):

* ``chat`` (``POST <base>/chat/completions``, MedINST's own set-up): an
  optional system turn, each ``history`` pair as an earlier user turn and
  assistant turn, then ``instruction + "\\n" + input`` as the last user turn;
* ``completions`` (``POST <base>/completions``), one prompt string (format
  ``medinst-plain-1``): the system text followed by a blank line (when given),
  each history pair as ``user + "\\n" + assistant`` followed by a blank line,
  then ``instruction + "\\n" + input + "\\n"``.

The defaults (chat, ``max_tokens=1024``, ``temperature=0``, no system turn)
are MedINST's published settings.

Hashes (sha256, hex), as in lm-evaluation-harness's sample logs:

* ``doc_hash``: of the sample as compact JSON with sorted keys;
* ``prompt_hash``: of the prompt as sent, as compact JSON (the messages list,
  or the prompt string);
* ``target_hash``: of the gold output's UTF-8 bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, Union

import attrs
import orjson

from .errors import UsageError

ENDPOINTS = ("chat", "completions")
PROMPT_FORMATS = {"chat": "medinst-chat-1", "completions": "medinst-plain-1"}
PATHS = {"chat": "/chat/completions", "completions": "/completions"}

Prompt = Union[list[dict[str, str]], str]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_hash(sample: Mapping[str, Any]) -> str:
    return _sha256(orjson.dumps(sample, option=orjson.OPT_SORT_KEYS))


def prompt_hash(prompt: Prompt) -> str:
    return _sha256(orjson.dumps(prompt))


def target_hash(target: str) -> str:
    return _sha256(target.encode("utf-8"))


def _turns(sample: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(user, assistant) for user, assistant in sample.get("history") or []]


@attrs.frozen
class Generation:
    """The settings every request of a run shares (the model name aside)."""

    endpoint: str = "chat"
    system: str | None = None
    temperature: float = 0.0
    max_tokens: int = 1024
    stop: tuple[str, ...] = ()
    seed: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.endpoint not in ENDPOINTS:
            raise UsageError(f"endpoint must be one of {', '.join(ENDPOINTS)}, not {self.endpoint!r}")
        if self.max_tokens < 1:
            raise UsageError("max_tokens must be at least 1")
        if not self.temperature >= 0:
            raise UsageError(f"temperature must be 0 or more, not {self.temperature:g}")
        if any(not isinstance(s, str) or not s for s in self.stop):
            raise UsageError("each stop sequence must be a non-empty string")

    @property
    def path(self) -> str:
        return PATHS[self.endpoint]

    def as_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "prompt_format": PROMPT_FORMATS[self.endpoint],
            "system": self.system,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "stop": list(self.stop),
            "seed": self.seed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Generation:
        return cls(endpoint=data.get("endpoint", "chat"), system=data.get("system"),
                   temperature=float(data.get("temperature", 0.0)), max_tokens=int(data.get("max_tokens", 1024)),
                   stop=tuple(data.get("stop") or ()), seed=data.get("seed"))

    def prompt(self, sample: Mapping[str, Any]) -> Prompt:
        """The messages (chat) or the prompt string (completions) of a sample."""
        last = sample["instruction"] + "\n" + sample["input"]
        if self.endpoint == "chat":
            out: list[dict[str, str]] = [{"role": "system", "content": self.system}] if self.system else []
            for user, assistant in _turns(sample):
                out.append({"role": "user", "content": user})
                out.append({"role": "assistant", "content": assistant})
            out.append({"role": "user", "content": last})
            return out
        parts = [self.system + "\n\n"] if self.system else []
        parts += [f"{user}\n{assistant}\n\n" for user, assistant in _turns(sample)]
        return "".join(parts) + last + "\n"

    def body(self, model: str, prompt: Prompt, *, max_tokens: int | None = None) -> dict[str, Any]:
        """The JSON request body."""
        body: dict[str, Any] = {"model": model, ("messages" if self.endpoint == "chat" else "prompt"): prompt,
                                "max_tokens": max_tokens or self.max_tokens, "temperature": self.temperature}
        if self.stop:
            body["stop"] = list(self.stop)
        if self.seed is not None:
            body["seed"] = self.seed
        return body

    def answer(self, payload: Any) -> tuple[str, str | None]:
        """``(text, finish_reason)`` of a 200 answer; ValueError when it is not
        a completion of this endpoint's kind."""
        try:
            choice = payload["choices"][0]
            text = choice["message"]["content"] if self.endpoint == "chat" else choice["text"]
        except (KeyError, IndexError, TypeError):
            text = 0
        if text is None:
            text = ""
        if not isinstance(text, str):
            where = "choices[0].message.content" if self.endpoint == "chat" else "choices[0].text"
            kind = "a chat completion" if self.endpoint == "chat" else "a completion"
            raise ValueError(f"the answer is not {kind} ({where} as a string)")
        reason = choice.get("finish_reason") if isinstance(choice, dict) else None
        return text, reason if isinstance(reason, str) else None


def settings_hash(model: str | None, generation: Mapping[str, Any]) -> str:
    """One hash of the model name and the generation settings: two runs with
    the same hash asked the same model the same way."""
    return _sha256(orjson.dumps({"model": model, **generation}, option=orjson.OPT_SORT_KEYS))


def messages(sample: Mapping[str, Any]) -> list[dict[str, str]]:
    """The chat messages of a sample with the default settings."""
    out = Generation().prompt(sample)
    assert isinstance(out, list)
    return out


__all__: Sequence[str] = ["Generation", "ENDPOINTS", "doc_hash", "prompt_hash", "target_hash", "settings_hash", "messages"]
