"""Extractive summary: score the given text's sentences, keep the best within the asked length."""

from __future__ import annotations

import re
from collections import Counter

from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.prompt import Prompt
from kenshu.engine.text import cosine, coverage, ngrams, norm

# words that mark decisions and next steps, which a summary of a record must keep
_CUES = ("決定", "決ま", "承認", "了承", "合意", "方針", "結論", "今後", "予定", "課題", "期限", "までに", "依頼", "確認した")
_FOCUS = re.compile(r"([^\s、。「」]{2,12})(?:について|に関して|に関する|を中心に|に絞って)")
_BULLET_PREFIX = re.compile(r"^\s*(?:[・●○◆■\-*]|\d+[.)．、]|[（(]\d+[)）])\s*")
DEFAULT_SENTENCES = 3


def score_sentences(grams: list[Counter[str]], candidates: list[str], focus: str = "") -> list[float]:
    whole: Counter[str] = Counter()
    for sentence_grams in grams:
        whole.update(sentence_grams)
    whole_norm = norm(whole)
    focus_grams = ngrams(focus) if focus else None
    scores = []
    for index, sentence in enumerate(candidates):
        score = cosine(grams[index], whole, norm_b=whole_norm)
        score += 0.08 * sum(cue in sentence for cue in _CUES)
        if index == 0:
            score += 0.05
        if len(sentence) < 12:
            score -= 0.2
        if focus_grams:
            score += 0.6 * coverage(focus_grams, grams[index])
        scores.append(score)
    return scores


def _clip(sentence: str, limit: int) -> str:
    """Cut a sentence at the last clause boundary that fits, ending it with 。."""
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(mark, 0, limit) for mark in ("、", "，", " "))
    body = sentence[:cut] if cut > 0 else sentence[:max(limit - 1, 1)]
    return body.rstrip("、， ") + "。"


def summarise(text: str, *, count: int | None = None, char_limit: int | None = None, bullets: bool = False,
              focus: str = "", noise: list[float] | None = None) -> str:
    candidates = [_BULLET_PREFIX.sub("", s) for s in split_sentences(text)]
    candidates = [s for s in candidates if s and not s.endswith(("：", ":"))]
    if not candidates:
        return ""
    grams = [ngrams(sentence) for sentence in candidates]
    scores = score_sentences(grams, candidates, focus)
    if noise:
        scores = [s + n for s, n in zip(scores, noise, strict=False)]
    wanted = count or (None if char_limit else min(DEFAULT_SENTENCES, len(candidates)))
    chosen: list[int] = []
    used = 0
    for index in sorted(range(len(candidates)), key=lambda i: (-scores[i], i)):
        if wanted is not None and len(chosen) >= wanted:
            break
        if any(cosine(grams[index], grams[j]) > 0.6 for j in chosen):
            continue  # near-duplicate of a sentence already kept
        cost = len(candidates[index]) + (1 if bullets else 0)  # 字数 counts the ・ but not line breaks
        if char_limit is not None and used + cost > char_limit:
            continue
        chosen.append(index)
        used += cost
    if not chosen:
        best = max(range(len(candidates)), key=lambda i: (scores[i], -i))
        clipped = _clip(candidates[best], (char_limit or 40) - (1 if bullets else 0))
        return f"・{clipped}" if bullets else clipped
    kept = [candidates[i] for i in sorted(chosen)]
    return "\n".join(f"・{s}" for s in kept) if bullets else "".join(kept)


def run(prompt: Prompt) -> str:
    if not prompt.material:
        return ("要約する文章が見当たりません。「以下の文章を要約してください。」と書いた後に、"
                "改行して文章を貼り付けてください。")
    focus = _FOCUS.search(prompt.request)
    count = prompt.bullet_count
    noise = None
    if prompt.rng is not None:
        noise = [prompt.rng.uniform(0, 0.06) for _ in split_sentences(prompt.material)]
    return summarise(prompt.material, count=count, char_limit=prompt.char_limit,
                     bullets=prompt.wants_bullets or count is not None,
                     focus=focus.group(1) if focus else "", noise=noise)
