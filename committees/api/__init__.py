"""Read-only JSON API of the public data (open data) at /api/v1, and its OpenAPI document.

Only what the public site shows leaves this package: published committees and decisions,
public sessions of published committees, published agendas and minutes, public calls and
the contributions published with their authors' consent. Field names follow OParl and
Popolo where they fit (README, "Open data API").
"""
