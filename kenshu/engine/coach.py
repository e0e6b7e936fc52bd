"""The prompt coach: the engine's reply to any request it has no task for.

It says plainly that it is the offline practice engine, answers no factual
question, and checks the prompt against the course checklist.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kenshu.safety import LABELS, PUBLIC_KINDS, find_pii

HEADER = "【オフライン練習エンジン】"
DISCLAIMER = (
    "これは研修用の練習エンジンです。インターネット上の生成AIにはつながっていません。"
    "事実の知識を持たないため、質問そのものには答えません。"
)

PERSONAL_DATA = "個人情報を含まない"


@dataclass(frozen=True)
class Criterion:
    name: str
    advice: str | Callable[[str, str], str]   # fixed, or written from the prompt
    met: Callable[[str, str], bool]

    def advice_for(self, prompt: str, system: str) -> str:
        return self.advice if isinstance(self.advice, str) else self.advice(prompt, system)


def _has_any(text: str, words: Sequence[str]) -> bool:
    return any(word in text for word in words)


def _role(prompt: str, system: str) -> bool:
    return bool(system.strip()) or _has_any(prompt, ("あなたは", "として", "の立場で", "役割"))


def _purpose(prompt: str, system: str) -> bool:
    return _has_any(prompt, ("ため", "目的", "背景", "ので", "予定です", "に使います"))


def _input(prompt: str, system: str) -> bool:
    """Material to work on: a long quotation, a fenced block, or lines after the request."""
    if re.search(r"「[^」]{20,}」", prompt) or "```" in prompt or len(prompt) >= 200:
        return True
    later_lines = [line for line in prompt.splitlines()[1:] if line.strip()]
    return any(len(line.strip()) >= 10 for line in later_lines) or bool(re.search(r"[:：]\s*\S{15,}", prompt))


def _format(prompt: str, system: str) -> bool:
    words = ("箇条書き", "表で", "表形式", "字以内", "文字以内", "字程度", "形式", "JSON", "見出し",
             "点で", "項目", "で出力", "でまとめ", "行で", "段落")
    return _has_any(prompt + system, words)


def _constraints(prompt: str, system: str) -> bool:
    words = ("以内", "ただし", "しないで", "しないこと", "ないでください", "必ず", "注意", "禁止",
             "です・ます", "である調", "敬語", "対象は", "わかりやすく", "平易")
    return _has_any(prompt + system, words)


def _personal_data(prompt: str, system: str) -> dict[str, int]:
    """Kind -> count in order of first appearance, by the kit's one detector (public identifiers left out)."""
    spans = [span for text in (system, prompt) for span in find_pii(text) if span.kind not in PUBLIC_KINDS]
    return dict(Counter(span.kind for span in spans))


def _no_personal_data(prompt: str, system: str) -> bool:
    return not _personal_data(prompt, system)


def _personal_data_advice(prompt: str, system: str) -> str:
    counts = _personal_data(prompt, system)
    kinds = "・".join(LABELS[kind] for kind in counts)
    found = "、".join(f"{LABELS[kind]} {count} 件" for kind, count in counts.items())
    return (f"{kinds}が含まれています（{found}）。送る前に、「［氏名1］」のような記号か、"
            "架空の値に置き換えましょう。")


CHECKLIST: tuple[Criterion, ...] = (
    Criterion("役割", "冒頭に「あなたは〇〇市の△△担当です。」と役割を書きましょう。", _role),
    Criterion("目的・背景", "何のために使う文章か（例:「窓口で配る案内を作るため」）を一文加えましょう。", _purpose),
    Criterion("入力", "もとになる文章やデータを「以下の文章」などと示して貼り付けましょう。", _input),
    Criterion("出力形式", "「箇条書き3点で」「200字以内で」など、ほしい形を指定しましょう。", _format),
    Criterion("条件・制約", "「です・ます調で」「専門用語は使わない」など、守ってほしい条件を書きましょう。", _constraints),
    Criterion(PERSONAL_DATA, _personal_data_advice, _no_personal_data),
)


def assess(prompt: str, system: str = "") -> list[tuple[Criterion, bool]]:
    return [(criterion, criterion.met(prompt, system)) for criterion in CHECKLIST]


def checklist(prompt: str, system: str = "") -> str:
    """The checklist verdict for a prompt, with the next improvement (or a word of praise)."""
    results = assess(prompt, system)
    lines = [f"{'✓' if ok else '✗'} {criterion.name}" for criterion, ok in results]
    missing = [criterion for criterion, ok in results if not ok]
    lines.append(f"チェックリストの {len(results)} 項目中 {len(results) - len(missing)} 項目を満たしています。")
    if missing:
        # personal data first: it is the one that must be fixed before sending
        first = missing[-1] if missing[-1].name == PERSONAL_DATA else missing[0]
        lines.append(f"次の改善: {first.advice_for(prompt, system)}")
    else:
        lines.append("依頼文の要素はそろっています（決まった言葉があるかだけを見ています）。返答が依頼どおりかは、返答を読んで確かめてください。")
    return "\n".join(lines)


def coach_reply(prompt: str, system: str = "") -> str:
    if not prompt.strip():
        return f"{HEADER}\n{DISCLAIMER}\nプロンプトが空です。依頼したいことを書いてから送ってください。"
    intro = "代わりに、いただいたプロンプトを研修のチェックリストで確認しました。"
    return "\n".join([HEADER, DISCLAIMER, intro, checklist(prompt, system)])
