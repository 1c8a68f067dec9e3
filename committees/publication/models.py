"""What the database keeps for the public pages' cache: the publication revision."""

from __future__ import annotations

from committees.common.models import RevisionRow
from committees.extensions import db


class PublicationRevision(RevisionRow, db.Model):
    """One row: how many times anything a public page, the Atom feed or the API may read
    has changed.

    Bumped in the same transaction as the change (committees.publication.revision), so a
    page kept under one revision is served only while the row has not moved: exact at
    every instant, in every worker. ``changed_at`` tells a row created again (a wiped or
    restored database starting its counter afresh) from the one a page was kept under.
    """

    __tablename__ = "publication_revision"
