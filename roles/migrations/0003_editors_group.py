"""The Editors group: add, change, delete and view on the content models, nothing else.

Readers' bookmarks and step progress, users and groups stay out of it. A content model added
later needs its own migration that grants the same four permissions to this group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS_GROUP = "Editors"
CONTENT_MODELS = [
    "role",
    "criterion",
    "rolecriterionvalue",
    "skill",
    "roleskill",
    "comparison",
    "comparisonsection",
    "faq",
    "reference",
    "transitionpath",
    "transitionstep",
]
ACTIONS = ["add", "change", "delete", "view"]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("roles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(
        name=EDITORS_GROUP
    )
    codenames = [f"{action}_{model}" for model in CONTENT_MODELS for action in ACTIONS]
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="roles", codename__in=codenames
    )
    group.permissions.add(*permissions)


def remove_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0002_published_flags"),
    ]

    operations = [
        migrations.RunPython(create_editors_group, remove_editors_group),
    ]
