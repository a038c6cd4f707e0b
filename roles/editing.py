"""What editors edit: the content models, their revision history and the cache hook.

A parent's revision follows its children, so a criterion value edited inside a role, or a step
inside a guide, is a revision of the parent's data and a revert restores the whole set. FAQs and
references edited on their own pages follow their comparison or guide for the same reason.
"""

import importlib

import reversion

from roles import models
from roles.cache import connect_content_signals

CONTENT_MODELS = (
    models.Role,
    models.Criterion,
    models.RoleCriterionValue,
    models.Skill,
    models.RoleSkill,
    models.Comparison,
    models.ComparisonSection,
    models.FAQ,
    models.Reference,
    models.Guide,
    models.GuideStep,
)

HISTORY_FOLLOWS = {
    models.Role: ("criterion_values", "role_skills"),
    models.Comparison: ("sections", "faqs", "references"),
    models.Guide: ("steps", "faqs", "references"),
    models.FAQ: ("comparison", "guide"),
    models.Reference: ("comparison", "guide"),
}


def register_content_models() -> None:
    for model in CONTENT_MODELS:
        if not reversion.is_registered(model):
            reversion.register(model, follow=HISTORY_FOLLOWS.get(model, ()))
    connect_content_signals(CONTENT_MODELS)


def ensure_editors_group(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the Editors group and its permissions exist after every migrate or flush.

    Migration 0003 creates the group; a flush (as tests between transactional cases do) empties
    it again, and this puts it back. It runs after django.contrib.auth's own post_migrate
    handler, which creates the permissions it grants.
    """
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("roles.migrations.0003_editors_group")
    # Today's model names: migration 0003 still says transitionpath/transitionstep (0005 renamed).
    names = [model._meta.model_name for model in CONTENT_MODELS]
    codenames = [f"{a}_{m}" for m in names for a in migration.ACTIONS]
    group, _ = Group.objects.using(using).get_or_create(name=migration.EDITORS_GROUP)
    group.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label="roles", codename__in=codenames
        )
    )
