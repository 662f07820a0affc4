"""Accounts: browser login, API tokens, the current user, and first-run bootstrap."""
