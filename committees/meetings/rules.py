"""Rules about sessions, each in one place: what a session's date allows, quorum, conflicts
of interest, series dates."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from committees.common.timeutils import PARIS


def has_started(starts_at: datetime, now: datetime) -> bool:
    """What a session's date allows: attendance, votes, « held » and minutes only once it has
    started. One rule, read by every page that offers these actions and every service that
    records them."""
    return now >= starts_at


def within_period(day: date, first_day: date, last_day: date | None) -> bool:
    """Whether ``day`` falls in a committee's period (the same rule as for mandates)."""
    return first_day <= day and (last_day is None or day <= last_day)


def quorum_required(voting_members: int, quorum_percent: int) -> int:
    """How many voting members must take part: strictly more than ``quorum_percent`` %.

    With the default 50 %, 13 voting members need 7 and 12 need 7.
    """
    return (voting_members * quorum_percent) // 100 + 1


def has_quorum(present_voting: int, voting_members: int, quorum_percent: int) -> bool:
    """Whether ``present_voting`` members (after recusals) make the quorum."""
    return voting_members > 0 and present_voting >= quorum_required(voting_members, quorum_percent)


def normalize_organisation(name: str) -> str:
    """Organisation names compared without case, accents, punctuation or extra spaces."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def organisations_match(declared: str, concerned: str) -> bool:
    """A declared link names the concerned organisation (equal, or one contains the other).

    Containment catches « Laboratoire Phytopharma » against « Phytopharma », at the cost
    of an occasional false flag, which the secretariat clears with a reason.
    """
    a, b = normalize_organisation(declared), normalize_organisation(concerned)
    if not a or not b:
        return False
    return a == b or f" {b} " in f" {a} " or f" {a} " in f" {b} "


#: Links of interest older than this before the session no longer raise a flag.
INTEREST_LOOKBACK = timedelta(days=5 * 365)


def link_is_relevant(ended_on: date | None, on: date) -> bool:
    """Ongoing links, and links ended within the last five years, count."""
    return ended_on is None or ended_on >= on - INTEREST_LOOKBACK


def paris_to_utc(day: date, at: time) -> datetime:
    """The UTC instant of a wall-clock time in Paris on ``day`` (DST handled by zoneinfo)."""
    return datetime.combine(day, at, tzinfo=PARIS).astimezone(UTC)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The ``nth`` (1-5, or -1 for the last) ``weekday`` (0 = Monday) of a month, if it exists."""
    if nth == -1:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


@dataclass(frozen=True)
class SeriesRule:
    """« The first Thursday of each month, 14:00-17:00, from June 2021 to December 2022,
    except August »."""

    weekday: int  # 0 = Monday
    nth: int  # 1..5, or -1 for the last
    start_time: time
    end_time: time
    first_day: date
    last_day: date
    except_months: frozenset[int] = frozenset()


def series_dates(rule: SeriesRule) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC instants of every session of the series, in order."""
    slots = []
    year, month = rule.first_day.year, rule.first_day.month
    while date(year, month, 1) <= rule.last_day:
        day = nth_weekday(year, month, rule.weekday, rule.nth)
        if (
            day is not None
            and month not in rule.except_months
            and rule.first_day <= day <= rule.last_day
        ):
            slots.append((paris_to_utc(day, rule.start_time), paris_to_utc(day, rule.end_time)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return slots


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """Whether two time ranges share a moment (touching ends do not overlap)."""
    return a[0] < b[1] and b[0] < a[1]


def count_ballots(choices: Iterable[str]) -> tuple[int, int, int]:
    """(for, against, abstain) counted from named ballots."""
    totals = {"for": 0, "against": 0, "abstain": 0}
    for choice in choices:
        totals[choice] += 1
    return totals["for"], totals["against"], totals["abstain"]
