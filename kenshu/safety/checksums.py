"""Check digits that tell a real identifier from any run of digits."""

from __future__ import annotations


def mynumber_weight(n: int) -> int:
    """個人番号: the weight Q(n) of the n-th of the first 11 digits, counted from the right (n = 1..11)."""
    if not 1 <= n <= 11:
        raise ValueError(f"n must be 1..11, not {n}")
    return n + 1 if n <= 6 else n - 5


def mynumber_is_valid(digits: str) -> bool:
    """個人番号: 12 digits; the last is a check digit over the first 11 (weights counted from the right)."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = [int(d) for d in digits[:11]]
    total = sum(p * mynumber_weight(n) for n, p in enumerate(reversed(body), start=1))
    remainder = total % 11
    return int(digits[11]) == (0 if remainder <= 1 else 11 - remainder)


def corporate_number_is_valid(digits: str) -> bool:
    """法人番号: 13 digits; the first is a check digit over the other 12."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    base = [int(d) for d in digits[1:]]
    total = sum(p * (1 if n % 2 else 2) for n, p in enumerate(reversed(base), start=1))
    return int(digits[0]) == 9 - total % 9


def luhn_is_valid(digits: str) -> bool:
    if not 13 <= len(digits) <= 19 or not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
