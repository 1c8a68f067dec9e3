"""The signed-in home page: a greeting and panels chosen by the person's permissions."""
