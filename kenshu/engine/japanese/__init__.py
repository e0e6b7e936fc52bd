"""Japanese grammar for the offline engine, by rule, one job per module.

- ``sentences``: the one sentence splitter, and what lies inside quotes and brackets
- ``characters``: which characters are kanji
- ``conjugation``: verbs, recognised from any form and conjugated
- ``adjectives``: い-adjectives
- ``style``: です・ます ⇄ である
- ``clauses``: where one sentence can become two
- ``glossary``: hard words and their やさしい日本語 replacements
- ``plain``: やさしい日本語 (glossary, です・ます, short sentences)
- ``length``: fitting a text into a character limit, and counting characters as a reader does
"""
