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

import calendar
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from kenshu.engine.instructions import Role
from kenshu.engine.japanese.clauses import clause_cuts
from kenshu.engine.japanese.length import clip_sentence, is_polite_text, reader_length
from kenshu.engine.japanese.sentences import BULLET, split_end, split_sentences, top_level
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
        bare = BULLET.sub("", sentence)
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
    if is_minutes(prompt.material):
        if wants_actions(prompt.request):
            return actions_table(prompt.material)
        return minutes_summary(prompt.material, shape_of(prompt), prompt.rng)
    return summarise(prompt.material, shape_of(prompt), prompt.rng)


# ---------------------------------------------------------------- meeting records (会議録)

_SPEAKER = re.compile(r"^[○◯〇]\s*([^\s　（(]+)(?:[（(]([^）)]*)[）)])?[ \t　]+", re.M)
# a surname may arrive masked as ［氏名1］ (the gateway masks personal data before the engine sees it)
_ATTENDEE = re.compile(r"^\s*-\s*(?:座長|議長|副?会長|委員長|事務局)?[　 ]*([一-龥々ヶ]+|［[^］]+］)[ 　]+[一-龥々ぁ-んァ-ヴー]+[（(]([^）)]*)[）)]", re.M)
_ORG = re.compile(r"[一-龥々ヶァ-ヴー]{1,12}?(?:株式会社|課|部|室|局|係|協会|会議)(?:長)?")
_ORG_ACTOR = re.compile(r"((?:[一-龥々ヶァ-ヴー]{1,12}?(?:株式会社|課|部|室|局|係)|事務局)(?:長)?(?:と[一-龥々ヶァ-ヴー]{1,12}?(?:課|部|室|局))?)"
                        r"(?:名|内)?(?:で|が|から|として|にて)(?!は)")
_GREETING = re.compile(r"ありがとう|お忙しい|お集まり|承知しました|^.{0,24}お願い(?:いた)?します。$|ご覧ください|開会|閉会|"
                       r"定刻|^(?:はい)[、。]|^最後に、|^.{0,16}と思います。$|でしょうか。$|ですか。$|ますか。$|ませんか。$|[?？]$")
_RECAP = re.compile(r"^(?:最後に、)?(?:本日の)?(?:決定事項|宿題)(?:は|と宿題|を)")
_TASK = re.compile(r"(?:作成|送付|周知|提出|実施|検討|準備|追記|掲載|開催|確認|設け|お返し|お渡し|発出|添付|報告|公表|行う)"
                   r"(?:し|いた|する|します|いたします|してください|を|ます)|こととし|とします|とする|を了承|禁止する|"
                   r"行うということ|出していただ")
_TASK_END = re.compile(r"(?:します|いたします|ください|とする|禁止する|発出する|を了承|設けます|"
                       r"までに[^。]*ということでよろしいですね)$")  # the chair's 「…までに行うということでよろしいですね」
_INTENT_END = re.compile(r"(?:設け|開催し|実施し|作成し|開始し|行い|協議し)たいと考えて(?:おり|い)ます$")
_DECIDED = re.compile(r"こととし|とします|とする|を了承|決定")
_TRAILING_CHECK = re.compile(r"という?ことでよろしいですね$")
_NOT_TASK_END = re.compile(r"(?:ています|ております|思います|考えています|予定です|可能です|ありません)$")
_DATE = re.compile(r"(?:令和(\d+)年)?(\d{1,2})月(?:(\d{1,2})日|(末|中|下旬))")
MINUTES_NOTE = "会議録の発言から文を選んで並べました（要約文を新しく書いてはいません）。発言者名とあいさつは除いています。"
ACTIONS_NOTE = ("会議録の発言から、決定や依頼を表す文を選んで並べました。担当は文中の課名か発言者の所属、"
                "期限は文中の日付から規則で読み取ったものです。出席した人が必ず確かめてください。")
_ACTIONS_ASKED = re.compile(r"決定事項|宿題|アクションアイテム|誰が|担当|期限|いつまでに")


