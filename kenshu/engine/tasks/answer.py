"""Answer a question from context given in the prompt, citing the context's ids, or say it is not there.

Context passages carry ids as ``[ID] 本文``, ``【ID】本文``, ``ID: 本文`` or a heading
``## ID 見出し``. The answer is the best-supported sentences, never anything else.
A question for an amount (いくら, 何円, 上限額, 金額) is answered with the sentence that states the
amount, and a question for a date (いつ) with the one that states the date; a list item is given
with the sentence that leads into its list (and 「ただし…」 with the sentence it qualifies). The best
line of each section that supports the question is given (two at most), each cited with its own id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kenshu.engine.fields import find_amounts, find_dates
from kenshu.engine.japanese.sentences import BULLET, split_sentences
from kenshu.engine.prompt import Prompt
from kenshu.engine.text import coverage, ngrams, normalise

_ID = r"[A-Za-z]{0,8}[-_]?\d+(?:[-.]\d+)*|[A-Za-z]+-[A-Za-z0-9]+"
_PASSAGE_START = re.compile(
    rf"^\s*(?:\[(?P<a>{_ID})\]|【(?P<b>{_ID})】|(?P<c>{_ID})\s*[:：]|#+\s*(?P<d>{_ID})[\s.．]|"
    rf"(?:id|ID)\s*[:=]\s*(?P<e>{_ID}))\s*", re.M)
_QUESTION_LABEL = re.compile(r"(?:質問|問い|問合せ|問い合わせ|Q)\s*[:：]\s*(.+)")
# question words that say nothing about the topic
_QUESTION_NOISE = re.compile(r"(ですか|ますか|でしょうか|教えてください|教えて|ください|について|どう|何|いつ|どこ|だれ|誰|どの|[?？。、])")
_AMOUNT_QUESTION = re.compile(r"いくら|何円|幾ら|上限額|下限額|限度額|金額|費用|料金|手数料|単価|額は")
_DATE_QUESTION = re.compile(r"いつ|何月何日|何日から|何日まで|日付|期日")
_DAY_WORDS = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|(?:令和|平成)\s*(?:\d{1,2}|元)\s*年|\d{4}\s*年")
SUPPORT_THRESHOLD = 0.34
NOT_FOUND = "資料には、この質問に答える記述が見つかりませんでした。資料を追加するか、担当課に確認してください。"


@dataclass(frozen=True)
class Passage:
    source_id: str | None
    text: str


def passages(context: str) -> list[Passage]:
    starts = list(_PASSAGE_START.finditer(context))
    if not starts:
        return [Passage(None, context.strip())] if context.strip() else []
    found = []
    for match, following in zip(starts, [*starts[1:], None], strict=True):
        source_id = next(group for group in match.groupdict().values() if group)
        end = following.start() if following else len(context)
        text = context[match.end():end]
        if match.group("d"):  # 「## ACC-12 資金前渡の精算」: the rest of the heading line is a title, not a sentence
            text = text.partition("\n")[2]
        found.append(Passage(source_id, text.strip()))
    return found


def question_of(prompt: Prompt) -> str:
    labelled = _QUESTION_LABEL.search(prompt.user)
    if labelled:
        return labelled.group(1).strip()
    questions = [s for s in split_sentences(prompt.instruction) if s.endswith(("？", "?", "か。", "か"))]
    return questions[-1] if questions else prompt.instruction


def context_of(prompt: Prompt) -> str:
    """The context without the question line, from the material or the system message."""
    context = prompt.material or prompt.system
    return _QUESTION_LABEL.sub("", context)


def best_support(question: str, found: list[Passage]) -> list[tuple[float, str, str | None]]:
    query = ngrams(_QUESTION_NOISE.sub(" ", normalise(question)))
    scored = []
    for passage in found:
        for sentence in split_sentences(passage.text):
            scored.append((coverage(query, ngrams(sentence)), sentence, passage.source_id))
    return sorted(scored, key=lambda item: -item[0])


@dataclass(frozen=True)
class Line:
    text: str
    source_id: str | None
    lead_in: str | None  # for a list item, the sentence before its list; for 「ただし…」, the one before it


def _lines(found: list[Passage]) -> list[Line]:
    lines = []
    for passage in found:
        lead = None
        for sentence in split_sentences(passage.text):
            item = BULLET.match(sentence)
            bare = BULLET.sub("", sentence)
            follows = bool(item) or bare.startswith(("ただし", "但し"))  # read with the sentence before it
            lines.append(Line(bare, passage.source_id, lead if follows else None))
            if not item:
                lead = bare
    return lines


def _has_kind(text: str, kind: str) -> bool:
    if kind == "amount":
        return bool(find_amounts(text))
    return bool(find_dates(text, default_year=2000) or _DAY_WORDS.search(normalise(text)))


def _typed_answer(question: str, found: list[Passage], kind: str) -> str | None:
    """The sentences that state the amount (or date) asked about, each with its id; None if none is supported.

    A list item is read with the sentence that leads into its list (「上限を次のとおり…」), so both
    together must support the question as well as an ordinary answer must.
    """
    asked = (_AMOUNT_QUESTION if kind == "amount" else _DATE_QUESTION).sub(" ", normalise(question))
    query = ngrams(_QUESTION_NOISE.sub(" ", asked))  # 「いくら」「いつ」 never appear in the answer
    scored = []
    for position, line in enumerate(_lines(found)):
        if _has_kind(line.text, kind):
            support = coverage(query, ngrams(f"{line.lead_in or ''}{line.text}"))
            scored.append((support, support + coverage(query, ngrams(line.text)), position, line))
    best_of: dict[str | None, tuple[float, float, int, Line]] = {}
    for item in sorted(scored, key=lambda item: -item[1]):
        best_of.setdefault(item[3].source_id, item)  # one line a section: the best one
    best_two = sorted((item for item in best_of.values() if item[0] >= SUPPORT_THRESHOLD), key=lambda item: -item[1])[:2]
    kept = [item[3] for item in sorted(best_two, key=lambda item: item[2])]  # in the order of the context
    if not kept:
        return None
    parts = []
    for line in kept:
        text = "".join(_sentence(part) for part in (line.lead_in, line.text) if part)
        parts.append(f"{text}（出典: {line.source_id}）" if line.source_id else text)
    return "".join(parts)


def _sentence(text: str) -> str:
    return text if text.endswith(("。", "．", ".")) else f"{text}。"


def run(prompt: Prompt) -> str:
    found = passages(context_of(prompt))
    if not found:
        return "答えの根拠にする資料が見当たりません。資料を貼り付けてから質問してください。"
    question = question_of(prompt)
    for kind, pattern in (("amount", _AMOUNT_QUESTION), ("date", _DATE_QUESTION)):
        if pattern.search(question):
            typed = _typed_answer(question, found, kind)
            if typed:
                return typed
    ranked = best_support(question, found)
    if not ranked or ranked[0][0] < SUPPORT_THRESHOLD:
        return NOT_FOUND
    best_score = ranked[0][0]
    kept = [item for item in ranked[:2] if item[0] >= max(SUPPORT_THRESHOLD, best_score * 0.8)]
    lines = [BULLET.sub("", sentence) for _, sentence, _ in kept]  # 「- その他：100万円」 without its bullet
    ids = list(dict.fromkeys(source for _, _, source in kept if source))
    answer = "".join(_sentence(line) for line in lines)
    return f"{answer}（出典: {'、'.join(ids)}）" if ids else answer
