"""Draft a notice, an email or a greeting letter from a template, filling slots from the prompt.

The slots (件名, 宛先, 差出人, 日時, 場所, 内容, 持ち物, 締切, 問い合わせ先) are filled only from
what the prompt says: labelled lines (「日時: …」「場所：…」), labels inside sentences
(「場所は市民会館です」), dates and times (令和7年4月1日, 4月1日（火）, 14時, 14:00), places
followed by で/にて, 「〜を持参」, 「〜課から」「あなたは〇〇課の職員です」, 内線 and phone numbers.
A slot the prompt does not fill is written 【要確認】 and listed on the last line; nothing is invented.
Facts may stand in brackets or between commas (「防災訓練（10月3日 10時、本庁舎）」); a day without a
calendar date (「来月から」) is kept as written and only its exact date is asked for.

A notice is a 記書き form when the prompt lists its items, and a short notice (title, sentences made
from the facts given, contact, closing) when lines (「3行で」) or a length (「200字以内」) are asked for, when
the request is short, or when the prompt says what to tell in sentences. A length is never exceeded:
the least needed lines are left out first and the reply's note says so; the requested style is applied
to what is written (``japanese.style``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kenshu.engine.instructions import read_role
from kenshu.engine.japanese.length import fit_length, reader_length
from kenshu.engine.japanese.sentences import split_sentences
from kenshu.engine.japanese.style import convert_style
from kenshu.engine.notes import split_notes, with_notes
from kenshu.engine.prompt import Prompt

MISSING = "【要確認】"

# ---------------------------------------------------------------- what the prompt says

_LABELS: dict[str, tuple[str, ...]] = {
    "件名": ("件名", "タイトル", "題名", "表題", "標題"),
    "宛先": ("宛先", "あて先", "宛て先", "宛名", "あて名", "送付先", "送り先"),
    "差出人": ("差出人", "差し出し人", "送信者", "発信者", "発信元", "担当課", "所管課", "担当部署", "所属", "担当"),
    "担当者": ("担当者", "担当職員"),
    "日時": ("開催日時", "日時", "日程", "開催日", "実施日", "日付", "期日", "時間"),
    "場所": ("開催場所", "集合場所", "実施場所", "場所", "会場"),
    "内容": ("内容", "概要", "用件", "趣旨", "議題", "テーマ", "目的"),
    "持ち物": ("持ち物", "持参物", "持参するもの", "持参品", "必要なもの", "必要書類"),
    "締切": ("申込締切", "申込期限", "申し込み締め切り", "提出期限", "回答期限", "締め切り", "締切", "〆切", "期限"),
    "問い合わせ先": ("お問い合わせ先", "問い合わせ先", "問合せ先", "お問い合わせ", "問い合わせ", "問合せ", "連絡先"),
    "対象": ("対象者", "対象"),
}
_LABEL_OF = {word: slot for slot, words in _LABELS.items() for word in words}
_ANY_LABEL = "|".join(sorted(_LABEL_OF, key=len, reverse=True))
_LABELLED = re.compile(
    rf"(?:^|(?<=[。、\n「]))[ \t　]*(?:[・●○■◆□\-*＊>＞#＃]|\d+[.．)）]|[（(]\d+[)）])?[ \t　]*"
    rf"(?P<label>{_ANY_LABEL})[ \t　]*(?:[:：＝=]|は)[ \t　]*(?P<value>[^\n]*)", re.M)
_NEXT_LABEL = re.compile(rf"[。、]\s*(?:{_ANY_LABEL})\s*(?:[:：]|は)")
_VALUE_TAIL = re.compile(r"(?:です|となります|になります|とします|でお願いします|でお願いいたします|"
                         r"とする|である|だ|で)$")
_NOT_GIVEN = re.compile(r"^(?:未定|調整中|後日|追って|未確定|なし|特になし|―|-|ー|？|\?)$|^(?:以下|下記|次)の")

_N = r"[0-9０-９]{1,2}"
_WEEKDAY = r"(?:\s*[（(]\s*[月火水木金土日](?:曜日?)?(?:・?祝)?\s*[）)]|\s*[月火水木金土日]曜日)"
_DAY = (rf"(?:(?:令和|平成|昭和)\s*(?:{_N}|元)\s*年\s*{_N}\s*月\s*{_N}\s*日"
        rf"|[0-9０-９]{{4}}\s*年\s*{_N}\s*月\s*{_N}\s*日"
        rf"|{_N}\s*月\s*{_N}\s*日|(?<![0-9/])(?:[0-9]{{4}}/)?[0-9]{{1,2}}/[0-9]{{1,2}}(?![0-9/]))")
_TIME = rf"(?:午前|午後)?\s*{_N}\s*(?:時(?:\s*{_N}\s*分|半)?|[:：][0-9０-９]{{2}})"
_TIME_RANGE = rf"{_TIME}(?:\s*(?:～|〜|~|－|-|―|から)\s*{_TIME}(?:\s*まで)?|\s*から)?"
_DATE = re.compile(rf"{_DAY}{_WEEKDAY}?(?:\s*、?\s*{_TIME_RANGE})?"
                   rf"(?:\s*(?:～|〜|~|から)\s*{_DAY}{_WEEKDAY}?(?:\s*{_TIME_RANGE})?(?:\s*まで)?)?")
_TIME_ONLY = re.compile(_TIME_RANGE)
_MONTH = re.compile(r"(?<![0-9０-９])([0-9０-９]{1,2})\s*月")
_RELATIVE_DAY = re.compile(r"(?:再来週|来週|今週|明後日|明日|あす|今月|来月|来年度|今年度)(?:の)?(?:[月火水木金土日]曜日?)?"
                           r"(?:上旬|中旬|下旬|初め|初旬|末|中)?(?:から|以降|より)?")
_DEADLINE_AFTER = re.compile(r"^\s*(?:まで|必着|締切|締め切り|〆切)(?:に|は)?[^。\n]{0,15}?"
                             r"(?:提出|回答|返信|申し込|申込|応募|報告|登録|連絡|送付|受け付け|受付|必着|締|〆|$|。)")

_FACILITY = (r"(?:会館|センター|市役所|区役所|町役場|村役場|役場|庁舎|公民館|体育館|会議室|ホール|図書館|"
             r"小学校|中学校|高校|学校|公園|集会所|集会場|支所|出張所|広場|プラザ|講堂|研修室|ホテル|スタジアム)")
_PLACE = re.compile(rf"[一-龥々ァ-ヴーA-Za-z0-9０-９・]*{_FACILITY}(?:\s*[0-9０-９]+階)?"
                    rf"(?:\s*[一-龥々ァ-ヴー0-9０-９]*(?:会議室|ホール|研修室|講堂|室))?"
                    r"(?=で|にて|において|に集合|へ集合|にお越し|へお越し|に来|へ来|に集ま)")
_PLACE_ITEM = re.compile(rf"^[一-龥々ァ-ヴーA-Za-z0-9０-９・ ]*{_FACILITY}(?:\s*[0-9０-９]+階)?"
                         rf"(?:\s*[一-龥々ァ-ヴー0-9０-９]*(?:会議室|ホール|研修室|講堂|室))?(?:で|にて)?$")
_ITEM_SEPARATORS = re.compile(r"[、，,（）()「」\n。：:／/]")
_BRING = re.compile(r"([^。\n]{1,40}?)を(?:ご持参|持参|お持ち|持って来|持ってき|ご用意|用意)")
_PHONE = re.compile(r"(?:内線\s*[:：]?\s*[0-9０-９]{2,6}|(?:電話|TEL|Tel|tel|☎)?\s*[:：]?\s*"
                    r"0[0-9０-９]{1,4}[-－ー‐(（][0-9０-９]{1,4}[-－ー‐)）][0-9０-９]{3,4})")
_DEPT = r"[一-龥々ァ-ヴー]{1,20}?(?:課|係|室|局|部|センター|事務所|担当)"
_SENDER = (
    # 「あなたは川辺市防災課の職員です」 is read by ``instructions.read_role`` (a named department only)
    re.compile(rf"(?P<who>{_DEPT})(?:から|より)(?!.{{0,3}}(?:聞|届|来|受|の依頼|連絡があ))"),
    re.compile(r"(?P<who>[一-龥々ァ-ヴー]{0,10}(?:市長|町長|村長|区長|副市長|副町長|教育長|議長|部長|課長|所長|館長|校長))"
               r"(?:の|が|による|として)?(?:あいさつ|挨拶)"),
)
_WHO = r"(?P<who>(?:[一-龥々ァ-ヴーA-Za-z]+の)?[一-龥々ァ-ヴーA-Za-z・]+(?:の皆様|の皆さま|の皆さん)?)"
_RECIPIENT = (
    re.compile(_WHO + r"(?:あて|宛て|宛|向け)(?:の|に|へ)?"),
    re.compile(_WHO + r"への(?=お知らせ|ご案内|案内|通知|メール|連絡|文書|あいさつ|挨拶)"),
    re.compile(_WHO + r"に(?:送る|出す|配る|配布する|送付する|送信する)"),
    re.compile(_WHO + r"に(?:[^。、\n]{0,20}?を)?(?:知らせ|お知らせ|周知|伝え|案内)(?:る|する|します|するため|ため|て)"),
    re.compile(r"(?P<who>[一-龥々ァ-ヴーA-Za-z・]{1,20}(?:様|各位|御中|殿))"),
)
_TOPIC = re.compile(r"(?P<topic>(?:[一-龥々ァ-ヴーA-Za-z0-9０-９]+の)?[一-龥々ァ-ヴーA-Za-z0-9０-９]+)"
                    r"(?:の|に関する|についての|について)(?P<mid>開催|実施|募集|変更|中止)?"
                    r"(?P<kind>お知らせ|ご案内|案内|通知|周知|メール|あいさつ|挨拶|依頼)")
_REQUEST_TOPIC = re.compile(r"(?P<topic>[一-龥々ァ-ヴーA-Za-z0-9０-９]+(?:への|の)?[一-龥々ァ-ヴーA-Za-z0-9０-９]*)"
                            r"を(?P<kind>依頼|お願い|案内|周知|連絡|通知|お知らせ|知らせ)(?:する|る)")
_NOT_TOPIC = ("以下", "下記", "次", "この", "その", "内容", "文章", "文書", "本文")
_RESIDENTS = ("市民", "町民", "村民", "区民", "住民", "県民", "利用者", "保護者", "参加者", "関係者", "事業者", "地域",
              "自治会", "受講者", "申込者", "皆")
_HONORIFIC = ("様", "さま", "各位", "御中", "殿", "皆様", "皆さま", "皆さん", "へ")
_STAFF = ("職員", "庁内", "全庁", "庁内各課")  # 「庁内の職員」「庁内向け」 → 職員各位

_EVENT_WORDS = ("開催", "説明会", "研修", "講座", "会議", "訓練", "イベント", "教室", "健診", "検診", "講演", "相談会",
                "集会", "セミナー", "大会", "式典", "見学", "祭", "フェア", "催し")
_DEADLINE_WORDS = ("申込", "申し込", "提出", "回答", "締切", "締め切", "期限", "応募", "返信", "〆切")
# an email goes outside the office when the prompt names a business or group, or residents receive it
_EXTERNAL_WORDS = ("御中", "株式会社", "有限会社", "事業者", "業者", "外部", "団体", "法人")
_RESIDENT_WORDS = ("市民", "町民", "村民", "区民", "住民")


@dataclass
class Slots:
    """What the prompt provides. A value of None means the prompt does not say."""

    values: dict[str, str] = field(default_factory=dict)
    partial: dict[str, str] = field(default_factory=dict)  # slot → what is still missing in its value
    said_when: str = ""  # a day without a calendar date, as the prompt says it: 来月から, 来週の水曜日

    def get(self, slot: str) -> str | None:
        return self.values.get(slot)

    def set(self, slot: str, value: str | None) -> None:
        if value and slot not in self.values:
            self.values[slot] = value

    def set_partial(self, slot: str, value: str, missing: str) -> None:
        self.values[slot] = value
        self.partial[slot] = missing


def _clean(value: str) -> str:
    """A value without quotes, trailing です and punctuation; a full sentence keeps its 。, several sentences stay whole."""
    value = value.strip().strip("「」『』\"'").strip()
    if "。" in value.rstrip("。 　") and _is_predicate(value.rstrip(" 　")):
        return _sentence(value.rstrip(" 　"))
    value = _VALUE_TAIL.sub("", value.rstrip("。 　")).strip(" 　、。")
    value = value.strip("「」『』").strip()
    return _sentence(value) if _is_predicate(value) else value


def _labelled(text: str) -> dict[str, str]:
    """Slots given with a label: a whole line 「日時: …」, or inside a sentence 「…。場所は市民会館です。」."""
    found: dict[str, str] = {}
    position = 0
    while match := _LABELLED.search(text, position):
        position = match.start("value")  # a value can hold the next label (「…です。問い合わせは…」)
        value = match.group("value")
        line_start = text.rfind("\n", 0, match.start()) + 1
        whole_line = not text[line_start:match.start("label")].strip(" \t　・●○■◆□-*＊>＞#＃0123456789.．)）（(")
        end = _NEXT_LABEL.search(value)
        if end:
            value = value[:end.start()]
        if not whole_line and "。" in value:
            value = value[:value.index("。")]
        slot = _LABEL_OF[match.group("label")]
        if slot == "問い合わせ先":
            value = re.sub(r"(?:まで|へ|に)(?:です|お願いします|お願いいたします)?[。\s]*$", "", value.strip())
        value = _clean(value)
        if value and not _NOT_GIVEN.search(value) and slot not in found:
            found[slot] = value
    return found


def _dates(text: str, taken: Sequence[str]) -> tuple[str | None, str | None]:
    """(日時, 締切): the first date that is not a deadline, and the first that is (「4月10日までに提出」)."""
    when = deadline = None
    for match in _DATE.finditer(text):
        value = match.group().strip()
        if any(value in used for used in taken):
            continue
        is_range = bool(re.search(r"から|～|〜|~", value))
        if not is_range and _DEADLINE_AFTER.match(text[match.end():]):
            deadline = deadline or value
        else:
            when = when or value
    return when, deadline


def _first(patterns: Sequence[re.Pattern[str]], text: str, skip: Sequence[str] = ()) -> str | None:
    """The first name any pattern finds (group ``who``), in pattern order."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            who = _clean(match.group("who"))
            if who and who not in skip:
                return who
    return None


