from django.urls import path

from roles import views
from roles.caching import anonymous_page_cache as cached
from roles.forms import COMPARE_FIELDS
from roles.pagination import PAGE_PARAM
from roles.views.about import about_data
from roles.views.moves import FILTER_PARAMS as MOVES_PARAMS

app_name = "roles"

urlpatterns = [
    path("", cached(views.home), name="home"),
    path(
        "roles/",
        cached(views.role_list, params=("family", "zone", "sort", "q", PAGE_PARAM)),
        name="role_list",
    ),
    path("roles/<slug:slug>/", cached(views.RoleDetailView.as_view()), name="role_detail"),
    path(
        "roles/<slug:slug>/moves/",
        cached(views.role_moves, params=(*MOVES_PARAMS, PAGE_PARAM)),
        name="role_moves",
    ),
    path("moves/", cached(views.move_picker, params=("role",)), name="move_picker"),
    path("compare/", cached(views.compare, params=COMPARE_FIELDS), name="compare"),
    path("compare/<slug:slugs>/", cached(views.comparison_detail), name="comparison_detail"),
    path(
        "compare/<slug:slugs>/bookmark/",
        views.comparison_bookmark_toggle,
        name="comparison_bookmark_toggle",
    ),
    path("about/overlap/", cached(views.about_overlap), name="about_overlap"),
    path("about/data/", cached(about_data), name="about_data"),
    path("faq/", cached(views.faq_list, params=(PAGE_PARAM,)), name="faq_list"),
    path("faq/<slug:slug>/", cached(views.faq_detail), name="faq_detail"),
    path("search/", cached(views.search_view, params=("q", PAGE_PARAM)), name="search"),
    path(
        "transitions/",
        cached(views.guide_list, params=("from", "to", PAGE_PARAM)),
        name="guide_list",
    ),
    path("transitions/<slug:slug>/", cached(views.guide_detail), name="guide_detail"),
    path("transitions/<slug:slug>/bookmark/", views.bookmark_toggle, name="bookmark_toggle"),
    path(
        "transitions/<slug:slug>/steps/<int:position>/progress/",
        views.step_progress,
        name="step_progress",
    ),
    path("bookmarks/", views.bookmark_list, name="bookmark_list"),
]
