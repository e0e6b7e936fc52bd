"""Read a chat conversation the way the engine needs it: the request, the material, the limits."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from kenshu.engine.instructions import Instructions, read_instructions

_MATERIAL_LABEL = re.compile(
    r"^[ \t]*[#＃【\[]?\s*(文章|本文|内容|資料|テキスト|原文|対象|入力|記録|議事録|問い合わせ|問合せ|意見|コンテキスト|参考資料|context)"
    r"\s*[】\]]?\s*[:：]?\s*$|^[ \t]*(文章|本文|内容|資料|テキスト|原文|入力|意見)\s*[:：]", re.M | re.I)
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|ー{3,}|={3,}|＝{3,}|#{3,})\s*$", re.M)
_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
_LONG_QUOTE = re.compile(r"「([^「」]{40,})」")
_LEAD_IN = re.compile(r"(以下|(?<![一-龥々])次|下記)(の|に示す)?[^\n。]{0,30}[:：。]?\s*$")  # not 「順次」「目次」


def text_of(content: object) -> str:
    """The text of a message's content (a string, or a list of content parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content
                         if isinstance(part, Mapping) and part.get("type") == "text")
    return ""


@dataclass(frozen=True)
class Prompt:
    """What was asked. ``instruction`` is the request; ``material`` the text to work on."""

    system: str
    user: str
    instruction: str
    material: str
    history: tuple[Mapping[str, object], ...] = ()
    rng: random.Random | None = field(default=None, compare=False)

    @property
    def request(self) -> str:
        """The whole request wording: system instructions and the user's own."""
        return f"{self.system}\n{self.instruction}".strip()

    @cached_property
    def asked(self) -> Instructions:
        """What the request asks the written text to be (length, style, layout, role, focus)."""
        return read_instructions(self.request)

    @property
    def char_limit(self) -> int | None:
        """The most characters the reply may have (「200字以内」), or None."""
        return self.asked.length.chars if self.asked.length else None

    @property
    def bullet_count(self) -> int | None:
        """How many points (「3点」) or lines (「3行で」) are asked for, or None."""
        layout = self.asked.layout
        return layout.count if layout.kind in ("bullets", "lines") else None

    @property
    def wants_bullets(self) -> bool:
        return self.asked.layout.kind == "bullets"

    def asks(self, *words: str) -> bool:
        return any(word in self.request for word in words)


# a last line after the material that says how to write it: 「…\n200字以内でまとめてください。」
_TRAILING_REQUEST = re.compile(r"(?:字|文字)(?:以内|以下|程度|前後|まで)|\d\s*行[でに]|箇条書き|調[でに]|表[でに]|\d\s*点[でに]")
_ASKING = re.compile(r"(?:ください|下さい|してほしい|お願いします|お願いいたします)[。．]?\s*$")


def split_request(user: str) -> tuple[str, str]:
    """Split a user message into (instruction, material); a how-to-write line after the material is instruction."""
    instruction, material = _split(user)
    lines = material.rstrip().splitlines()
    last = lines[-1].strip() if len(lines) >= 2 else ""
    if last and len(last) <= 80 and _TRAILING_REQUEST.search(last) and _ASKING.search(last):
        return f"{instruction}\n{last}".strip(), "\n".join(lines[:-1]).strip()
    return instruction, material


def _split(user: str) -> tuple[str, str]:
    fence = _FENCE.search(user)
    if fence:
        return (user[:fence.start()] + user[fence.end():]).strip(), fence.group(1).strip()
    separator = _SEPARATOR.search(user)
    if separator:
        return user[:separator.start()].strip(), user[separator.end():].strip()
    label = _MATERIAL_LABEL.search(user)
    if label and label.start() > 0:
        return user[:label.start()].strip(), user[label.end():].strip()
    first = re.split(r"\n\s*\n", user.strip(), maxsplit=1)
    if len(first) == 2 and len(first[0]) <= 200 and _ASKING.search(first[0]):
        return first[0].strip(), first[1].strip()  # 「この会議録を要約してください」 then the material
    lines = user.splitlines()
    for index, line in enumerate(lines[:-1]):
        if _LEAD_IN.search(line):
            return "\n".join(lines[:index + 1]).strip(), "\n".join(lines[index + 1:]).strip()
    quote = _LONG_QUOTE.search(user)
    if quote:
        return (user[:quote.start()] + user[quote.end():]).strip(), quote.group(1).strip()
    paragraphs = re.split(r"\n\s*\n", user.strip(), maxsplit=1)
    if len(paragraphs) == 2:
        return paragraphs[0].strip(), paragraphs[1].strip()
    return user.strip(), ""


def parse(messages: Sequence[Mapping[str, object]], rng: random.Random | None = None) -> Prompt:
    system = "\n".join(text_of(m.get("content")) for m in messages if m.get("role") in ("system", "developer"))
    users = [index for index, m in enumerate(messages) if m.get("role") == "user"]
    user = text_of(messages[users[-1]].get("content")) if users else ""
    history = tuple(messages[:users[-1]]) if users else tuple(messages)
    instruction, material = split_request(user)
    if not material and system.strip() and not _looks_like_request(user):
        # the system message holds the request; the user message is the material itself
        instruction, material = "", user.strip()
    return Prompt(system=system, user=user, instruction=instruction, material=material, history=history, rng=rng)


def _looks_like_request(text: str) -> bool:
    return bool(re.search(r"(ください|してほしい|して下さい|しなさい|お願い|教えて|ますか|ですか|[?？])", text[:80]))
