"""Account administration: the admin lists, invites and edits accounts and their roles."""
