from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<slug:slug>/", views.RoleDetailView.as_view(), name="role_detail"),
    path("compare/", views.compare, name="compare"),
    path("compare/<slug:slugs>/", views.comparison_detail, name="comparison_detail"),
    path("faq/<slug:slug>/", views.FAQDetailView.as_view(), name="faq_detail"),
    path(
        "transitions/<slug:slug>/",
        views.TransitionPathDetailView.as_view(),
        name="path_detail",
    ),
]
