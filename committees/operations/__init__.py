"""Operations of the whole installation: backup and restore (``flask backup``)."""
