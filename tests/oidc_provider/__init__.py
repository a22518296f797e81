"""A real OpenID Connect provider for the tests: django-oauth-toolkit's OIDC server in a small
Django project of its own (its own settings and SQLite file), run in a subprocess by
``tests/accounts/oidc_fixtures.py``. It stands in for DGA Digital ID and ThaID: discovery, the
authorization endpoint with PKCE required, the token endpoint, RS256 ID tokens, JWKS and userinfo.
"""
