"""The secretariat's CSV import of a committee's members: reading the file, then importing it."""
