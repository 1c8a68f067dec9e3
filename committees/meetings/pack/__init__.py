"""The session pack (dossier de séance): one PDF per session and member, the versions of
agenda documents and the message telling members what changed since their last pack."""
