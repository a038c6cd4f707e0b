"""Views by area: the catalogue and comparisons, guides with the reader's state, FAQs, search
and crawlers. roles/urls.py imports them from here."""

from roles.views.catalogue import (
    RoleDetailView,
    compare,
    comparison_detail,
    home,
    role_list,
)
from roles.views.discovery import about_overlap, faq_detail, faq_list, robots_txt, search_view
from roles.views.guides import (
    bookmark_list,
    bookmark_toggle,
    comparison_bookmark_toggle,
    guide_detail,
    guide_list,
    step_progress,
)
from roles.views.moves import move_picker, role_moves

__all__ = [
    "RoleDetailView",
    "about_overlap",
    "bookmark_list",
    "bookmark_toggle",
    "compare",
    "comparison_bookmark_toggle",
    "comparison_detail",
    "faq_detail",
    "faq_list",
    "guide_detail",
    "guide_list",
    "home",
    "move_picker",
    "robots_txt",
    "role_list",
    "role_moves",
    "search_view",
    "step_progress",
]
