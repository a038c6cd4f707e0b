"""One name for one idea: a transition path is a guide, everywhere.

TransitionPath becomes Guide and TransitionStep GuideStep; the fields that pointed at them
(`FAQ.transition`, `Reference.transition`, `Bookmark.path`, `GuideStep.path`) become `guide`.
Tables and columns are renamed in place, so every row, bookmark and tick is kept. So is the
history: the Editors group's permissions are renamed rather than recreated, and revisions
saved under the old names are rewritten so that they can still be compared and reverted.
"""

import json

from django.db import migrations, models
from django.db.models import F, Q

PERMISSIONS = {"transitionpath": "guide", "transitionstep": "guidestep"}
MODEL_LABELS = {"roles.transitionpath": "roles.guide", "roles.transitionstep": "roles.guidestep"}
FIELDS = {  # model label (new) -> {old field name: new}
    "roles.faq": {"transition": "guide"},
    "roles.reference": {"transition": "guide"},
    "roles.guidestep": {"path": "guide"},
}
INDEX_RENAMES = {"transitionpath_search_idx": "guide_search_idx"}
ACTIONS = ("add", "change", "delete", "view")


def _rename_permissions(apps, schema_editor, names):
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for old, new in names.items():
        for action in ACTIONS:
            Permission.objects.using(db).filter(
                content_type__app_label="roles", codename=f"{action}_{old}"
            ).update(codename=f"{action}_{new}")


def _rewrite_versions(apps, schema_editor, labels, fields):
    try:
        Version = apps.get_model("reversion", "Version")
    except LookupError:
        return
    db = schema_editor.connection.alias
    for version in Version.objects.using(db).filter(format="json").iterator():
        try:
            records = json.loads(version.serialized_data)
        except ValueError:
            continue
        changed = False
        for record in records:
            model = labels.get(record.get("model"), record.get("model"))
            if model != record.get("model"):
                record["model"] = model
                changed = True
            for old, new in fields.get(model, {}).items():
                if old in record.get("fields", {}):
                    record["fields"][new] = record["fields"].pop(old)
                    changed = True
        if changed:
            version.serialized_data = json.dumps(records)
            version.save(update_fields=["serialized_data"])


def _rename_indexes(schema_editor, names):
    if schema_editor.connection.vendor == "postgresql":
        for old, new in names.items():
            schema_editor.execute(f'ALTER INDEX IF EXISTS "{old}" RENAME TO "{new}"')


def forwards(apps, schema_editor):
    _rename_permissions(apps, schema_editor, PERMISSIONS)
    _rewrite_versions(apps, schema_editor, MODEL_LABELS, FIELDS)
    _rename_indexes(schema_editor, INDEX_RENAMES)


def backwards(apps, schema_editor):
    _rename_permissions(apps, schema_editor, {new: old for old, new in PERMISSIONS.items()})
    old_fields = {  # keyed by the old label again
        "roles.faq": {"guide": "transition"},
        "roles.reference": {"guide": "transition"},
        "roles.transitionstep": {"guide": "path"},
    }
    _rewrite_versions(
        apps, schema_editor, {new: old for old, new in MODEL_LABELS.items()}, old_fields
    )
    _rename_indexes(schema_editor, {new: old for old, new in INDEX_RENAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("roles", "0004_search_indexes"),
        migrations.swappable_dependency("auth.User"),
    ]

    operations = [
        migrations.RemoveConstraint("transitionpath", "transitionpath_distinct_roles"),
        migrations.RemoveConstraint("transitionpath", "transitionpath_unique_from_to"),
        migrations.RemoveConstraint("transitionpath", "transitionpath_months_range"),
        migrations.RemoveConstraint("transitionstep", "transitionstep_unique_path_position"),
        migrations.RemoveConstraint("transitionstep", "transitionstep_position_positive"),
        migrations.RemoveConstraint("bookmark", "bookmark_unique_user_path"),
        migrations.RemoveConstraint("faq", "faq_at_most_one_topic"),
        migrations.RemoveConstraint("reference", "reference_at_most_one_topic"),
        migrations.RenameModel("TransitionStep", "GuideStep"),
        migrations.RenameModel("TransitionPath", "Guide"),
        migrations.RenameField("guidestep", "path", "guide"),
        migrations.RenameField("bookmark", "path", "guide"),
        migrations.RenameField("faq", "transition", "guide"),
        migrations.RenameField("reference", "transition", "guide"),
        migrations.AlterField(
            model_name="guide",
            name="from_role",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="guides_from", to="roles.role"
            ),
        ),
        migrations.AlterField(
            model_name="guide",
            name="to_role",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="guides_to", to="roles.role"
            ),
        ),
        migrations.AlterModelOptions(
            name="guide",
            options={
                "ordering": ["from_role__name", "to_role__name"],
                "verbose_name": "transition guide",
            },
        ),
        migrations.AlterModelOptions(
            name="guidestep",
            options={"ordering": ["guide", "position"], "verbose_name": "guide step"},
        ),
        migrations.AddConstraint(
            "guide",
            models.CheckConstraint(
                condition=~Q(from_role=F("to_role")), name="guide_distinct_roles"
            ),
        ),
        migrations.AddConstraint(
            "guide",
            models.UniqueConstraint(fields=["from_role", "to_role"], name="guide_unique_from_to"),
        ),
        migrations.AddConstraint(
            "guide",
            models.CheckConstraint(
                condition=Q(months_min__gte=1, months_max__gte=F("months_min")),
                name="guide_months_range",
            ),
        ),
        migrations.AddConstraint(
            "guidestep",
            models.UniqueConstraint(
                fields=["guide", "position"], name="guidestep_unique_guide_position"
            ),
        ),
        migrations.AddConstraint(
            "guidestep",
            models.CheckConstraint(
                condition=Q(position__gte=1), name="guidestep_position_positive"
            ),
        ),
        migrations.AddConstraint(
            "bookmark",
            models.UniqueConstraint(fields=["user", "guide"], name="bookmark_unique_user_guide"),
        ),
        migrations.AddConstraint(
            "faq",
            models.CheckConstraint(
                condition=Q(comparison__isnull=True) | Q(guide__isnull=True),
                name="faq_at_most_one_topic",
            ),
        ),
        migrations.AddConstraint(
            "reference",
            models.CheckConstraint(
                condition=Q(comparison__isnull=True) | Q(guide__isnull=True),
                name="reference_at_most_one_topic",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
