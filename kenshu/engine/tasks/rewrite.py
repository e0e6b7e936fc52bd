"""Rewrite a text as asked: やさしい日本語, です・ます ⇄ である, one sentence a line, or within a length limit.

Rules, not a model (``kenshu.engine.japanese``). The text's content is never changed beyond what a rule
does: やさしい日本語 (``plain``: short sentences, glossary words, です・ます, one sentence per line),
です・ます ⇄ である (``style``), and a length limit such as 「200字以内」 (``length``: whole sentences
in order while they fit; when even the first one is too long, it is cut at a clause boundary, and a
note says what was left out), 「3行で」「箇条書きで」 (one sentence a line or a bullet; extra sentences are
left out and noted).

This module reads the request (which rewrites, which text) and applies them in order. An ending no
rule recognises is left as it was, and the reply says how many were left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kenshu.engine.coach import HEADER
from kenshu.engine.instructions import mentions_style
from kenshu.engine.japanese.length import fit_length
from kenshu.engine.japanese.plain import PLAIN_SENTENCE_LENGTH, plain_japanese
from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.japanese.style import convert_style
from kenshu.engine.layout import render
from kenshu.engine.notes import with_notes
from kenshu.engine.prompt import Prompt
from kenshu.engine.text import tidy_spaces

# ---------------------------------------------------------------- reading the request

_PLAIN_WORDS = ("やさしい日本語", "易しい日本語", "優しい日本語", "やさしく", "易しく", "平易", "わかりやすく",
                "分かりやすく", "わかりやすい言葉", "分かりやすい言葉", "簡単な言葉", "かんたんな言葉",
                "子どもにもわかる", "外国人にもわかる")


@dataclass(frozen=True)
class Request:
    plain_japanese: bool = False
    style: str | None = None  # "polite" or "plain" (である調)
    limit: int | None = None
    limit_wording: str = ""  # 「200字以内」, for the note when the text had to be cut
    layout: str | None = None  # "lines" (「3行で」) or "bullets" (「箇条書きで」): one sentence each
    count: int | None = None
    sentence_limit: int = PLAIN_SENTENCE_LENGTH

    @property
    def recognised(self) -> bool:
        return self.plain_japanese or self.style is not None or self.limit is not None or self.layout is not None


def read_request(prompt: Prompt) -> Request:
    asked = prompt.asked  # 「一文を30字以内に」 limits each sentence, not the whole text
    return Request(plain_japanese=prompt.asks(*_PLAIN_WORDS), style=asked.style, limit=prompt.char_limit,
                   limit_wording=str(asked.length) if asked.length else "",
                   layout=asked.layout.kind if asked.layout.kind in ("lines", "bullets") else None,
                   count=asked.layout.count,
                   sentence_limit=asked.sentence_limit or PLAIN_SENTENCE_LENGTH)


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
    quotes: list[str] = [q for q in _QUOTED.findall(instruction) if not mentions_style(q)]
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
    return f"文末を規則で判断できなかった {len(unchanged)} 文は、元のままにしています（例: 「{example}」）。"


def _cut_note(sentences: list[str], kept: list[str], wording: str) -> str:
    """What fitting the limit did: sentences left out at the end, the first one cut short."""
    if kept == sentences:
        return ""
    dropped = len(sentences) - len(kept)
    if kept and kept[0] != sentences[0]:
        rest = f"、後ろの {dropped} 文を省きました" if dropped else "ました"
        return f"{wording}に収めるため、最初の文を途中で切り{rest}。"
    return f"{wording}に収めるため、後ろの {dropped} 文を省きました。"


def _one_per_line(body: str, request: Request, notes: list[str]) -> str:
    """One sentence a line (「3行で」) or a bullet (「3点の箇条書きで」); what does not fit the count is noted."""
    sentences = split_sentences(body)
    if request.count is not None and len(sentences) > request.count:
        notes.append(f"{request.count}{'行' if request.layout == 'lines' else '点'}に収めるため、"
                     f"後ろの {len(sentences) - request.count} 文を省きました。")
        sentences = sentences[:request.count]
    elif request.count is not None and len(sentences) < request.count:
        notes.append(f"もとの文章が {len(sentences)} 文のため、{len(sentences)} "
                     f"{'行' if request.layout == 'lines' else '点'}です（言い換えて文を増やすことはできません）。")
    return render(sentences, request.layout)


def rewrite(text: str, request: Request) -> str:
    """Apply the recognised rewrites in order: やさしい日本語, style, then the length limit (noting any cut)."""
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
    if request.layout in ("lines", "bullets"):
        body, lines_joined = _one_per_line(body, request, notes), True
    if request.limit is not None:
        sentences = split_sentences(body)
        kept = fit_length(sentences, request.limit)
        body = ("\n" if lines_joined else "").join(kept)
        notes.append(_cut_note(sentences, kept, request.limit_wording or f"{request.limit}字以内"))
    if unchanged:
        notes.append(_unchanged_note(unchanged))
    return with_notes(body, notes)


def run(prompt: Prompt) -> str:
    text = source_text(prompt)
    if not text:
        return NO_TEXT
    request = read_request(prompt)
    if not request.recognised:
        return NOT_UNDERSTOOD + "\n\n" + "\n".join(split_sentences(tidy_spaces(text)))
    return rewrite(text, request)
