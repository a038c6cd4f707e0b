"""The content models, read from their declaration (roles.models.ContentModel), and what being
content gives each: a revision history, the content-version bump on save and delete, and the
Editors group's permissions. Content import and export (roles/content_io.py) and search
(roles/search.py) read the same list; tests/test_registry.py checks that none is missed.

A parent's revision follows its children (`history_follows`), so a criterion value edited inside a
role, or a step inside a guide, is a revision of the parent's data and a revert restores the whole
set. FAQs and references edited on their own pages follow their comparison or guide the same way.
"""

import reversion
from django.apps import apps

from roles.caching import connect_content_signals

EDITORS_GROUP = "Editors"
EDITOR_ACTIONS = ("add", "change", "delete", "view")


def content_models() -> list[type]:
    """Every concrete model of the roles app declared as content, in definition order."""
    from roles.models import ContentModel

    return [
        model
        for model in apps.get_app_config("roles").get_models()
        if issubclass(model, ContentModel)
    ]


def occupation_models() -> list[type]:
    """Every concrete model of the roles app that holds imported occupation data: only an import
    creates its rows, so it has no revision history and no place in content files; editors may
    view and correct it, and a change shows at once (the content-version bump)."""
    from roles.models import OccupationData

    return [
        model
        for model in apps.get_app_config("roles").get_models()
        if issubclass(model, OccupationData)
    ]


def register_content_models() -> None:
    """AppConfig.ready(): history and cache invalidation for every content model, and cache
    invalidation for imported occupation data."""
    models = content_models()
    for model in models:
        if not reversion.is_registered(model):
            reversion.register(model, follow=model.history_follows)
    connect_content_signals([*models, *occupation_models()])


OCCUPATION_DATA_ACTIONS = ("change", "view")


def editor_permission_codenames() -> list[str]:
    return [
        f"{action}_{model._meta.model_name}"
        for model in content_models()
        for action in EDITOR_ACTIONS
    ] + [
        f"{action}_{model._meta.model_name}"
        for model in occupation_models()
        for action in OCCUPATION_DATA_ACTIONS
    ]


def grant_editor_permissions(group_model, permission_model, using: str = "default") -> None:
    """The Editors group with add, change, delete and view on every content model, nothing else.

    Takes the Group and Permission models so that a migration can pass its historical ones; the
    codenames always come from today's declaration.
    """
    group, _ = group_model.objects.using(using).get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        *permission_model.objects.using(using).filter(
            content_type__app_label="roles", codename__in=editor_permission_codenames()
        )
    )


def ensure_editors_group(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the group and its permissions exist after every migrate or flush (a flush,
    as tests between transactional cases do, empties it). It runs after django.contrib.auth's
    own post_migrate handler, which creates the permissions it grants."""
    from django.contrib.auth.models import Group, Permission

    grant_editor_permissions(Group, Permission, using)


def ensure_curated_families(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the editors' families exist after every migrate or flush, since a role's
    family defaults to one of them. Only missing ones are made: an editor's name or order for a
    family is kept."""
    from roles.models import CURATED_FAMILIES, Family

    for position, (slug, name) in enumerate(CURATED_FAMILIES, start=1):
        if not Family.objects.using(using).filter(slug=slug).exists():
            Family.objects.using(using).create(
                slug=slug, name=_free_name(Family, name, using), position=position
            )


def _free_name(model, name: str, using: str) -> str:
    """`name`, or `name (2)`... if an editor has given another family that name (names are
    unique)."""
    candidate, n = name, 1
    while model.objects.using(using).filter(name=candidate).exists():
        n += 1
        candidate = f"{name} ({n})"
    return candidate
