from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_tables(using: str = "default", **kwargs: Any) -> None:
    """Create the index tables of indexes registered since the last migration."""
    from django.db import connections

    from platu.search.backends import get_backend

    connection = connections[using]
    if "search_searchterm" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        get_backend(connection.vendor).create(cursor)


class SearchConfig(AppConfig):
    name = "platu.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from platu.search import checks, pending, registry  # noqa: F401 - checks registers itself

        registry.autodiscover()
        pending.connect()
        post_migrate.connect(ensure_tables, sender=self, dispatch_uid="search_ensure_tables")
