"""Persons who sit or sat in committees: identity, member account, declarations of interests."""
