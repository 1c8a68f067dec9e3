"""minutes made of sections: opening, attendance, one per agenda item, closing

Each revision of the minutes was one Markdown text; it becomes rows of
``minutes_sections``. The conversion splits every revision's text at the
``### <position>. <title>`` headings the prefill wrote, attributing a heading to the item
whose title it carries (so that an item moved since is still found); a heading whose title
matches no item (renamed, deleted, typed by hand, or met twice) cannot be attributed: its
text goes, with the heading, into the non-public section "à placer" (``unplaced``), never
published until the secretariat places it, and the conversion says so on its output.
Any other heading (``### Délibération``...) stays in the section it is in. The text before
the first item heading is the opening (up to ``## Participants``) and the attendance.
A closed item's publishable outcome is its vote's verdict and counts, what the public
read of it until now. Comments gain the section they are about.

Revision ID: 0012_minutes_sections
Revises: 0011_synthesis
"""

import logging
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_minutes_sections"
down_revision = "0011_synthesis"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

_ITEM_HEADING = re.compile(r"^###\s+(\d+)\.\s*(.*?)\s*$")
_PARTICIPANTS = re.compile(r"^##\s+Participants\s*$", re.IGNORECASE)
_AGENDA = re.compile(r"^##\s+Ordre du jour\s*$", re.IGNORECASE)

_meta = sa.MetaData()
_revisions = sa.Table(
    "minutes_revisions",
    _meta,
    sa.Column("id", sa.Integer),
    sa.Column("minutes_id", sa.Integer),
    sa.Column("number", sa.Integer),
    sa.Column("body", sa.Text),
)
_minutes = sa.Table(
    "minutes", _meta, sa.Column("id", sa.Integer), sa.Column("meeting_id", sa.Integer)
)
_items = sa.Table(
    "agenda_items",
    _meta,
    sa.Column("id", sa.Integer),
    sa.Column("meeting_id", sa.Integer),
    sa.Column("position", sa.Integer),
    sa.Column("title", sa.String),
    sa.Column("is_public", sa.Boolean),
)
_votes = sa.Table(
    "votes",
    _meta,
    sa.Column("item_id", sa.Integer),
    sa.Column("votes_for", sa.Integer),
    sa.Column("votes_against", sa.Integer),
    sa.Column("abstentions", sa.Integer),
    sa.Column("adopted", sa.Boolean),
)
_sections = sa.Table(
    "minutes_sections",
    _meta,
    sa.Column("id", sa.Integer),
    sa.Column("revision_id", sa.Integer),
    sa.Column("kind", sa.String),
    sa.Column("item_id", sa.Integer),
    sa.Column("body", sa.Text),
    sa.Column("public_outcome", sa.Text),
)
_comments = sa.Table(
    "minutes_comments",
    _meta,
    sa.Column("id", sa.Integer),
    sa.Column("minutes_id", sa.Integer),
    sa.Column("item_id", sa.Integer),
    sa.Column("section_id", sa.Integer),
    sa.Column("revision_number", sa.Integer),
)


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


def split_minutes(body: str, items: list[tuple[int, int, str]]):
    """Split one old text into (opening, attendance, {item id: text}, unplaced, headings
    not attributed); ``items`` are (id, position, title) of the session's items."""
    by_title: dict[str, list[int]] = {}
    for item_id, _position, title in items:
        by_title.setdefault(_norm(title), []).append(item_id)
    buckets: dict[object, list[str]] = {"opening": [], "attendance": [], "unplaced": []}
    current: object = "opening"
    missed: list[str] = []
    for line in body.splitlines():
        heading = _ITEM_HEADING.match(line)
        if heading:
            candidates = [i for i in by_title.get(_norm(heading.group(2)), []) if i not in buckets]
            if len(candidates) == 1:
                current = candidates[0]
                buckets[current] = []
            else:
                current = "unplaced"
                missed.append(line.strip())
                buckets["unplaced"].append(line)
            continue
        if current == "opening" and _PARTICIPANTS.match(line):
            current = "attendance"
            continue
        if current in ("opening", "attendance") and _AGENDA.match(line):
            continue
        buckets[current].append(line)

    def text(key) -> str:
        return "\n".join(buckets.get(key, [])).strip()

    by_item = {key: text(key) for key in buckets if isinstance(key, int)}
    return text("opening"), text("attendance"), by_item, text("unplaced"), missed


def _outcome(vote) -> str:
    if vote is None:
        return ""
    verdict = "Avis adopté." if vote.adopted else "Avis non adopté."
    return (
        f"**{verdict}** pour : {vote.votes_for}, contre : {vote.votes_against}, "
        f"abstentions : {vote.abstentions}."
    )


def _report(message: str) -> None:
    log.warning(message)
    print(message)  # the operator reads what could not be attributed


