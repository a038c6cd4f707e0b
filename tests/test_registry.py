"""Declaring a model as content (roles.models.ContentModel) is the only step that gives it a
content-version bump, a revision history, the Editors group's permissions, a field table in
content import and export, and search where it has a page. These tests read the declaration
and list nothing by hand, so a new content model that misses any of these fails here."""

import pytest
import reversion
from django.apps import apps
from django.contrib.auth.models import Group

from roles import content_io
from roles.registry import EDITOR_ACTIONS, EDITORS_GROUP, content_models, occupation_models
from roles.search import search
from tests import factories

pytestmark = pytest.mark.django_db

CONTENT = content_models()
OCCUPATION_DATA = occupation_models()
ROLES_MODELS = list(apps.get_app_config("roles").get_models())


def make(model, **kwargs):
    """One saved row of `model`, from its factory in tests/factories.py (a content model needs
    one: that is how these tests reach it)."""
    factory = getattr(factories, f"{model.__name__}Factory", None)
    assert factory is not None, f"tests/factories.py has no {model.__name__}Factory"
    return factory(**kwargs)


def test_every_model_of_the_roles_app_is_content_imported_data_or_a_readers_own_state():
    assert not set(CONTENT) & set(OCCUPATION_DATA)
    readers_state = {
        model.__name__ for model in ROLES_MODELS if model not in CONTENT + OCCUPATION_DATA
    }
    # PageReads is neither: counts per page per day, with nothing about any reader.
    assert readers_state == {"Bookmark", "StepProgress", "PageReads"}
    assert {model.__name__ for model in OCCUPATION_DATA} == {
        "JobZone",
        "OnetElement",
        "RoleRating",
        "RoleTitle",
        "RoleTask",
        "RoleTechnology",
        "RelatedRole",
        "OccupationPay",
    }
    assert {model.__name__ for model in CONTENT} == {
        "Family",
        "Role",
        "Criterion",
        "RoleCriterionValue",
        "Skill",
        "RoleSkill",
        "Comparison",
        "ComparisonSection",
        "Guide",
        "GuideStep",
        "FAQ",
        "Reference",
    }


@pytest.mark.parametrize("model", CONTENT, ids=lambda m: m.__name__)
def test_a_content_model_has_a_revision_history_following_its_children(model):
    assert reversion.is_registered(model)
    assert reversion.revisions._get_options(model).follow == model.history_follows
    for name in model.history_follows:
        model._meta.get_field(name)  # a follow that names no relation would fail silently


@pytest.mark.parametrize("model", CONTENT, ids=lambda m: m.__name__)
def test_saving_or_deleting_a_content_model_bumps_the_content_version(model, bumps):
    obj = make(model)
    assert bumps(obj.save) == 1
    assert bumps(obj.delete) == 1


def test_editors_may_change_every_content_model_and_nothing_else():
    editors = Group.objects.get(name=EDITORS_GROUP)
    granted = {
        (p.content_type.app_label, p.content_type.model, p.codename)
        for p in editors.permissions.select_related("content_type")
    }
    expected = {
        ("roles", model._meta.model_name, f"{action}_{model._meta.model_name}")
        for model in CONTENT
        for action in EDITOR_ACTIONS
    } | {  # imported occupation data: viewed and corrected, never added or deleted by hand
        ("roles", model._meta.model_name, f"{action}_{model._meta.model_name}")
        for model in OCCUPATION_DATA
        for action in ("change", "view")
    }
    assert granted == expected


@pytest.mark.parametrize("model", CONTENT, ids=lambda m: m.__name__)
def test_content_io_has_a_field_table_for_every_editable_field(model):
    editable = {
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.is_relation and not field.primary_key
    }
    table = {name for name, _kind in content_io.FIELDS[model]}
    # A relation in the table is written by its key (a role's family by slug).
    assert editable == {name for name in table if not model._meta.get_field(name).is_relation}


@pytest.mark.parametrize(
    "model", [m for m in CONTENT if hasattr(m, "get_absolute_url")], ids=lambda m: m.__name__
)
def test_every_content_model_with_a_page_is_searchable(model):
    assert model.search_fields, f"{model.__name__} has a page but no search_fields"


@pytest.mark.parametrize("model", [m for m in CONTENT if m.search_fields], ids=lambda m: m.__name__)
def test_search_finds_a_word_in_each_field_a_model_declares(model, editor):
    for number, field in enumerate(model.search_fields):
        word = f"zqxj{model.__name__.lower()}{number}"
        obj = make(model, **{field: f"Before {word} after"})
        page = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
        page = page or obj.role.get_absolute_url()  # a role's value is found on the role's page
        assert page in [hit.url for hit in search(word, editor)], (model.__name__, field)
