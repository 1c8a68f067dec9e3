"""The public site: home page and informational pages."""
