"""Text drawn once and kept, with holes for what belongs to one request.

A kept text (the frame of every page, a dashboard panel) may hold values that differ
from one request to the next: the session's CSRF token, the page's own address, the
person's name. It is drawn with a mark in their place (``hole``), or they are taken out
once drawn (``punched``); its pieces (``pieces``) are kept, and filled with each
request's values, escaped (``filled``). The mark holds a random part drawn when the
process starts, so no text a person typed can contain it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup, escape

#: between a hole's name and the text around it
MARK = f"\x00{secrets.token_hex(8)}\x00"


def hole(name: str) -> Markup:
    """The place of the value ``name`` in a text drawn to be kept."""
    return Markup(f"{MARK}{name}{MARK}")  # noqa: S704 - a mark, filled with escaped text


def punched(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each of ``values`` (name: the value as drawn) made a hole."""
    for name, value in values.items():
        if value:
            text = text.replace(value, f"{MARK}{name}{MARK}")
    return text


def pieces(text: str) -> tuple[str, ...]:
    """What is kept of ``text``: its parts between holes and the holes' names, alternately."""
    return tuple(text.split(MARK))


def filled(kept: tuple[str, ...], value_of: Callable[[str], Any]) -> Markup:
    """The kept text with each hole filled with ``value_of(name)``, escaped."""
    if len(kept) == 1:
        return Markup(kept[0])  # noqa: S704 - drawn by a template, autoescaped
    parts = list(kept)
    for index in range(1, len(parts), 2):
        parts[index] = escape(value_of(parts[index]))
    return Markup("".join(parts))  # noqa: S704 - autoescaped text and escaped values
