"""``designer_bootstrap``: first-run setup."""