def _topic(text: str) -> tuple[str | None, str | None]:
    """(topic, kind word): 「防災講座のお知らせ」 → (防災講座, お知らせ); 「回答を依頼するメール」 → (回答, 依頼).

    Brackets between the topic and its kind are skipped: 「防災訓練（10月3日 10時、本庁舎）のお知らせ」.
    """
    text = re.sub(r"[（(][^（）()\n]*[）)]", "", text)
    for match in _TOPIC.finditer(text):
        topic = match.group("topic")
        if topic.endswith(("向け", "宛て", "あて", "宛", "用", "様")) or topic.startswith(_NOT_TOPIC):
            continue
        if match.group("mid"):
            topic += "の" + match.group("mid")
        return topic, match.group("kind")
    request = _REQUEST_TOPIC.search(text)
    if request and not request.group("topic").startswith(_NOT_TOPIC):
        kind = request.group("kind")
        return request.group("topic"), "お知らせ" if kind == "知らせ" else kind
    return None, None


def _bring(text: str) -> str | None:
    match = _BRING.search(text)
    if not match:
        return None
    value = re.split(r"[、。]|(?<=[はにも])", match.group(1))[-1]
    value = re.sub(r"^(?:当日|必ず|各自|なお|また)[は、]?", "", value).strip()
    return value or None


