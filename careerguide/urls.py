"""The site's URLs: plumbing (probes, crawlers, the colour scheme), the admin, reader accounts,
and the content pages (roles/urls.py)."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from careerguide import health, theme
from roles import views
from roles.caching import anonymous_page_cache
from roles.sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        anonymous_page_cache(sitemap, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("theme/", theme.theme_set, name="theme_set"),
    path("", include("roles.urls")),
]

handler404 = "careerguide.errors.page_not_found"
