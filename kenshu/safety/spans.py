"""What a detector reports: a kind of personal data at offsets into the original text."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("mynumber", "corporate_number", "phone", "email", "postal_code", "address", "birthdate",
         "bank_account", "credit_card", "person_name", "resident_code")
# public identifiers: reported, not masked unless asked
PUBLIC_KINDS = frozenset({"corporate_number"})
LABELS = {
    "mynumber": "個人番号", "corporate_number": "法人番号", "phone": "電話番号", "email": "メールアドレス",
    "postal_code": "郵便番号", "address": "住所", "birthdate": "生年月日", "bank_account": "口座番号",
    "credit_card": "カード番号", "person_name": "氏名", "resident_code": "住民票コード",
}


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: str
    text: str
