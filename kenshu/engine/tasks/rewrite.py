"""Rewrite a text as asked: やさしい日本語, です・ます ⇄ である, or within a length limit.

Rules, not a model (``kenshu.engine.japanese``). The text's content is never changed beyond what a rule
does: やさしい日本語 (``plain``: short sentences, glossary words, です・ます, one sentence per line),
です・ます ⇄ である (``style``), and a length limit such as 「200字以内」 (``length``: whole sentences
in order while they fit; when even the first one is too long, it is cut at a clause boundary).

This module reads the request (which rewrites, which text) and applies them in order. An ending no
rule recognises is left as it was, and the reply says how many were left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kenshu.engine.coach import HEADER
from kenshu.engine.japanese.length import fit_length
from kenshu.engine.japanese.plain import PLAIN_SENTENCE_LENGTH, plain_japanese
from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.japanese.style import convert_style
from kenshu.engine.prompt import Prompt
from kenshu.engine.text import tidy_spaces

# ---------------------------------------------------------------- reading the request

_PLAIN_WORDS = ("やさしい日本語", "易しい日本語", "優しい日本語", "やさしく", "易しく", "平易", "わかりやすく",
                "分かりやすく", "わかりやすい言葉", "分かりやすい言葉", "簡単な言葉", "かんたんな言葉",
                "子どもにもわかる", "外国人にもわかる")
_PLAIN_STYLE = re.compile(r"である調|である体|だ・である|だである|常体")
_POLITE_STYLE = re.compile(r"です・?ます|ですます|敬体|丁寧語|丁寧な(?:文|表現|言葉)|丁寧に")
_SENTENCE_LIMIT = re.compile(r"(?:一文|1文|１文|各文|文は|文を|一つの文|1つの文)[^。\n]{0,8}?"
                             r"(\d+|[０-９]+)\s*(?:字|文字)")


@dataclass(frozen=True)
class Request:
    plain_japanese: bool = False
    style: str | None = None  # "polite" or "plain" (である調)
    limit: int | None = None
    sentence_limit: int = PLAIN_SENTENCE_LENGTH

    @property
    def recognised(self) -> bool:
        return self.plain_japanese or self.style is not None or self.limit is not None


def _target_style(request: str) -> str | None:
    """である or です・ます: the one asked for (「です・ます調をである調に」 asks for である)."""
    found = [(m.start(), m.end(), "plain") for m in _PLAIN_STYLE.finditer(request)]
    found += [(m.start(), m.end(), "polite") for m in _POLITE_STYLE.finditer(request)]
    if not found:
        return None
    targets = [kind for start, end, kind in sorted(found)
               if not re.match(r"調?(?:を|から|の文(?:章)?を)", request[end:end + 6])]
    kinds = targets or [kind for _, _, kind in sorted(found)]
    return kinds[-1]


def read_request(prompt: Prompt) -> Request:
    request = prompt.request
    sentence_limit = _SENTENCE_LIMIT.search(request)
    per_sentence = int(sentence_limit.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))) \
        if sentence_limit else None
    limit = prompt.char_limit
    if per_sentence is not None and limit == per_sentence:
        limit = None  # 「一文を30字以内に」 limits each sentence, not the whole text
    plain = prompt.asks(*_PLAIN_WORDS)
    return Request(plain_japanese=plain, style=_target_style(request), limit=limit,
                   sentence_limit=per_sentence or PLAIN_SENTENCE_LENGTH)


_QUOTED = re.compile(r"「([^「」]{10,})」")
_AFTER_COLON = re.compile(r"[:：]\s*(.+)$", re.S)


_REWRITE_WORDS = re.compile("|".join(_PLAIN_WORDS) + r"|書き換|書き直|言い換|直して|字以内|文字以内|調に|調で|体に")


def source_text(prompt: Prompt) -> str:
    """The text to rewrite: the material, else a quotation, text after a colon, or lines after the first.

    When the system message holds the request and the user message does not, the user message is the text.
    """
    if prompt.material.strip():
        return prompt.material.strip()
    instruction = prompt.instruction
    if prompt.system.strip() and not _REWRITE_WORDS.search(instruction):
        return instruction.strip()
    quotes: list[str] = [q for q in _QUOTED.findall(instruction)
                         if not _PLAIN_STYLE.search(q) and not _POLITE_STYLE.search(q)]
    if quotes:
        return max(quotes, key=len)
    colon = _AFTER_COLON.search(instruction)
    if colon and len(colon.group(1).strip()) >= 10:
        return colon.group(1).strip()
    lines = instruction.strip().splitlines()
    return "\n".join(lines[1:]).strip() if len(lines) > 1 else ""


# ---------------------------------------------------------------- the task

NO_TEXT = ("書き換える文章が見当たりません。「次の文章を、やさしい日本語に書き換えてください。」と書いた後に、"
           "改行して文章を貼り付けてください。")
NOT_UNDERSTOOD = (f"{HEADER}書き換えの指示（やさしい日本語、です・ます調、である調、「200字以内」などの字数）を"
                  "読み取れなかったため、文章を1文ずつの行に整えただけです。内容は変えていません。")


def _unchanged_note(unchanged: list[str]) -> str:
    example = unchanged[0] if len(unchanged[0]) <= 30 else unchanged[0][:30] + "…"
    return (f"※ 文末を規則で判断できなかった {len(unchanged)} 文は、元のままにしています"
            f"（例: 「{example}」）。")


def rewrite(text: str, request: Request) -> str:
    """Apply the recognised rewrites in order: やさしい日本語, style, then the length limit."""
    notes: list[str] = []
    if request.plain_japanese:
        plain = plain_japanese(text, request.sentence_limit)
        body, unchanged = plain.text, plain.unchanged
        if request.style == "plain":
            styled = convert_style(body, polite=False)
            body, unchanged = styled.text, unchanged + styled.unchanged
        lines_joined = True
    elif request.style is not None:
        styled = convert_style(tidy_spaces(text), polite=request.style == "polite")
        body, unchanged = styled.text, styled.unchanged
        lines_joined = False
    else:
        body, unchanged, lines_joined = tidy_spaces(text), [], False
    if request.limit is not None:
        return ("\n" if lines_joined else "").join(fit_length(split_sentences(body), request.limit))
    if unchanged:
        notes.append(_unchanged_note(unchanged))
    return "\n".join([body, *(["", *notes] if notes else [])])


def run(prompt: Prompt) -> str:
    text = source_text(prompt)
    if not text:
        return NO_TEXT
    request = read_request(prompt)
    if not request.recognised:
        return NOT_UNDERSTOOD + "\n\n" + "\n".join(split_sentences(tidy_spaces(text)))
    return rewrite(text, request)
