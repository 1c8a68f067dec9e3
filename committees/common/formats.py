"""Words and numbers as French (and English) readers expect them, written once: « 1er
novembre », « 1,5 Mo », « de l'Association » / « d'Association ».

Babel does the formatting; these helpers only add what CLDR leaves to the writer (the French
ordinal of the first day of a month, elision before a vowel).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from babel import dates as babel_dates

_NAMED = ("short", "medium", "long", "full")
_FIRST_DAY = re.compile(r"(^|\s)1(?=\s)")


def first_of_month(text: str, day: date, locale: str) -> str:
    """« 1 novembre 2022 » → « 1er novembre 2022 » in French; anything else unchanged."""
    if day.day != 1 or not str(locale).startswith("fr"):
        return text
    return _FIRST_DAY.sub(r"\g<1>1er", text, count=1)


#: texts of days and instants kept per process: a page lists the same ones on every visit
TEXTS_KEPT = 8192


@lru_cache(maxsize=TEXTS_KEPT)
def day_text(day: date, format: str = "long", locale: str = "fr") -> str:
    """A calendar day through Babel, with the French « 1er » on the first of a month
    (named formats other than « short », which writes 01/11/2022). Kept once written:
    Babel takes tens of microseconds per date, and a list page writes dozens."""
    text = babel_dates.format_date(day, format, locale=locale)
    if format in _NAMED and format != "short":
        return first_of_month(text, day, locale)
    return text


def starts_with_vowel(word: str) -> bool:
    """Whether a French word elides « de » before it (a vowel, accents folded; an h is left
    alone: « de Haute Autorité »)."""
    first = unicodedata.normalize("NFKD", word.strip()[:1]).encode("ascii", "ignore").decode()
    return first != "" and first.lower() in "aeiouy"


def of(name: str, locale: str = "fr") -> str:
    """« de » before ``name``, elided before a vowel in French: « d'Association X »,
    « de Phytopharma »; « of X » in English."""
    name = name.strip()
    if not str(locale).startswith("fr"):
        return f"of {name}"
    return f"d'{name}" if starts_with_vowel(name) else f"de {name}"


def nested_quotes(text: str) -> str:
    """A value put between « » by a sentence: its own « » become “ ”, as French nests
    quotations (« Le comité « CSP « Pharmacovigilance » » » would double them)."""
    return text.replace("« ", "“").replace(" »", "”").replace("«", "“").replace("»", "”")
