"""What every calendar test starts from."""

import pytest

from tests.support.calendars import fresh_cache


@pytest.fixture(autouse=True)
def nothing_kept_from_an_earlier_test(app):
    """Each test starts with no built feed and no remembered validators (the memo is
    exact: tests that change data and ask again at once need nothing more)."""
    fresh_cache()
