"""The Editors group's permissions from the content models' declaration (roles.registry), so a
content model added later is granted to editors by this same code, with no migration of its own.
Migration 0003 keeps the list it was written with; this one brings the group up to date."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from roles.registry import grant_editor_permissions


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("roles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    grant_editor_permissions(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0005_guide_one_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
