"""Query budgets that hold at starter size and after seed_demo --roles 1000, on a cold cache."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models import Bookmark, Guide, Role

pytestmark = pytest.mark.django_db

BUDGET = 8
ANONYMOUS_PAGES = [
    "/",
    "/roles/",
    "/roles/?family=delivery",
    "/roles/project-manager/",
    "/compare/",
    "/compare/?a=project-manager&b=account-manager",
    "/compare/account-manager-vs-project-manager/",
    "/compare/business-analyst-vs-scrum-master/",
    "/compare/account-manager-vs-product-manager-vs-project-manager-vs-scrum-master/",
    "/transitions/",
    "/transitions/?from=project-manager",
    "/transitions/account-manager-to-project-manager/",
    "/faq/",
    "/faq/which-role-is-more-client-facing/",
    "/search/?q=project+manager",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/about/data/",
    # O*NET occupations at full size (tests/conftest.py onet_occupation): a profile, two of them
    # compared on O*NET's ratings, and one beside an editors' role
    "/roles/onet-nurse/",
    "/compare/onet-midwife-vs-onet-nurse/",
    "/compare/onet-nurse-vs-project-manager/",
    # next moves and generated plans (roles/moves.py, roles/plans.py)
    "/roles/project-manager/moves/",
    "/roles/onet-nurse/moves/?sort=pay&prep=1",
    "/moves/?role=project-manager",
    "/transitions/business-analyst-to-scrum-master/",
    "/transitions/onet-midwife-to-onet-nurse/",
]
# The pages that answer with a redirect (the pickers, to the canonical comparison and to the
# moves); every other page is a 200.
REDIRECTS = {
    "/compare/?a=project-manager&b=account-manager": "/compare/account-manager-vs-project-manager/",
    "/moves/?role=project-manager": "/roles/project-manager/moves/",
}
READER_PAGES = [
    "/search/?q=project+manager",
    "/transitions/account-manager-to-project-manager/",
    "/bookmarks/",
    "/roles/project-manager/",
    "/compare/account-manager-vs-project-manager/",
    "/compare/business-analyst-vs-scrum-master/",
    "/roles/onet-nurse/",
    "/compare/onet-midwife-vs-onet-nurse/",
    "/roles/onet-nurse/moves/",
    "/transitions/onet-midwife-to-onet-nurse/",
]


HTML_BUDGET = 100_000  # bytes of HTML per page at 1000 roles


class Queries(int):
    """A page's query count that shows its SQL when an assertion about it fails (a count that
    came out higher once in a full run, and never alone, can then be told apart)."""

    def __new__(cls, queries):
        count = super().__new__(cls, len(queries))
        count.sql = [query["sql"] for query in queries]
        return count

    def __repr__(self):
        return f"{int(self)} queries: " + "\n".join(self.sql)


def measure(client, urls, sizes=None):
    counts = {}
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if url in REDIRECTS:
            assert (response.status_code, response["Location"]) == (302, REDIRECTS[url])
        else:
            assert response.status_code == 200, url
        counts[url] = Queries(queries.captured_queries)
        if sizes is not None and response["Content-Type"].startswith("text/html"):
            sizes[url] = len(response.content)
    return counts


def test_query_counts_are_small_and_flat_up_to_1000_roles(
    client, starter_content, reader, onet_occupation
):
    Bookmark.objects.create(user=reader, guide=Guide.objects.first())
    onet_occupation("onet-nurse")  # 200 titles, 30 tasks, 68 ratings, 40 technologies, 20 related
    onet_occupation("onet-midwife")
    small = measure(client, ANONYMOUS_PAGES)
    client.force_login(reader)
    small_reader = measure(client, READER_PAGES)
    client.logout()

    call_command("seed_demo", "--roles", "1000", "--force", verbosity=0)  # beside the O*NET ones
    assert Role.objects.count() >= 1000
    sizes = {}
    large = measure(client, ANONYMOUS_PAGES, sizes)
    client.force_login(reader)
    large_reader = measure(client, READER_PAGES)

    for url in ANONYMOUS_PAGES:
        assert small[url] <= BUDGET, (url, small[url])
        assert large[url] == small[url], (url, small[url], large[url])
    assert len(sizes) == len(ANONYMOUS_PAGES) - 3  # all but the sitemap, robots.txt and /healthz
    assert {url: size for url, size in sizes.items() if size > HTML_BUDGET} == {}
    for url in READER_PAGES:
        assert small_reader[url] <= BUDGET, (url, small_reader[url])
        assert large_reader[url] == small_reader[url], (url, small_reader[url], large_reader[url])


def test_budgets_hold_with_a_release_sized_onet_import(
    client, starter_content, reader, onet_occupation, tmp_path
):
    """A thousand occupations through import_onet itself (titles, tasks, ratings, technology,
    related occupations, derived values), then every page type, for a reader and signed in."""
    from roles.models import Source
    from tests.onet_release import write_release

    onet_occupation("onet-nurse")
    onet_occupation("onet-midwife")
    starter_pages = [*ANONYMOUS_PAGES, "/roles/?q=manager", "/about/data/"]
    small = measure(client, starter_pages)
    release = write_release(
        tmp_path, occupations=1000, alternate_titles=20, tasks=10, technologies=10, as_zip=True
    )
    call_command("import_onet", str(release), verbosity=0)
    first, second = Role.objects.filter(source=Source.ONET).order_by("onet_code")[:2]
    imported_pages = [
        first.get_absolute_url(),
        f"/compare/{'-vs-'.join(sorted([first.slug, second.slug]))}/",
        f"/compare/{'-vs-'.join(sorted([first.slug, 'project-manager']))}/",
        f"/search/?q={first.name.split()[0]}",
    ]
    sizes = {}
    large = measure(client, starter_pages + imported_pages, sizes)
    for url in starter_pages:
        assert large[url] <= BUDGET, (url, large[url])
        assert large[url] == small[url], (url, small[url], large[url])
    for url in imported_pages:
        assert large[url] <= BUDGET, (url, large[url])
    assert {url: size for url, size in sizes.items() if size > HTML_BUDGET} == {}
    client.force_login(reader)
    signed_in = measure(client, [*READER_PAGES, *imported_pages])
    assert {url: n for url, n in signed_in.items() if n > BUDGET} == {}
