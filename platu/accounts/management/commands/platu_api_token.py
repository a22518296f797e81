from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from platu.accounts import tokens
from platu.accounts.models import ApiToken
from platu.lib.errors import ActionRefused, InvalidAction


class Command(BaseCommand):
    help = (
        "Make an API token for a user and print its key (shown only this once); "
        "--list a user's tokens; --revoke ID (or --revoke all) to stop them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="What the token is for.")
        parser.add_argument("--write", action="store_true", help="It may also change things (scope write).")
        parser.add_argument(
            "--days", type=int, default=ApiToken.DEFAULT_DAYS, help="Days until it expires (0: never)."
        )
        parser.add_argument("--list", action="store_true", help="List the user's tokens.")
        parser.add_argument("--revoke", metavar="ID", help="Revoke the user's token ID, or 'all' of them.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        if options["list"]:
            for t in tokens.tokens_of(user):
                state = "revoked" if t.revoked_at else ("expired" if t.is_expired else "active")
                expires = t.expires_at.isoformat() if t.expires_at else "never"
                used = t.last_used_at.isoformat() if t.last_used_at else "-"
                self.stdout.write(f"{t.pk}\t{t.name}\t{t.scopes}\t{state}\texpires {expires}\tused {used}")
            return
        if options["revoke"]:
            found = tokens.tokens_of(user).filter(revoked_at=None)
            if options["revoke"] != "all":
                if not options["revoke"].isdigit():
                    raise CommandError("--revoke takes a token's ID (see --list) or 'all'.")
                found = found.filter(pk=int(options["revoke"]))
                if not found.exists():
                    raise CommandError(f"{options['username']} has no active token {options['revoke']}.")
            count = sum(tokens.revoke(t, acting_user=None) for t in found)
            self.stdout.write(f"Revoked {count} token(s).")
            return
        if not user.is_active:
            raise CommandError(f"No active user {options['username']!r}.")
        scopes = [ApiToken.READ, ApiToken.WRITE] if options["write"] else [ApiToken.READ]
        try:
            _token, key = tokens.issue(
                user, options["name"], scopes=scopes, days=options["days"] or None, acting_user=user
            )
        except (InvalidAction, ActionRefused) as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(key)