def _plan(bind) -> list[dict]:
    """The sections of every revision, computed from the old texts (read before the
    ``body`` column goes: on SQLite, rebuilding ``minutes_revisions`` to drop it deletes
    the rows that reference it)."""
    rows = bind.execute(
        sa.select(
            _revisions.c.id,
            _revisions.c.number,
            _revisions.c.body,
            _minutes.c.id,
            _minutes.c.meeting_id,
        )
        .join(_minutes, _minutes.c.id == _revisions.c.minutes_id)
        .order_by(_revisions.c.id)
    ).all()
    items_of: dict[int, list] = {}
    for item in bind.execute(sa.select(_items)).all():
        items_of.setdefault(item.meeting_id, []).append(item)
    votes = {vote.item_id: vote for vote in bind.execute(sa.select(_votes)).all()}
    planned: list[dict] = []
    for revision_id, number, body, minutes_id, meeting_id in rows:
        items = items_of.get(meeting_id, [])
        opening, attendance, by_item, unplaced, missed = split_minutes(
            body or "", [(i.id, i.position, i.title) for i in items]
        )
        values = [
            {"kind": "opening", "item_id": None, "body": opening, "public_outcome": ""},
            {"kind": "attendance", "item_id": None, "body": attendance, "public_outcome": ""},
        ]
        for item in items:
            if item.id in by_item:
                outcome = "" if item.is_public else _outcome(votes.get(item.id))
                values.append(
                    {
                        "kind": "item",
                        "item_id": item.id,
                        "body": by_item[item.id],
                        "public_outcome": outcome,
                    }
                )
        values.append({"kind": "closing", "item_id": None, "body": "", "public_outcome": ""})
        if unplaced:
            values.append(
                {"kind": "unplaced", "item_id": None, "body": unplaced, "public_outcome": ""}
            )
            _report(
                f"minutes {minutes_id} (session {meeting_id}), version {number}: "
                f"{len(unplaced.splitlines())} line(s) not attributed to an agenda item, kept "
                f"in the non-public section 'à placer'; headings: {'; '.join(missed)}"
            )
        planned += [{"revision_id": revision_id, **value} for value in values]
    return planned


def _write(bind, planned: list[dict]) -> None:
    if planned:
        bind.execute(_sections.insert(), planned)
    # Old comments point to their item's section in the version they commented on.
    for comment in bind.execute(sa.select(_comments)).all():
        section_id = bind.execute(
            sa.select(_sections.c.id)
            .join(_revisions, _revisions.c.id == _sections.c.revision_id)
            .where(
                _revisions.c.minutes_id == comment.minutes_id,
                _revisions.c.number == comment.revision_number,
                _sections.c.item_id == comment.item_id,
            )
        ).scalar()
        if section_id is not None:
            bind.execute(
                _comments.update().where(_comments.c.id == comment.id).values(section_id=section_id)
            )


def upgrade():
    op.create_table(
        "minutes_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("public_outcome", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind = 'item' OR item_id IS NULL",
            name=op.f("ck_minutes_sections_item_only_for_items"),
        ),
        sa.CheckConstraint(
            "kind IN ('opening', 'attendance', 'item', 'closing', 'unplaced')",
            name=op.f("ck_minutes_sections_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_minutes_sections_item_id_agenda_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["minutes_revisions.id"],
            name=op.f("fk_minutes_sections_revision_id_minutes_revisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_sections")),
    )
    with op.batch_alter_table("minutes_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_sections_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_minutes_sections_revision_id"), ["revision_id"], unique=False
        )
    with op.batch_alter_table("minutes_comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("section_id", sa.Integer(), nullable=True))
        batch_op.alter_column("item_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_minutes_comments_section_id"), ["section_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_minutes_comments_section_id_minutes_sections"),
            "minutes_sections",
            ["section_id"],
            ["id"],
            ondelete="SET NULL",
        )
    planned = _plan(op.get_bind())
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.drop_column("body")
    _write(op.get_bind(), planned)


def _join_back(bind) -> dict[int, str]:
    """Each revision's sections as one text again, with the old ``### n. title`` headings."""
    items = {item.id: item for item in bind.execute(sa.select(_items)).all()}
    texts: dict[int, dict] = {}
    bodies: dict[int, str] = {}
    for section in bind.execute(sa.select(_sections).order_by(_sections.c.id)).all():
        texts.setdefault(section.revision_id, {"item": []})
        if section.kind == "item":
            texts[section.revision_id]["item"].append(section)
        else:
            texts[section.revision_id][section.kind] = section.body
    for revision_id, parts in texts.items():
        lines = [parts.get("opening", "")]
        if parts.get("attendance"):
            lines += ["## Participants", parts["attendance"]]
        ordered = sorted(
            parts["item"],
            key=lambda s: items[s.item_id].position if s.item_id in items else 10**6,
        )
        if ordered:
            lines.append("## Ordre du jour")
        for section in ordered:
            item = items.get(section.item_id)
            heading = f"### {item.position}. {item.title}" if item else "### Point retiré"
            lines += [heading, section.body]
        lines += [parts.get("closing", ""), parts.get("unplaced", "")]
        body = "\n\n".join(line.strip() for line in lines if line and line.strip()) + "\n"
        bodies[revision_id] = body
    return bodies


def downgrade():
    bind = op.get_bind()
    bodies = _join_back(bind)  # before any rebuild of minutes_revisions (see _plan)
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.Text(), nullable=False, server_default=""))
    for revision_id, body in bodies.items():
        bind.execute(_revisions.update().where(_revisions.c.id == revision_id).values(body=body))
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.alter_column("body", existing_type=sa.Text(), server_default=None)
    # Comments on the opening, attendance or closing had no place before sections.
    bind.execute(_comments.delete().where(_comments.c.item_id.is_(None)))
    with op.batch_alter_table("minutes_comments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_minutes_comments_section_id_minutes_sections"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_minutes_comments_section_id"))
        batch_op.alter_column("item_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("section_id")
    with op.batch_alter_table("minutes_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_sections_revision_id"))
        batch_op.drop_index(batch_op.f("ix_minutes_sections_item_id"))
    op.drop_table("minutes_sections")
