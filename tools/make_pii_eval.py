"""Generate the personal-data evaluation set ``datasets/pii/eval.jsonl`` (all fictional).

    .venv/bin/python tools/make_pii_eval.py [--out datasets/pii/eval.jsonl] [--seed 20250601]

Every document is built from a template (相談記録, 申請書, 窓口メール, 議事録, …)
filled with fictional people, fictional towns (若葉市みどり町 …) and numbers made
here: マイナンバー and 法人番号 with valid check digits, Luhn-valid card numbers,
and, as hard negatives, numbers whose check digits are deliberately wrong.
The generator writes the text piece by piece, so each gold span's offsets are
exact by construction (Python str indices into the original text).

Deterministic: the same seed gives the same file byte for byte (stdlib only).
Before writing, the generator checks itself: every span's text is
``text[start:end]``, spans do not overlap, check digits of gold and negative
numbers are right/wrong as intended, and no unannotated stretch of a text looks
like a card number, an e-mail address, a phone number or a 〒 postal code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import string
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20250601
OUT = Path(__file__).resolve().parent.parent / "datasets" / "pii" / "eval.jsonl"
TODAY = dt.date(2025, 6, 1)  # "now" for ages and recent dates

# labels of hard negatives whose check digits the tests verify
BAD_MYNUMBER = "検査数字誤りの12桁"
BAD_CORPORATE = "検査数字誤りの13桁"
BAD_LUHN = "Luhn不成立の16桁"


# ---------------------------------------------------------------------------
# check digits

def mynumber_check_digit(first11: str) -> int:
    """個人番号の検査用数字: P(n) counted from the right of the first 11 digits."""
    total = sum(int(first11[11 - n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    r = total % 11
    return 0 if r <= 1 else 11 - r


def corporate_check_digit(base12: str) -> int:
    """法人番号の検査用数字 (the first of the 13 digits)."""
    total = sum(int(base12[12 - n]) * (1 if n % 2 else 2) for n in range(1, 13))
    return 9 - total % 9


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_valid_mynumber(digits: str) -> bool:
    return len(digits) == 12 and digits.isdigit() and mynumber_check_digit(digits[:11]) == int(digits[11])


def is_valid_corporate(digits: str) -> bool:
    return len(digits) == 13 and digits.isdigit() and corporate_check_digit(digits[1:]) == int(digits[0])


# ---------------------------------------------------------------------------
# text helpers

_FULL = str.maketrans("0123456789-()/.:", "０１２３４５６７８９－（）／．：")
_HALF = str.maketrans("０１２３４５６７８９", "0123456789")
KANJI_DIGITS = "〇一二三四五六七八九"


def zen(text: str) -> str:
    """Full-width digits, hyphens, parentheses (as typed by many residents and in Word forms)."""
    return text.translate(_FULL)


def digits_only(text: str) -> str:
    return re.sub(r"\D", "", text.translate(_HALF))


def kanji_number(n: int) -> str:
    """1..99 as 一 .. 九十九 (as written in 丁目 and 番地)."""
    tens, ones = divmod(n, 10)
    out = ""
    if tens:
        out += ("" if tens == 1 else KANJI_DIGITS[tens]) + "十"
    if ones:
        out += KANJI_DIGITS[ones]
    return out


WEEKDAYS = "月火水木金土日"


def wareki(day: dt.date) -> tuple[str, int, str]:
    if day >= dt.date(2019, 5, 1):
        return "令和", day.year - 2018, "R"
    if day >= dt.date(1989, 1, 8):
        return "平成", day.year - 1988, "H"
    return "昭和", day.year - 1925, "S"


def jdate(day: dt.date, weekday: bool = False) -> str:
    era, year, _ = wareki(day)
    text = f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return text + (f"（{WEEKDAYS[day.weekday()]}）" if weekday else "")


# ---------------------------------------------------------------------------
# documents

@dataclass(frozen=True)
class P:
    """A gold span: personal data of ``kind``."""
    kind: str
    text: str


@dataclass(frozen=True)
class N:
    """A hard negative: looks like personal data, is not (recorded, not a span)."""
    label: str
    text: str


@dataclass
class Doc:
    genre: str
    parts: list[str] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    negatives: list[dict] = field(default_factory=list)
    pos: int = 0

    def _text(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def _value(self, value) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                self._value(item)
        elif isinstance(value, P):
            self.spans.append({"kind": value.kind, "start": self.pos, "end": self.pos + len(value.text),
                               "text": value.text})
            self._text(value.text)
        elif isinstance(value, N):
            self.negatives.append({"label": value.label, "start": self.pos, "end": self.pos + len(value.text),
                                   "text": value.text})
            self._text(value.text)
        elif value is not None:
            self._text(str(value))

    def add(self, template: str = "", **slots) -> Doc:
        """Append ``template``; each ``{slot}`` is a str, a P (gold span), an N (negative) or a list of them."""
        for literal, name, _, _ in string.Formatter().parse(template):
            self._text(literal)
            if name is not None:
                self._value(slots[name])
        return self

    def line(self, template: str = "", **slots) -> Doc:
        return self.add(template, **slots).add("\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------------------
# fictional fillers

SURNAMES = [
    ("佐藤", "サトウ", "sato"), ("鈴木", "スズキ", "suzuki"), ("高橋", "タカハシ", "takahashi"),
    ("田中", "タナカ", "tanaka"), ("伊藤", "イトウ", "ito"), ("渡辺", "ワタナベ", "watanabe"),
    ("山本", "ヤマモト", "yamamoto"), ("中村", "ナカムラ", "nakamura"), ("小林", "コバヤシ", "kobayashi"),
    ("加藤", "カトウ", "kato"), ("吉田", "ヨシダ", "yoshida"), ("山田", "ヤマダ", "yamada"),
    ("佐々木", "ササキ", "sasaki"), ("山口", "ヤマグチ", "yamaguchi"), ("松本", "マツモト", "matsumoto"),
    ("井上", "イノウエ", "inoue"), ("木村", "キムラ", "kimura"), ("林", "ハヤシ", "hayashi"),
    ("斎藤", "サイトウ", "saito"), ("清水", "シミズ", "shimizu"), ("山崎", "ヤマザキ", "yamazaki"),
    ("森", "モリ", "mori"), ("池田", "イケダ", "ikeda"), ("橋本", "ハシモト", "hashimoto"),
    ("阿部", "アベ", "abe"), ("石川", "イシカワ", "ishikawa"), ("前田", "マエダ", "maeda"),
    ("藤田", "フジタ", "fujita"), ("小川", "オガワ", "ogawa"), ("岡田", "オカダ", "okada"),
    ("後藤", "ゴトウ", "goto"), ("長谷川", "ハセガワ", "hasegawa"), ("村上", "ムラカミ", "murakami"),
    ("近藤", "コンドウ", "kondo"), ("石井", "イシイ", "ishii"), ("坂本", "サカモト", "sakamoto"),
    ("遠藤", "エンドウ", "endo"), ("青木", "アオキ", "aoki"), ("藤井", "フジイ", "fujii"),
    ("西村", "ニシムラ", "nishimura"), ("福田", "フクダ", "fukuda"), ("太田", "オオタ", "ota"),
    ("三浦", "ミウラ", "miura"), ("藤原", "フジワラ", "fujiwara"), ("岡本", "オカモト", "okamoto"),
    ("中川", "ナカガワ", "nakagawa"), ("原田", "ハラダ", "harada"), ("小野", "オノ", "ono"),
    ("竹内", "タケウチ", "takeuchi"), ("金子", "カネコ", "kaneko"), ("和田", "ワダ", "wada"),
    ("石田", "イシダ", "ishida"), ("森田", "モリタ", "morita"), ("柴田", "シバタ", "shibata"),
    ("酒井", "サカイ", "sakai"), ("工藤", "クドウ", "kudo"), ("宮本", "ミヤモト", "miyamoto"),
    ("内田", "ウチダ", "uchida"), ("高木", "タカギ", "takagi"), ("安藤", "アンドウ", "ando"),
    ("谷口", "タニグチ", "taniguchi"), ("大野", "オオノ", "ono"), ("丸山", "マルヤマ", "maruyama"),
    ("今井", "イマイ", "imai"), ("河野", "コウノ", "kono"), ("武田", "タケダ", "takeda"),
    ("杉山", "スギヤマ", "sugiyama"), ("増田", "マスダ", "masuda"), ("菅原", "スガワラ", "sugawara"),
    ("久保田", "クボタ", "kubota"), ("千葉", "チバ", "chiba"), ("野口", "ノグチ", "noguchi"),
    ("𠮷田", "ヨシダ", "yoshida"),  # a character outside the BMP, as in many 住民記録 systems
]
GIVEN_F = [
    ("花子", "ハナコ", "hanako"), ("陽子", "ヨウコ", "yoko"), ("美咲", "ミサキ", "misaki"),
    ("恵子", "ケイコ", "keiko"), ("由美", "ユミ", "yumi"), ("真由美", "マユミ", "mayumi"),
    ("さくら", "サクラ", "sakura"), ("結衣", "ユイ", "yui"), ("陽菜", "ヒナ", "hina"),
    ("美穂", "ミホ", "miho"), ("直美", "ナオミ", "naomi"), ("久美子", "クミコ", "kumiko"),
    ("千尋", "チヒロ", "chihiro"), ("彩", "アヤ", "aya"), ("智子", "トモコ", "tomoko"),
    ("京子", "キョウコ", "kyoko"), ("和子", "カズコ", "kazuko"), ("幸子", "サチコ", "sachiko"),
    ("明美", "アケミ", "akemi"), ("莉子", "リコ", "riko"), ("葵", "アオイ", "aoi"),
    ("芽衣", "メイ", "mei"), ("静香", "シズカ", "shizuka"), ("純子", "ジュンコ", "junko"),
    ("ひとみ", "ヒトミ", "hitomi"), ("節子", "セツコ", "setsuko"),
]
GIVEN_M = [
    ("太郎", "タロウ", "taro"), ("一郎", "イチロウ", "ichiro"), ("健一", "ケンイチ", "kenichi"),
    ("誠", "マコト", "makoto"), ("大輔", "ダイスケ", "daisuke"), ("翔太", "ショウタ", "shota"),
    ("拓也", "タクヤ", "takuya"), ("浩二", "コウジ", "koji"), ("隆", "タカシ", "takashi"),
    ("修", "オサム", "osamu"), ("和夫", "カズオ", "kazuo"), ("正樹", "マサキ", "masaki"),
    ("健太", "ケンタ", "kenta"), ("悠斗", "ユウト", "yuto"), ("蓮", "レン", "ren"),
    ("大翔", "ヒロト", "hiroto"), ("勇気", "ユウキ", "yuki"), ("直樹", "ナオキ", "naoki"),
    ("秀明", "ヒデアキ", "hideaki"), ("剛", "ツヨシ", "tsuyoshi"), ("博", "ヒロシ", "hiroshi"),
    ("茂", "シゲル", "shigeru"), ("清", "キヨシ", "kiyoshi"), ("颯太", "ソウタ", "sota"),
    ("達也", "タツヤ", "tatsuya"), ("雄一", "ユウイチ", "yuichi"),
]
# residents from abroad: written in katakana (surname first as on the 在留カード, or given name first)
FOREIGN = [
    ("グエン・ヴァン・ナム", "nguyen.nam", False), ("チャン・ティ・フォン", "tran.phuong", True),
    ("マリア・サントス", "maria.santos", True), ("キム・ミンジュ", "kim.minju", True), ("アナ・シルバ", "ana.silva", True),
    ("ラジ・クマール", "raj.kumar", False), ("ホセ・ゴメス", "jose.gomez", False), ("エミリー・ブラウン", "emily.brown", True),
    ("ファティマ・カーン", "fatima.khan", True), ("リ・ウェイ", "li.wei", False), ("パク・ジフン", "park.jihoon", False),
    ("ロドリゴ・オリベイラ", "rodrigo.oliveira", False), ("スミット・タパ", "sumit.thapa", False),
]

PREFS = ["北海道", "宮城県", "茨城県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "長野県",
         "静岡県", "愛知県", "京都府", "大阪府", "兵庫県", "岡山県", "広島県", "福岡県", "熊本県", "沖縄県"]
HOME_PREF = "神奈川県"
CITIES = ["若葉市", "朝日野市", "星ヶ丘市", "白鷺市", "桜台市"]  # fictional, in 神奈川県
OTHER_CITIES = ["汐見市", "梅ヶ丘市", "川辺野市", "桐原市", "鷹ノ台市", "みなと野市", "北原市"]  # fictional, elsewhere
WARDS = ["中央区", "東区", "西区", "みどり区"]
TOWNS = ["みどり町", "本町", "栄町", "旭町", "緑が丘", "若葉台", "東町", "桜木町", "松ケ丘", "曙町",
         "寿町", "花園", "中央", "柳町", "白鷺", "港町", "青葉台"]
RURAL = ["大字北原", "大字南沢", "字西山", "大字上川", "大字森下"]
BUILDINGS = ["みどりハイツ", "コーポ若葉", "グランメゾン朝日野", "サンライズ栄", "パークサイド旭",
             "メゾン・ド・さくら", "レジデンス本町", "ハイツ松ケ丘", "ライオンズ白鷺", "若葉台住宅",
             "シティコート港町", "ヴィラ花園"]
OFFICE_ADDRESS = "若葉市中央一丁目1番1号"
OFFICE_POSTAL = "241-8501"
FIXED_AREAS = [("045", 3), ("044", 3), ("046", 3), ("03", 2), ("06", 2), ("052", 3), ("011", 3),
               ("092", 3), ("048", 3), ("043", 3), ("0466", 4), ("0463", 4), ("0465", 4), ("0422", 4),
               ("0280", 4), ("01267", 5), ("04992", 5)]
OFFICE_AREA = "0467"
MAIL_DOMAINS = ["example.com", "example.jp", "example.ne.jp", "mail.example.co.jp", "example.org",
                "example.net", "mobile.example.ne.jp"]
DEPTS = [("総務課", "somu"), ("市民課", "shimin"), ("福祉課", "fukushi"), ("子育て支援課", "kosodate"),
         ("税務課", "zeimu"), ("保険年金課", "hoken"), ("介護保険課", "kaigo"), ("環境課", "kankyo"),
         ("道路課", "doro"), ("地域振興課", "chiiki"), ("会計課", "kaikei"), ("契約検査課", "keiyaku"),
         ("企画政策課", "kikaku"), ("生活支援課", "seikatsu")]
BANKS = ["若葉銀行", "朝日野信用金庫", "みどり農業協同組合", "星ヶ丘銀行", "白鷺信用組合", "さくら台銀行"]
BRANCHES = ["本店", "みどり町支店", "駅前支店", "栄支店", "若葉台出張所", "旭支店", "中央支店"]
COMPANIES = ["株式会社みどり建設", "若葉造園株式会社", "有限会社ひかり印刷", "株式会社朝日野システム",
             "星ヶ丘交通株式会社", "株式会社白鷺設備", "合同会社さくら台ラボ", "若葉給食サービス株式会社",
             "一般社団法人わかば地域支援", "社会福祉法人みどり会", "株式会社港町清掃", "特定非営利活動法人はなぞの"]
NAMED_COMPANIES = ["{sei}建設株式会社", "有限会社{sei}工務店", "{sei}電機株式会社", "株式会社{sei}商店"]
# account holder names of companies, as banks print them (not personal names)
COMPANY_KANA = {"株式会社みどり建設": "カ）ミドリケンセツ", "若葉造園株式会社": "ワカバゾウエン（カ", "有限会社ひかり印刷": "ユ）ヒカリインサツ",
                "株式会社朝日野システム": "カ）アサヒノシステム", "株式会社白鷺設備": "カ）シラサギセツビ",
                "合同会社さくら台ラボ": "ド）サクラダイラボ", "株式会社港町清掃": "カ）ミナトマチセイソウ"}
ORGS = ["若葉市社会福祉協議会", "若葉市シルバー人材センター", "若葉警察署", "若葉市立みどり小学校",
        "若葉市民病院", "若葉市消防本部", "みどり町自治会", "若葉市国際交流協会", "若葉市観光協会",
        "若葉市地域包括支援センター", "若葉市教育委員会"]
PLACES = ["市民会館", "駅前", "若葉駅前", "中央公民館", "みどり町公民館", "若葉市役所本庁舎", "総合体育館",
          "市立図書館", "若葉駅東口ロータリー", "朝日野市", "星ヶ丘市", "若葉市", "みどり町地区", "旭町商店街"]
TITLES_ONLY = ["総務課長", "市民課長", "福祉課長", "子育て支援課長", "税務課長", "担当係長", "課長補佐",
               "総務部長", "健康福祉部長", "事務局長", "委員長", "副委員長", "主任", "担当者"]


@dataclass
class Person:
    sei: str
    mei: str
    sei_kana: str
    mei_kana: str
    romaji: str
    birth: dt.date
    female: bool
    foreign: bool = False

    def full(self, sep: str = " ") -> str:
        return self.sei if self.foreign else f"{self.sei}{sep}{self.mei}"

    def kana(self, sep: str = " ") -> str:
        if self.foreign:
            return self.sei
        return f"{self.sei_kana}{sep}{self.mei_kana}"

    @property
    def family(self) -> str:
        """What follows as さん/様 when only the family name is used (the whole name for foreign names)."""
        return self.sei

    def age(self) -> int:
        return TODAY.year - self.birth.year - ((TODAY.month, TODAY.day) < (self.birth.month, self.birth.day))


@dataclass
class Address:
    pref: str
    city: str
    ward: str
    town: str
    block: str
    building: str


class Fill:
    """All random choices, from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_people: set[str] = set()
        self.office_lines = {romaji: (self.phone_digits("office"), self.phone_digits("office")) for _, romaji in DEPTS}

    def choice(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def digits(self, n: int, first_nonzero: bool = False) -> str:
        out = "".join(self.rng.choice("0123456789") for _ in range(n))
        if first_nonzero and out[0] == "0":
            out = self.rng.choice("123456789") + out[1:]
        return out

    # --- people ---------------------------------------------------------

    def person(self, kind: str = "adult", foreign: float = 0.06, female: bool | None = None) -> Person:
        if kind == "child":
            birth = TODAY - dt.timedelta(days=self.rng.randint(200, 365 * 15))
        elif kind == "infant":
            birth = TODAY - dt.timedelta(days=self.rng.randint(120, 365 * 5))
        elif kind == "parent":
            birth = dt.date(1978, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 22))
        elif kind == "senior":
            birth = dt.date(1935, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 25))
        else:
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 55))
        wanted = female
        female = self.chance(0.5) if female is None else female
        if kind not in ("child", "infant") and self.chance(foreign):
            name, romaji, female = self.choice([x for x in FOREIGN if wanted is None or x[2] == wanted])
            return Person(name, "", name, "", romaji, birth, female, foreign=True)
        for _ in range(50):
            sei, sei_kana, sei_r = self.choice(SURNAMES[:-1]) if self.chance(0.995) else SURNAMES[-1]
            mei, mei_kana, mei_r = self.choice(GIVEN_F if female else GIVEN_M)
            if sei + mei not in self.used_people:
                break
        self.used_people.add(sei + mei)
        return Person(sei, mei, sei_kana, mei_kana, f"{mei_r}.{sei_r}", birth, female)

    def relative(self, of: Person, kind: str = "adult", female: bool | None = None) -> Person:
        """Someone in the same household: same family name."""
        p = self.person(kind, foreign=0.0, female=female)
        if of.foreign:
            return p
        return Person(of.sei, p.mei, of.sei_kana, p.mei_kana, p.romaji.split(".")[0] + "." + of.romaji.split(".")[-1],
                      p.birth, p.female)

    def name_text(self, p: Person) -> str:
        """A full name as written on forms: with a half- or full-width space, or none."""
        if p.foreign:
            return p.sei if self.chance(0.7) else p.sei.replace("・", " ")
        return p.full(self.choice([" ", " ", "\u3000", "\u3000", ""]))

    # --- places ---------------------------------------------------------

    def address(self, city: str | None = None, pref: str | None = None, building: float = 0.45) -> Address:
        pref = pref or HOME_PREF
        if pref != HOME_PREF:
            city = city or self.choice(OTHER_CITIES)
        city = city or (self.choice(CITIES) if self.chance(0.2) else "若葉市")
        ward = self.choice(WARDS) if city == "若葉市" and self.chance(0.25) else ""
        rural = self.chance(0.12)
        town = self.choice(RURAL) if rural else self.choice(TOWNS)
        chome, ban, go = self.rng.randint(1, 8), self.rng.randint(1, 40), self.rng.randint(1, 30)
        if rural:
            lot = self.rng.randint(100, 3999)
            block = self.choice([f"{lot}番地", f"{lot}番地{self.rng.randint(1, 9)}", f"{lot}-{self.rng.randint(1, 20)}",
                                 f"{lot}番地の{kanji_number(self.rng.randint(1, 9))}"])
        else:
            block = self.choice([
                f"{chome}丁目{ban}番{go}号", f"{chome}-{ban}-{go}", f"{chome}丁目{ban}-{go}",
                f"{kanji_number(chome)}丁目{ban}番{go}号", f"{kanji_number(chome)}丁目{kanji_number(ban)}番地の{kanji_number(go)}",
                f"{chome}-{ban}-{go}", f"{chome}丁目{ban}番地{go}", f"{ban}番{go}号"])
        bld = ""
        if self.chance(building):
            name = self.choice(BUILDINGS)
            room = f"{self.rng.randint(1, 12)}{self.rng.randint(1, 9):02d}"
            bld = self.choice([f"{name}{room}号室", f"{name} {room}号室", f"{name}{room}", f"{name} {room}",
                               f"{name}{self.rng.randint(1, 5)}号棟{room}号室", f"{name}{self.choice('ABC')}棟{room}号"])
            bld = (" " if self.chance(0.5) else "\u3000" if self.chance(0.3) else "") + bld
        return Address(pref, city, ward, town, block, bld)

    def address_text(self, a: Address | None = None, with_pref: float = 0.5, fullwidth: float = 0.12) -> str:
        a = a or self.address()
        head = (a.pref if self.chance(with_pref) else "") + a.city + a.ward + a.town
        block = a.block
        text = head + block + a.building
        return zen(text) if self.chance(fullwidth) else text

    def postal(self) -> str:
        return f"{self.digits(3)}-{self.digits(4)}"

    def postal_block(self, addr_text: str | None = None, sep: str | None = None) -> list:
        """〒 and the address, as separate spans (the 〒 mark itself is not annotated)."""
        code = self.postal()
        style = self.choice(["〒", "〒", "〒", "〒 ", "〒fw", "〒7", "郵便番号 "])
        if style == "〒fw":
            mark, value = "〒", zen(code)
        elif style == "〒7":
            mark, value = "〒", code.replace("-", "")
        else:
            mark, value = style, code
        sep = sep if sep is not None else self.choice([" ", "\u3000", "\n", " "])
        return [mark, P("postal_code", value), sep, P("address", addr_text or self.address_text())]

    # --- numbers --------------------------------------------------------

    def phone_digits(self, kind: str) -> tuple[str, ...]:
        if kind == "fixed":
            area, n = self.choice(FIXED_AREAS)
            return area, self.digits(6 - n, first_nonzero=True), self.digits(4)
        if kind == "mobile":
            return self.choice(["090", "080", "070"]), self.digits(4, first_nonzero=True), self.digits(4)
        if kind == "ip":
            return "050", self.digits(4, first_nonzero=True), self.digits(4)
        if kind == "free":
            return ("0120", self.digits(3), self.digits(3)) if self.chance(0.7) else \
                ("0800", self.digits(3, first_nonzero=True), self.digits(4))
        if kind == "navi":
            return "0570", self.digits(3), self.digits(3)
        if kind == "office":
            return OFFICE_AREA, self.digits(2, first_nonzero=True), self.digits(4)
        raise ValueError(kind)

    def phone(self, kind: str | None = None, style: str | None = None) -> str:
        kind = kind or self.choice(["fixed", "fixed", "mobile", "mobile", "mobile", "ip"])
        a, b, c = self.phone_digits(kind)
        style = style or self.choice(["hyphen"] * 6 + ["paren", "paren_mid", "plain", "space", "fw", "fw", "fw_paren"])
        if style == "hyphen":
            return f"{a}-{b}-{c}"
        if style == "paren":
            return f"({a}){b}-{c}"
        if style == "paren_mid":
            return f"{a}({b}){c}"
        if style == "plain":
            return f"{a}{b}{c}"
        if style == "space":
            return f"{a} {b} {c}"
        if style == "fw":
            return zen(f"{a}-{b}-{c}")
        if style == "fw_paren":
            return zen(f"({a}){b}-{c}")
        raise ValueError(style)

    def email(self, p: Person | None = None) -> str:
        if p is None:
            local = self.choice(["info", "contact", "wakaba.fan", "hanabi2025", "m-owner", "tsuchi.kaze"])
        else:
            first, last = p.romaji.split(".")
            local = self.choice([f"{first}.{last}", f"{last}.{first}", f"{last}_{first[0]}{p.birth.year % 100:02d}",
                                 f"{first}{self.rng.randint(1, 999)}", f"{first[0]}-{last}", f"{last}{p.birth.month:02d}{p.birth.day:02d}",
                                 f"{first}.{last}+city"])
        return f"{local}@{self.choice(MAIL_DOMAINS)}"

    def office_email(self, romaji: str) -> str:
        return f"{romaji}@city.wakaba.example.lg.jp"

    def mynumber(self, style: str | None = None) -> str:
        first = self.digits(11, first_nonzero=True)
        number = first + str(mynumber_check_digit(first))
        return self._group12(number, style)

    def bad_mynumber(self, style: str | None = None) -> str:
        first = self.digits(11, first_nonzero=True)
        good = mynumber_check_digit(first)
        number = first + str((good + self.rng.randint(1, 9)) % 10)
        assert not is_valid_mynumber(number)
        return self._group12(number, style)

    def _group12(self, number: str, style: str | None) -> str:
        style = style or self.choice(["plain", "plain", "space", "space", "hyphen", "fw", "fw_space"])
        grouped = f"{number[:4]} {number[4:8]} {number[8:]}"
        return {"plain": number, "space": grouped, "hyphen": grouped.replace(" ", "-"), "fw": zen(number),
                "fw_space": zen(grouped).replace(" ", "\u3000")}[style]

    def corporate(self) -> str:
        while True:
            base = self.digits(12)
            number = str(corporate_check_digit(base)) + base
            if not luhn_valid(number):  # never also a 13-digit card number
                break
        return zen(number) if self.chance(0.15) else number

    def bad_corporate(self) -> str:
        while True:
            number = self.digits(13, first_nonzero=True)
            if not is_valid_corporate(number) and not luhn_valid(number):
                return number

    def card(self, style: str | None = None) -> str:
        brand = self.choice(["visa", "visa", "master", "jcb", "jcb", "amex", "diners"])
        prefix, length = {"visa": ("4", 16), "master": (self.choice(["51", "53", "55", "22"]), 16),
                          "jcb": ("35" + self.choice("2345678"), 16), "amex": (self.choice(["34", "37"]), 15),
                          "diners": ("36", 14)}[brand]
        body = prefix + self.digits(length - len(prefix) - 1)
        for last in "0123456789":
            if luhn_valid(body + last):
                number = body + last
                break
        style = style or self.choice(["space", "space", "hyphen", "plain", "fw"])
        groups = {16: (4, 4, 4, 4), 15: (4, 6, 5), 14: (4, 6, 4)}[length]
        parts, i = [], 0
        for g in groups:
            parts.append(number[i:i + g])
            i += g
        if style == "plain":
            return number
        if style == "hyphen":
            return "-".join(parts)
        if style == "fw":
            return zen(" ".join(parts)).replace(" ", "\u3000") if self.chance(0.5) else zen(number)
        return " ".join(parts)

    def bad_luhn16(self, grouped: bool | None = None) -> str:
        while True:
            number = self.digits(16, first_nonzero=True)
            # no inner group starting with 0: "… 0358 0786 2717" would also read as a phone number
            if not luhn_valid(number) and "0" not in number[4::4]:
                break
        if grouped if grouped is not None else self.chance(0.4):
            return " ".join(number[i:i + 4] for i in range(0, 16, 4))
        return number

    def account(self) -> str:
        number = self.digits(7)
        return zen(number) if self.chance(0.12) else number

    def yucho(self) -> str:
        return f"1{self.digits(3)}0-{self.digits(7, first_nonzero=True)}1"

    def resident_code(self) -> str:
        number = self.digits(11, first_nonzero=True)
        return zen(number) if self.chance(0.15) else number

    # --- dates and the like ---------------------------------------------

    def recent(self, days: int = 400) -> dt.date:
        return TODAY - dt.timedelta(days=self.rng.randint(0, days))

    def workday(self, days: int = 200, future: bool = False) -> dt.date:
        """A recent (or coming) Monday to Friday: when offices meet."""
        while True:
            day = self.soon(days) if future else self.recent(days)
            if day.weekday() < 5:
                return day

    def soon(self, days: int = 90) -> dt.date:
        return TODAY + dt.timedelta(days=self.rng.randint(3, days))

    def birth_text(self, day: dt.date, styles: list[str] | None = None) -> str:
        era, year, abbr = wareki(day)
        y = "元" if year == 1 and self.chance(0.6) else str(year)
        style = self.choice(styles or ["wareki", "wareki", "wareki", "abbr", "abbr0", "slash", "slash0", "seireki",
                                       "iso", "wareki_fw", "seireki_fw", "abbr_slash"])
        m, d = day.month, day.day
        return {
            "wareki": f"{era}{y}年{m}月{d}日",
            "abbr": f"{abbr}{year}.{m}.{d}",
            "abbr0": f"{abbr}{year:02d}.{m:02d}.{d:02d}",
            "abbr_slash": f"{abbr}{year}/{m}/{d}",
            "slash": f"{day.year}/{m}/{d}",
            "slash0": f"{day.year}/{m:02d}/{d:02d}",
            "seireki": f"{day.year}年{m}月{d}日",
            "iso": day.isoformat(),
            "wareki_fw": zen(f"{era}{year}年{m}月{d}日"),
            "seireki_fw": zen(f"{day.year}年{m}月{d}日"),
        }[style]

    def amount(self, low: int = 1000, high: int = 900000) -> str:
        value = self.rng.randint(low // 100, high // 100) * 100
        return self.choice([f"{value:,}円", f"{value:,}円", f"￥{value:,}", zen(f"{value:,}") + "円"])

    def receipt_no(self) -> str:
        return self.choice([f"R7-{self.digits(4)}", f"受{self.digits(5)}", f"2025-{self.digits(4)}-{self.digits(3)}",
                            f"A{self.digits(8)}", f"第{self.rng.randint(1, 999)}号", f"{self.digits(6)}"])

    def doc_no(self) -> str:
        return f"若葉{self.choice(['総', '市', '福', '子', '税', '環', '道', '契'])}第{self.rng.randint(1, 2999)}号"

    def ext(self) -> str:
        return self.choice([f"内線 {self.digits(4, True)}", f"内線{self.digits(4, True)}", f"内線：{self.digits(3, True)}",
                            f"内線 {zen(self.digits(4, True))}"])

    def time(self) -> str:
        return self.choice([f"{self.rng.randint(9, 16)}:{self.choice(['00', '15', '30', '45', '10', '40'])}",
                            f"{self.rng.randint(9, 11)}時{self.choice(['', '30分', '15分'])}",
                            f"午後{self.rng.randint(1, 4)}時{self.choice(['', '30分'])}"])


# ---------------------------------------------------------------------------
# templates: each returns one Doc

def t_consult(f: Fill) -> Doc:
    d = Doc("相談記録")
    body = f.choice([
        "勤務先の飲食店が閉店し、先月から収入がない。家賃（月額{rent}）の支払いが2か月滞っており、今後の生活が不安とのこと。",
        "国民健康保険税の納付が難しく、分割納付を相談したいとのこと。滞納額は{rent}。",
        "同居する母（{rel}さん、{rb}生まれ）の物忘れが目立ち、介護保険の申請方法を知りたいとのこと。",
        "長男が不登校の状態で、学校との連絡も含めて相談したいとのこと。{staffsei}主任が同席した。",
        "離職後、住居確保給付金の対象になるか知りたいとのこと。前職の給与は月{rent}程度。",
        "夫（{rel}氏）からの暴言が続いており、子どもと家を出ることも考えているとのこと。",
        "ひとり親で、児童扶養手当の手続きと就労支援について相談したいとのこと。",
    ])
    p = f.person("parent" if "長男" in body or "ひとり親" in body else "adult", female=True if "夫" in body else None)
    staff = f.person(foreign=0.0)
    received = f.workday(400)
    d.line(f.choice(["【相談記録】", "相談受付票", "面接記録票（生活相談）", "■ 相談記録", "相談記録（初回面接）"]))
    d.line("受付日：{date}　{time}　受付番号：{no}", date=N("受付日", jdate(received, True)), time=f.time(),
           no=N("受付番号", f.receipt_no()))
    d.line("相談者：{name}（{kana}）", name=P("person_name", f.name_text(p)), kana=P("person_name", p.kana()))
    if f.chance(0.8):
        if f.chance(0.5):
            d.line("生年月日：{b}（{age}歳）", b=P("birthdate", f.birth_text(p.birth)), age=p.age())
        else:
            d.line("{b}生まれ　{age}歳　{sex}", b=P("birthdate", f.birth_text(p.birth)), age=p.age(),
                   sex="女性" if p.female else "男性")
    d.line("住所：{a}", a=f.postal_block(sep=" ") if f.chance(0.6) else P("address", f.address_text()))
    d.line("連絡先：{ph}{note}", ph=P("phone", f.phone()), note=f.choice(["", "（携帯）", "（日中可）", "（自宅）"]))
    d.line("相談経路：{r}", r=f.choice(["来所", "電話", "民生委員からの紹介", "若葉市社会福祉協議会からの紹介", "地域包括支援センター経由"]))
    d.line("【相談内容】")
    rel = f.relative(p, "senior" if "母" in body else "adult", female="母" in body)
    d.line(body, rent=N("金額", f.amount(30000, 400000)),
           rel=P("person_name", rel.family if "さん" in body else f.name_text(rel)),
           rb=P("birthdate", f.birth_text(rel.birth)), staffsei=P("person_name", staff.family))
    d.line("【対応】")
    d.line(f.choice([
        "{sei}（{dept}）が対応。生活困窮者自立相談支援窓口につなぐ。次回面談は{next}、本庁舎2階相談室。",
        "住居確保給付金の申請書を郵送する。担当：{dept} {sei}",
        "地域包括支援センターに情報提供（本人同意済み）。{dept}の{sei}が対応した。",
        "{sei}が対応。必要書類を説明し、{next}に再来所の予定。",
    ]), sei=P("person_name", f.name_text(staff) if f.chance(0.5) else staff.family),
        dept=f.choice(["福祉課", "生活支援課", "子育て支援課", "保険年金課"]),
        next=N("面談日", jdate(f.workday(30, future=True), True)))
    return d


def t_consumer(f: Fill) -> Doc:
    d = Doc("相談記録")
    p = f.person(f.choice(["senior", "senior", "adult"]))
    d.line("若葉市消費生活センター　相談受付カード")
    d.line("受付日：{d}　受付者：相談員 {s}", d=N("受付日", jdate(f.workday(400), True)), s=P("person_name", f.person(foreign=0).family))
    d.line("相談者：{n}（{age}歳・{sex}）", n=P("person_name", f.name_text(p)), age=p.age(), sex="女性" if p.female else "男性")
    if f.chance(0.6):
        d.line("住所：{a}", a=P("address", f.address_text()))
    d.line("電話：{ph}", ph=P("phone", f.phone()))
    d.line("【相談概要】")
    fraud_phone = f.phone(f.choice(["fixed", "ip", "mobile", "free", "navi"]), "hyphen")
    holder = f.person(foreign=0.0)
    scenario = f.choice(["refund", "card", "card", "both", "shopping", "shopping"])
    if scenario in ("refund", "both"):
        d.line("「{office}」を名乗る者から電話（{ph}）があり、「医療費の還付金がある」と言われた。"
               "指示どおりATMを操作し、{bank}{branch} 普通 {acct}（名義：{holder}）に{amt}を振り込んでしまった。",
               office=f.choice(["若葉市役所保険年金課", "年金事務所", "若葉市福祉課"]), ph=P("phone", fraud_phone),
               bank=f.choice(BANKS), branch=f.choice(BRANCHES), acct=P("bank_account", f.account()),
               holder=P("person_name", holder.kana()), amt=N("金額", f.amount(50000, 990000)))
    if scenario in ("card", "both"):
        d.line(f.choice([
            "宅配業者を装ったSMSのリンクからサイトに入り、クレジットカード番号（{card}）と有効期限を入力してしまった。",
            "通販サイトでクレジットカード {card} を登録したところ、身に覚えのない請求（{amt}）が届いた。",
            "「未納料金がある」という電話でカード番号 {card} を伝えてしまった。",
        ]), card=P("credit_card", f.card()), amt=N("金額", f.amount(3000, 200000)))
    if scenario == "shopping":
        d.line("定期購入と知らずにサプリメントを注文した。事業者の連絡先（{ph}）に何度かけてもつながらない。"
               "支払いはカード（{card}）。", ph=P("phone", fraud_phone), card=P("credit_card", f.card()))
    d.line("【助言・処理】")
    d.line({"refund": "振込先の金融機関に連絡し、口座凍結を依頼するよう助言。警察相談専用電話を案内した。",
            "card": "カード会社に連絡してカードを止めるよう助言。若葉警察署生活安全課を案内した。",
            "both": "カード会社と振込先の金融機関にすぐ連絡するよう助言。若葉警察署に被害を届け出るよう案内した。",
            "shopping": "通信販売のためクーリング・オフの対象外。最終確認画面の表示を確認し、事業者との交渉方法を助言した。"}[scenario])
    return d


def t_application(f: Fill) -> Doc:
    kind = f.choice(["給付金", "住民票", "児童手当", "国保", "補助金個人"])
    d = Doc("申請書")
    p = f.person("parent" if kind == "児童手当" else "adult")
    sep = f.choice(["：", "：", " ", "\u3000", ": "])
    title = {"給付金": "若葉市物価高騰対策給付金 申請書", "住民票": "住民票の写し等交付請求書",
             "児童手当": "児童手当 認定請求書", "国保": "国民健康保険 資格取得届",
             "補助金個人": "若葉市住宅用太陽光発電設備設置費補助金 交付申請書"}[kind]
    d.line(title)
    d.line("申請日{s}{day}", s=sep, day=N("申請日", jdate(f.recent(60)) if f.chance(0.7) else
                                       zen(jdate(f.recent(60))) if f.chance(0.5) else f.recent(60).strftime("%Y/%m/%d")))
    d.line("若葉市長 様" if f.chance(0.5) else "（宛先）若葉市長")
    d.line("申請者")
    d.line("　住所{s}{a}", s=sep, a=f.postal_block() if f.chance(0.7) else P("address", f.address_text()))
    d.line("　フリガナ{s}{k}", s=sep, k=P("person_name", p.kana(f.choice([" ", "\u3000", ""])) if not p.foreign else p.sei))
    d.line("　氏名{s}{n}", s=sep, n=P("person_name", f.name_text(p)))
    d.line("　生年月日{s}{b}", s=sep, b=P("birthdate", f.birth_text(p.birth)))
    d.line("　電話番号{s}{ph}", s=sep, ph=P("phone", f.phone()))
    if f.chance(0.45):
        d.line("　メールアドレス{s}{m}", s=sep, m=P("email", f.email(p)))
    if kind in ("給付金", "児童手当", "国保") or f.chance(0.3):
        d.line("　個人番号{s}{mn}", s=sep, mn=P("mynumber", f.mynumber()))
    if kind == "住民票":
        d.line("請求の対象者{s}{who}", s=sep, who=f.choice(["本人", "本人及び世帯全員", "同一世帯の者"]))
        d.line("住民票コードの記載{s}{w}", s=sep, w=f.choice(["要", "不要"]))
        d.line("使用目的{s}{u}", s=sep, u=f.choice(["年金の手続き", "自動車の登録", "勤務先への提出", "相続手続き"]))
        d.line("（職員記入欄）本人確認書類：{doc}　交付手数料 {fee}", doc=f.choice(["運転免許証", "マイナンバーカード", "在留カード"]),
               fee=N("金額", f.choice(["300円", "600円", "900円"])))
        if f.chance(0.6):
            d.line("住民票コード（照会結果）{s}{rc}", s=sep, rc=P("resident_code", f.resident_code()))
    if kind == "児童手当":
        d.line("対象児童")
        children = sorted((f.relative(p, "child") for _ in range(f.choice([1, 1, 2, 2, 3]))), key=lambda c: c.birth)
        sons = daughters = 0
        for c in children:
            if c.female:
                daughters += 1
            else:
                sons += 1
            order = "長次三"[(daughters if c.female else sons) - 1]
            d.line("　{n}（{b}生）{rel}", n=P("person_name", f.name_text(c)), b=P("birthdate", f.birth_text(c.birth)),
                   rel=order + ("女" if c.female else "男"))
    if kind in ("給付金", "児童手当", "補助金個人"):
        d.line("振込先口座")
        bank = f.choice(BANKS + ["ゆうちょ銀行"])
        if bank == "ゆうちょ銀行" and f.chance(0.5):
            d.line("　ゆうちょ銀行　記号番号{s}{a}", s=sep, a=P("bank_account", f.yucho()))
        else:
            d.line("　{bank} {branch}（店番 {br}）", bank=bank, branch=f.choice(BRANCHES) if bank != "ゆうちょ銀行" else "〇一八店",
                   br=N("店番", f.digits(3)))
            d.line("　種別{s}{t}　口座番号{s}{a}", s=sep, t=f.choice(["普通", "普通", "当座", "普通預金"]),
                   a=P("bank_account", f.account()))
        d.line("　口座名義{s}{k}", s=sep, k=P("person_name", p.kana()))
    if kind == "補助金個人":
        d.line("補助対象経費{s}{a}　交付申請額{s}{b}", s=sep, a=N("金額", f.amount(500000, 2000000)),
               b=N("金額", f.amount(50000, 200000)))
        d.line("施工業者{s}{c}（法人番号 {cn}）", s=sep, c=f.choice(COMPANIES[:6]), cn=P("corporate_number", f.corporate()))
    return d


def t_subsidy_company(f: Fill) -> Doc:
    d = Doc("申請書")
    company, company_kana = f.choice(list(COMPANY_KANA.items()))
    rep = f.person(foreign=0.03)
    contact = f.person(foreign=0.0)
    title = f.choice(["若葉市中小企業設備投資補助金交付申請書", "若葉市創業支援補助金 交付申請書", "入札参加資格審査申請書（物品・役務）",
                      "若葉市事業者支援金 申請書"])
    d.line(title)
    d.line("{day}", day=N("申請日", jdate(f.recent(90))))
    d.line("若葉市長　様")
    d.line("所在地　{a}", a=f.postal_block(f.address_text(f.address(building=0.3))))
    d.line("名称　{c}", c=N("組織名", company))
    d.line("代表者職氏名　{t}　{n}", t="代表社員" if "合同会社" in company else "代表取締役", n=P("person_name", f.name_text(rep)))
    d.line("法人番号　{cn}", cn=P("corporate_number", f.corporate()))
    d.line("担当者　{dept} {n}（電話 {ph}、E-mail {m}）", dept=f.choice(["総務部", "経理課", "営業部", "事務局"]),
           n=P("person_name", f.name_text(contact)), ph=P("phone", f.phone(f.choice(["fixed", "fixed", "ip"]))),
           m=P("email", f.email(contact) if f.chance(0.7) else f.email()))
    if "入札" in title:
        d.line("希望業種　{a}、{b}", a=f.choice(["印刷", "電算処理", "清掃"]), b=f.choice(["設備保守", "造園", "運送"]))
        d.line("資本金　{a}　年間売上高　{b}", a=N("金額", f.amount(3000000, 50000000)), b=N("金額", f.amount(50000000, 900000000)))
        d.line("根拠　若葉市契約規則（平成19年若葉市規則第{n}号）第{k}条", n=N("条例番号", str(f.rng.randint(1, 40))), k=f.rng.randint(2, 12))
    else:
        d.line("申請額　{a}（補助対象経費 {b} の2分の1以内）", a=N("金額", f.amount(100000, 1000000)),
               b=N("金額", f.amount(200000, 2000000)))
        d.line("根拠　若葉市中小企業振興条例（{y}年若葉市条例第{n}号）第{k}条", y=f.choice(["平成28", "令和2", "令和5"]),
               n=N("条例番号", str(f.rng.randint(1, 40))), k=f.rng.randint(2, 12))
    if "入札" not in title and f.chance(0.7):
        d.line("振込先　{bank} {branch}　{t}　{a}　名義 {k}", bank=f.choice(BANKS), branch=f.choice(BRANCHES),
               t=f.choice(["普通", "当座"]), a=P("bank_account", f.account()), k=N("口座名義（法人）", company_kana))
    return d


def signature(f: Fill, d: Doc, staff: Person, dept: tuple[str, str]) -> None:
    rule = f.choice(["――――――――――――――――", "--------------------------------", "＊＊＊＊＊＊＊＊＊＊＊＊", "━━━━━━━━━━━━"])
    d.line(rule)
    d.line("若葉市 {dept} {kakari}", dept=dept[0], kakari=f.choice(["", "庶務係", "管理係", "相談係", "給付係", "業務係"]))
    d.line("{n}", n=P("person_name", f.name_text(staff)))
    if f.chance(0.7):
        d.line("〒{pc} {a}", pc=P("postal_code", OFFICE_POSTAL), a=P("address", OFFICE_ADDRESS))
    (a, b, c), (x, y, z) = f.office_lines[dept[1]]
    d.line("TEL：{ph}（{ext}）", ph=P("phone", f.choice([f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"({a}){b}-{c}"])), ext=N("内線番号", f.ext()))
    if f.chance(0.5):
        d.line("FAX：{fx}", fx=P("phone", f"{x}-{y}-{z}"))
    d.line("E-mail：{m}", m=P("email", f.office_email(dept[1])))
    d.line(rule)


def t_mail_in(f: Fill) -> Doc:
    d = Doc("窓口メール")
    body = f.choice(["moving", "account", "road", "card", "mynumber", "childcare"])
    p = f.person("parent" if body == "childcare" else "adult")
    subject, dept = {
        "moving": (f.choice(["転入手続きの必要書類について", "転入後の手続きについて"]), DEPTS[1]),
        "account": ("給付金の振込先変更のお願い", DEPTS[13]),
        "road": (f.choice(["道路の陥没について", "市道の穴について（危険です）"]), DEPTS[8]),
        "card": ("ふるさと納税の受領証明書について", DEPTS[12]),
        "mynumber": ("マイナンバーカードの暗証番号について", DEPTS[1]),
        "childcare": ("保育園の入所申込について", DEPTS[3]),
    }[body]
    mail = f.email(p)
    home = f.address()
    d.line("件名：{s}", s=subject)
    d.line("差出人：{n} <{m}>", n=P("person_name", f.name_text(p)), m=P("email", mail))
    d.line("宛先：{m}", m=P("email", f.office_email(dept[1])))
    d.line()
    d.line("若葉市{dept}　ご担当者様", dept=dept[0])
    d.line()
    d.line(f.choice(["いつもお世話になっております。", "突然のメールで失礼します。", "お世話になります。"]))
    d.line(f.choice(["{town}に住んでいる{n}と申します。", "{n}です。", "先日窓口でご相談した{n}です。"]),
           town=N("地名", home.town.removeprefix("大字").removeprefix("字")), n=P("person_name", f.name_text(p) if f.chance(0.6) else p.family))
    if body == "moving":
        old = f.address(pref=f.choice(PREFS))
        d.line("{day}に{old}から転入しました。", day=N("転入日", jdate(f.recent(60))), old=N("地名", old.city))
        d.line("旧住所は{a}です。", a=P("address", f.address_text(old, with_pref=0.9)))
        d.line("転入届のほかに必要な手続きを教えていただけますか。")
    elif body == "account":
        d.line("給付金の振込先を変更したいです。新しい口座は{bank}{branch}の普通預金、口座番号{a}です。",
               bank=f.choice(BANKS), branch=f.choice(BRANCHES), a=P("bank_account", f.account()))
        d.line("名義は{k}です。", k=P("person_name", p.kana()))
    elif body == "road":
        d.line("{place}の近くの市道に穴が開いていて、自転車が危ないです。", place=N("地名", f.choice(PLACES[:9])))
        d.line("場所は{a}の前あたりです。", a=P("address", f.address_text(f.address(city="若葉市", building=0.0))))
    elif body == "card":
        d.line("ふるさと納税の寄附をクレジットカード（{c}）で申し込みましたが、受領証明書が届きません。",
               c=P("credit_card", f.card()))
        d.line("申込番号は{no}です。", no=N("受付番号", f.receipt_no()))
    elif body == "mynumber":
        d.line("マイナンバーカードの暗証番号を忘れてしまいました。私の個人番号は {mn} です。", mn=P("mynumber", f.mynumber()))
        d.line("生年月日は{b}です。再設定の予約はできますか。", b=P("birthdate", f.birth_text(p.birth)))
    else:
        child = f.relative(p, "infant")
        d.line("{c}（{b}生まれ）の保育園の入所申込について質問があります。", c=P("person_name", child.mei if f.chance(0.3) else f.name_text(child)),
               b=P("birthdate", f.birth_text(child.birth)))
        d.line("育休明けは{day}の予定です。", day=N("日付", jdate(f.soon(200))))
    d.line()
    d.line(f.choice(["日中は携帯（{ph}）に連絡をいただけると助かります。", "連絡先：{ph}", "お電話の場合は {ph} までお願いします。"]),
           ph=P("phone", f.phone(f.choice(["mobile", "mobile", "fixed", "ip"]))))
    d.line("よろしくお願いいたします。")
    d.line()
    d.line("{n}", n=P("person_name", f.name_text(p)))
    if f.chance(0.5):
        d.line("{a}", a=f.postal_block(f.address_text(home), sep=" "))
    return d


def t_mail_out(f: Fill) -> Doc:
    d = Doc("窓口メール")
    p = f.person()
    staff = f.person(foreign=0.0)
    dept = f.choice(DEPTS)
    d.line("{n}様", n=P("person_name", f.name_text(p)))
    d.line()
    d.line("いつもお世話になっております。若葉市{dept}の{s}です。", dept=dept[0], s=P("person_name", staff.family))
    d.line(f.choice(["{day}にお問い合わせいただいた件について、ご回答いたします。", "先日はご来庁いただきありがとうございました。"]),
           day=N("受付日", jdate(f.recent(20))))
    case = f.choice(["missing", "mynumber", "schedule", "refund", "wrongcheck", "card"])
    if case == "missing":
        d.line("ご提出いただいた申請書のうち、{doc}の記載に不備がありました。", doc=f.choice(["振込先口座", "世帯員の生年月日", "住所欄"]))
        d.line("お手数ですが、{day}までに再提出をお願いいたします。", day=N("期限", jdate(f.soon(30))))
    elif case == "mynumber":
        d.line("なお、個人番号（マイナンバー）はメールではお送りいただかないようお願いいたします。")
        d.line("いただいたメールに記載のあった番号（{mn}）は、こちらで削除いたしました。", mn=P("mynumber", f.mynumber()))
    elif case == "card":
        d.line("いただいたメールにクレジットカード番号（{c}）の記載がありました。", c=P("credit_card", f.card()))
        d.line("カード番号はメールでお送りいただく必要はございません。こちらの受信記録からは削除いたしました。")
        d.line("寄附のお申込みは、ふるさと納税サイトから改めてお手続きください。")
    elif case == "wrongcheck":
        d.line("申請書の個人番号欄に記載された番号（{bad}）は、番号の桁に誤りがあるようです。", bad=N(BAD_MYNUMBER, f.bad_mynumber()))
        d.line("恐れ入りますが、通知カードまたはマイナンバーカードをご確認のうえ、窓口でお手続きください。")
    elif case == "schedule":
        d.line("面談の日時は{day} {t}、場所は{place}2階の相談室です。", day=N("日付", jdate(f.workday(20, future=True), True)), t=f.time(),
               place=N("地名", "若葉市役所本庁舎"))
        d.line("当日は{who}様もご一緒にお越しください。", who=P("person_name", f.relative(p).mei if not p.foreign and f.chance(0.3) else f.name_text(f.relative(p))))
    else:
        d.line("還付金は{day}に、ご指定の口座（{bank} 普通 {a}）へお振り込みいたします。", day=N("日付", jdate(f.soon(40))),
               bank=f.choice(BANKS), a=P("bank_account", f.account()))
        d.line("金額は{amt}です。", amt=N("金額", f.amount(1000, 90000)))
    d.line("ご不明な点がございましたら、担当の{s}までご連絡ください。", s=P("person_name", staff.family))
    d.line()
    signature(f, d, staff, dept)
    return d


def t_minutes(f: Fill) -> Doc:
    d = Doc("議事録")
    council, head = f.choice([("若葉市地域福祉推進協議会", "福祉課長"), ("若葉市子ども・子育て会議", "子育て支援課長"),
                              ("若葉市環境審議会", "環境課長"), ("若葉市国民健康保険運営協議会", "保険年金課長"),
                              ("若葉市総合計画審議会", "企画政策課長"), ("みどり町まちづくり懇談会", "地域振興課長")])
    number = f.rng.randint(1, 12)
    d.line("{c}（第{n}回）会議録", c=council, n=number)
    day = f.workday()
    d.line("１　日時　{d}　午後{h}時～午後{h2}時", d=N("開催日", jdate(day, True)), h=f.rng.randint(1, 2), h2=f.rng.randint(3, 5))
    d.line("２　場所　{p}", p=N("地名", f.choice(["若葉市役所本庁舎5階 第一会議室", "市民会館 小ホール", "中央公民館 講堂", "みどり町公民館"])))
    members = [f.person(foreign=0.04) for _ in range(f.rng.randint(3, 6))]
    listing = [P("person_name", f.name_text(members[0])), "（委員長）"]
    for m in members[1:]:
        listing += ["、", P("person_name", f.name_text(m))]
    d.line("３　出席委員　{l}", l=listing)
    staff = [f.person(foreign=0.0) for _ in range(2)]
    while staff[0].family in {m.family for m in members}:  # no 武田委員 and 武田係長 in one meeting
        staff[0] = f.person(foreign=0.0)
    d.line("４　事務局　{h}、{k}係長 {s1}、主事 {s2}", h=N("役職名", head), k=f.choice(["庶務", "企画", "管理"]),
           s1=P("person_name", f.name_text(staff[0])), s2=P("person_name", f.name_text(staff[1])))
    d.line("５　議題")
    ordinance = {"福祉課長": "地域福祉推進", "子育て支援課長": "子ども・子育て支援", "環境課長": "環境保全",
                 "保険年金課長": "国民健康保険税", "企画政策課長": "総合計画策定", "地域振興課長": "公民館"}[head]
    d.line("　(1) 若葉市{x}条例の一部改正について（{y}年若葉市条例第{n}号）", x=ordinance,
           y=f.choice(["令和6", "令和7", "平成30"]), n=N("条例番号", str(f.rng.randint(1, 45))))
    d.line("　(2) 令和{y}年度事業計画（案）について", y=f.choice([7, 8]))
    d.line("６　議事の経過")
    chair = members[0]
    d.line("○{c}委員長　ただいまから第{n}回会議を開会します。", c=P("person_name", chair.family), n=number)
    d.line("○{h}　資料1に基づき説明。", h=N("役職名", head))
    m1 = f.choice(members[1:])
    d.line("○{m}委員　{q}", m=P("person_name", m1.family), q=f.choice([
        "相談件数が増えている理由を教えてください。", ["予算額", N("金額", f.amount(1000000, 90000000)), "の内訳はどうなっていますか。"],
        "駅前の放置自転車対策についても検討してほしい。", "高齢者の見守り体制について、自治会との連携はどうなっていますか。",
        "改正の影響を受ける市民はどのくらいいますか。", "パブリックコメントの結果はいつ公表されますか。",
        "昨年度の実績と比べて、目標の設定が低いのではないか。", "若い世代の意見をどう反映するのか伺いたい。"]))
    d.line("○事務局（{s}係長）　{a}", s=P("person_name", staff[0].family), a=f.choice([
        "主に物価高騰の影響と考えています。", "詳細は次回の会議で資料をお示しします。", "自治会長会で意見を伺う予定です。"]))
    if f.chance(0.6):
        m2 = f.choice(members[1:])
        d.line("○{m}委員　{h}の説明で了解しました。{extra}", m=P("person_name", m2.family), h=N("役職名", head),
               extra=f.choice(["", "引き続き検討をお願いします。", "市民会館での説明会も検討してください。"]))
    d.line("○{c}委員長　以上で本日の議事を終了します。次回は{n}に開催予定です。", c=P("person_name", chair.family),
           n=N("開催日", jdate(f.workday(120, future=True))))
    d.line("（文責：{dept} {s}）", dept=head.removesuffix("長"), s=P("person_name", staff[1].family))
    return d


def t_inquiry(f: Fill) -> Doc:
    d = Doc("住民からの問い合わせ")
    p = f.person(foreign=0.1)
    d.line("【若葉市ホームページ お問い合わせフォーム】")
    d.line("受付番号：{no}", no=N("受付番号", f.receipt_no()) if f.chance(0.7) else N(BAD_MYNUMBER, f.bad_mynumber("plain")))
    d.line("受付日時：{d} {t}", d=N("受付日", f.recent(30).strftime("%Y/%m/%d")), t=f.time())
    d.line("お名前：{n}", n=P("person_name", f.name_text(p)))
    d.line("メールアドレス：{m}", m=P("email", f.email(p)))
    if f.chance(0.7):
        d.line("電話番号：{ph}", ph=P("phone", f.phone()))
    topic = f.choice(["ふるさと納税", "ふるさと納税", "カード納付", "粗大ごみ", "税証明", "保育園", "道路", "ワクチン", "騒音"])
    d.line("お問い合わせの分類：{t}", t=topic)
    d.line("お問い合わせ内容：")
    if topic == "ふるさと納税":
        d.line("{d}に寄附（{amt}）をしました。決済はクレジットカード{c}です。", d=N("日付", jdate(f.recent(90))),
               amt=N("金額", f.amount(10000, 100000)), c=P("credit_card", f.card()))
        d.line("返礼品の送付先を{a}に変更したいのですが、可能でしょうか。", a=f.postal_block(sep=" "))
    elif topic == "カード納付":
        d.line("固定資産税（第{k}期、{amt}）をクレジットカードで納付しようとしたところ、エラーになりました。", k=f.rng.randint(1, 4),
               amt=N("金額", f.amount(10000, 200000)))
        d.line("使ったカードは {c} です。二重に引き落とされていないか確認してください。", c=P("credit_card", f.card()))
    elif topic == "粗大ごみ":
        d.line("{place}の粗大ごみ受付センターに電話がつながりません。予約番号 {no} の収集日を変更したいです。",
               place=N("地名", f.choice(["若葉市", "みどり町地区"])), no=N("予約番号", f.receipt_no()))
        d.line("収集場所は{a}の玄関前です。", a=P("address", f.address_text()))
    elif topic == "税証明":
        d.line("所得証明書を郵送で請求したいです。送付先は{a}です。", a=f.postal_block(sep=" "))
        d.line("生年月日：{b}", b=P("birthdate", f.birth_text(p.birth)))
    elif topic == "保育園":
        c = f.relative(p, "infant")
        d.line("子ども（{b}生まれ）の入所選考の結果はいつ届きますか。申込は{d}に行いました。",
               b=P("birthdate", f.birth_text(c.birth)), d=N("申請日", jdate(f.recent(60))))
    elif topic == "道路":
        d.line("{a}付近の側溝のふたが壊れています。写真を添付します。", a=P("address", f.address_text(f.address(building=0.0))))
    elif topic == "ワクチン":
        d.line("母（{n}、{b}生まれ）の接種券が届きません。住所は{a}です。", n=P("person_name", f.name_text(f.relative(p, "senior", True))),
               b=P("birthdate", f.birth_text(f.person("senior").birth)), a=P("address", f.address_text()))
    else:
        d.line("隣の{o}の工事の音が朝7時から続いています。{org}にも相談しましたが、市から指導してもらえませんか。",
               o=N("組織名", f.choice(COMPANIES[:6])), org=N("組織名", f.choice(ORGS)))
    return d


def t_phone_memo(f: Fill) -> Doc:
    d = Doc("電話受付メモ")
    staff = f.person(foreign=0.0)
    day = f.workday(30)
    d.line("＜電話メモ＞　{d}({w}) {t}　受：{s}", d=N("日付", f"{day.month}/{day.day}"), w=WEEKDAYS[day.weekday()], t=f.time(),
           s=P("person_name", staff.family))
    p = f.person()
    to = f.person(foreign=0.0)
    d.line("{to}{title}へ", to=P("person_name", to.family), title=f.choice(["係長", "主任", "主査", "課長", "さん", "主事"]))
    d.line("{n}{h}（{town}）から電話あり。", n=P("person_name", f.name_text(p) if f.chance(0.5) else p.family),
           h=f.choice(["様", "さん", "様"]), town=N("地名", f.choice(TOWNS[:8])))
    d.line(f.choice([
        "・先日の申請書の件で確認したいことがあるとのこと。",
        "・介護認定の結果通知について質問あり。",
        "・納付書を紛失したので再発行してほしいとのこと（納付番号 {neg}）。",
        "・自宅前の街路灯が切れている。場所は {a}。",
        "・{b}生まれの父の件で相談したいとのこと。",
    ]), neg=N(BAD_LUHN, f.bad_luhn16()), a=P("address", f.address_text(f.address(building=0.0))),
        b=P("birthdate", f.birth_text(f.person("senior").birth)))
    d.line("・折り返し希望 → {ph}（{when}）", ph=P("phone", f.phone()),
           when=f.choice(["15時以降", "本日中", "午前中", "平日9時～17時", "携帯のみ"]))
    if f.chance(0.3):
        d.line("・{h}にも共有済み", h=N("役職名", f.choice(TITLES_ONLY[:7])))
    return d


def t_card_call(f: Fill) -> Doc:
    d = Doc("電話受付メモ")
    p = f.person()
    staff = f.person(foreign=0.0)
    card = f.card()
    desk = f.choice(["ふるさと納税コールセンター　応対記録", "市税クレジット納付　問合せ対応記録", "応対記録（寄附金担当）"])
    d.line(desk)
    received = f.workday(40)
    d.line("受付：{d} {t}　対応：{s}", d=N("受付日", jdate(received)), t=f.time(), s=P("person_name", staff.family))
    d.line("お客様：{n}様　折り返し先 {ph}", n=P("person_name", f.name_text(p)), ph=P("phone", f.phone()))
    d.line(f.choice([
        "寄附（{amt}）の決済が二重になっていないか確認したいとのこと。カード下4桁 {last}。",
        "返礼品が届かないとの問合せ。寄附日 {day}、寄附額 {amt}、決済カード下4桁 {last}。",
    ] if "納付" not in desk else [
        "固定資産税の納付（{amt}）の決済完了メールが届かないとのこと。カード下4桁 {last}。",
        "{day}に納付した軽自動車税（{amt}）が二重決済になっていないか確認したいとのこと。カード下4桁 {last}。",
    ]), amt=N("金額", f.amount(5000, 300000)), last=N("カード下4桁", digits_only(card)[-4:]), day=N("日付", jdate(received - dt.timedelta(days=f.rng.randint(3, 60)))))
    d.line(f.choice([
        "※お客様がカード番号（{c}）を読み上げられたため、本メモは処理後にシュレッダー処理すること。",
        "※カード番号 {c} は聞き取ったが、システムには入力していない。{h}に報告済み。",
        "※確認のためお客様から「{c}」と伝えられた。カード番号は電話で聞かない運用であることを説明した。",
    ]), c=P("credit_card", card), h=N("役職名", f.choice(TITLES_ONLY[:7])))
    if f.chance(0.4):
        d.line("メール返信希望：{m}", m=P("email", f.email(p)))
    return d


def t_kessai(f: Fill) -> Doc:
    d = Doc("決裁文書")
    staff = f.person(foreign=0.0)
    dept = f.choice(DEPTS)
    d.line(f.choice(["起案用紙", "【決裁】起案書", "起　案　書"]))
    d.line("文書番号　{n}", n=N("文書番号", f.doc_no() if f.chance(0.8) else zen(f.doc_no())))
    d.line("起案日　{d}", d=N("起案日", jdate(f.workday(100))))
    d.line("起案者　{dept} {n}（{ext}）", dept=dept[0], n=P("person_name", f.name_text(staff)), ext=N("内線番号", f.ext()))
    d.line("決裁区分　{k}", k=f.choice(["課長決裁", "部長決裁", "副市長決裁", "市長決裁"]))
    subject, verb = f.choice([("{what}業務委託契約の締結について", "契約"), ("{what}に係る物品購入について", "購入"),
                              ("{what}に係る経費の支出について", "支出")])
    what = f.choice(["若葉市民会館清掃", "公用車リース", "庁内ネットワーク保守", "駅前広場植栽管理", "学校給食配送", "健診受付"])
    d.line("件名　" + subject.format(what=what))
    d.line()
    d.line("1　趣旨")
    d.line("　標記について、下記のとおり{k}したいので伺います。", k=verb)
    d.line("2　契約の相手方")
    company = f.choice(COMPANIES + [f.choice(NAMED_COMPANIES).format(sei=f.choice(SURNAMES[:-1])[0])])
    d.line("　{c}（法人番号：{cn}）", c=N("組織名", company), cn=P("corporate_number", f.corporate()))
    if f.chance(0.7):
        d.line("　所在地　{a}", a=P("address", f.address_text(f.address(building=0.2))))
        rep = f.person(foreign=0.0)
        title = ("代表社員" if "合同会社" in company else "代表取締役" if "会社" in company else
                 "理事長" if "社会福祉法人" in company or "特定非営利" in company else "代表理事")
        d.line("　代表者　{t}　{n}", t=title, n=P("person_name", f.name_text(rep)))
    d.line("3　契約金額　{a}（消費税及び地方消費税を含む。）", a=N("金額", f.amount(100000, 20000000)))
    d.line("4　契約期間　{a}から{b}まで", a=N("日付", jdate(f.soon(30))), b=N("日付", "令和8年3月31日"))
    d.line("5　根拠　若葉市契約規則（{y}年若葉市規則第{n}号）第{k}条", y=f.choice(["昭和39", "平成12", "平成19"]),
           n=N("条例番号", str(f.rng.randint(1, 60))), k=f.rng.randint(10, 40))
    if f.chance(0.5):
        d.line("6　その他　見積合わせの結果、{n}者のうち最低価格の者と契約する。{other}", n=f.rng.randint(2, 5),
               other=[N("組織名", f.choice(COMPANIES)), "（法人番号 ", P("corporate_number", f.corporate()), "）は辞退。"]
               if f.chance(0.4) else "")
    return d


def t_idou(f: Fill) -> Doc:
    d = Doc("申請書")
    head = f.person("parent")
    title = f.choice(["住民異動届（転入）", "住民異動届（転入）", "住民異動届（転居）"])
    moved = f.workday(120)
    d.line(title)
    d.line("届出日　{d}", d=N("届出日", jdate(moved + dt.timedelta(days=f.rng.randint(0, 13)))))
    d.line("異動日　{d}", d=N("異動日", jdate(moved)))
    d.line("新住所　{a}", a=P("address", f.address_text(f.address(city="若葉市"), with_pref=0.3)))
    old = f.address(pref=f.choice(PREFS)) if "転入" in title else f.address(city="若葉市")
    d.line("旧住所　{a}", a=P("address", f.address_text(old, with_pref=0.9 if "転入" in title else 0.2)))
    d.line("届出人　{n}（{r}）　電話 {ph}", n=P("person_name", f.name_text(head)), r=f.choice(["本人", "世帯主", "代理人"]),
           ph=P("phone", f.phone()))
    d.line("異動者")
    members = [head] + [f.relative(head, f.choice(["adult", "child", "child"])) for _ in range(f.choice([0, 1, 1, 2]))]
    for i, m in enumerate(members, 1):
        d.line("{i}．氏名 {n}　フリガナ {k}", i=zen(str(i)), n=P("person_name", f.name_text(m)),
               k=P("person_name", m.kana()))
        d.line("　　生年月日 {b}　続柄 {r}", b=P("birthdate", f.birth_text(m.birth)), r="世帯主" if i == 1 else f.choice(["妻", "夫", "子", "母"]))
        if f.chance(0.7):
            d.line("　　住民票コード {rc}", rc=P("resident_code", f.resident_code()))
        if f.chance(0.6):
            d.line("　　個人番号 {mn}", mn=P("mynumber", f.mynumber()))
    d.line("本人確認：{doc}　受付：市民課 {s}", doc="在留カード" if head.foreign else f.choice(["マイナンバーカード", "運転免許証", "パスポート＋健康保険証"]),
           s=P("person_name", f.person(foreign=0).family))
    return d


def t_resident_code(f: Fill) -> Doc:
    d = Doc("申請書")
    title = f.choice(["年金受給権者 現況確認票（住民票コード記入欄あり）", "住民票コード通知票の再交付申請書",
                      "住民基本台帳カード関係 照会票", "住民票コード記載事項証明 交付申請書"])
    p = f.person("senior" if "年金" in title else "adult")
    d.line(title)
    d.line("申請日：{d}", d=N("申請日", jdate(f.recent(60))))
    d.line("氏名：{n}　様", n=P("person_name", f.name_text(p)))
    d.line("生年月日：{b}", b=P("birthdate", f.birth_text(p.birth)))
    d.line("住所：{a}", a=P("address", f.address_text()))
    d.line("住民票コード：{rc}", rc=P("resident_code", f.resident_code()))
    if f.chance(0.4):
        d.line("連絡先：{ph}", ph=P("phone", f.phone()))
    d.line("（職員記入欄）受付番号 {no}　処理日 {d}", no=N("受付番号", f.receipt_no()), d=N("日付", jdate(f.recent(30))))
    return d


def t_mynumber_card(f: Fill) -> Doc:
    d = Doc("相談記録")
    p = f.person()
    staff = f.person(foreign=0.0)
    d.line("マイナンバーカード窓口　対応記録")
    d.line("対応日：{d}　対応者：{s}", d=N("対応日", jdate(f.recent(60))), s=P("person_name", staff.family))
    d.line("来庁者：{n}（{b}生まれ）", n=P("person_name", f.name_text(p)), b=P("birthdate", f.birth_text(p.birth)))
    kind = f.choice(["pin", "lost", "wrong", "renew"])
    if kind == "pin":
        d.line("暗証番号の再設定。個人番号 {mn} を端末で照合し、再設定を完了した。", mn=P("mynumber", f.mynumber()))
    elif kind == "lost":
        d.line("カード紛失の届出。個人番号（{mn}）の一時停止を確認。{org}への遺失届の受理番号は{no}。",
               mn=P("mynumber", f.mynumber()), org=N("組織名", "若葉警察署"), no=N("受付番号", f.receipt_no()))
    elif kind == "wrong":
        d.line("申請書の個人番号欄の記載（{bad}）が検査数字と一致しないため、通知カードで確認し、正しくは {mn} であった。",
               bad=N(BAD_MYNUMBER, f.bad_mynumber()), mn=P("mynumber", f.mynumber()))
    else:
        d.line("電子証明書の更新。交付予約番号 {no}。カードの個人番号 {mn}。", no=N("予約番号", f.receipt_no()),
               mn=P("mynumber", f.mynumber()))
    d.line("住所：{a}　電話：{ph}", a=P("address", f.address_text()), ph=P("phone", f.phone()))
    return d


def t_bank_form(f: Fill) -> Doc:
    d = Doc("申請書")
    p = f.person()
    title = f.choice(["口座振替依頼書（市税・国民健康保険税）", "振込先口座届出書", "還付金振込先口座 届出書", "児童扶養手当 振込先変更届"])
    d.line(title)
    d.line("提出日：{d}", d=N("提出日", jdate(f.recent(60))))
    d.line("届出者（納税義務者）" if "口座振替" in title else "届出者")
    d.line("　氏名：{n}　（フリガナ：{k}）", n=P("person_name", f.name_text(p)), k=P("person_name", p.kana()))
    d.line("　住所：{a}", a=f.postal_block())
    d.line("　電話：{ph}", ph=P("phone", f.phone()))
    d.line("振替口座" if "口座振替" in title else "振込先口座")
    bank = f.choice(BANKS + ["ゆうちょ銀行"])
    if bank == "ゆうちょ銀行":
        d.line("　ゆうちょ銀行　記号番号：{a}", a=P("bank_account", f.yucho()))
    else:
        d.line("　金融機関：{b}（金融機関コード {code}）　{br}（支店番号 {bc}）", b=bank, code=N("金融機関コード", f.digits(4)),
               br=f.choice(BRANCHES), bc=N("支店番号", f.digits(3)))
        d.line("　預金種目：{t}　口座番号：{a}", t=f.choice(["普通", "当座", "普通"]), a=P("bank_account", f.account()))
    d.line("　口座名義（カナ）：{k}", k=P("person_name", p.kana()))
    if "口座振替" in title:
        d.line("振替開始：{d}期分から", d=N("日付", f.choice(["令和7年度第1", "令和7年度第2", "令和7年6月", "令和7年8月"])))
    else:
        d.line("※口座名義は{who}と同一であること。", who=f.choice(["届出者", "受給者", "請求者"]))
    return d


def t_diary(f: Fill) -> Doc:
    d = Doc("業務日誌")
    day = f.workday(60)
    d.line("{dept} 窓口業務日誌　{d}", dept=f.choice(DEPTS)[0], d=N("日付", jdate(day, True)))
    d.line("来庁者数 {n}名／電話 {m}件", n=f.rng.randint(20, 140), m=f.rng.randint(10, 60))
    times = sorted((f.rng.randint(8, 16), f.choice([0, 5, 10, 20, 30, 40, 45, 50])) for _ in range(f.rng.randint(3, 5)))
    for hour, minute in times:
        p = f.person()
        s = f.person(foreign=0.0)
        d.line(f.choice([
            "・{t} {n}さん来庁。{what}。{s}主任対応。",
            "・{t} {n}様より電話（{ph}）。{what}。",
            "・{t} {n}氏、{what}。{s}係長に引継ぎ。",
            "・{t} {h}から、{n}様の件で照会あり（{ext}）。",
            "・{t} {n}様（{a}）宛の通知が宛所不明で返戻。",
        ]), t=f"{hour + (hour == 8)}:{minute:02d}", n=P("person_name", f.name_text(p) if f.chance(0.5) else p.family),
            what=f.choice(["証明書の交付", "転居の相談", "申請書の書き方の質問", "納付相談", "苦情（待ち時間が長い）"]),
            s=P("person_name", s.family), ph=P("phone", f.phone()), h=N("役職名", f.choice(TITLES_ONLY[:7])),
            ext=N("内線番号", f.ext()), a=P("address", f.address_text()))
    d.line("特記事項：{x}", x=f.choice(["なし", "{h}に報告済み", "午後、システム停止（15分）"]).format(h=f.choice(TITLES_ONLY[:6])))
    return d


# --- documents with hard negatives only (no gold spans) -----------------------

def t_notice_neg(f: Fill) -> Doc:
    d = Doc("お知らせ")
    event = f.choice(["防災講演会", "介護予防教室", "子育てサロン", "市民向けスマホ講座", "健康まつり", "空き家セミナー"])
    day = f.soon(60)
    d.line("【{k}】{e}のご案内", k=f.choice(["庁内周知", "広報わかば掲載原稿", "お知らせ"]), e=event)
    d.line("日時：{d}　午前10時～正午", d=N("開催日", jdate(day, True) if f.chance(0.7) else zen(jdate(day, True))))
    d.line("会場：{p}（{s}から徒歩{m}分）", p=N("地名", f.choice(["若葉市民会館 2階 大ホール", "中央公民館 講堂", "みどり町公民館", "総合体育館 会議室"])),
           s=N("地名", f.choice(["若葉駅前", "駅前", "旭町商店街", "若葉駅東口ロータリー"])), m=f.rng.randint(3, 15))
    d.line("定員：先着{n}名　参加費：{a}", n=f.choice([20, 30, 50, 100]), a=N("金額", f.choice(["無料", "500円", "1,000円", "３００円"])))
    d.line("申込：{d}から受付。申込後に受付番号（例：{no}）をお知らせします。", d=N("日付", jdate(f.recent(10))),
           no=N("受付番号", f.receipt_no()))
    d.line("主催：{o}　共催：{o2}", o=N("組織名", f.choice(ORGS)), o2=N("組織名", f.choice(COMPANIES)))
    d.line("問合せ：若葉市{dept}（{ext}）", dept=f.choice(DEPTS)[0], ext=N("内線番号", f.ext()))
    d.line("※当日は{h}があいさつします。", h=N("役職名", f.choice(["市長", "副市長", "総務部長", "健康福祉部長", "教育長"])))
    if f.chance(0.6):
        d.line("※当日の様子は市公式SNS（{a}）でもお知らせします。", a=N("SNSアカウント", f.choice(["@wakaba_city", "@wakaba_koho", "@wakaba.bousai"])))
    return d


def t_minutes_neg(f: Fill) -> Doc:
    d = Doc("議事録")
    d.line("{c} 会議要旨（公表用）", c=f.choice(["若葉市行政改革推進委員会", "若葉市情報公開・個人情報保護審査会", "庁議", "若葉市防災会議 幹事会"]))
    d.line("開催日時：{d}　午前9時30分～11時", d=N("開催日", jdate(f.workday(120), True)))
    d.line("場所：{p}", p=N("地名", f.choice(["若葉市役所本庁舎4階 第2会議室", "市民会館 会議室A", "中央公民館"])))
    d.line("出席者：委員{n}名（委員名は非公開）、事務局（{h}ほか{k}名）", n=f.rng.randint(5, 12), h=N("役職名", f.choice(TITLES_ONLY[:6])),
           k=f.rng.randint(1, 4))
    d.line("議題：若葉市{x}条例（令和{y}年若葉市条例第{n}号）の運用状況について", x=f.choice(["個人情報保護法施行", "手数料", "行政手続"]),
           y=f.choice([4, 5, 6]), n=N("条例番号", str(f.rng.randint(1, 40))))
    d.line("【要旨】")
    d.line("{h}が資料に基づき説明した。", h=N("役職名", f.choice(TITLES_ONLY[:6])))
    d.line("委員Ａ：令和{y}年度の開示請求件数（{n}件）の内訳は。", y=f.choice([5, 6]), n=f.rng.randint(40, 300))
    d.line("事務局：{d}時点で、部分開示が{n}件となっている。", d=N("日付", jdate(f.recent(200))), n=f.rng.randint(5, 40))
    d.line("委員Ｂ：{p}での説明会の開催を検討されたい。", p=N("地名", f.choice(["市民会館", "駅前", "各地区の公民館"])))
    d.line("{h}：{o}とも調整のうえ、次回までに報告する。", h=N("役職名", "委員長") if f.chance(0.5) else N("役職名", f.choice(TITLES_ONLY[:6])),
           o=N("組織名", f.choice(ORGS)))
    d.line("次回開催日：{d}（予定）", d=N("開催日", jdate(f.soon(90))))
    return d


def t_kessai_neg(f: Fill) -> Doc:
    d = Doc("決裁文書")
    d.line("{n}", n=N("文書番号", f.doc_no()))
    d.line("{d}", d=N("日付", jdate(f.recent(60))))
    d.line("各課長　様")
    subject, head, rule, kind, dept = f.choice([
        ("令和8年度予算編成方針", "総務部長", "予算規則", "規則", "財政課"),
        ("生成AIの業務利用ガイドライン", "企画政策課長", "情報セキュリティポリシー", "訓令", "情報政策課"),
        ("個人情報の適正な取扱い", "総務課長", "個人情報保護法施行条例", "条例", "総務課"),
        ("文書管理規程の改正", "総務課長", "文書管理規程", "訓令", "総務課")])
    d.line("{h}", h=N("役職名", head))
    d.line("　　{s}について（通知）", s=subject)
    d.line("標記について、若葉市{r}（{y}年若葉市{k}第{n}号）第{a}条に基づき、下記のとおり通知します。",
           r=rule, y=f.choice(["平成26", "令和3", "令和5"]), k=kind, n=N("条例番号", str(f.rng.randint(1, 30))),
           a=f.rng.randint(2, 20))
    d.line("記")
    if "予算" in subject:
        d.line("1　提出期限　{d}", d=N("期限", jdate(f.soon(40))))
        d.line("2　要求上限額　前年度当初予算額（{a}）の95％", a=N("金額", f.amount(1000000, 900000000)))
    else:
        d.line("1　施行日　{d}", d=N("日付", jdate(f.soon(40))))
        d.line("2　研修　{d}に{p}で説明会を開催する（所要{m}分）。", d=N("開催日", jdate(f.workday(40, future=True))),
               p=N("地名", f.choice(["市民会館", "本庁舎5階 大会議室", "中央公民館"])), m=f.choice([60, 90]))
    d.line("3　留意事項　個人番号、生年月日、口座番号等の個人情報は生成AIに入力しないこと。")
    d.line("4　問合せ先　{dept}（{ext}）", dept=dept, ext=N("内線番号", f.ext()))
    if f.chance(0.5):
        d.line("※業務システム管理番号：{n}", n=N(BAD_MYNUMBER, f.bad_mynumber("plain")))
    return d


def t_payment_neg(f: Fill) -> Doc:
    d = Doc("納付案内")
    d.line("【回答例】納付書の再発行について")
    d.line("お問い合わせの納付書は、次の内容で再発行いたしました。")
    d.line("納付番号：{n}", n=N(BAD_LUHN, f.bad_luhn16()))
    d.line("確認番号：{n}　収納機関番号：{k}", n=N("確認番号", f.digits(6)), k=N("収納機関番号", f.digits(5)))
    d.line("税目：{t}　期別：第{k}期", t=f.choice(["市県民税（普通徴収）", "固定資産税", "軽自動車税", "国民健康保険税"]), k=f.rng.randint(1, 4))
    d.line("納付額：{a}　納期限：{d}", a=N("金額", f.amount(1000, 300000)), d=N("期限", jdate(f.soon(30))))
    d.line("コンビニエンスストアでは{d}まで納付できます。", d=N("期限", jdate(f.soon(60))))
    if f.chance(0.5):
        d.line("照会番号：{n}（{m}桁）", n=N(BAD_CORPORATE, f.bad_corporate()), m=13)
    d.line("ご不明な点は{o}または{dept}（{ext}）へ。", o=N("組織名", f.choice(["若葉市役所", "若葉市コールセンター"])),
           dept=f.choice(["税務課", "保険年金課", "会計課"]), ext=N("内線番号", f.ext()))
    return d


def t_report_neg(f: Fill) -> Doc:
    d = Doc("業務報告")
    d.line(f.choice(["障害報告書", "作業完了報告", "インシデント報告（第一報）"]))
    reported = f.recent(30)
    happened = reported - dt.timedelta(days=f.rng.randint(0, 3))
    d.line("報告日：{d}　報告者：{h}", d=N("日付", jdate(reported)), h=N("役職名", f.choice(["情報政策課長", "担当係長", "担当者"])))
    d.line("管理番号：{n}", n=N(BAD_MYNUMBER, f.bad_mynumber(f.choice(["plain", "hyphen", "space"]))))
    d.line("発生日時：{d} {t}", d=N("日付", happened.strftime("%Y/%m/%d")), t=f.time())
    d.line("対象システム：{s}", s=f.choice(["住民記録システム", "税務システム", "グループウェア", "財務会計システム"]))
    d.line("概要：帳票出力処理で{n}件のエラーが発生。個人情報の漏えいはない。", n=f.rng.randint(2, 300))
    d.line("問合せ票番号：{n}", n=N(BAD_LUHN, f.bad_luhn16(grouped=False)))
    d.line("保守業者：{c}（情報政策課 {ext} から連絡済み）", c=N("組織名", f.choice(["株式会社朝日野システム", "合同会社さくら台ラボ"])),
           ext=N("内線番号", f.ext()))
    d.line("影響：{p}の窓口で約{m}分の待ち時間が発生した。", p=N("地名", f.choice(["若葉市役所本庁舎", "みどり町出張所", "駅前行政センター"])),
           m=f.rng.randint(5, 60))
    return d


def t_statistics_neg(f: Fill) -> Doc:
    d = Doc("業務報告")
    day = dt.date(2025, f.rng.randint(1, 5), 1)
    d.line("若葉市の人口と世帯（{d}現在）", d=N("日付", jdate(day)))
    d.line("人口 {p}人（前月比 {c}人）　世帯数 {h}世帯", p=f"{f.rng.randint(120000, 180000):,}", c=f.choice(["+", "－"]) + str(f.rng.randint(10, 300)),
           h=f"{f.rng.randint(50000, 80000):,}")
    for town in f.rng.sample(TOWNS, 4):
        d.line("　{t}　{p}人　{h}世帯", t=N("地名", town), p=f"{f.rng.randint(1000, 9000):,}", h=f"{f.rng.randint(500, 4000):,}")
    d.line("出生 {b}人、死亡 {x}人、転入 {i}人、転出 {o}人", b=f.rng.randint(50, 120), x=f.rng.randint(80, 200),
           i=f.rng.randint(300, 700), o=f.rng.randint(300, 700))
    d.line("昭和{y}年の市制施行以来、{n}回目の人口減少となった。", y=f.rng.randint(30, 50), n=f.rng.randint(2, 9))
    d.line("作成：{dept}（{ext}）", dept="企画政策課", ext=N("内線番号", f.ext()))
    return d


# (template, count): the list is shuffled with the seed, so genres are interleaved
PLAN = [
    (t_consult, 22), (t_consumer, 18), (t_application, 26), (t_subsidy_company, 12), (t_mail_in, 26),
    (t_mail_out, 20), (t_minutes, 12), (t_inquiry, 22), (t_phone_memo, 16), (t_card_call, 12), (t_kessai, 16), (t_idou, 12),
    (t_resident_code, 20), (t_mynumber_card, 12), (t_bank_form, 12), (t_diary, 8),
    (t_notice_neg, 8), (t_minutes_neg, 7), (t_kessai_neg, 8), (t_payment_neg, 7), (t_report_neg, 7),
    (t_statistics_neg, 4),
]


# ---------------------------------------------------------------------------
# self-check and output

_MASK = "\u0000"
_LOOKS_LIKE = {
    "e-mail": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "phone": re.compile(r"(?<!\d)0\d{1,4}[-(） )]\d{1,4}[-)） ]\d{3,4}(?!\d)"),
    "postal 〒": re.compile(r"〒\s*\d"),
}


def check(record: dict) -> None:
    text, spans = record["text"], record["spans"]
    last_end = -1
    for span in sorted(spans, key=lambda s: s["start"]):
        assert text[span["start"]:span["end"]] == span["text"], span
        assert span["start"] >= last_end, f"overlap in {record['id']}: {span}"
        last_end = span["end"]
        number = digits_only(span["text"])
        if span["kind"] == "mynumber":
            assert is_valid_mynumber(number), span
        if span["kind"] == "corporate_number":
            assert is_valid_corporate(number), span
        if span["kind"] == "credit_card":
            assert 13 <= len(number) <= 19 and luhn_valid(number), span
    for neg in record["negatives"]:
        number = digits_only(neg["text"])
        if neg["label"] == BAD_MYNUMBER:
            assert len(number) == 12 and not is_valid_mynumber(number), neg
        if neg["label"] == BAD_CORPORATE:
            assert len(number) == 13 and not is_valid_corporate(number) and not luhn_valid(number), neg
        if neg["label"] == BAD_LUHN:
            assert len(number) == 16 and not luhn_valid(number), neg
    masked = list(text)
    for span in spans:
        masked[span["start"]:span["end"]] = _MASK * (span["end"] - span["start"])
    rest = "".join(masked).translate(_HALF).replace("－", "-")
    for what, pattern in _LOOKS_LIKE.items():
        found = pattern.search(rest)
        assert not found, f"{record['id']}: unannotated {what}: {found.group()!r}"
    for run in re.findall(r"\d{12,19}", rest):
        assert not (len(run) == 12 and is_valid_mynumber(run)), f"{record['id']}: unannotated mynumber {run}"
        assert not (len(run) == 13 and is_valid_corporate(run)), f"{record['id']}: unannotated corporate {run}"
        assert len(run) < 13 or not luhn_valid(run), f"{record['id']}: unannotated Luhn-valid {run}"


def generate(seed: int = SEED) -> list[dict]:
    fill = Fill(seed)
    calls = [template for template, count in PLAN for _ in range(count)]
    fill.rng.shuffle(calls)
    records = []
    for i, template in enumerate(calls, 1):
        doc = template(fill)
        text = doc.text.rstrip("\n")
        spans = sorted((s for s in doc.spans if s["end"] <= len(text)), key=lambda s: s["start"])
        negatives = [n for n in doc.negatives if n["end"] <= len(text)]
        record = {"id": f"pii-{i:04d}", "genre": doc.genre, "text": text, "spans": spans, "negatives": negatives}
        check(record)
        records.append(record)
    return records


def write(records: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="個人情報検出の評価用データ（架空）を生成する")
    parser.add_argument("--out", type=Path, default=OUT, help=f"書き出すファイル（既定: {OUT}）")
    parser.add_argument("--seed", type=int, default=SEED, help=f"乱数の種（既定: {SEED}）")
    args = parser.parse_args(argv)
    records = generate(args.seed)
    write(records, args.out)
    kinds = Counter(span["kind"] for record in records for span in record["spans"])
    print(f"{args.out}: {len(records)} 文書、{sum(kinds.values())} スパン"
          f"（スパンなしの文書 {sum(1 for r in records if not r['spans'])}）")
    for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
        print(f"  {kind:17s} {count:4d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
