"""Being found and finding things: FAQ pages, site search, robots.txt and a helpful 404."""

import difflib
import re
from itertools import groupby

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from roles.forms import SearchForm
from roles.models import FAQ, Role, comparison_slug, guide_slug
from roles.pagination import paginate
from roles.search import search, search_terms

SEARCH_PAGE_SIZE = 10
FAQS_PER_PAGE = 50


def _topic(faq: FAQ) -> tuple[str, str, str]:
    """(group key, heading, link) of the topic a FAQ belongs to."""
    if faq.comparison_id:
        return f"c-{faq.comparison.slug}", faq.comparison.title, faq.comparison.get_absolute_url()
    if faq.guide_id:
        guide = faq.guide
        title = f"From {guide.from_role.name} to {guide.to_role.name}"
        return f"g-{guide.slug}", title, guide.get_absolute_url()
    return "general", "General questions", ""


@require_safe
def faq_list(request):
    """FAQs grouped by topic, a page at a time. A topic cut by a page break keeps its heading on
    both pages, so every question on a page sits under the topic it belongs to.

    roles/faq_list.html gets `groups` (dicts of anchor, heading, url and faqs), `faqs` (this
    page's, for the FAQPage structured data), `page`, `canonical_url` and `breadcrumbs`.
    """
    page = paginate(
        request, FAQ.objects.visible_to(request.user).for_list().by_topic(), FAQS_PER_PAGE
    )
    faqs = list(page)
    groups = []
    for key, items in groupby(faqs, key=lambda faq: _topic(faq)[0]):
        items = list(items)
        _, heading, url = _topic(items[0])
        groups.append({"anchor": key, "heading": heading, "url": url, "faqs": items})
    return render(
        request,
        "roles/faq_list.html",
        {
            "groups": groups,
            "faqs": faqs,
            "page": page,
            "canonical_url": page.canonical_url,
            "breadcrumbs": [("FAQ", reverse("roles:faq_list"))],
        },
    )


@require_safe
def faq_detail(request, slug: str):
    """One question. roles/faq_detail.html gets `faq`, `faq_as_list` (for the structured data),
    `topic` and `topic_url` (its comparison or guide, if any), `is_draft` and `breadcrumbs`."""
    faq = get_object_or_404(FAQ.objects.visible_to(request.user).for_list(), slug=slug)
    _, topic, topic_url = _topic(faq)
    return render(
        request,
        "roles/faq_detail.html",
        {
            "faq": faq,
            "faq_as_list": [faq],
            "topic": topic,
            "topic_url": topic_url,
            "is_draft": not faq.published,
            "breadcrumbs": [
                ("FAQ", reverse("roles:faq_list")),
                (faq.question, faq.get_absolute_url()),
            ],
        },
    )


@require_safe
def search_view(request):
    """roles/search.html gets `form`, `query`, `page` (of SearchHit), `hit_count`, `searchable`
    (whether the query has a word to search for) and `breadcrumbs`; a query the form refuses
    answers 400 with the form's errors."""
    form = SearchForm(request.GET)
    context = {"form": form, "breadcrumbs": [("Search", reverse("roles:search"))], "query": ""}
    if not form.is_valid():
        return render(request, "roles/search.html", context, status=400)
    query = form.cleaned_data["q"]
    hits = search(query, request.user) if query else []
    page = Paginator(hits, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        query=query, page=page, hit_count=len(hits), searchable=bool(search_terms(query))
    )
    return render(request, "roles/search.html", context)


@require_safe
def robots_txt(request):
    """Plain text: what crawlers may skip, and where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /bookmarks/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# --- 404 with suggestions ---

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _closest(slug: str, known: dict[str, Role]) -> Role | None:
    if slug in known:
        return known[slug]
    match = difflib.get_close_matches(slug, list(known), n=1, cutoff=0.6)
    return known[match[0]] if match else None


def suggestions_for(path: str) -> list[tuple[str, str]]:
    """Links for a URL naming a role we do not have: the nearest roles, in the same URL shape."""
    parts = [part for part in path.lower().split("/") if part]
    if len(parts) != 2 or parts[0] not in ("roles", "compare", "transitions"):
        return []
    section, slug = parts
    if not _SLUG.match(slug) or len(slug) > 300:
        return []
    known = {role.slug: role for role in Role.objects.published().only("slug", "name")}
    if section == "roles":
        near = difflib.get_close_matches(slug, list(known), n=3, cutoff=0.5)
        return [(known[s].name, known[s].get_absolute_url()) for s in near]
    joiner = "-vs-" if section == "compare" else "-to-"
    roles = [_closest(part, known) for part in slug.split(joiner)]
    if not 2 <= len(roles) <= 4 or None in roles or len({r.slug for r in roles}) != len(roles):
        return []
    if section == "compare":
        slugs = comparison_slug([r.slug for r in roles])
        title = " vs ".join(r.name for r in sorted(roles, key=lambda r: r.slug))
        return [(title, reverse("roles:comparison_detail", kwargs={"slugs": slugs}))]
    if len(roles) != 2:
        return []
    from_role, to_role = roles
    url = reverse("roles:guide_detail", kwargs={"slug": guide_slug(from_role.slug, to_role.slug)})
    return [(f"From {from_role.name} to {to_role.name}", url)]


@require_safe
def about_overlap(request):
    """The help page on how a comparison's skill overlap is worked out (roles/comparing.py);
    roles/about_overlap.html gets only `breadcrumbs`."""
    return render(
        request,
        "roles/about_overlap.html",
        {"breadcrumbs": [("How the skill overlap works", reverse("roles:about_overlap"))]},
    )