def read_slots(text: str) -> Slots:
    """Every slot the text fills, from labels first, then from dates, places and phrases."""
    slots = Slots()
    for slot, value in _labelled(text).items():
        slots.set(slot, value)
    when, deadline = _dates(text, list(slots.values.values()))
    slots.set("日時", when)
    slots.set("締切", deadline)
    _check_the_date(slots, text)
    place = _PLACE.search(text)
    slots.set("場所", place.group() if place else _place_item(text))
    slots.set("持ち物", _bring(text))
    role = read_role(text)
    slots.set("差出人", role.department if role else None)
    slots.set("差出人", _first(_SENDER, text, skip=("各課", "全課", "関係課")))
    slots.set("宛先", _first(_RECIPIENT, text, skip=(slots.get("差出人") or "",)))
    topic, _ = _topic(text)
    slots.set("話題", topic)
    phones = _PHONE.findall(text)
    slots.set("電話", phones[0].strip() if phones else None)
    return slots


def _place_item(text: str) -> str | None:
    """A place written on its own between commas or in brackets: 「（10月3日 10時、本庁舎）」 → 本庁舎."""
    for item in _ITEM_SEPARATORS.split(text):
        item = item.strip(" 　")
        if _PLACE_ITEM.match(item):
            return re.sub(r"(?:で|にて)$", "", item)
    return None


def _check_the_date(slots: Slots, text: str) -> None:
    """A 日時 with no calendar date (「14時から」「来月から」) keeps what was said and asks for the exact date."""
    when = slots.get("日時")
    if when is None:
        relative = _RELATIVE_DAY.search(text)
        time = _TIME_ONLY.search(text)
        if relative:
            said = relative.group().removesuffix("の")
            slots.set_partial("日時", f"{said}（具体的な日付は{MISSING}）", "日時（具体的な日付）")
            slots.said_when = said
        elif time:
            slots.set_partial("日時", f"{MISSING}（日付。時刻は {time.group().strip()}）", "日時（日付）")
    elif not re.search(_DAY, when) and (_RELATIVE_DAY.search(when) or not re.search(r"曜|毎", when)):
        slots.set_partial("日時", f"{when}（具体的な日付は{MISSING}）", "日時（日付）")


# ---------------------------------------------------------------- writing it out


def _pick(options: Sequence[str], rng: random.Random | None) -> str:
    """The first wording without randomness; with an rng, any of the equivalent wordings."""
    return options[0] if rng is None else rng.choice(list(options))


@dataclass
class Draft:
    lines: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def value(self, slots: Slots, slot: str, name: str | None = None) -> str:
        """The slot's value, or 【要確認】; what is missing is recorded once for the last line."""
        value = slots.get(slot)
        if value is None or slot in slots.partial:
            self.note_missing(slots.partial.get(slot) or name or slot)
        return value or MISSING

    def note_missing(self, label: str) -> None:
        if label not in self.missing:
            self.missing.append(label)

    def text(self) -> str:
        lines = list(self.lines)
        if self.missing:
            lines += ["", f"{MISSING}の項目（依頼文から読み取れなかったもの）: {'、'.join(self.missing)}"]
        return "\n".join(lines).strip("\n")


def _address(who: str, kind: str) -> str:
    if who.endswith(_HONORIFIC):
        return who
    if who.endswith(_STAFF):
        return "職員各位"
    if who.endswith(_RESIDENTS) or who in _RESIDENTS:
        return f"{who}の皆さま" + ("へ" if kind == "notice" else "")
    return f"{who} 様"


