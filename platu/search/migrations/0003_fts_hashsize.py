"""SQLite: FTS5 buffers 16 MB of new terms per transaction (see SQLiteBackend.HASHSIZE).
Tables created by 0002 before this setting existed get it here; new ones already have it."""

from django.db import migrations


def configure(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from platu.search.backends import SQLiteBackend

    with schema_editor.connection.cursor() as cursor:
        SQLiteBackend().configure(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_tables")]

    operations = [migrations.RunPython(configure, migrations.RunPython.noop, elidable=False)]
