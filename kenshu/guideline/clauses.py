"""The guideline's clauses (例規-like: 目的, 定義, 利用できるサービス, … 見直し) from the choices.

Articles 3 and 4 are written from ``service_rules``, the same rules ``policy_toml`` writes for the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kenshu.guideline.choices import SERVICE_NAMES, Choices
from kenshu.guideline.rules import ServiceRule, service_rules

LIMITS = {1: "機密性1（公開してよい情報）まで", 2: "機密性2（公表を前提としない情報）まで", 3: "機密性3（秘密文書に相当する情報）まで"}
PERSONAL = {"allow": "扱える（PC の外に送らない）", "mask": "氏名などを記号に置き換えてから入力する", "block": "入力しない"}
TABLE_HEADER = ("サービス", "入力できる情報", "個人情報")
SOURCES = (
    "「ChatGPT等の生成AIの業務利用に関する申合せ」（デジタル社会推進会議幹事会決定、2023年5月8日）",
    "デジタル庁「行政の進化と革新のための生成AIの調達・利活用に係るガイドライン」（2025年5月27日）",
    "デジタル庁「テキスト生成AI利活用におけるリスクへの対策ガイドブック（α版）」（2024年5月29日、2025年6月6日改定）",
    "総務省・経済産業省「AI事業者ガイドライン（第1.0版）」（2024年4月19日）",
    "総務省「自治体におけるAI活用・導入ガイドブック＜導入手順編＞（第4版）」（2025年12月）",
    "東京都「文章生成AI利活用ガイドライン」（2023年8月）",
)


@dataclass(frozen=True)
class Article:
    number: int                       # 0: 附則
    heading: str                      # 目的, 定義, …
    paragraphs: tuple[str, ...]       # 項; a paragraph's items are in ``items`` by paragraph index
    items: dict[int, tuple[str, ...]] = field(default_factory=dict)
    table: tuple[tuple[str, ...], ...] = ()   # after the first paragraph, header row first

    @property
    def label(self) -> str:
        return f"第{self.number}条" if self.number else "附則"


def japanese_date(text: str) -> str:
    """2027-04-01 → 令和9年4月1日; empty → a blank to fill in."""
    if not text:
        return "令和　　年　　月　　日"
    day = date.fromisoformat(text)
    era = day.year - 2018
    return f"令和{'元' if era == 1 else era}年{day.month}月{day.day}日"


def table_rows(rules: list[ServiceRule]) -> tuple[tuple[str, ...], ...]:
    return (TABLE_HEADER, *((SERVICE_NAMES[r.backend], LIMITS[r.max_confidentiality], PERSONAL[r.personal_data])
                            for r in rules if r.allowed))


def _forbidden(rules: dict[str, ServiceRule]) -> tuple[str, ...]:
    items = []
    if rules["openai"].allowed or rules["azure"].allowed:
        items.append("約款型外部サービスには、個人情報及び機密性2以上の情報")
    gateway = rules["compatible"]
    if gateway.allowed:
        above = "機密性3の情報" if gateway.max_confidentiality == 2 else "機密性2以上の情報"
        personal = ("個人情報（氏名などを記号に置き換えたものを除く。）" if gateway.personal_data == "mask" else "個人情報")
        items.append(f"庁内の生成AIには、{above}及び{personal}")
    items.append("いずれの生成AIにも、パスワードその他の情報システムの認証に用いる情報")
    return tuple(items)


def articles(choices: Choices) -> list[Article]:
    rules = service_rules(choices)
    by_backend = {r.backend: r for r in rules}
    unused = [SERVICE_NAMES[r.backend] for r in rules if not r.allowed]
    m = choices.municipality
    who = choices.approver
    found = [
        Article(1, "目的", (
            f"この指針は、{m}の職員が生成AIを業務に利用するに当たり守るべき事項を定めることにより、"
            "情報の安全を確保しつつ、事務の効率化と質の向上を図ることを目的とする。",)),
        Article(2, "定義", ("この指針において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。",), {0: (
            "生成AI　利用者の指示（プロンプト）に応じて、文章などを作り出す人工知能をいう。",
            "約款型外部サービス　事業者が定める標準の利用規約に同意して利用するインターネット上のサービスをいう。",
            f"庁内の生成AI　{m}がLGWAN接続系若しくは庁内のネットワークに設け、又は契約により安全性を確認して利用する生成AIをいう。",
            "機密性　情報の取扱いの区分をいい、機密性1は公開してよい情報、機密性2は公表を前提としない情報、"
            "機密性3は秘密文書に相当する情報とする。",
            "個人情報　個人情報の保護に関する法律（平成15年法律第57号）第2条第1項に規定する個人情報をいう。",
            "利用記録　生成AIを利用した日時、利用者、接続先、入力及び出力の記録をいう。",
        )}),
        Article(3, "利用できるサービス", (
            "職員が業務に利用できる生成AIは、次の表に掲げるものとし、それぞれ同表に定める情報に限り入力することができる。",
            "前項の表に掲げるもの以外の生成AI"
            + (f"（{'、'.join(unused)}を含む。）" if unused else "")
            + "を業務に利用しようとするときは、第6条の承認を得なければならない。",
        ), table=table_rows(rules)),
        Article(4, "入力してはならない情報", (
            "職員は、次に掲げる情報を生成AIに入力してはならない。",
            "入力しようとする情報が個人情報又は機密性2以上の情報に当たるかどうか判断できないときは、入力せずに所属長に相談するものとする。",
        ), {0: _forbidden(by_backend)}),
        Article(5, "利用者の責務", ("職員は、生成AIを利用するときは、次に掲げる事項を守らなければならない。",), {0: (
            "出力には誤りが含まれることがあることを前提とし、事実、数値、日付及び法令の根拠を自ら確かめること。",
            "出力を用いるかどうかは職員が判断し、用いた結果に責任を持つこと。",
            "法令や制度の改正があった事務では、出力が改正前の内容によっていないかを特に確かめること。",
            "出力が他人の著作物に類似していないかに注意すること。",
            "出力をそのまま外部に公表するときは、生成AIを利用した旨を明らかにすること。",
            "サービスの利用規約（入力の学習への利用、保存期間、保存場所及び再委託）を確認し、これを守ること。",
        )}),
        Article(6, "承認", (
            f"次に掲げる場合は、あらかじめ{who}の承認を得なければならない。",
            f"{who}は、前項の承認に当たり、利用する者、業務の性質、入力した機密情報が学習に使われるおそれの有無、"
            "及び職員が出力を確かめて判断するかどうかの4つの観点から確認するものとする。",
        ), {0: (
            "第3条の表に掲げるもの以外の生成AIを利用しようとするとき。",
            "住民に直接示す文書又は住民の権利義務に関わる事務に、生成AIの出力を用いようとするとき。",
        )}),
        Article(7, "記録", (
            (f"生成AIの利用は、利用記録に残すものとする。利用記録は{choices.log_retention_years}年間保存し、"
             f"{who}が必要に応じて確認する。",
             "利用記録には、個人情報を記号に置き換えて残すものとする。")
            if choices.logging else
            ("所属長は、所属の職員が生成AIを業務に利用した主な事務とその結果を記録しておくものとする。",))),
        Article(8, "研修", (
            (f"生成AIを業務に利用する職員は、あらかじめ{m}が定める研修を受けなければならない。",)
            if choices.training_required else
            ("職員は、生成AIを業務に利用する前に、この指針及び研修の教材を読むよう努めるものとする。",))),
        Article(9, "見直し", (
            f"この指針は、少なくとも{choices.review_months}か月ごとに見直すほか、関係する法令、国のガイドライン"
            "又は利用するサービスの利用規約が改められたときは、速やかに見直すものとする。",)),
        Article(0, "附則", (f"この指針は、{japanese_date(choices.effective)}から施行する。",)),
    ]
    return found