def _contact(draft: Draft, slots: Slots) -> str:
    """問い合わせ先: as given, or the department with its phone; what is missing stays 【要確認】."""
    given = slots.get("問い合わせ先")
    if given:
        return given if _PHONE.search(given) or not slots.get("電話") else f"{given}（{slots.get('電話')}）"
    dept = slots.get("差出人")
    phone = slots.get("電話")
    if dept and phone:
        return f"{dept}（{phone}）"
    if dept:
        draft.note_missing("問い合わせ先の電話番号・内線")
        return f"{dept}（電話・内線: {MISSING}）"
    draft.note_missing("問い合わせ先")
    return f"{MISSING}（{phone}）" if phone else MISSING


def _title(slots: Slots, kind_word: str | None, kind: str) -> str | None:
    if slots.get("件名"):
        return slots.get("件名")
    topic = slots.get("話題")
    if not topic:
        return None
    if kind == "email":
        return f"【ご案内】{topic}" if kind_word in ("案内", "ご案内") else f"{topic}について"
    if kind_word == "通知":
        return f"{topic}について（通知）"
    if kind_word == "依頼":
        return f"{topic}について（依頼）"
    if kind_word in ("案内", "ご案内"):
        return f"{topic}のご案内"
    return f"{topic}について（お知らせ）" if "の" in topic else f"{topic}のお知らせ"


def _sentence(value: str) -> str:
    return value if value.endswith(("。", "！", "？")) else value + "。"


def _is_predicate(value: str) -> bool:
    return bool(re.search(r"(ます|です|ました|でした|ません|ください|する|した|である|たい|ない)。?$", value))


def draft_notice(slots: Slots, flags: Flags, rng: random.Random | None) -> str:
    draft = Draft()
    title = _title(slots, flags.kind_word, "notice")
    recipient = slots.get("宛先")
    draft.lines += [_address(recipient, "notice") if recipient else f"{draft.value(slots, '宛先')}（宛先）",
                    slots.get("差出人") or f"{draft.value(slots, '差出人', '差出人（担当課）')}（差出人・担当課）", "",
                    title or f"{draft.value(slots, '件名')}（件名）", ""]
    topic = slots.get("話題")
    if flags.event and not (topic or "").endswith(_NOT_HELD):
        lead = f"{topic}を下記のとおり{_verb(topic)}。" if topic else "下記のとおり開催します。"
    else:
        lead = f"{topic}について、下記のとおりお知らせします。" if topic else "下記のとおりお知らせします。"
    draft.lines.append(_pick((lead, lead.replace("下記のとおり", "次のとおり")), rng))
    if flags.deadline and slots.get("締切") and flags.application:
        draft.lines.append(f"参加を希望される方は、{slots.get('締切')}までにお申し込みください。")
    draft.lines += ["", "記", ""]
    items = [("日時", "日時"), ("場所", "場所"), ("内容", "内容")]
    if slots.get("対象"):
        items.append(("対象", "対象"))
    if flags.event:
        items.append(("持ち物", "持ち物"))
    if flags.deadline:
        items.append(("締切", "申込締切" if flags.application else "締切"))
    for number, (slot, label) in enumerate(items, start=1):
        draft.lines.append(f"{number}. {label}: {draft.value(slots, slot)}")
    draft.lines += ["", "以上", "", "【問い合わせ先】", _contact(draft, slots)]
    return draft.text()


def draft_email(slots: Slots, flags: Flags, rng: random.Random | None) -> str:
    draft = Draft()
    title = _title(slots, flags.kind_word, "email")
    recipient = slots.get("宛先")
    sender = slots.get("差出人")
    draft.lines += [f"件名: {title or draft.value(slots, '件名')}", "",
                    _address(recipient, "email") if recipient else f"{draft.value(slots, '宛先')}（宛名）", ""]
    opening = "いつもお世話になっております。" if flags.external else _pick(
        ("お疲れさまです。", "いつもお世話になっております。"), rng)
    name = sender or f"{draft.value(slots, '差出人', '差出人（担当課）')}（差出人）"
    draft.lines.append(f"{opening}{name}です。")
    topic = slots.get("話題")
    if topic and flags.kind_word in ("依頼", "お願い"):
        draft.lines.append(f"{topic}について、ご協力をお願いいたします。")
    elif topic and flags.kind_word in ("案内", "ご案内"):
        draft.lines.append(_pick((f"{topic}について、ご案内します。", f"{topic}について、ご案内いたします。"), rng))
    elif topic:
        draft.lines.append(_pick((f"{topic}について、ご連絡します。", f"{topic}について、お知らせします。"), rng))
    elif slots.get("件名"):
        draft.lines.append("標記の件について、ご連絡します。")
    else:
        draft.lines.append("下記のとおりご連絡します。")
    content = slots.get("内容")
    items = []
    if content and _is_predicate(content):
        draft.lines.append(_sentence(content))
    else:
        items.append(("内容", "内容"))
    if flags.event:
        items += [("日時", "日時"), ("場所", "場所"), ("持ち物", "持ち物")]
    if flags.deadline:
        items.append(("締切", "締切"))
    if items:
        draft.lines.append("")
        draft.lines += [f"■{label}: {draft.value(slots, slot)}" for slot, label in items]
    draft.lines.append("")
    if flags.deadline and slots.get("締切"):
        draft.lines.append(f"お手数ですが、{slots.get('締切')}までにご対応くださいますよう、お願いいたします。")
    draft.lines += ["ご不明な点がありましたら、下記までお問い合わせください。",
                    _pick(("よろしくお願いいたします。",
                           "お忙しいところ恐れ入りますが、よろしくお願いいたします。"), rng), ""]
    contact = _contact(draft, slots)
    signature = [sender or f"{MISSING}（差出人・担当課）"]
    if slots.get("担当者"):
        signature.append(f"担当: {slots.get('担当者')}")
    signature.append(f"問い合わせ先: {contact}")
    draft.lines += ["――――――――――――――――", *signature, "――――――――――――――――"]
    return draft.text()


# 時候の挨拶 by month; with no month, the season-free 時下
_SEASON = {1: "新春の候", 2: "余寒の候", 3: "早春の候", 4: "陽春の候", 5: "新緑の候", 6: "梅雨の候", 7: "盛夏の候",
           8: "残暑の候", 9: "初秋の候", 10: "秋冷の候", 11: "晩秋の候", 12: "初冬の候"}


