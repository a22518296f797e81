"""The index tables: FTS5 on SQLite, tsvector + GIN + pg_trgm on PostgreSQL (see backends.py).
An existing installation fills them with `python manage.py platu_reindex`."""

from django.db import migrations


def create(apps, schema_editor):
    from platu.search.backends import get_backend

    with schema_editor.connection.cursor() as cursor:
        get_backend(schema_editor.connection.vendor).create(cursor)


def drop(apps, schema_editor):
    from platu.search.backends import get_backend

    with schema_editor.connection.cursor() as cursor:
        get_backend(schema_editor.connection.vendor).drop(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("knowledge", "0002_attachment_text_attachment_text_extracted"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
