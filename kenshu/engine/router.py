"""Pick the engine's task from the request's wording; anything unrecognised goes to the prompt coach."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

from kenshu.engine import coach
from kenshu.engine.prompt import Prompt

Task = Callable[[Prompt], str]

# first match wins; patterns are read against the request (system + instruction), not the material;
# each name is a module in kenshu.engine.tasks
ROUTES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("translate", re.compile(r"翻訳|訳して|訳す|英訳|英語に|英語で|中国語|韓国語|ポルトガル語|ベトナム語|translate", re.I)),
    ("rewrite", re.compile(r"やさしい日本語|易しい日本語|言い換え|書き換え|書き直|リライト|平易な|平易に|"
                           r"(である|常体|です・?ます|敬体)調?(に|へ)(直|変|書|改|統一|し)")),
    # minutes: decisions and tasks (「宿題を整理して」「誰が・何を・いつまでに」) are read by the summariser
    ("summarise", re.compile(r"決定事項|宿題|アクションアイテム|誰が[・、]?何を|いつまでに何を")),
    ("classify", re.compile(r"分類|振り分け|仕分け|カテゴリ|ラベル|いずれかに|どれに当た|判定")),
    ("extract", re.compile(r"抽出|取り出|抜き出|読み取|JSON|json")),
    ("summarise", re.compile(r"要約|要点|まとめ|短く|概要|かいつまん")),
    ("draft", re.compile(r"(?:回答|返信)(?:メール|文)|文案")),  # 「回答メールの文案」 is a draft, not an answer
    ("answer", re.compile(r"質問|答え|回答|教えて|ですか|ますか|でしょうか|[?？]")),
    ("draft", re.compile(r"案内文|お知らせ|通知文|周知文|メール|挨拶|あいさつ|文案|下書き|起案|依頼文")),
)


def route(prompt: Prompt) -> tuple[str, Task]:
    request = prompt.request
    for name, pattern in ROUTES:
        if pattern.search(request):
            if name == "answer" and not (prompt.material or prompt.system.strip()):
                continue  # a question with no context: the coach explains instead of guessing
            if name == "summarise" and re.search(
                    r"(?<!以下の)(?<!次の)(?<!この)(?<!下記の)(案内文|お知らせ|メール|文案|通知文|あいさつ文)"
                    r"(?:に|を)?(?:短く|簡潔に)?(?:して|作|書)", request):
                continue  # 「〜をまとめてお知らせにして」「お知らせを短く作って」 are drafting requests
            return name, importlib.import_module(f"kenshu.engine.tasks.{name}").run
    return "coach", _coach


def _coach(prompt: Prompt) -> str:
    return coach.coach_reply(prompt.user, prompt.system)
