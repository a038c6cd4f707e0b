"""Views by area: the catalogue and comparisons, transition guides with the reader's state,
accounts, the colour scheme, refusal pages and health probes. urls.py imports them from here."""

from roles.views.accounts import signup
from roles.views.appearance import theme_set
from roles.views.catalogue import (
    RoleDetailView,
    compare,
    comparison_detail,
    home,
    role_list,
)
from roles.views.discovery import faq_detail, faq_list, page_not_found, robots_txt, search_view
from roles.views.guides import (
    bookmark_list,
    bookmark_toggle,
    guide_detail,
    guide_list,
    step_progress,
)
from roles.views.health import healthz, readyz

__all__ = [
    "RoleDetailView",
    "bookmark_list",
    "bookmark_toggle",
    "compare",
    "comparison_detail",
    "faq_detail",
    "faq_list",
    "healthz",
    "home",
    "page_not_found",
    "guide_detail",
    "guide_list",
    "readyz",
    "robots_txt",
    "role_list",
    "search_view",
    "signup",
    "step_progress",
    "theme_set",
]
