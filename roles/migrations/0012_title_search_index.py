"""Indexes that find a role by any of its titles (roles/search.py, roles/forms.py RoleIndex).

RoleTitle.key already has a b-tree index (exact matches; on SQLite also prefix ranges; on
PostgreSQL Django adds a `varchar_pattern_ops` twin for `LIKE 'term%'`). This adds:

- on PostgreSQL, a trigram GIN index on `key` (pg_trgm), so a word anywhere in a title
  (`key ~ '(^|[^0-9a-z])nurse'`) is an index scan, not a read of ~56,500 rows;
- on PostgreSQL and SQLite, an index on `lower(short_title)`, the expression search and the
  pickers compare a typed "rn" with ("RN").

Only those two vendors: a GinIndex in the model's Meta would be created everywhere, and
CreateExtension is skipped elsewhere but an index using it is not. The model's state does not
change, so `makemigrations` has nothing to add.
"""

from django.db import migrations

TRIGRAM_INDEX = "roletitle_key_trgm_idx"
SHORT_TITLE_INDEX = "roletitle_short_title_lower_idx"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{TRIGRAM_INDEX}" '
            'ON "roles_roletitle" USING gin ("key" gin_trgm_ops)'
        )
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{SHORT_TITLE_INDEX}" '
        'ON "roles_roletitle" (LOWER("short_title"))'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    # The extension stays: other objects may use it, and dropping it needs more rights.
    for name in (TRIGRAM_INDEX, SHORT_TITLE_INDEX):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("roles", "0011_occupation_pay")]

    operations = [migrations.RunPython(create, drop)]
