"""``kenshu faq [--manual FILE] QUESTION`` and ``kenshu faq --evaluate [CSV]``: the accounting inquiry bot."""

from __future__ import annotations

from pathlib import Path

from kenshu.faq import FaqBot

DEFAULT_QUESTIONS = "accounting/faq.csv"  # in the kit's datasets/


def ask_faq(question: str | None, *, manual: Path | None = None, evaluate: Path | None | bool = None) -> int:
    if not evaluate and not (question and question.strip()):
        print("質問を書いてください。例: kenshu faq \"資金前渡は1回いくらまでですか\"")
        return 2
    bot = FaqBot(manual)
    if evaluate:
        from kenshu import datasets
        from kenshu.faq.evaluate import evaluate as run
        from kenshu.faq.evaluate import read_questions

        path = datasets.folder() / DEFAULT_QUESTIONS if evaluate is True else Path(evaluate)
        print(f"手引き: {bot.manual.source}（{len(bot.manual.sections)} 節）／ 質問: {path}"
              f"／ 意味でも探す（faq_dense）: {'オン' if bot.index.meaning else 'オフ'}")
        for line in run(bot, read_questions(path)).lines():
            print(line)
        return 0
    answer = bot.answer(question)
    print(answer.text)
    for note in answer.notes:
        print(f"※ {note}")
    if answer.citations:
        print("根拠:")
        for section in answer.citations:
            print(f"  {section.label()}")
    return 0