@dataclass(frozen=True)
class ActionItem:
    kind: str  # 決定事項 or 宿題
    text: str
    owner: str
    due: str  # ISO date, or "" when the record gives none


def is_minutes(text: str) -> bool:
    """A meeting record: at least three remarks that start with a speaker mark 「○松井座長」."""
    return len(_SPEAKER.findall(text)) >= 3


def _year(text: str) -> int:
    found = re.search(r"開催日時[^\n]*?令和(\d+)年", text) or re.search(r"令和(\d+)年", text)
    return 2018 + int(found.group(1)) if found else 2025


@dataclass(frozen=True)
class _Remark:
    speaker: str  # the label's name, 「高瀬議長」
    department: str
    text: str
    agreed: bool = False  # followed by 「（「異議なし」の声あり）」


_AGREED = re.compile(r"^[（(][「『]?異議なし")
_ACCEPT = re.compile(r"^(?:はい[、。])?(?:承知(?:しました|いたしました)|わかりました|了解(?:しました|いたしました)|かしこまりました)")


def _remarks(text: str) -> list[_Remark]:
    departments = {name: _department(where) for name, where in _ATTENDEE.findall(text)}
    labelled: dict[str, str] = {}
    result: list[_Remark] = []
    current, speaker = "", ""
    for line in text.splitlines():
        label = _SPEAKER.match(line)
        if label:
            name, where = label.group(1), label.group(2) or ""
            speaker = name
            current = (_department(where) or next((d for n, d in departments.items() if name.startswith(n)), "")
                       or labelled.get(name, ""))
            if current:
                labelled.setdefault(name, current)  # a later 「○中川委員」 (or masked 「○［氏名2］委員」) is the same person
            line = line[label.end():]
        elif result and _AGREED.match(line.strip()):
            last = result[-1]
            result[-1] = _Remark(last.speaker, last.department, last.text, agreed=True)
            continue
        elif not result or not line.startswith("　"):
            continue  # before the first remark (the attendee list), headings, notes 「（午後4時50分 閉会）」
        if line.strip():
            result.append(_Remark(speaker, current, line.strip()))
    return result


def remarks(text: str) -> list[tuple[str, str]]:
    """(speaker's department, remark) for every remark of the record, the speaker label removed."""
    return [(r.department, r.text) for r in _remarks(text)]


def _department(where: str) -> str:
    """「会計課 審査係長」 → 会計課審査係; 「財政課長」 → 財政課; 「会計管理者」 → ''."""
    where = re.split(r"兼", where)[-1]  # 「会計管理者 兼 会計課長」 → 会計課
    parts = [m.group(0) for m in _ORG.finditer(where.replace(" ", "").replace("　", ""))]
    if not parts:
        return ""
    joined = "".join(parts)
    return re.sub(r"(課|部|室|局|係)長$", r"\1", joined)


def _linked(sentence: str) -> str:
    return re.sub(r"^(?:それでは|では|また|なお)、", "", sentence)  # a link word, not content


def _carries_content(sentence: str) -> bool:
    return len(sentence) >= 16 and not _GREETING.search(sentence)


def minutes_sentences(text: str) -> list[tuple[str, str]]:
    """(department, sentence) for the sentences that carry content: no greetings, questions or recap lead-ins."""
    return [(department, sentence) for department, remark in remarks(text)
            for sentence in map(_linked, split_sentences(remark)) if _carries_content(sentence)]


def minutes_summary(text: str, shape: Shape, rng: random.Random | None = None) -> str:
    sentences = [s for _, s in minutes_sentences(text)]
    body, notes = split_notes(summarise("\n".join(sentences), shape, rng))
    return with_notes(body, [MINUTES_NOTE, *notes])


def _due(sentence: str, year: int) -> str:
    found = _DATE.search(sentence)
    if not found:
        return ""
    era, month, day, part = found.groups()
    y, m = (2018 + int(era) if era else year), int(month)
    if day:
        return f"{y:04d}-{m:02d}-{int(day):02d}"
    if part in ("末", "中", "下旬"):

        return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
    return ""


