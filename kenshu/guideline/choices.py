"""The choices a municipality makes for its guideline, their defaults (adopt as is), and reading them from TOML."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from kenshu.errors import GuidelineError

# services besides the offline practice engine, which is always usable (it sends nothing out)
SERVICES = ("compatible", "openai", "azure")
SERVICE_NAMES = {
    "offline": "オフライン練習エンジン（kenshu。PC の外に何も送らない）",
    "compatible": "庁内・LGWAN 側の生成AI（ゲートウェイや庁内のサーバー）",
    "openai": "OpenAI のサービス（標準の利用規約で使うもの）",
    "azure": "Azure OpenAI Service（標準の利用規約で使うもの）",
}
GATEWAY_PERSONAL_DATA = ("mask", "block")
REVIEW_MONTHS = (6, 12, 24)
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]')  # the name becomes part of a file name and of TOML text


@dataclass(frozen=True)
class Choices:
    municipality: str = "若葉市"
    services: tuple[str, ...] = SERVICES          # which services staff may use
    gateway_max_confidentiality: int = 2          # the LGWAN-side service: 1 or 2 (機密性3 never leaves the PC)
    gateway_personal_data: str = "mask"           # mask: replaced by ［氏名1］ before sending; block: never sent
    approver: str = "情報政策課長"                  # approves a new service and a new kind of use
    logging: bool = True                          # keep a record of every use
    log_retention_years: int = 1
    training_required: bool = True                # staff take the course before use
    review_months: int = 12
    effective: str = ""                           # 施行日 (YYYY-MM-DD); empty: left blank to fill in

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise GuidelineError("ガイドラインの選択に次の誤りがあります。\n" + "\n".join(f"  - {p}" for p in problems),
                                 todo="選択を直してから、もう一度作ってください。")

    def problems(self) -> list[str]:
        found = []
        if not str(self.municipality).strip():
            found.append("団体名（municipality）が空です。「若葉市」のように書いてください。")
        elif _UNSAFE.search(str(self.municipality)) or str(self.municipality).strip(". ") != str(self.municipality):
            found.append(f"団体名「{self.municipality}」には、ファイル名に使えない文字（/ \\ : * ? \" < > | や改行）"
                         "を使えません。「若葉市」のように書いてください。")
        unknown = [s for s in self.services if s not in SERVICES]
        if unknown:
            found.append(f"使うサービス（services）に知らない名前 {', '.join(map(str, unknown))} があります。"
                         f"{' / '.join(SERVICES)} から選んでください。")
        if self.gateway_max_confidentiality not in (1, 2) or isinstance(self.gateway_max_confidentiality, bool):
            found.append("庁内の生成AIに送ってよい機密性（gateway_max_confidentiality）は 1 か 2 です。"
                         "機密性3の情報は PC の外に出しません。")
        if self.gateway_personal_data not in GATEWAY_PERSONAL_DATA:
            found.append('庁内の生成AIでの個人情報の扱い（gateway_personal_data）は "mask"（記号に置き換えて送る）か'
                         ' "block"（送らない）です。')
        if not str(self.approver).strip():
            found.append("承認する人（approver）が空です。「情報政策課長」のように職名で書いてください。")
        elif _UNSAFE.search(str(self.approver)):
            found.append(f"承認する人「{self.approver}」に使えない文字（/ \\ : * ? \" < > | や改行）があります。職名だけを書いてください。")
        if not isinstance(self.log_retention_years, int) or not 1 <= self.log_retention_years <= 10:
            found.append("利用記録の保存期間（log_retention_years）は 1 から 10 までの年数で書いてください。")
        if self.review_months not in REVIEW_MONTHS:
            found.append(f"見直しの間隔（review_months）は {'・'.join(map(str, REVIEW_MONTHS))} か月のどれかです。")
        if self.effective and not _is_date(self.effective):
            found.append(f"施行日（effective）「{self.effective}」は 2027-04-01 の形で書いてください。")
        return found

    def as_toml(self) -> str:
        """The choices as a TOML file a person can edit and give to ``python3 run.py guideline write --choices``."""
        lines = ["# kenshu の生成AI利用ガイドラインの選択（kenshu guideline write --choices このファイル）"]
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool):
                shown = "true" if value else "false"
            elif isinstance(value, int):
                shown = str(value)
            elif isinstance(value, tuple):
                shown = "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
            else:
                shown = json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
            lines.append(f"{item.name} = {shown}")
        return "\n".join(lines) + "\n"


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


DEFAULT_CHOICES = Choices()


def read_choices(path: str | Path) -> Choices:
    """Choices from a TOML file; keys not given keep their default. Bad files raise ``GuidelineError``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GuidelineError(f"選択のファイル {path} が見つかりません。",
                             todo="`python3 run.py guideline choices 選択.toml` で、既定の選択を書いたファイルを作れます。") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GuidelineError(f"選択のファイル {path} を読めませんでした（{exc}）。",
                             todo="UTF-8 の TOML で、引用符の閉じ忘れがないか確かめてください。") from None
    known = {f.name for f in fields(Choices)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise GuidelineError(f"選択のファイル {path} に知らない項目 {', '.join(unknown)} があります。",
                             todo=f"使える項目は {', '.join(sorted(known))} です。")
    values = {**asdict(DEFAULT_CHOICES), **data}
    if isinstance(values["services"], list):
        values["services"] = tuple(values["services"])
    if not isinstance(values["services"], tuple):
        raise GuidelineError(f"選択のファイル {path} の services は [\"compatible\", \"openai\"] のような配列で書いてください。")
    return Choices(**values)
