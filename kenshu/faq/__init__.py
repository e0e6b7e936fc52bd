"""The accounting inquiry bot (会計事務の問合せボット): answers from a manual's sections, with citations.

    from kenshu.faq import FaqBot
    bot = FaqBot()                       # the kit's 若葉市 会計事務の手引き
    answer = bot.answer("資金前渡は1回いくらまで？")
    print(answer.text, answer.cited_ids())

``FaqBot("手引き.docx")`` reads a municipality's own manual (.md, .docx, .pdf). Importing this package
loads neither the search library nor Sudachi; ``kenshu.faq.manual`` alone reads manuals.
"""

from __future__ import annotations

from kenshu.faq.manual import Manual, Section, load_manual

__all__ = ["NOT_COVERED", "Answer", "FaqBot", "Manual", "Section", "load_manual"]


def __getattr__(name: str):
    if name in ("NOT_COVERED", "Answer", "FaqBot"):
        from kenshu.faq import bot

        return getattr(bot, name)
    raise AttributeError(name)
