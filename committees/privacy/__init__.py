"""Personal data (RGPD): export of what is held about someone, erasure, retention."""
