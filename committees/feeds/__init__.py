"""Atom feed of publications: decisions, agendas, minutes and calls."""