def _secretariat(text: str) -> str:
    """The department that runs the meeting: 「○佐伯事務局（デジタル推進課長）」 → デジタル推進課."""
    for label in _SPEAKER.finditer(text):
        if "事務局" in label.group(1) and _department(label.group(2) or ""):
            return _department(label.group(2) or "")
    return ""


def _meeting(text: str) -> str:
    """「# 若葉市地域公共交通会議（第3回）会議録」 → 若葉市地域公共交通会議 (the body that decides 「本会議として」)."""
    title = re.search(r"^#\s*(?:令和\S+?年度\s*)?(?:第\d+回\s*)?(\S+?会議)", text, re.M)
    return title.group(1) if title else ""


def _next_meeting_due(text: str, year: int) -> str:
    """The date of the next meeting when the record gives one: 「3月26日開催予定の第4回会議」."""
    found = (re.search(r"(\d{1,2}月\d{1,2}日)(?:（.）)?(?:に)?開催(?:予定)?の第\d+回", text)
             or re.search(r"次回[^。]*?(\d{1,2}月\d{1,2}日)", text))  # 「6月下旬に開催したい」 is no deadline
    return _due(found.group(1), year) if found else ""


def _as_decision(sentence: str) -> str | None:
    """A chair's proposal that the meeting agreed to: 「…を了承したいと思いますが、いかがでしょうか」 → 「…を了承する」."""
    found = re.match(r"^(.+?(?:了承|決定|承認))(?:したいと思いますが|することとして|して)、?(?:いかがでしょうか|よろしいでしょうか)。?$",
                     sentence)
    return f"{found.group(1)}する" if found else None


def _is_task(sentence: str) -> bool:
    end = split_end(sentence)[0].rstrip("。")
    if _RECAP.search(sentence):
        return False
    if _INTENT_END.search(end):
        return bool(_DATE.search(sentence))  # 「4月中に…協議の場を設けたいと考えております」 is a commitment
    return bool(_TASK.search(sentence)) and bool(_TASK_END.search(end)) and not _NOT_TASK_END.search(end)


def _is_request(sentence: str) -> bool:
    """Asked of others or decided for them, not the speaker's own 「…いたします」."""
    return bool(re.search(r"(?:ください|こととし(?:ます)?|とします|とする|お願いします|いただく)", sentence))


def action_items(text: str) -> list[ActionItem]:
    """The decisions and tasks of a meeting record, read by rule from its remarks.

    The owner is the actor the sentence names (「総務課で」), else the one who accepts a request in the next
    remark (「承知しました」), else the speaker's department, else the 事務局. A deadline given in the reply
    (「承知しました。5月23日までに発出します」) completes the request; 「次回の会議で」 is the next meeting's date.
    """
    year = _year(text)
    secretariat, meeting, next_meeting = _secretariat(text), _meeting(text), _next_meeting_due(text, year)
    said = _remarks(text)
    items: list[ActionItem] = []
    for index, remark in enumerate(said):
        reply = next((r for r in said[index + 1:] if r.speaker != remark.speaker), None)
        accepted_by = reply.department if reply and _ACCEPT.match(reply.text) else ""
        accepting = bool(_ACCEPT.match(remark.text))
        for position, sentence in enumerate(map(_linked, split_sentences(remark.text))):
            decision = _as_decision(sentence) if remark.agreed else None
            sentence = decision or sentence
            if not decision and not (_carries_content(sentence) and _is_task(sentence)):
                continue
            due = _due(sentence, year)
            if not due and next_meeting and re.search(r"次回(?:の)?(?:会議|会合)", remark.text):
                due = next_meeting
            if accepting and position <= 1 and due and items and not items[-1].due \
                    and len(_DATE.sub("", sentence)) <= 20:
                items[-1] = replace(items[-1], due=due)  # 「今週中、5月23日までに発出します」 completes the request
                continue
            items.append(ActionItem("決定事項" if decision or _DECIDED.search(sentence) else "宿題",
                                    _TRAILING_CHECK.sub("", sentence.rstrip("。")),
                                    _owner(sentence, remark, accepted_by, secretariat, meeting) or "（記載なし）", due))
    return items


