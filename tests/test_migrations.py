"""Migrations keep an existing database's data: a database made by the previous release (schema
0004, guides still called transition paths) migrates to the current one without losing a row,
a bookmark, a tick, a permission or a revision that can be reverted."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from reversion.models import Version

from roles.models import FAQ, Bookmark, Guide, GuideStep, Reference, StepProgress

BEFORE_RENAME = [("roles", "0004_search_indexes")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


@pytest.fixture
def database_before_the_rename():
    try:
        old = migrate_to(BEFORE_RENAME)
        # The test database was made by today's migrations; a database of the previous release
        # never had content types (nor permissions) under the new names.
        ContentType = old.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label="roles", model__in=["guide", "guidestep"]).delete()
        Permission = old.get_model("auth", "Permission")
        editors = old.get_model("auth", "Group").objects.get(name="Editors")
        for model in ("transitionpath", "transitionstep"):
            content_type = ContentType.objects.create(app_label="roles", model=model)
            for action in ("add", "change", "delete", "view"):
                editors.permissions.add(
                    Permission.objects.create(
                        content_type=content_type, codename=f"{action}_{model}", name=action
                    )
                )
        yield old
    finally:
        call_command("migrate", verbosity=0)  # forwards again, whatever the test did


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_rename_keeps_every_row(database_before_the_rename):
    old = database_before_the_rename
    User = old.get_model("auth", "User")
    Role = old.get_model("roles", "Role")
    Path = old.get_model("roles", "TransitionPath")
    Step = old.get_model("roles", "TransitionStep")
    OldFAQ = old.get_model("roles", "FAQ")
    OldReference = old.get_model("roles", "Reference")
    OldBookmark = old.get_model("roles", "Bookmark")
    OldProgress = old.get_model("roles", "StepProgress")
    ContentType = old.get_model("contenttypes", "ContentType")
    OldVersion = old.get_model("reversion", "Version")
    Revision = old.get_model("reversion", "Revision")

    reader = User.objects.create(username="reader")
    seller = Role.objects.create(name="Seller", slug="seller", published=True)
    planner = Role.objects.create(name="Planner", slug="planner", published=True)
    path = Path.objects.create(
        from_role=seller, to_role=planner, slug="seller-to-planner", summary="Kept.", published=True
    )
    step = Step.objects.create(path=path, position=1, title="First step", body="Body kept.")
    OldFAQ.objects.create(question="Kept?", slug="kept", answer="Yes.", transition=path)
    OldReference.objects.create(title="Kept", url="https://example.org/", transition=path)
    OldBookmark.objects.create(user=reader, path=path)
    OldProgress.objects.create(user=reader, step=step, completed=True)
    path_type = ContentType.objects.get(app_label="roles", model="transitionpath")
    step_type = ContentType.objects.get(app_label="roles", model="transitionstep")
    revision = Revision.objects.create(comment="Before the rename", date_created=timezone.now())
    serialized = [
        {
            "model": "roles.transitionstep",
            "pk": step.pk,
            "fields": {
                "path": path.pk,
                "position": 1,
                "title": "Old title",
                "body": "Old body.",
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
            },
        },
    ]
    OldVersion.objects.create(
        revision=revision,
        object_id=str(step.pk),
        content_type=step_type,
        db="default",
        format="json",
        serialized_data=json.dumps(serialized),
        object_repr="step",
    )
    OldVersion.objects.create(
        revision=revision,
        object_id=str(path.pk),
        content_type=path_type,
        db="default",
        format="json",
        serialized_data=json.dumps(
            [{"model": "roles.transitionpath", "pk": path.pk, "fields": {}}]
        ),
        object_repr="path",
    )

    call_command("migrate", verbosity=0)

    guide = Guide.objects.get(slug="seller-to-planner")
    assert (guide.from_role.slug, guide.to_role.slug, guide.summary) == (
        "seller",
        "planner",
        "Kept.",
    )
    assert list(guide.steps.values_list("title", "body")) == [("First step", "Body kept.")]
    assert FAQ.objects.get(slug="kept").guide == guide
    assert Reference.objects.get(title="Kept").guide == guide
    assert Bookmark.objects.get(user__username="reader").guide == guide
    assert StepProgress.objects.get(user__username="reader").step.guide == guide
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_guide", "change_guide", "delete_guide", "view_guide"} <= codenames
    assert {"change_guidestep", "view_guidestep"} <= codenames
    assert not {c for c in codenames if "transition" in c}

    # A revision saved under the old names still restores the step it recorded.
    version = Version.objects.get(content_type__model="guidestep", object_id=str(step.pk))
    assert json.loads(version.serialized_data)[0]["fields"]["guide"] == guide.pk
    version.revert()
    assert GuideStep.objects.get(pk=step.pk).title == "Old title"
    path_version = Version.objects.get(content_type__model="guide", object_id=str(path.pk))
    assert json.loads(path_version.serialized_data)[0]["model"] == "roles.guide"


@pytest.mark.django_db
def test_a_content_document_exported_before_the_rename_still_imports():
    """Documents written before guides had one name call their section "transitions"."""
    from roles.content_io import content_import
    from tests import factories

    factories.RoleFactory(slug="seller", name="Seller")
    factories.RoleFactory(slug="planner", name="Planner")
    old_document = {
        "transitions": [
            {"from": "seller", "to": "planner", "summary": "Old.", "steps": [{"title": "One"}]}
        ]
    }
    report = content_import(data=old_document)
    assert report.created["transition guides"] == 1
    guide = Guide.objects.get(slug="seller-to-planner")
    assert (guide.summary, [step.title for step in guide.steps.all()]) == ("Old.", ["One"])


IMPORTED_MODELS = [
    "jobzone", "onetelement", "rolerating", "roletitle", "roletask", "roletechnology",
    "relatedrole",
]  # fmt: skip
EDITORS_MODELS = [
    "family", "role", "criterion", "rolecriterionvalue", "skill", "roleskill", "comparison",
    "comparisonsection", "faq", "reference", "guide", "guidestep",
]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_editors_group_with_every_content_permission():
    """`flush` (between transactional tests, or an operator's `manage.py flush`) empties the
    Editors group; the post_migrate handler must grant it the content permissions again, under
    the models' current names (guide, guidestep), not those migration 0003 knew."""
    call_command("flush", interactive=False, verbosity=0)

    granted = Group.objects.get(name="Editors").permissions.values_list(
        "content_type__model", "codename"
    )
    assert set(granted) == {
        (model, f"{action}_{model}")
        for model in EDITORS_MODELS
        for action in ("add", "change", "delete", "view")
    } | {(model, f"{action}_{model}") for model in IMPORTED_MODELS for action in ("change", "view")}


@pytest.mark.django_db(transaction=True)
def test_families_become_rows_and_every_role_keeps_its_family():
    """Migration 0010: the five fixed families become editable rows, in their old order, and
    the role's column becomes a key to them without a role losing its family."""
    try:
        old = migrate_to([("roles", "0009_occupation_data")])
        OldRole = old.get_model("roles", "Role")
        OldRole.objects.create(name="Seller", slug="seller", family="operations")
        OldRole.objects.create(name="Planner", slug="planner", family="delivery")
        OldRole.objects.create(name="Stray", slug="stray", family="made-up-family")
        new = migrate_to([("roles", "0010_family_model")])
        Family = new.get_model("roles", "Family")
        Role = new.get_model("roles", "Role")
        assert list(Family.objects.order_by("position").values_list("slug", "name"))[:5] == [
            ("sales-client", "Sales & client"),
            ("delivery", "Delivery & projects"),
            ("product", "Product & strategy"),
            ("analysis", "Analysis & consulting"),
            ("operations", "Operations"),
        ]
        families = dict(Role.objects.values_list("slug", "family__name"))
        assert families == {
            "seller": "Operations",
            "planner": "Delivery & projects",
            "stray": "Made up family",
        }
    finally:
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
