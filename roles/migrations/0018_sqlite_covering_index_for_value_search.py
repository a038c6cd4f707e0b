"""SQLite only: a covering index for search's scan of the comparison table's cells.

Search matches a cell by `value LIKE '%term%'` for the published criteria (roles/search.py;
PostgreSQL has its GIN index from 0004 instead). No index can seek a LIKE that starts with %, so
SQLite read the cells through the criterion index, a row of the table (with its long `detail`)
for each: about 22 ms at the full O*NET size. With (criterion, value, role) in one index it reads
the index alone, about 5 ms. Nothing on other databases.
"""

from django.db import migrations

NAME = "rolecriterionvalue_search_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "roles_rolecriterionvalue" '
        '("criterion_id", "value", "role_id")'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("roles", "0017_bookmarks_for_plans_and_comparisons")]

    operations = [migrations.RunPython(create, drop)]
