"""Numbers as written in Chinese official documents: 三、十二、二十五、两、一百零五.

Rectification notices write periods in Chinese numerals ("三个月内",
"十五个工作日内") as often as in digits; deadlines must read both the same.
"""

from __future__ import annotations

DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "0123456789"
# A character class for regular expressions that may hold a number.
NUMERAL_CLASS = f"[{NUMERAL_CHARS}]"

MAX_DIGITS = 9  # anything longer is not a period anyone means


def parse_number(text: str) -> int | None:
    """The value of `text` in Arabic digits or Chinese numerals, or None.

    Digit strings without units ("二〇二五") read positionally, like years.
    Mixed strings ("2十") and malformed ones ("十十") are None.
    """
    if not text or len(text) > MAX_DIGITS:
        return None
    if text.isascii():
        return int(text) if text.isdigit() else None
    if all(ch in DIGITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    total = 0
    current: int | None = None
    last_unit = None
    for ch in text:
        if ch in DIGITS:
            if current is not None and current != 0:
                return None  # two digits in a row: "二三十"
            current = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                return None  # units must decrease: "十百", "十十"
            if current == 0:
                return None  # "零十"
            total += (1 if current is None else current) * unit
            current, last_unit = None, unit
        else:
            return None
    if current is not None:
        if current == 0 and total == 0 and len(text) > 1:
            return None
        total += current
    return total
