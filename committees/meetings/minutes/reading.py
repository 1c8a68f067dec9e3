"""The minutes as members and the public read them: the latest revision's sections,
assembled (the public's from public sections only, ``public_text``) and rendered, with the
count of comments received and processed."""

from __future__ import annotations

from flask import render_template

from committees.common.markdown import render_markdown
from committees.meetings.minutes.comments import comment_summary
from committees.meetings.minutes.public_text import public_text
from committees.meetings.minutes.sections import full_text, sections_of
from committees.meetings.minutes.services import latest_revision
from committees.meetings.models import Meeting


def reading_page(
    meeting: Meeting, template: str, status: int = 200, *, public: bool = False, **context
) -> tuple[str, int]:
    """``template`` rendered with the minutes of ``meeting`` and ``context``, and ``status``."""
    minutes = meeting.minutes
    latest = latest_revision(minutes)
    text = public_text(minutes, latest) if public else full_text(sections_of(latest))
    html = render_template(
        template,
        meeting=meeting,
        minutes=minutes,
        revision=latest,
        body=render_markdown(text),
        comment_summary=comment_summary(minutes),
        **context,
    )
    return html, status
