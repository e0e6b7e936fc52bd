"""A municipality's generative-AI guideline, written from a few choices, and the gate policy from the same choices.

``Choices`` holds the decisions (which services, up to which 機密性, personal data, approval, records,
training, review). ``articles`` turns them into the guideline's clauses, ``write_docx`` into a Word file,
``policy_toml`` into the gate's policy file: the written rule and the enforced rule come from one place.
"""

from kenshu.guideline.choices import DEFAULT_CHOICES, Choices, read_choices
from kenshu.guideline.clauses import Article, articles
from kenshu.guideline.document import write_docx
from kenshu.guideline.rules import policy_from, policy_toml

__all__ = ["DEFAULT_CHOICES", "Article", "Choices", "articles", "policy_from", "policy_toml", "read_choices",
           "write_docx"]
