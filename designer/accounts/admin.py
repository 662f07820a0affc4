"""Users and tokens are administered through the auth and authtoken admins."""
