"""What editors edit: the content models, their revision history and the cache hook.

A parent's revision follows its children, so a criterion value edited inside a role, or a step
inside a guide, is a revision of the parent's data and a revert restores the whole set. FAQs and
references edited on their own pages follow their comparison or guide for the same reason.
"""

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
    models.TransitionPath,
    models.TransitionStep,
)

HISTORY_FOLLOWS = {
    models.Role: ("criterion_values", "role_skills"),
    models.Comparison: ("sections", "faqs", "references"),
    models.TransitionPath: ("steps", "faqs", "references"),
    models.FAQ: ("comparison", "transition"),
    models.Reference: ("comparison", "transition"),
}


def register_content_models() -> None:
    for model in CONTENT_MODELS:
        if not reversion.is_registered(model):
            reversion.register(model, follow=HISTORY_FOLLOWS.get(model, ()))
    connect_content_signals(CONTENT_MODELS)
