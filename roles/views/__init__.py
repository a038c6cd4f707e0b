"""Views by area: the catalogue and comparisons, transition guides with the reader's state,
accounts, refusal pages and health probes. urls.py imports them from here."""

from roles.views.accounts import signup
from roles.views.catalogue import (
    FAQDetailView,
    RoleDetailView,
    compare,
    comparison_detail,
    home,
    role_list,
)
from roles.views.guides import bookmark_list, bookmark_toggle, path_detail, path_list, step_progress
from roles.views.health import healthz, readyz

__all__ = [
    "FAQDetailView",
    "RoleDetailView",
    "bookmark_list",
    "bookmark_toggle",
    "compare",
    "comparison_detail",
    "healthz",
    "home",
    "path_detail",
    "path_list",
    "readyz",
    "role_list",
    "signup",
    "step_progress",
]
