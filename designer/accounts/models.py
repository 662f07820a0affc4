"""No models: users are ``django.contrib.auth`` users, tokens are ``rest_framework.authtoken``."""
