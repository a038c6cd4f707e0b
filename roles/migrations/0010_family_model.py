"""Families become editable data with an order. The five families the site had as fixed
choices become rows (in their old order) before the role's column turns into a foreign key to
them by slug, so every role keeps its family and the column keeps its values."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


# As roles.models.CURATED_FAMILIES had them on the day of this migration (a migration keeps its
# own copy: the model's list may change later).
FAMILIES = (
    ("sales-client", "Sales & client"),
    ("delivery", "Delivery & projects"),
    ("product", "Product & strategy"),
    ("analysis", "Analysis & consulting"),
    ("operations", "Operations"),
)


def create_families(apps, schema_editor):
    Family = apps.get_model("roles", "Family")
    Role = apps.get_model("roles", "Role")
    known = {slug for slug, _name in FAMILIES}
    for position, (slug, name) in enumerate(FAMILIES, start=1):
        Family.objects.using(schema_editor.connection.alias).get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    # A value outside the old choices could only come from outside the site; it gets a family
    # of its own rather than losing the role.
    used = Role.objects.using(schema_editor.connection.alias).values_list("family", flat=True)
    for position, slug in enumerate(sorted(set(used) - known), start=len(FAMILIES) + 1):
        Family.objects.using(schema_editor.connection.alias).get_or_create(
            slug=slug, defaults={"name": slug.replace("-", " ").capitalize(), "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0009_occupation_data"),
    ]

    operations = [
        migrations.CreateModel(
            name="Family",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "slug",
                    models.SlugField(
                        max_length=80,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                "Use lowercase letters, digits and single hyphens, e.g. project-manager.",
                            )
                        ],
                    ),
                ),
                ("name", models.CharField(max_length=120, unique=True)),
                (
                    "position",
                    models.PositiveIntegerField(
                        db_index=True,
                        default=0,
                        help_text="Families are listed by position, then name.",
                    ),
                ),
                (
                    "description",
                    models.CharField(
                        blank=True,
                        help_text="One sentence shown under the family's heading.",
                        max_length=300,
                    ),
                ),
                (
                    "soc_major_group",
                    models.CharField(
                        blank=True,
                        help_text="Imported occupations whose O*NET-SOC code starts with these two digits land in this family. Leave empty for an editors' family.",
                        max_length=2,
                        null=True,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{2}$", "Two digits, e.g. 13."
                            )
                        ],
                        verbose_name="SOC major group",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "families",
                "ordering": ["position", "name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("soc_major_group__isnull", True),
                            ("soc_major_group__regex", "^[0-9]{2}$"),
                            _connector="OR",
                        ),
                        name="family_soc_major_group_two_digits",
                    )
                ],
            },
        ),
        migrations.RunPython(create_families, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="role",
            name="family",
            field=models.ForeignKey(
                db_column="family",
                default="sales-client",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="roles",
                to="roles.family",
                to_field="slug",
            ),
        ),
    ]
