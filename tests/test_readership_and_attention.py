"""Read counts (per page per day, nothing about readers) and the admin's attention list."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from roles import readership
from roles.attention import SHOWN
from roles.models import FAQ, Comparison, PageReads, Reference, Role, RoleCriterionValue
from roles.readership import count_read, flush_reads
from tests import factories
from tests.helpers import closed_loopback_port, soup

pytestmark = pytest.mark.django_db

GENERATED = "/compare/alpha-vs-gamma/"


@pytest.fixture(autouse=True)
def _counting(monkeypatch):
    """A cache failure in an earlier test (tests/test_redis_outage.py) pauses counting."""
    monkeypatch.setattr(readership, "_paused_until", 0.0)


@pytest.fixture
def roles(make_role):
    return [
        make_role(slug=slug, name=f"{slug.title()} role") for slug in ("alpha", "beta", "gamma")
    ]


def _reads() -> dict[str, int]:
    return dict(PageReads.objects.values_list("path", "reads"))


# --- Counting ---


def test_a_cached_page_is_counted_without_a_query(client, roles, django_assert_num_queries):
    first = client.get(GENERATED)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(GENERATED)
    assert second["X-Page-Cache"] == "hit"
    assert not second.cookies  # no cookie is set to count a reader
    assert flush_reads() == 2
    assert _reads() == {GENERATED: 2}


def test_counts_keep_nothing_about_the_reader():
    fields = {field.name for field in PageReads._meta.get_fields()}
    assert fields == {"id", "day", "url_name", "path", "reads"}


def test_only_successful_reads_of_counted_pages_by_readers_count(client, roles, reader, staff_user):
    client.get("/compare/alpha-vs-nobody/")  # 404
    client.get("/roles/alpha/")  # not a counted page
    client.head(GENERATED)
    client.get("/compare/gamma-vs-alpha/")  # 301 to the canonical URL
    client.force_login(staff_user)
    client.get(GENERATED)  # an editor previewing
    assert flush_reads() == 0
    client.force_login(reader)
    client.get(GENERATED)  # a signed-in reader, never cached, still counted
    client.logout()
    client.get(GENERATED, {"utm_source": "mail"})  # the same page
    assert flush_reads() == 2
    assert _reads() == {GENERATED: 2}


def test_flushing_twice_adds_nothing_twice_and_keeps_later_reads(roles):
    count_read("roles:comparison_detail", GENERATED)
    count_read("roles:comparison_detail", GENERATED)
    assert flush_reads() == 2
    assert flush_reads() == 0
    count_read("roles:comparison_detail", GENERATED)
    call_command("flush_reads", verbosity=0)
    assert _reads() == {GENERATED: 3}
    yesterday = timezone.now().date() - datetime.timedelta(days=1)
    count_read("roles:comparison_detail", GENERATED, day=yesterday)
    assert flush_reads() == 1
    assert PageReads.objects.get(day=yesterday).reads == 1


def test_with_the_cache_down_reads_are_not_counted_and_counting_pauses(settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_loopback_port()}/0",
        }
    }
    try:
        count_read("roles:comparison_detail", GENERATED)
        readership.push_reads()  # refused: logged, not raised
        assert readership._paused_until > 0
        with pytest.raises(Exception):  # noqa: B017, PT011 - the client's own error
            caches["default"].get("anything")
    finally:
        caches.close_all()


def test_reads_wait_in_the_process_and_reach_the_cache_together(settings, monkeypatch):
    """A counted page pays no cache round trip per read: the counts go together."""
    from django.core.cache import cache

    monkeypatch.setattr(readership, "PUSH_SECONDS", 3600.0)
    monkeypatch.setattr(readership, "_last_push", __import__("time").monotonic())
    calls = []
    real_incr, real_add = cache.incr, cache.add
    monkeypatch.setattr(cache, "incr", lambda *a, **k: calls.append(a) or real_incr(*a, **k))
    monkeypatch.setattr(cache, "add", lambda *a, **k: calls.append(a) or real_add(*a, **k))
    for _ in range(3):
        count_read("roles:comparison_detail", GENERATED)
    assert calls == [], "no cache operation per read"
    assert flush_reads() == 3, "the flush takes this process's waiting reads too"


# --- The attention list ---


def _attention(client, user):
    client.force_login(user)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    return soup(page)


def _group(page, slug) -> list[str]:
    group = page.select_one(f"#attention-{slug}")
    return [] if group is None else [li.get_text(" ", strip=True) for li in group.select("li")]


def test_the_attention_list_shows_each_kind_of_item(client, editor, roles, criteria):
    alpha, beta, gamma = roles
    curated = factories.ComparisonFactory(
        role_a=alpha, role_b=beta, title="Alpha vs Beta", verdict="", key_differences=""
    )
    factories.ComparisonFactory(
        role_a=beta,
        role_b=gamma,
        title="Beta vs Gamma",
        published=False,
        key_differences="One.\nTwo.\nThree.",
        verdict="Either.",
    )
    RoleCriterionValue.objects.filter(role=gamma, criterion=criteria[0]).delete()
    bad = factories.ReferenceFactory(title="Dead source", comparison=curated)
    Reference.objects.filter(pk=bad.pk).update(
        link_checked_at=timezone.now(), link_ok=False, link_status=404, link_error="HTTP 404"
    )
    old = factories.FAQFactory(question="An old question?")
    FAQ.objects.filter(pk=old.pk).update(reviewed_on=datetime.date.today().replace(year=2020))
    Role.objects.filter(pk=alpha.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    factories.GuideFactory(from_role=alpha, to_role=beta)  # curated: not in the most-read list
    for _ in range(3):
        count_read("roles:comparison_detail", GENERATED)
    count_read("roles:guide_detail", "/transitions/alpha-to-gamma/")  # a generated plan
    count_read("roles:guide_detail", "/transitions/alpha-to-beta/")  # the curated guide
    count_read("roles:comparison_detail", "/compare/alpha-vs-beta/")  # curated
    flush_reads()

    page = _attention(client, editor)
    assert _group(page, "most-read") == [
        "Alpha role vs Gamma role (generated comparison) · 3 reads in the last 30 days",
        "Alpha role to Gamma role (generated plan) · 1 read in the last 30 days",
    ]
    assert _group(page, "draft-comparison") == ["Beta vs Gamma"]
    assert _group(page, "missing-values") == ["Gamma role · 1 of 10 missing"]
    assert _group(page, "incomplete-comparisons") == [
        "Alpha vs Beta · no key differences and no verdict"
    ]
    assert _group(page, "broken-links") == ["Dead source · HTTP 404"]
    assert _group(page, "stale-faq") == ["An old question? · last reviewed " + "December 2020"]
    assert _group(page, "stale-role") == ["Alpha role · never reviewed"]
    assert _group(page, "draft-guide") == []
    assert "Draft transition guides" in page.select_one(".attention__none").get_text()
    links = {a.get_text(strip=True): a["href"] for a in page.select(".attention a")}
    assert links["Beta vs Gamma"].endswith(
        reverse("admin:roles_comparison_change", args=[Comparison.objects.get(published=False).pk])
    )
    assert links["Alpha role vs Gamma role (generated comparison)"] == GENERATED


def test_long_kinds_show_a_few_and_link_to_the_rest(client, editor, criteria):
    factories.RoleFactory.create_batch(SHOWN + 3, published=False)
    page = _attention(client, editor)
    assert len(_group(page, "draft-role")) == SHOWN
    more = page.select_one("#attention-draft-role p a")
    assert more.get_text(strip=True).startswith(f"All {SHOWN + 3}")
    assert client.get(more["href"]).status_code == 200


def test_the_attention_list_is_for_editors_only(client, staff_user, roles):
    page = _attention(client, staff_user)  # staff, with no permission on content
    assert page.select_one(".attention") is None


def test_the_admin_index_has_a_query_budget(
    client, editor, grow_catalogue, django_assert_max_num_queries
):
    grow_catalogue(50)
    for i in range(30):
        count_read(
            "roles:comparison_detail", f"/compare/account-manager-vs-synthetic-role-{i:04d}/"
        )
    flush_reads()
    client.force_login(editor)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("admin:index")).status_code == 200
