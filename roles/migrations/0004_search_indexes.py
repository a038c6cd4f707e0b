"""GIN indexes for PostgreSQL full-text search; nothing on other databases.

Each expression is the document that roles/search.py matches (its DOCUMENTS), written out here
so that the migration stays as it was when later code changes.
"""

from django.db import migrations

INDEXES = {
    "role_search_idx": ("roles_role", ("name", "alternative_titles", "summary")),
    "rolecriterionvalue_search_idx": ("roles_rolecriterionvalue", ("value",)),
    "comparison_search_idx": ("roles_comparison", ("title", "intro", "verdict")),
    "faq_search_idx": ("roles_faq", ("question", "answer")),
    "transitionpath_search_idx": ("roles_transitionpath", ("summary",)),
}


def document(table, fields):
    columns = " || ' ' || ".join(f"COALESCE(\"{table}\".\"{field}\", '')" for field in fields)
    return f"to_tsvector('english'::regconfig, {columns})"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, fields) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (({document(table, fields)}))'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("roles", "0003_editors_group")]

    operations = [migrations.RunPython(create, drop)]
