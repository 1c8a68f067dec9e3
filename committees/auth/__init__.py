"""Accounts, roles, sign-in, password management and the permission mechanism."""