def _month(slots: Slots, text: str) -> int | None:
    for source in (slots.get("日時") or "", text):
        match = _MONTH.search(source)
        if match:
            month = int(match.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789")))
            if 1 <= month <= 12:
                return month
    return None


def draft_greeting(slots: Slots, flags: Flags, rng: random.Random | None, text: str) -> str:
    draft = Draft()
    topic = slots.get("話題")
    title = slots.get("件名") or (f"{topic}のごあいさつ" if topic else "ごあいさつ")
    recipient = slots.get("宛先")
    month = _month(slots, text)
    season = f"{_SEASON[month]}、" if month else "時下"
    draft.lines += [f"{title}（案）", "", _address(recipient, "greeting") if recipient else
                    f"{draft.value(slots, '宛先')}（宛名）", "",
                    f"拝啓　{season}ますますご清祥のこととお喜び申し上げます。",
                    "平素より格別のご理解とご協力を賜り、厚く御礼申し上げます。"]
    content = slots.get("内容") or topic
    if content:
        draft.lines.append(f"さて、{_sentence(content)}" if _is_predicate(content)
                           else f"さて、{content}にあたり、一言ごあいさつ申し上げます。")
    else:
        draft.lines.append(f"さて、{draft.value(slots, '内容', '内容（あいさつの趣旨）')}（あいさつの趣旨）")
    details = [(label, slots.get(slot)) for slot, label in (("日時", "日時"), ("場所", "場所")) if slots.get(slot)]
    if details:
        draft.lines += ["", *[f"{label}: {value}" for label, value in details], ""]
    draft.lines += ["今後とも、変わらぬご支援とご協力を賜りますよう、お願い申し上げます。",
                    _pick(("末筆ながら、皆さまのますますのご健勝とご多幸をお祈り申し上げます。",
                           "末筆ながら、皆さまのご健勝とご発展を心よりお祈り申し上げます。"), rng),
                    "敬具", "", slots.get("差出人") or f"{draft.value(slots, '差出人')}（差出人）"]
    return draft.text()


# ---------------------------------------------------------------- the task


@dataclass(frozen=True)
class Flags:
    kind: str  # notice, email or greeting
    kind_word: str | None  # お知らせ, 案内, 通知 … as the request words it
    event: bool  # an event: 日時, 場所 and 持ち物 belong in it
    deadline: bool  # something is due: 締切 belongs in it
    application: bool  # people apply (申込)
    external: bool  # an email to someone outside the office


def document_kind(request: str) -> str:
    if "メール" in request:
        return "email"
    if re.search(r"あいさつ|挨拶", request):
        return "greeting"
    return "notice"


def read_flags(request: str, text: str, slots: Slots) -> Flags:
    _, kind_word = _topic(text)
    recipient = slots.get("宛先") or ""
    return Flags(
        kind=document_kind(request),
        kind_word=kind_word,
        event=any(word in text for word in _EVENT_WORDS) or any(slots.get(s) for s in ("日時", "場所", "持ち物")),
        deadline=any(word in text for word in _DEADLINE_WORDS) or bool(slots.get("締切")),
        application=bool(re.search(r"申込|申し込", text)),
        external=any(word in text for word in _EXTERNAL_WORDS) or any(word in recipient for word in _RESIDENT_WORDS),
    )


# ---------------------------------------------------------------- short forms: 「3行で」, a length limit, a short request


@dataclass(frozen=True)
class Line:
    text: str
    rank: int  # lines of rank 1 stay; the highest ranks are left out first
    blank_after: bool = False  # a blank line follows it in the full short form (not when lines are counted)
    joins: bool = False  # continues the line before it in the full short form (sentences of one paragraph)


_CARRIED_OUT = ("訓練", "健診", "検診", "工事", "調査", "点検", "清掃", "検査", "測定", "停止", "休止")
_JOIN_IN = ("研修", "講座", "説明会", "教室", "講演", "セミナー", "相談会", "イベント", "祭", "大会", "フェア")
_NOT_HELD = ("開始", "変更", "中止", "延期", "終了", "実施", "開催")  # 「研修の開始」 is told, not held
_SHORT_WORDS = re.compile(r"短く|短い|簡潔|手短|簡単に")


def _verb(topic: str) -> str:
    return "実施します" if topic.endswith(_CARRIED_OUT) else "開催します"


def _when_phrase(when: str) -> str:
    """10月3日 10時 → 10月3日 10時から、; 6月1日 → 6月1日に、; 14時から16時まで → as it is, with 、."""
    if when.endswith(("から", "まで", "より")):
        return f"{when}、"
    if re.search(r"(?:時|分|半|[:：][0-9０-９]{2})$", when):
        return f"{when}から、"
    return f"{when}に、"


def _body_sentences(slots: Slots, topic: str | None, separate: bool = False) -> list[str]:
    """What the text says, in sentences made only of what the prompt gives (``separate``: one fact a line)."""
    content = slots.get("内容")
    sentences = split_sentences(_sentence(content)) if content and _is_predicate(content) else []
    said = "".join(sentences)
    when = None if "日時" in slots.partial else slots.get("日時")
    relative = slots.said_when if "日時" in slots.partial else ""
    place = slots.get("場所")
    when_phrase = _when_phrase(when) if when and when not in said else (
        f"{relative}、" if relative and relative not in said else "")
    place_phrase = f"{place}で" if place and place not in said else ""
    if topic and (when_phrase or place_phrase) and topic not in said and separate:
        sentences[:0] = [f"{topic}を{_verb(topic)}。", *([f"日時: {when or relative}"] if when_phrase else []),
                         *([f"場所: {place}"] if place_phrase else [])]
    elif topic and (when_phrase or place_phrase) and topic not in said:
        sentences.insert(0, f"{when_phrase}{place_phrase}{topic}を{_verb(topic)}。")
    elif when_phrase or place_phrase:
        facts = [f"日時は{when or relative}" if when_phrase else "", f"場所は{place}" if place_phrase else ""]
        sentences.append("、".join(fact for fact in facts if fact) + "です。")
    elif topic and not sentences:
        sentences.append(f"{topic}について、お知らせします。")
    if content and not _is_predicate(content):
        sentences.append(f"内容は、{content}です。")
    return sentences


def short_notice(slots: Slots, flags: Flags, count: int | None = None,
                 separate: bool = False) -> tuple[list[Line], list[str]]:
    """A short お知らせ: the lines it can have, ranked, and its notes (what is still to be confirmed).

    When more lines are asked for than it has, the facts get a line each (日時: …, 場所: …).
    """
    if count and not separate:
        lines, notes = short_notice(slots, flags)
        return (lines, notes) if len(lines) >= count else short_notice(slots, flags, count, separate=True)
    lines: list[Line] = []
    notes: list[str] = []
    recipient, sender = slots.get("宛先"), slots.get("差出人")
    if recipient:
        lines.append(Line(_address(recipient, "notice"), 8, blank_after=not sender))
    if sender:
        lines.append(Line(sender, 3, blank_after=True))
    title = _title(slots, flags.kind_word, "notice")
    if title:
        lines.append(Line(title, 2, blank_after=True))
    body = _body_sentences(slots, slots.get("話題"), separate=separate)
    lines += [Line(sentence, 1) for sentence in body[:1]] + [Line(sentence, 5, joins=True) for sentence in body[1:]]
    if slots.get("対象"):
        lines.append(Line(f"対象は、{slots.get('対象')}です。", 5))
    if flags.event and slots.get("持ち物"):
        lines.append(Line(f"持ち物は、{slots.get('持ち物')}です。", 5))
    if slots.get("締切"):
        lines.append(Line(f"参加を希望される方は、{slots.get('締切')}までにお申し込みください。" if flags.application
                          else f"締切は、{slots.get('締切')}です。", 4))
    contact = slots.get("問い合わせ先") or sender
    if contact:
        lines.append(Line(f"お問い合わせは、{contact}までお願いします。", 6))
    topic = slots.get("話題") or ""
    lines.append(Line("ご参加をお待ちしています。" if topic.endswith(_JOIN_IN) else "ご理解とご協力をお願いします。", 7))
    if "日時" in slots.partial and slots.said_when:
        notes.append(f"具体的な日付は{MISSING}です（依頼文では「{slots.said_when}」）。")
    elif "日時" in slots.partial:
        notes.append(f"日付は{MISSING}です（依頼文にあるのは時刻だけです）。")
    elif flags.event and not slots.get("日時"):
        notes.append(f"日時は依頼文にないため、書いていません（{MISSING}）。")
    return lines, notes


def fit_lines(lines: list[Line], *, count: int | None, limit: int | None, wording: str,
              notes: list[str]) -> str:
    """The lines that fit: exactly ``count`` of them when lines are counted, and never over ``limit`` characters."""
    kept = list(lines)
    if count is not None:
        ranked = sorted(range(len(kept)), key=lambda i: (kept[i].rank, i))[:count]
        kept = [kept[i] for i in sorted(ranked)]
        if len(kept) < count:
            notes.append(f"依頼文の情報だけでは {len(kept)} 行までしか書けませんでした（{count}行の指定）。")

    def text(chosen: list[Line]) -> str:
        if count is not None:
            return "\n".join(line.text for line in chosen)
        written = ""
        for index, line in enumerate(chosen):
            joined = line.joins and index > 0 and not chosen[index - 1].blank_after
            written += ("" if joined or index == 0 else "\n") + line.text + ("\n" if line.blank_after else "")
        return written.strip()

    while limit is not None and reader_length(text(kept)) > limit and any(line.rank > 1 for line in kept):
        drop = max(range(len(kept)), key=lambda i: (kept[i].rank, i))
        kept.pop(drop)
    if limit is not None and reader_length(text(kept)) > limit:
        sentences = [sentence for line in kept for sentence in split_sentences(line.text)]
        fitted = fit_length(sentences, limit)
        kept = [Line(sentence, 1) for sentence in fitted]
        notes.append(f"{wording}に収めるため、文を省いたり途中で切ったりしました。")
    return text(kept)


def _restyle(text: str, style: str | None, notes: list[str]) -> str:
    """The text in the requested style (です・ます or である); endings no rule knows are noted."""
    if style is None:
        return text
    result = convert_style(text, polite=style == "polite")
    if result.unchanged:
        note = "文末を規則で判断できなかった文は、元のままにしています。"
        if note not in notes:
            notes.append(note)
    return result.text


def short_email(slots: Slots, flags: Flags) -> tuple[list[Line], list[str]]:
    """A short email: subject, greeting, what it is about, what is due, and the sender."""
    lines: list[Line] = []
    title = _title(slots, flags.kind_word, "email")
    if title:
        lines.append(Line(f"件名: {title}", 2, blank_after=True))
    recipient, sender = slots.get("宛先"), slots.get("差出人")
    if recipient:
        lines.append(Line(_address(recipient, "email"), 4))
    opening = "いつもお世話になっております。" if flags.external else "お疲れさまです。"
    lines.append(Line(f"{opening}{sender}です。" if sender else opening, 4))
    topic = slots.get("話題")
    if topic:
        request = flags.kind_word in ("依頼", "お願い")
        lines.append(Line(f"{topic}について、{'ご協力をお願いいたします' if request else 'ご連絡します'}。", 1))
    lines += [Line(sentence, 1 if not topic and index == 0 else 3)
              for index, sentence in enumerate(_body_sentences(slots, None))]
    if slots.get("締切"):
        lines.append(Line(f"お手数ですが、{slots.get('締切')}までにご対応ください。", 2))
    lines.append(Line("よろしくお願いいたします。", 5, blank_after=bool(sender or slots.get("問い合わせ先"))))
    if sender:
        lines.append(Line(sender, 6))
    if slots.get("問い合わせ先"):
        lines.append(Line(f"問い合わせ先: {slots.get('問い合わせ先')}", 6))
    return lines, []


def _wants_short_form(prompt: Prompt, slots: Slots) -> bool:
    """A short text rather than a form: lines or a length are asked for, the request is short, or the
    prompt gives what to say in sentences and no date or place to list."""
    asked = prompt.asked
    if asked.length or asked.layout.kind in ("lines", "sentences") or _SHORT_WORDS.search(prompt.request):
        return True
    dated = slots.get("日時") and "日時" not in slots.partial
    content = slots.get("内容")
    if content and _is_predicate(content) and not dated and not slots.get("場所"):
        return True
    user = prompt.user.strip()
    return bool(dated or slots.get("場所")) and "\n" not in user and len(user) <= 60 and not _LABELLED.search(user)


def run(prompt: Prompt) -> str:
    user = prompt.user or f"{prompt.instruction}\n{prompt.material}"
    text = "\n".join(part for part in (prompt.system, user) if part.strip())
    slots = read_slots(text)
    material = prompt.material.strip()
    if material and not _LABELLED.search(material) and _is_predicate(material):
        slots.set("内容", _sentence(material))  # 「以下の文章をお知らせにして」: the text is what to say
    flags = read_flags(prompt.request, text, slots)
    asked = prompt.asked
    limit = asked.length.chars if asked.length else None
    count = asked.layout.count if asked.layout.kind in ("lines", "sentences") else None
    facts = read_facts(user)
    if _is_fact_list(facts):
        return _run_facts(facts, prompt, slots, limit, count)
    notes: list[str] = []
    if asked.no_jargon:
        notes.append("専門用語を言い換えることは、練習エンジンにはできません。依頼文の言葉をそのまま使っています。")
    if flags.kind != "notice" and asked.style == "plain":
        notes.append("メールとあいさつ文は、です・ます調で書いています。")
    style = asked.style if flags.kind == "notice" else ("polite" if asked.style else None)

    if flags.kind == "greeting":
        reply = draft_greeting(slots, flags, prompt.rng, text)
    elif flags.kind == "email" and not (limit or count):
        reply = draft_email(slots, flags, prompt.rng)
    elif flags.kind == "notice" and not _wants_short_form(prompt, slots):
        reply = draft_notice(slots, flags, prompt.rng)
    else:
        lines, short_notes = short_email(slots, flags) if flags.kind == "email" else short_notice(slots, flags, count)
        lines = [Line(_restyle(line.text, style, short_notes), line.rank, line.blank_after, line.joins)
                 for line in lines]
        body = fit_lines(lines, count=count, limit=limit, wording=str(asked.length or ""), notes=short_notes)
        return with_notes(body, short_notes + notes)
    body, own_notes = split_notes(reply)
    body = _restyle(body, style, notes)
    if limit is not None or count is not None:
        # a greeting letter keeps its form; what does not fit is left out from the end
        lines = [Line(line, 1 if "さて" in line else 2) for line in body.splitlines() if line.strip()]
        body = fit_lines(lines, count=count, limit=limit, wording=str(asked.length or ""), notes=notes)
    return with_notes(body, own_notes + notes)


# ---------------------------------------------------------------- drafts from a list of facts (「催し: …」 one a line)

_FACT_LINE = re.compile(r"^[ \t　]*(?:[・●○■◆□\-*＊]|\d+[.．)）])?[ \t　]*"
                        r"(?P<label>[^\s:：。、「」]{1,12})[ \t　]*[:：][ \t　]*(?P<value>\S[^\n]*?)[ \t　]*$", re.M)
_TITLE_LABELS = ("件名", "催し", "会議", "説明会", "講座", "研修", "文書", "場面", "用件", "問い合わせ内容", "題名", "表題")
_SENDER_LABELS = ("依頼元", "主催", *_LABELS["差出人"])
_CLOSED = re.compile(r"臨時休館|休館|休止|運休|休業|休園|閉庁|中止")
_KINDS = (("あいさつ", "greeting"), ("挨拶", "greeting"), ("回答メール", "reply"), ("返信", "reply"),
          ("依頼メール", "request"), ("メール", "mail"), ("通知文", "notification"), ("案内文", "guide"),
          ("お詫び", "apology"), ("おわび", "apology"), ("募集", "recruit"), ("休止", "closed"), ("お知らせ", "notice"))
GENERIC_MISSING = "その他の必要な事項"
TEMPLATE_NOTE = ("この文案は、依頼文にある事実を文書の種類ごとの定型の枠に当てはめたものです（練習エンジン）。"
                 "事実が正しいか、足りない事項がないかは、元の資料と照らして確認してください。")


def read_facts(text: str) -> list[tuple[str, str]]:
    """The 「ラベル: 値」 lines of the text, in order (values split on 「 / 」 stay together)."""
    facts: list[tuple[str, str]] = []
    for match in _FACT_LINE.finditer(text):
        label, value = match.group("label"), match.group("value").strip()
        if label in ("http", "https") or label.startswith(("あなた", "次の")):
            continue
        facts.append((label, value))
    return facts


def _is_fact_list(facts: list[tuple[str, str]]) -> bool:
    """Three facts or more, one of them under a label the slot reader does not know (「参加費」「依頼元」)."""
    return len(facts) >= 3 and any(label not in _LABEL_OF for label, _ in facts)


def fact_kind(request: str, facts: list[tuple[str, str]]) -> str:
    words = request + " ".join(value for label, value in facts if label in _TITLE_LABELS)
    for word, kind in _KINDS:
        if word in request:
            if kind in ("notice", "guide", "notification") and _CLOSED.search(words):
                return "closed" if kind != "notification" else kind
            if kind == "notice" and "募集" in words:
                return "recruit"
            return kind
    return "notice"


def _audience(request: str) -> str | None:
    match = re.search(r"(?:^|[。\n])\s*([^。\n]{1,30}?)(?:向けの|向けに|あての|宛ての)", request)
    return match.group(1).strip() if match else None


def _fact_address(who: str | None, kind: str, draft: Draft) -> str:
    if not who:
        return f"{draft.value(Slots(), '宛先')}（宛先）"
    base = re.sub(r"[（(][^）)]*[）)]$", "", who).strip()
    if who != base and base in ("市民", "申請者", "住民"):
        draft.note_missing(f"宛先（{base}の氏名）")
        return f"{MISSING}（{base}の氏名） 様"
    if base.endswith(("課", "室", "部", "局")):
        return f"{base} 御中" if kind in ("notice", "guide", "notification", "closed", "recruit") else f"{base} ご担当者 様"
    if base.endswith(_HONORIFIC):
        return base
    if kind in ("notice", "recruit", "closed") and not base.endswith(("長", "者", "担当")):
        return f"{base}の皆さまへ"
    return f"{base} 様"


def _fact_title(kind: str, title: str | None, label: str | None) -> str | None:
    if title is None:
        return None
    if label in ("件名", "文書", "題名", "表題"):
        return title
    if kind == "request":
        return title if title.endswith(("依頼", "打診", "お願い")) else f"{title}について（依頼）"
    if kind == "reply":
        return f"{title}について（回答）"
    if kind == "guide":
        return f"{title}の開催について（ご案内）"
    if kind == "notice":
        return f"{title}の開催について（お知らせ）"
    return title


def _lead(kind: str, title: str | None, label: str | None) -> str:
    subject = re.sub(r"[（(][^）)]*[）)]$", "", title or "").strip()
    closed = _CLOSED.search(subject)
    if kind == "apology":
        return "このたびは、皆さまに大変ご迷惑をおかけし、深くおわび申し上げます。経緯は下記のとおりです。"
    if kind == "recruit":
        return "下記のとおり募集します。"
    if kind == "closed" or (kind != "notification" and closed):
        return f"下記のとおり{closed.group() if closed else '休止'}します。ご不便をおかけしますが、ご理解をお願いします。"
    if kind == "notification":
        subject = re.sub(r"(?:通知書|のお知らせ)$", "", subject).strip()
        if closed:
            return f"下記のとおり{closed.group()}しますので、通知します。"
        return f"{subject}について、下記のとおり通知します。" if subject else "下記のとおり通知します。"
    event = label in ("催し", "会議", "説明会", "講座", "研修")
    if event and subject:
        verb = _verb(subject)
        return f"{subject}を下記のとおり{verb}" + ("ので、ご案内します。" if kind == "guide" else "。")
    return f"{subject}について、下記のとおりお知らせします。" if subject else "下記のとおりお知らせします。"


def draft_from_facts(facts: list[tuple[str, str]], request: str, slots: Slots | None = None) -> str:
    """A 公用文 frame for the kind of document the request names, with every fact given and nothing else.

    What the facts do not label (the sender in 「あなたは〇〇課の職員です」, the topic in 「防災講座のお知らせ」)
    is taken from ``slots``, the slot reader's reading of the whole prompt."""
    slots = slots or Slots()
    kind = fact_kind(request, facts)
    draft = Draft()
    title_label, title_value = next(((label, value) for label, value in facts if label in _TITLE_LABELS),
                                    (None, None))
    sender = next((value for label, value in facts if label in _SENDER_LABELS), None) or slots.get("差出人")
    labelled = dict(facts)
    who = labelled.get("宛先") or labelled.get("宛名") or _audience(request)
    given_contact = next((value for label, value in facts if _LABEL_OF.get(label) == "問い合わせ先"), None)
    items = [(label, value) for label, value in facts
             if label != title_label and label not in ("宛先", "宛名") and value != given_contact
             and not (label in _SENDER_LABELS and label != "主催" and value == sender)]
    if kind == "greeting":
        return _greeting_frame(draft, facts, title_value, who)
    if given_contact:
        contact = given_contact
    else:
        contact = f"{sender}（電話・内線: {MISSING}）" if sender else MISSING
        draft.note_missing("問い合わせ先の電話番号・内線" if sender else "問い合わせ先")
    title = _fact_title(kind, title_value, title_label)
    if title is None and slots.get("話題"):
        title_value, title_label = slots.get("話題"), "催し" if read_flags(request, request, slots).event else None
        title = _title(slots, _topic(request)[1], "email" if kind in ("request", "reply", "mail") else "notice")
    if kind in ("request", "reply", "mail"):
        internal = bool(who and re.search(r"庁内|各課|職員", who))
        draft.lines += [f"件名: {title or draft.value(Slots(), '件名')}", "", _fact_address(who, kind, draft), ""]
        opening = "お疲れさまです。" if internal else "いつもお世話になっております。"
        draft.lines.append(f"{opening}{sender or draft.value(Slots(), '差出人', '差出人（担当課）')}です。")
        if kind == "reply":
            draft.lines.append("お問い合わせいただいた件について、下記のとおり回答します。")
        elif kind == "request":
            draft.lines.append("標記の件について、下記のとおりご協力をお願いします。")
        else:
            draft.lines.append("標記の件について、下記のとおりご連絡します。")
        draft.lines += ["", *[f"■{label}: {value}" for label, value in items],
                        f"■{GENERIC_MISSING}: {MISSING}（依頼文にない事項は、確認して追記してください）", ""]
        draft.note_missing(GENERIC_MISSING)
        if kind == "request":
            draft.lines.append("お忙しいところ恐れ入りますが、ご協力をお願いいたします。")
        else:
            draft.lines.append("ご不明な点がありましたら、下記までお問い合わせください。")
        draft.lines += ["よろしくお願いいたします。", "", "――――――――――――――――",
                        sender or f"{MISSING}（差出人・担当課）", f"問い合わせ先: {contact}", "――――――――――――――――"]
        return draft.text()
    draft.lines += [_fact_address(who, kind, draft),
                    sender or f"{draft.value(Slots(), '差出人', '差出人（担当課）')}（差出人・担当課）", "",
                    title or f"{draft.value(Slots(), '件名')}（件名）", "", _lead(kind, title_value, title_label),
                    "", "記", ""]
    numbered = [*items, (GENERIC_MISSING, f"{MISSING}（依頼文にない事項は、確認して追記してください）")]
    draft.note_missing(GENERIC_MISSING)
    draft.lines += [f"{number}. {label}: {value}" for number, (label, value) in enumerate(numbered, start=1)]
    draft.lines += ["", "以上", "", "【問い合わせ先】", contact]
    return draft.text()


def _greeting_frame(draft: Draft, facts: list[tuple[str, str]], title: str | None, who: str | None) -> str:
    """A greeting's outline: the facts, then one 【要確認】 paragraph per point to include."""
    draft.lines += [f"{title or MISSING}（案）", ""]
    points: list[str] = []
    for label, value in facts:
        if label == "盛り込む事項":
            points = [point.strip() for point in re.split(r"[、,，]", value) if point.strip()]
        if label != "場面":
            draft.lines.append(f"{label}: {value}")
    if who:
        draft.lines.append(f"聞き手: {who}")
    draft.lines += ["", "（本文の骨組み）", f"1. 冒頭のあいさつ: {MISSING}"]
    draft.lines += [f"{number}. {point}について: {MISSING}" for number, point in enumerate(points, start=2)]
    draft.lines += [f"{len(points) + 2}. {GENERIC_MISSING}: {MISSING}（依頼文にない事項は、確認して追記してください）",
                    f"{len(points) + 3}. 結びのあいさつ: {MISSING}"]
    draft.note_missing("あいさつの本文")
    draft.note_missing(GENERIC_MISSING)
    return draft.text()


def fact_notes(kind: str) -> list[str]:
    notes = [TEMPLATE_NOTE]
    if kind == "greeting":
        notes.insert(0, "あいさつの言葉そのものは、練習エンジンには作れません。盛り込む事項を骨組みとして並べています。")
    return notes


def _fact_rank(line: str) -> int:
    if re.match(r"^(?:\d+\.|■|件名:)", line) and GENERIC_MISSING not in line or "下記のとおり" in line:
        return 1
    if GENERIC_MISSING in line or line in ("記", "以上", "【問い合わせ先】") or "問い合わせ先" in line:
        return 2
    return 3


def _run_facts(facts: list[tuple[str, str]], prompt: Prompt, slots: Slots, limit: int | None,
               count: int | None) -> str:
    """A draft from a list of facts, in the requested style and within the requested length."""
    kind = fact_kind(prompt.request, facts)
    body, own_notes = split_notes(draft_from_facts(facts, prompt.request, slots))
    notes: list[str] = []
    style = prompt.asked.style
    if kind in ("request", "reply", "mail", "greeting"):
        if style == "plain":
            notes.append("メールとあいさつ文は、です・ます調で書いています。")
        style = None
    body = _restyle(body, style, notes)
    if limit is not None or count is not None:
        lines = [Line(line, _fact_rank(line)) for line in body.splitlines() if line.strip()]
        body = fit_lines(lines, count=count, limit=limit, wording=str(prompt.asked.length or ""), notes=notes)
    return with_notes(body, own_notes + notes + fact_notes(kind))