def _owner(sentence: str, remark: _Remark, accepted_by: str, secretariat: str, meeting: str) -> str:
    actor = _ORG_ACTOR.search(sentence)
    if actor:
        owner = actor.group(1)
    elif meeting and re.search(r"本会議として", sentence):
        owner = meeting
    elif _is_request(sentence) and remark.department and re.search(f"{re.escape(remark.department)}(?:へ|に)", sentence) \
            and "各課" in sentence:
        owner = "各課"  # the 事務局 asks 「各課…デジタル推進課へ提出してください」: the 各課 do it
    elif asked := re.search(f"({_ORG.pattern})に(?:も)?[^、。]*?ていただく", sentence):
        owner = asked.group(1)  # 「福祉総務課にも参加していただく」: the one asked does it
    elif _is_request(sentence) and accepted_by:
        owner = accepted_by
    else:
        owner = remark.department or secretariat  # the chair's decisions go to the 事務局
    owner = secretariat if owner == "事務局" and secretariat else owner
    return re.sub(r"(課|部|室|局)長$", r"\1", owner).replace("と", "・") if owner else ""


def actions_table(text: str) -> str:
    items = action_items(text)
    if not items:
        return with_notes("決定や依頼を表す文が見つかりませんでした。", [ACTIONS_NOTE])
    rows = [[item.kind, item.owner, item.text, item.due or "（記載なし）"] for item in items]
    return with_notes(table(("区分", "担当", "内容", "期限"), rows), [ACTIONS_NOTE])


def wants_actions(request: str) -> bool:
    """A request for the decisions and tasks themselves, not a summary that keeps them."""
    return bool(_ACTIONS_ASKED.search(request)) and not re.search(r"要約|要点|短く|概要", request)


@dataclass(frozen=True)
class ActionMatch:
    reference: ActionItem
    found: ActionItem | None  # the engine's item whose text covers half the reference's words, or None
    owner_ok: bool
    due_ok: bool


def _bigrams(text: str) -> set[str]:
    plain = re.sub(r"[、。，．・\s]", "", normalise(text))
    return {plain[i:i + 2] for i in range(len(plain) - 1)}


def text_overlap(reference: str, candidate: str) -> float:
    """How much two texts share, 0–1: two-character pieces in common over their mean count (Dice).

    Symmetric, so a shorter paraphrase (「試作版を作成する」) of a long reference phrase still scores."""
    wanted, given = _bigrams(reference), _bigrams(candidate)
    return 2 * len(wanted & given) / (len(wanted) + len(given)) if wanted and given else 0.0


def owner_matches(reference: str, candidate: str) -> bool:
    """Every department of 「会計課・人事課」 is named in the candidate (or the candidate in it)."""
    reference, candidate = (re.sub(r"^各\S*?課$", "各課", name) for name in (reference, candidate))  # 各試行課 = 各課
    parts = [part for part in re.split(r"[・、]", reference) if part]
    return bool(parts) and (all(part in candidate for part in parts) or (bool(candidate) and candidate in reference))


def match_actions(reference: Sequence[ActionItem], items: Sequence[ActionItem],
                  threshold: float = 0.4) -> list[ActionMatch]:
    """For each reference item, the item with the most overlapping text (Dice ≥ threshold) and its checks."""
    matches = []
    for ref in reference:
        scored = [(text_overlap(ref.text, item.text), index) for index, item in enumerate(items)]
        best = max(scored, default=(0.0, -1))
        found = items[best[1]] if best[0] >= threshold else None
        matches.append(ActionMatch(ref, found, bool(found) and owner_matches(ref.owner, found.owner),
                                   bool(found) and (found.due == ref.due)))
    return matches


def action_recall(matches: Sequence[ActionMatch]) -> float:
    """Text, owner and due each count one point per reference item."""
    if not matches:
        return 0.0
    return sum((m.found is not None) + m.owner_ok + m.due_ok for m in matches) / (3 * len(matches))
