"""Lesson 09: the chat widget over the inquiry bot, and the claims the lesson's text makes about the bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from kenshu.errors import RequestTimeoutError
from kenshu.faq import FaqBot
from kenshu.lessons import faq_chat

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bot():
    return FaqBot(ROOT / "datasets" / "accounting" / "manual.md")


def test_an_answer_shows_with_its_sections_which_open_with_their_text(bot):
    box = faq_chat(bot)
    box.inputs["question"].value = "業務委託90万円、随契でいけますか"
    box.buttons["ask"].click()
    assert "ACC-27a" in box.outputs["answer"].value and "改正前の ACC-27" in box.outputs["answer"].value
    sources = box.outputs["sources"]
    titles = [sources.get_title(i) for i in range(len(sources.children))]
    assert titles[0].startswith("[ACC-27a]") and any(t.startswith("[ACC-27]") and "廃止" in t for t in titles)
    assert "100万円" in sources.children[0].value and sources.selected_index is None


def test_a_refusal_shows_the_contact_section(bot):
    box = faq_chat(bot)
    box.inputs["question"].value = "退職手当の支給日はいつ？"
    box.buttons["ask"].click()
    assert "手引きに定めがありません" in box.outputs["answer"].value
    assert [box.outputs["sources"].get_title(0)][0].startswith("[ACC-44]")


def test_an_empty_question_asks_for_one_and_a_backend_error_is_japanese(bot):
    box = faq_chat(bot)
    assert box.inputs["question"].value  # an example question is there to start with
    box.inputs["question"].value = " "
    box.buttons["ask"].click()
    assert "質問を書いてから" in box.outputs["answer"].value

    def slow(prompt, **_):  # the network edge: the backend does not answer
        raise RequestTimeoutError("60 秒待っても返答がありませんでした。", todo="KENSHU_TIMEOUT を長くしてください。")

    failing = faq_chat(FaqBot(bot.manual, ask=slow))
    failing.inputs["question"].value = "資金前渡の精算はいつまでにしますか"
    failing.buttons["ask"].click()
    assert "KENSHU_TIMEOUT" in failing.outputs["answer"].value and "⚠" in failing.outputs["answer"].value


def test_what_the_lesson_says_about_its_examples_holds(bot):
    # section 3: the 20 km question misses ACC-20 (4th after fusion, only the top 3 are sent)
    hits = bot.index.search("隣の市（20kmくらい）の会議。旅費は？", 5)
    assert [h.section.id for h in hits].index("ACC-20") == 3
    # section 5: 「寄附金…」 is not refused although the manual has no rule on it
    assert not bot.answer("寄附金を受け取るときの手続は？").refused
    assert bot.answer("退職手当の支給日はいつ？").refused
