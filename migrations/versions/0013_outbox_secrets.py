"""outbox_secrets: personal links of the outbox stored masked, encrypted until delivery

Adds ``outbox_messages.sealed_secrets`` and masks the personal links already stored in
clear (password reset, invitation, address and follow confirmation, convocation answer,
unsubscribe): each token becomes a marker (see committees/mail/secrets.py).

- messages already **sent**: the link is masked for good (the recipient has it already);
- messages **pending or failed**: the token is encrypted under the application's key
  (``MAIL_SECRETS_KEY``, by default derived from ``SECRET_KEY``) and delivery puts it back,
  so they are still delivered with a working link.

Downgrade puts the encrypted tokens back into the texts and drops the column; links masked
for good in sent messages stay masked.

Revision ID: 0013_outbox_secrets
Revises: 0012_minutes_sections
"""

import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_outbox_secrets"
down_revision = "0012_minutes_sections"
branch_labels = None
depends_on = None

#: the paths of the links that act on someone's behalf, as they were at this revision
_PATHS = (
    "/password/reset/",
    "/register/confirm/",
    "/convocations/",
    "/suivre/confirmer/",
    "/suivre/desabonnement/",
)
_TOKEN_IN_LINK = re.compile(
    "(?:" + "|".join(re.escape(path) for path in _PATHS) + r")(?!masked-secret-)([A-Za-z0-9_.\-]+)"
)
_BATCH = 500

outbox = sa.table(
    "outbox_messages",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("body_text", sa.Text),
    sa.column("body_html", sa.Text),
    sa.column("unsubscribe_url", sa.String),
    sa.column("sealed_secrets", sa.Text),
)


def _ids(conn, condition) -> list[int]:
    return list(
        conn.execute(sa.select(outbox.c.id).where(condition).order_by(outbox.c.id)).scalars()
    )


def _rows(conn, ids):
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        yield from conn.execute(sa.select(outbox).where(outbox.c.id.in_(chunk))).mappings().all()


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_secrets", sa.Text(), nullable=True))

    from committees.mail.secrets import new_marker, seal_by_marker

    conn = op.get_bind()
    holds_a_link = sa.or_(
        outbox.c.unsubscribe_url.is_not(None),
        *[outbox.c.body_text.contains(path) for path in _PATHS],
        *[outbox.c.body_html.contains(path) for path in _PATHS],
    )
    for row in _rows(conn, _ids(conn, holds_a_link)):
        markers: dict[str, str] = {}  # token -> marker

        def masked(text, markers=markers):
            if text is None:
                return None

            def one(match):
                token = match.group(1)
                marker = markers.setdefault(token, new_marker())
                return match.group(0)[: match.start(1) - match.start(0)] + marker

            return _TOKEN_IN_LINK.sub(one, text)

        changes = {
            "body_text": masked(row["body_text"]),
            "body_html": masked(row["body_html"]),
            "unsubscribe_url": masked(row["unsubscribe_url"]),
        }
        if not markers:
            continue
        if row["status"] != "sent":
            changes["sealed_secrets"] = seal_by_marker(
                {marker: token for token, marker in markers.items()}
            )
        conn.execute(sa.update(outbox).where(outbox.c.id == row["id"]).values(**changes))


def downgrade():
    from committees.mail.secrets import reveal, unseal

    conn = op.get_bind()
    for row in _rows(conn, _ids(conn, outbox.c.sealed_secrets.is_not(None))):
        clear = unseal(row["sealed_secrets"])
        conn.execute(
            sa.update(outbox)
            .where(outbox.c.id == row["id"])
            .values(
                body_text=reveal(row["body_text"], clear),
                body_html=reveal(row["body_html"], clear, html=True)
                if row["body_html"] is not None
                else None,
                unsubscribe_url=reveal(row["unsubscribe_url"], clear)
                if row["unsubscribe_url"] is not None
                else None,
            )
        )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("sealed_secrets")
