"""い-adjectives: whether a word ends with one (多い, 少ない), rather than a noun in い (お願い, きれい)."""

from __future__ import annotations

I_ADJECTIVES = (
    "多い", "少ない", "高い", "低い", "安い", "早い", "速い", "遅い", "大きい", "小さい", "古い", "近い", "遠い",
    "広い", "狭い", "長い", "短い", "良い", "よい", "いい", "悪い", "強い", "弱い", "重い", "軽い", "危ない",
    "明るい", "暗い", "深い", "浅い", "太い", "細い", "若い", "痛い", "怖い", "暑い", "寒い", "熱い", "冷たい",
    "面白い", "おもしろい", "ひどい", "すごい", "うまい", "まずい", "幼い", "固い", "硬い", "堅い",
    "辛い", "甘い", "緩い", "ゆるい", "鋭い", "鈍い", "薄い", "厚い", "濃い", "丸い", "青い", "赤い", "白い",
    "黒い", "黄色い", "温かい", "暖かい", "柔らかい", "細かい", "やわらかい", "あたたかい", "易い", "づらい",
    "にくい", "やすい", "っぽい", "らしい", "しい", "たい",
)
# words in い that take である/です like nouns
NOUNS_IN_I = ("きれい", "綺麗", "嫌い", "お願い", "違い", "扱い", "払い", "伺い", "向かい", "幸い", "次第")


def is_i_adjective(text: str) -> bool:
    """Whether ``text`` ends with an い-adjective (not a noun such as お願い, or きれい)."""
    return not text.endswith(NOUNS_IN_I) and text.endswith(I_ADJECTIVES)

