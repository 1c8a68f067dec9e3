"""Markdown written by the secretariat, rendered safely (no raw HTML, no script links)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

# CommonMark with raw HTML disabled: tags typed in the text are shown, not interpreted;
# markdown-it's link validation already refuses javascript:, vbscript: and data: URLs.
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str | None) -> Markup:
    """HTML for ``text``, safe to insert in a page."""
    return Markup(_renderer.render(text or ""))  # noqa: S704 - html disabled above
