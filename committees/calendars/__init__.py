"""Calendars: iCalendar documents for sessions (invitations, cancellations and feeds)."""
