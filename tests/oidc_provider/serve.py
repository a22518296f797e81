"""Start the test OIDC provider: ``python -m tests.oidc_provider.serve SEED.json PORT``.

SEED.json: {"clients": [{"client_id", "client_secret", "redirect_uris": [...]}],
"users": [{"username", "password", "email", "email_verified", "given_name", "family_name", "pid"}]}.
The environment names the SQLite file (OIDC_PROVIDER_DB) and the RSA key (OIDC_PROVIDER_KEY).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> None:
    seed_path, port = sys.argv[1], int(sys.argv[2])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    from tests.oidc_provider.models import Claims

    call_command("migrate", run_syncdb=True, verbosity=0)
    seed = json.loads(Path(seed_path).read_text(encoding="utf-8"))
    Application = get_application_model()
    for c in seed["clients"]:
        Application.objects.create(
            name=c["client_id"],
            client_id=c["client_id"],
            client_secret=c["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(c["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
    for u in seed["users"]:
        user = User.objects.create_user(u["username"], password=u["password"])
        Claims.objects.create(
            user=user,
            email=u.get("email", ""),
            email_verified=bool(u.get("email_verified")),
            given_name=u.get("given_name", ""),
            family_name=u.get("family_name", ""),
            pid=u.get("pid", ""),
        )
    run("127.0.0.1", port, get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main()
