"""Outgoing e-mail: an outbox table written in the caller's transaction, and its delivery."""
