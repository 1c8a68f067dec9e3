"""One-line text: what a title, a name or a place may not contain, and how a writer that
must put an older value on one line (a calendar property, a mail header) makes it safe.

A line break typed into a one-line field would end an iCalendar property or a mail header
early, and what follows would be read as properties of its own (``BEGIN:VALARM``, ``URL:``)
or refused by the mail library. Forms, the CSV import and any other writer refuse such
characters; calendars and mail replace them in values stored before that rule existed.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

#: C0 controls (tab, CR and LF included), DEL, the C1 line break NEL and the Unicode line
#: and paragraph separators: every character that may end or disturb a line.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")

#: what a one-line field says when it holds one (French first, in the page's language)
SINGLE_LINE_MESSAGE = _l(
    "Ce champ tient sur une ligne : retirez les retours à la ligne, tabulations et "
    "autres caractères de contrôle."
)


def has_control_characters(text: str | None) -> bool:
    """Whether ``text`` holds a character a one-line value may not hold."""
    return bool(text) and CONTROL_CHARACTERS.search(text) is not None


def one_line(text: str | None) -> str:
    """``text`` on one line: each run of control characters becomes one space (for values
    stored before one-line fields refused them)."""
    if not has_control_characters(text):
        return text or ""
    return re.sub(" ?(?:" + CONTROL_CHARACTERS.pattern + ")+ ?", " ", text).strip()
