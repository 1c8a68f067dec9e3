"""Closing a call before its deadline: a confirmation with a reason, and a notice to every
contributor who submitted (issue 20)."""
