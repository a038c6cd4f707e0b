"""No draft leaks through /search/: every searchable kind (roles, role values, comparisons, guides,
FAQs) follows the pages' `visible_to` rules, in the results and in their snippets.

Each row below carries one made-up word found nowhere else, so a query for it finds that row or
nothing. Drafts are found by staff only; anonymous readers and signed-in readers never see them.
"""

import pytest
from bs4 import BeautifulSoup

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    f = factories
    alpha = f.RoleFactory(name="Alpha Analyst", slug="alpha-analyst", summary="Short.")
    beta = f.RoleFactory(name="Beta Broker", slug="beta-broker", summary="Short.")
    gamma = f.RoleFactory(name="Gamma Grader", slug="gamma-grader", summary="Short.")
    draft_role = f.RoleFactory(
        name="Delta Designer", slug="delta-designer", summary="A quokka role.", published=False
    )
    public_criterion = f.CriterionFactory(name="Pay", slug="pay")
    draft_criterion = f.CriterionFactory(name="Secret", slug="secret", published=False)
    f.RoleCriterionValueFactory(role=alpha, criterion=public_criterion, value="Wombat cell")
    f.RoleCriterionValueFactory(role=alpha, criterion=draft_criterion, value="Platypus cell")

    public_cmp = f.ComparisonFactory(role_a=alpha, role_b=beta, intro="A kestrel comparison.")
    draft_cmp = f.ComparisonFactory(
        role_a=alpha, role_b=gamma, intro="A heron comparison.", published=False
    )
    draft_role_cmp = f.ComparisonFactory(
        role_a=beta, role_b=draft_role, intro="An egret comparison."
    )
    public_guide = f.GuideFactory(from_role=alpha, to_role=beta, summary="A marmot guide.")
    draft_guide = f.GuideFactory(
        from_role=beta, to_role=gamma, summary="A badger guide.", published=False
    )
    draft_role_guide = f.GuideFactory(
        from_role=alpha, to_role=draft_role, summary="An otter guide."
    )

    def faq(word, **kwargs):
        return f.FAQFactory(question=f"What about the {word}?", answer=f"The {word}.", **kwargs)

    return {
        "alpha": alpha,
        "quokka": draft_role,
        "platypus": alpha,
        "wombat": alpha,
        "kestrel": public_cmp,
        "heron": draft_cmp,
        "egret": draft_role_cmp,
        "marmot": public_guide,
        "badger": draft_guide,
        "otter": draft_role_guide,
        "lynx": faq("lynx"),
        "puffin": faq("puffin", comparison=public_cmp),
        "ferret": faq("ferret", comparison=draft_cmp),
        "mink": faq("mink", comparison=draft_role_cmp),
        "stoat": faq("stoat", guide=draft_guide),
        "weasel": faq("weasel", guide=draft_role_guide),
        "sable": faq("sable", published=False),
    }


# (the one word to search for, its kind on the results page, whether the public may see it)
CASES = [
    ("wombat", "Role", True),  # a role, by a value of a published criterion
    ("quokka", "Role", False),  # a draft role
    ("platypus", "Role", False),  # a published role, but only by a value of a draft criterion
    ("kestrel", "Comparison", True),
    ("heron", "Comparison", False),  # a draft comparison
    ("egret", "Comparison", False),  # a published comparison of a draft role
    ("marmot", "Transition guide", True),
    ("badger", "Transition guide", False),  # a draft guide
    ("otter", "Transition guide", False),  # a published guide to a draft role
    ("lynx", "FAQ", True),  # a general FAQ
    ("puffin", "FAQ", True),  # a FAQ on a published comparison
    ("ferret", "FAQ", False),  # a published FAQ on a draft comparison
    ("mink", "FAQ", False),  # a published FAQ on a comparison of a draft role
    ("stoat", "FAQ", False),  # a published FAQ on a draft guide
    ("weasel", "FAQ", False),  # a published FAQ on a guide to a draft role
    ("sable", "FAQ", False),  # a draft FAQ
]
VIEWERS = ["anonymous", "reader", "staff"]


@pytest.fixture
def as_viewer(client, reader, staff_user):
    def sign_in(viewer):
        if viewer != "anonymous":
            client.force_login(reader if viewer == "reader" else staff_user)
        return client

    return sign_in


def results(response):
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [
        {
            "kind": item.select_one(".search-result__kind").get_text(strip=True),
            "url": item.select_one(".search-result__title a")["href"],
            "title": item.select_one(".search-result__title a").get_text(strip=True),
            "snippet": item.get_text(" ", strip=True),
        }
        for item in page.select(".search-result")
    ]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("word", "kind", "public"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_is_found_only_by_who_may_see_it(
    catalogue, as_viewer, viewer, word, kind, public
):
    hits = results(as_viewer(viewer).get("/search/", {"q": word}))
    if public or viewer == "staff":
        target = catalogue[word].get_absolute_url()
        assert [(h["kind"], h["url"]) for h in hits] == [(kind, target)]
        assert word in hits[0]["snippet"].casefold()
    else:
        assert hits == []


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_draft_criterions_values_stay_out_of_role_snippets(catalogue, as_viewer, viewer):
    """Found by its name, a published role's snippet lists its table cells: public ones only."""
    hits = results(as_viewer(viewer).get("/search/", {"q": "alpha analyst"}))
    (role,) = [h for h in hits if h["kind"] == "Role"]
    assert role["url"] == catalogue["alpha"].get_absolute_url()
    assert "Wombat cell" in role["snippet"]
    assert ("Platypus cell" in role["snippet"]) is (viewer == "staff")
    for hit in hits:
        if viewer != "staff":
            assert "Platypus" not in hit["snippet"]


@pytest.mark.parametrize("viewer", ["anonymous", "reader"])
def test_no_draft_word_reaches_the_public_in_any_result(catalogue, as_viewer, viewer):
    """Every row at once: a query matching them all by their shared words shows no draft."""
    client = as_viewer(viewer)
    hidden = [word for word, _, public in CASES if not public]
    for query in ("alpha", "beta", "gamma", "delta", "what about", "guide", "comparison"):
        for hit in results(client.get("/search/", {"q": query})):
            text = f"{hit['title']} {hit['snippet']}".casefold()
            assert not [word for word in hidden if word in text], (query, hit)
