"""Extractive summary: score the given text's sentences, keep the best as the request asks.

Sentences are chosen from the text, never written: a sentence's score is how central it is to the
whole text, plus what a summary must keep (decisions, figures, deadlines, requests such as
「〜してください」「〜すること」「必要」), minus background (what only leads into a list,
「次のとおりである」, and descriptions of a tendency, 「〜が起きやすい」).
A focus (「…について」「…を中心に」) picks the sentences about it. The request's layout (N点の箇条書き,
N行, 表), style (です・ます / である, by ``japanese.style``) and length (「100字以内」, never exceeded) are
followed; a role (「あなたは会計課の職員です」) gives the summary a first line from that viewpoint.
What could not be done is said in a note after the summary (``kenshu.engine.notes``).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kenshu.engine.instructions import Role
from kenshu.engine.japanese.clauses import clause_cuts
from kenshu.engine.japanese.length import clip_sentence, is_polite_text, reader_length
from kenshu.engine.japanese.sentences import split_end, split_sentences, top_level
from kenshu.engine.japanese.style import convert_style
from kenshu.engine.layout import render, table
from kenshu.engine.notes import split_notes, with_notes
from kenshu.engine.prompt import Prompt
from kenshu.engine.text import cosine, ngrams, norm, normalise

# words that mark decisions and next steps, which a summary of a record must keep
_DECISION = re.compile(r"決定|決ま[っりる]|(?:承認|了承|合意)(?:し|され)(?!な)|了承|結論")  # not 「承認されないまま」
# a sentence that describes a tendency is background (「誤りが起きやすい」「多発する」)
_BACKGROUND_END = re.compile(r"(?:やすい|がちだ|がちである|多発する|多発している|傾向がある|傾向にある|増えている)$")
_CUES = ("方針", "今後", "予定", "課題", "期限", "までに", "依頼", "確認した")
_REQUEST_END = re.compile(r"(?:ください|下さい|(?<!との)(?<!という)(?<!のは)こと|必要がある|必要です|必要である|必要となる|なければならない|"
                          r"してはならない|お願いします|お願いいたします|べきである|べきです|"
                          r"(?:こと|もの)(?:を条件)?と(?:する|します))$")
_DEADLINE = re.compile(r"までに|まで|期限|締切|締め切り|以内")
_LIST_LEAD = re.compile(r"(?:次|以下|下記)のとおり(?:である|です|とする|とします|となる|となります)?$")
_BULLET_PREFIX = re.compile(r"^\s*(?:[・●○◆■\-*]|\d+[.)．、]|[（(]\d+[)）])\s*")
_REFERENCE = re.compile(r"[A-Za-z]{1,8}-\d+[A-Za-z]?|第\d+条(?:の\d+)?|\[\d+(?:-\d+)*\]")
_TRAILING_BRACKETS = re.compile(r"(?<=.)(?:[（(][^（）()]*[）)])+$")
_TERM = re.compile(r"[一-龥々〆ヶァ-ヴーA-Za-z0-9]{2,}")
DEFAULT_SENTENCES = 3
NOISE = 0.1  # above temperature 0, each sentence's score moves by up to this much (by the seed)
FOCUS_RELEVANT = 0.5  # a sentence is about the focus when it holds about half its words
NOT_GIVEN = "（記載なし）"
_GENERIC_COLUMNS = ("内容", "説明", "詳細", "概要", "要点", "中身")


def importance(sentence: str) -> float:
    """What a summary must keep: decisions, requests, figures and deadlines; list lead-ins count less."""
    body = _TRAILING_BRACKETS.sub("", split_end(sentence)[0])
    plain = _REFERENCE.sub("", normalise(sentence))  # 「（ACC-36）」 is a reference, not a figure
    score = 0.08 * min(2, sum(cue in sentence for cue in _CUES))
    if _DECISION.search(sentence):
        score += 0.25
    if _REQUEST_END.search(body):
        score += 0.3
    elif "必要" in sentence:
        score += 0.04
    if re.search(r"\d", plain):
        score += 0.04
        if _DEADLINE.search(plain):
            score += 0.04
    if _LIST_LEAD.search(body) or _BACKGROUND_END.search(body):
        score -= 0.12
    return score


def focus_terms(focus: str) -> list[str]:
    """The words of a focus that carry its meaning: 「異動者が着任後にすること」 → 異動者, 着任後."""
    return _TERM.findall(normalise(focus)) or ([normalise(focus)] if focus.strip() else [])


def relevance(terms: Sequence[str], sentence: str) -> float:
    """How much of the focus a sentence holds: a whole word counts 1, a word half there counts less."""
    if not terms:
        return 0.0
    text = normalise(sentence)
    total = 0.0
    for term in terms:
        if term in text:
            total += 1
        else:
            pairs = [term[i:i + 2] for i in range(len(term) - 1)]
            total += 0.5 * sum(pair in text for pair in pairs) / len(pairs) if pairs else 0
    return total / len(terms)


def score_sentences(grams: list[Counter[str]], candidates: list[str], focus: str = "") -> list[float]:
    whole: Counter[str] = Counter()
    for sentence_grams in grams:
        whole.update(sentence_grams)
    whole_norm = norm(whole)
    terms = focus_terms(focus)
    scores = []
    for index, sentence in enumerate(candidates):
        score = cosine(grams[index], whole, norm_b=whole_norm) + importance(sentence)
        if len(sentence) < 12:
            score -= 0.2
        if terms:
            score += 0.6 * relevance(terms, sentence)
        scores.append(score)
    return scores


# ---------------------------------------------------------------- what the summary must look like


@dataclass(frozen=True)
class Shape:
    count: int | None = None
    limit: int | None = None
    limit_wording: str = ""
    layout: str | None = None  # None (prose), "bullets", "lines", "sentences" or "table"
    columns: tuple[str, ...] = ()
    focus: str = ""
    style: str | None = None  # "polite", "plain" or None (as the text is)
    role: Role | None = None
    material_name: str = ""
    no_jargon: bool = False


@dataclass
class _Writer:
    """Writes chosen sentences in the requested style and layout; remembers what it had to note."""

    shape: Shape
    polite: bool
    subject: str = ""  # what the summary is about, for the viewpoint line (the focus, when it was found)
    unchanged: list[str] = field(default_factory=list)
    _styled: dict[str, str] = field(default_factory=dict)

    def styled(self, sentence: str) -> str:
        if self.shape.style is None:
            return sentence
        if sentence not in self._styled:
            result = convert_style(sentence, polite=self.shape.style == "polite")
            self.unchanged += [s for s in result.unchanged if s not in self.unchanged]
            self._styled[sentence] = result.text
        return self._styled[sentence]

    def lead(self) -> str:
        role = self.shape.role
        if role is None or self.shape.layout == "lines":
            return ""  # N行 means N lines: no line of its own for the viewpoint
        subject = self.subject or self.shape.material_name or "文章"
        return f"{role.who}として、{subject}の要点をまとめ{'ました' if self.polite else 'た'}。"

    def write(self, sentences: Sequence[str], lead: bool = True, styled: bool = False) -> str:
        items = list(sentences) if styled else [self.styled(s) for s in sentences]
        body = self._table(items) if self.shape.layout == "table" else render(items, self.shape.layout)
        first = self.lead() if lead else ""
        return f"{first}\n{body}" if first and body else body

    @property
    def _unfilled_columns(self) -> tuple[str, ...]:
        """Requested columns after the first that no sentence can fill (「対策」); a 内容 column is filled."""
        columns = self.shape.columns
        return () if len(columns) == 2 and columns[1] in _GENERIC_COLUMNS else columns[1:]

    def _table(self, items: Sequence[str]) -> str:
        columns = self.shape.columns
        if self._unfilled_columns:
            return table(columns, [[item, *[NOT_GIVEN] * len(self._unfilled_columns)] for item in items])
        labelled = [_split_label(item) for item in items]
        if columns or sum(bool(row) for row in labelled) * 2 >= len(items):
            return table(columns or ("項目", "内容"), [row or ["", item] for row, item in zip(labelled, items, strict=True)])
        return table(("No.", "要点"), [[str(number), item] for number, item in enumerate(items, start=1)])

    def notes(self, extra: Sequence[str]) -> list[str]:
        notes = list(extra)
        if self.unchanged:
            example = self.unchanged[0] if len(self.unchanged[0]) <= 30 else self.unchanged[0][:30] + "…"
            notes.append(f"文末を規則で判断できなかった {len(self.unchanged)} 文は、元のままにしています（例: 「{example}」）。")
        if self.shape.layout == "table" and self._unfilled_columns:
            empty = "」「".join(self._unfilled_columns)
            notes.append(f"「{empty}」の列は、もとの文章から選べる文がないため「{NOT_GIVEN}」としています。")
        if self.shape.no_jargon:
            notes.append("専門用語を言い換えることは、練習エンジンにはできません。文章の言葉をそのまま使っています。")
        return notes


def _split_label(item: str) -> list[str] | None:
    """「支出命令書の誤り：3月納品分を…」 → [支出命令書の誤り, 3月納品分を…]; None without a label."""
    top = top_level(item)
    for index, char in enumerate(item):
        if char in "：:" and top[index] and 2 <= index <= 30 and index < len(item) - 2:
            return [item[:index], item[index + 1:].strip()]
    return None


# ---------------------------------------------------------------- choosing the sentences


def _candidates(text: str) -> tuple[list[str], list[bool]]:
    """The sentences to choose from, and whether each is an item of a list in the text (・, -, 1.)."""
    sentences, items = [], []
    for sentence in split_sentences(text):
        bare = _BULLET_PREFIX.sub("", sentence)
        if bare and not bare.endswith(("：", ":")):
            sentences.append(bare)
            items.append(bare != sentence)
    return sentences, items


def _more_pieces(sentences: list[str], wanted: int, polite: bool) -> list[str]:
    """Split sentences at clause boundaries until there are ``wanted`` pieces (or no boundary is left)."""
    pieces = list(sentences)
    while len(pieces) < wanted:
        longest = max(range(len(pieces)), key=lambda i: len(pieces[i]), default=None)
        if longest is None:
            break
        cuts = [cut for cut in clause_cuts(pieces[longest], polite) if len(cut.left) >= 8 and len(cut.right) >= 8]
        if not cuts:
            break
        middle = len(pieces[longest]) / 2
        cut = min(cuts, key=lambda c: abs(len(c.left) - middle))
        pieces[longest:longest + 1] = [cut.left, cut.right]
    return pieces


def summarise(text: str, shape: Shape, rng: random.Random | None = None) -> str:
    """The summary of ``text`` in ``shape``; with ``rng`` (temperature above 0) the scores vary a little."""
    candidates, list_items = _candidates(text)
    if not candidates:
        return ""
    grams = [ngrams(sentence) for sentence in candidates]
    scores = score_sentences(grams, candidates, shape.focus)
    if rng is not None:
        scores = [score + rng.uniform(0, NOISE) for score in scores]
    polite = shape.style == "polite" if shape.style else is_polite_text(text)
    writer = _Writer(shape, polite)
    notes: list[str] = []

    terms = focus_terms(shape.focus)
    about = {i for i in range(len(candidates)) if terms and relevance(terms, candidates[i]) >= FOCUS_RELEVANT}
    by_score = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    rows = [i for i in range(len(candidates)) if list_items[i]]
    if shape.layout == "table" and len(rows) >= 2:
        # a table is made of the text's own list, in its order
        pool = [i for i in by_score if i in rows] if shape.count else rows
        wanted: int | None = shape.count or len(rows)
        about = about & set(pool)
    elif about and shape.count is None:
        pool = [i for i in by_score if i in about]  # only what the focus asks about
        wanted = min(DEFAULT_SENTENCES, len(pool))
    else:
        pool = [i for i in by_score if i in about] + [i for i in by_score if i not in about]
        wanted = shape.count or (None if shape.limit else min(DEFAULT_SENTENCES, len(candidates)))
        if shape.focus and not about:
            notes.append(f"「{shape.focus}」についての文が見つからなかったため、文章全体から選びました。")
    writer.subject = shape.focus if about else ""

    def in_order(chosen: Sequence[int]) -> list[str]:
        first = sorted(i for i in chosen if i in about)
        return [candidates[i] for i in first + sorted(i for i in chosen if i not in about)]

    def fits(body: str) -> bool:
        return shape.limit is None or reader_length(body) <= shape.limit

    def fit_with(lead: bool) -> Callable[[list[int]], bool]:
        if shape.limit is None:
            return lambda picked: True
        return lambda picked: fits(writer.write(in_order(picked), lead))

    with_lead = bool(writer.lead())
    chosen = _choose(pool, grams, wanted, fit_with(with_lead))
    if not chosen and with_lead:
        with_lead = False  # the viewpoint line does not fit with even one sentence
        chosen = _choose(pool, grams, wanted, fit_with(False))
    if not chosen and shape.layout == "table":
        # even one row does not fit: write sentences instead, and say so
        prose = Shape(**{**shape.__dict__, "layout": None, "columns": ()})
        body, prose_notes = split_notes(summarise(text, prose, rng))
        return with_notes(body, [f"表にすると{shape.limit_wording}に収まらないため、文で書きました。", *prose_notes])
    if not chosen:
        best = writer.styled(candidates[pool[0]])
        overhead = reader_length(writer.write(["。"], False, styled=True)) - 1
        clipped = clip_sentence(best, max((shape.limit or 40) - overhead, 2), polite)
        notes.append(f"{shape.limit_wording}に収めるため、文の途中で切りました。")
        return with_notes(writer.write([clipped], False, styled=True), writer.notes(notes))

    sentences = [writer.styled(s) for s in in_order(chosen)]
    if shape.count and len(sentences) < shape.count:
        pieces = _more_pieces(sentences, shape.count, polite)
        if fits(writer.write(pieces, with_lead, styled=True)):
            sentences = pieces
        if len(sentences) < shape.count:
            notes.append(f"もとの文章から選べる文が {len(sentences)} つだったため、{len(sentences)} 点にしました。")
    return with_notes(writer.write(sentences, with_lead, styled=True), writer.notes(notes))


def _choose(pool: Sequence[int], grams: list[Counter[str]], wanted: int | None,
            fits: Callable[[list[int]], bool]) -> list[int]:
    chosen: list[int] = []
    for index in pool:
        if wanted is not None and len(chosen) >= wanted:
            break
        if any(cosine(grams[index], grams[j]) > 0.6 for j in chosen):
            continue  # near-duplicate of a sentence already kept
        if fits([*chosen, index]):
            chosen.append(index)
    return chosen


def shape_of(prompt: Prompt) -> Shape:
    asked = prompt.asked
    layout = asked.layout.kind
    if layout is None and asked.layout.count is not None:
        layout = "bullets"
    return Shape(count=asked.layout.count, limit=asked.length.chars if asked.length else None,
                 limit_wording=str(asked.length) if asked.length else "", layout=layout,
                 columns=asked.layout.columns, focus=asked.focus, style=asked.style, role=asked.role,
                 material_name=asked.material_name, no_jargon=asked.no_jargon)


def run(prompt: Prompt) -> str:
    if not prompt.material:
        return ("要約する文章が見当たりません。「以下の文章を要約してください。」と書いた後に、"
                "改行して文章を貼り付けてください。")
    return summarise(prompt.material, shape_of(prompt), prompt.rng)
