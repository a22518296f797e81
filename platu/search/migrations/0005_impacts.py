"""SQLite: the tables of the words' arrays beside each FTS5 index (see impacts.py). They fill on
the next rebuild (`python manage.py platu_reindex`) or index optimisation."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from platu.search import impacts, registry

    with schema_editor.connection.cursor() as cursor:
        for table in registry.tables():
            impacts.create(cursor, table)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from platu.search import impacts, registry

    with schema_editor.connection.cursor() as cursor:
        for table in registry.tables():
            impacts.drop(cursor, table)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_verbose_names")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
