"""Attendance certificates and experts' fees: a certificate per member and session attended
(PDF with a verification code that a public address checks), a yearly statement of sessions
attended and amounts due under each committee's rates, and its CSV for the paying service."""
