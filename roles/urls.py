from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<slug:slug>/", views.RoleDetailView.as_view(), name="role_detail"),
    path("compare/", views.compare, name="compare"),
    path("compare/<slug:slugs>/", views.comparison_detail, name="comparison_detail"),
    path("faq/", views.faq_list, name="faq_list"),
    path("faq/<slug:slug>/", views.faq_detail, name="faq_detail"),
    path("search/", views.search_view, name="search"),
    path("transitions/", views.path_list, name="path_list"),
    path("transitions/<slug:slug>/", views.path_detail, name="path_detail"),
    path("transitions/<slug:slug>/bookmark/", views.bookmark_toggle, name="bookmark_toggle"),
    path(
        "transitions/<slug:slug>/steps/<int:position>/progress/",
        views.step_progress,
        name="step_progress",
    ),
    path("bookmarks/", views.bookmark_list, name="bookmark_list"),
    path("theme/", views.theme_set, name="theme_set"),
]
