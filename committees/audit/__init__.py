"""Who changed what, when: one mechanism for every audited model."""
