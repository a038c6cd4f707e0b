"""Sitemaps: pages worth indexing. Generated comparisons are left out: there are too many pairs and
each is reachable from the role profiles."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from roles.models import FAQ, Comparison, Guide, Role


class StaticSitemap(Sitemap):
    def items(self):
        return [
            "roles:home",
            "roles:role_list",
            "roles:compare",
            "roles:guide_list",
            "roles:faq_list",
            "roles:about_overlap",
            "roles:about_data",
        ]

    def location(self, item):
        return reverse(item)


class RoleSitemap(Sitemap):
    def items(self):
        return Role.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, role):
        return role.updated_at


class ComparisonSitemap(Sitemap):
    def items(self):
        return Comparison.objects.published().select_related("role_a", "role_b").order_by("slug")

    def lastmod(self, comparison):
        return comparison.updated_at


class GuideSitemap(Sitemap):
    def items(self):
        return Guide.objects.published().order_by("slug")

    def lastmod(self, guide):
        return guide.updated_at


class FAQSitemap(Sitemap):
    def items(self):
        return FAQ.objects.visible_to(None).order_by("slug")

    def lastmod(self, faq):
        return faq.updated_at


SITEMAPS = {
    "pages": StaticSitemap,
    "roles": RoleSitemap,
    "comparisons": ComparisonSitemap,
    "guides": GuideSitemap,
    "faqs": FAQSitemap,
}
