"""Call, Contribution, its versions and attachments, and the synthesis of a call.

One module per thing a call is made of; every model and enum is importable from here.
"""

from __future__ import annotations

from committees.calls.models.call import Audience, Call, CallStatus
from committees.calls.models.contribution import (
    Contribution,
    ContributionAttachment,
    ContributionStatus,
    ContributionVersion,
    ContributorKind,
)
from committees.calls.models.synthesis import CallSynthesis, SynthesisExcerpt

__all__ = [
    "Audience",
    "Call",
    "CallStatus",
    "CallSynthesis",
    "Contribution",
    "ContributionAttachment",
    "ContributionStatus",
    "ContributionVersion",
    "ContributorKind",
    "SynthesisExcerpt",
]
