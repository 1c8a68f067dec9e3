"""Fixture of the committee, person and mandate tests: ``culture_committee``."""

from __future__ import annotations

from datetime import date

import pytest

from committees.bodies.models import CommitteeKind
from committees.bodies.services import create_committee


@pytest.fixture
def culture_committee(db):
    """The CST « Culture en France du cannabis à usage médical », a temporary committee from
    2 August 2021 to the end of 2024, not published."""
    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr="Culture en France du cannabis à usage médical",
        acronym="CST",
        start_date=date(2021, 8, 2),
        end_date=date(2024, 12, 31),
    )
    db.session.commit()
    return committee
