"""Answer a question from context given in the prompt, citing the context's ids, or say it is not there.

Context passages carry ids as ``[ID] 本文``, ``【ID】本文``, ``ID: 本文`` or a heading
``## ID 見出し``. The answer is the best-supported sentences, never anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.prompt import Prompt
from kenshu.engine.text import coverage, ngrams, normalise

_ID = r"[A-Za-z]{0,8}[-_]?\d+(?:[-.]\d+)*|[A-Za-z]+-[A-Za-z0-9]+"
_PASSAGE_START = re.compile(
    rf"^\s*(?:\[(?P<a>{_ID})\]|【(?P<b>{_ID})】|(?P<c>{_ID})\s*[:：]|#+\s*(?P<d>{_ID})[\s.．]|"
    rf"(?:id|ID)\s*[:=]\s*(?P<e>{_ID}))\s*", re.M)
_QUESTION_LABEL = re.compile(r"(?:質問|問い|問合せ|問い合わせ|Q)\s*[:：]\s*(.+)")
# question words that say nothing about the topic
_QUESTION_NOISE = re.compile(r"(ですか|ますか|でしょうか|教えてください|教えて|ください|について|どう|何|いつ|どこ|だれ|誰|どの|[?？。、])")
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
        found.append(Passage(source_id, context[match.end():end].strip()))
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


def run(prompt: Prompt) -> str:
    found = passages(context_of(prompt))
    if not found:
        return "答えの根拠にする資料が見当たりません。資料を貼り付けてから質問してください。"
    ranked = best_support(question_of(prompt), found)
    if not ranked or ranked[0][0] < SUPPORT_THRESHOLD:
        return NOT_FOUND
    best_score = ranked[0][0]
    kept = [item for item in ranked[:2] if item[0] >= max(SUPPORT_THRESHOLD, best_score * 0.8)]
    lines = [sentence for _, sentence, _ in kept]
    ids = list(dict.fromkeys(source for _, _, source in kept if source))
    answer = "".join(line if line.endswith(("。", "．", ".")) else f"{line}。" for line in lines)
    return f"{answer}（出典: {'、'.join(ids)}）" if ids else answer
