"""The content loader (roles.content_io: content_read_directory, content_import, content_export)
and the starter content it loads: the seed carried over, idempotent runs, dry runs, refused
records, update mode and export."""

import copy
import json

import pytest
import yaml
from reversion.models import Version

from roles.content_io import (
    STARTER_CONTENT_DIR,
    ContentError,
    content_import,
    content_read_directory,
    document_dumps,
    export_document,
)
from roles.models import (
    FAQ,
    Comparison,
    Criterion,
    Guide,
    Reference,
    Role,
    RoleCriterionValue,
    Skill,
)
from tests.helpers import (
    SEED_FAQ_QUESTIONS,
    SEED_REFERENCES,
    SEED_TABLE,
    SNAPSHOT_MODELS,
    content_snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def starter_document():
    return content_read_directory(STARTER_CONTENT_DIR)


def test_starter_content_carries_the_seed_over(starter_content):
    assert list(Criterion.objects.values_list("slug", flat=True)) == list(SEED_TABLE)
    for slug, column in (("account-manager", 0), ("project-manager", 1)):
        role = Role.objects.get(slug=slug)
        assert role.published
        cells = dict(role.criterion_values.values_list("criterion__slug", "value"))
        assert cells == {criterion: values[column] for criterion, values in SEED_TABLE.items()}

    comparison = Comparison.objects.get(slug="account-manager-vs-project-manager")
    assert comparison.published
    assert comparison.intro.strip()
    assert set(comparison.sections.values_list("criterion__slug", flat=True)) == set(SEED_TABLE)
    assert list(comparison.faqs.values_list("question", flat=True)) == SEED_FAQ_QUESTIONS
    assert all(faq.answer.strip() for faq in comparison.faqs.all())
    assert list(comparison.references.values_list("title", "url")) == SEED_REFERENCES

    path = Guide.objects.get(slug="account-manager-to-project-manager")
    assert path.steps.count() >= 4
    assert list(path.steps.values_list("position", flat=True)) == list(
        range(1, path.steps.count() + 1)
    )


def test_starter_prose_is_our_own_not_the_articles():
    """No sentence of the seed article's prose may be reused in the starter content."""
    seed = (STARTER_CONTENT_DIR.parents[2].parent / "shared" / "seed").glob("*.txt")
    seed_text = "\n".join(path.read_text(encoding="utf-8") for path in seed)
    if not seed_text:
        pytest.skip("the seed article is not beside the repository")
    starter = " ".join(
        path.read_text(encoding="utf-8") for path in STARTER_CONTENT_DIR.glob("*.yaml")
    )
    starter = " ".join(starter.split())
    allowed = {cell for pair in SEED_TABLE.values() for cell in pair} | set(SEED_FAQ_QUESTIONS)
    for sentence in seed_text.replace("\n", ". ").split(". "):
        sentence = " ".join(sentence.split()).strip(" .")
        if len(sentence) < 40 or sentence in allowed:
            continue
        assert sentence not in starter, f"copied from the seed article: {sentence!r}"


def test_every_curated_starter_comparison_has_an_at_a_glance(starter_content):
    comparisons = Comparison.objects.order_by("slug")
    assert [(c.slug, len(c.key_difference_list)) for c in comparisons] == [
        ("account-executive-vs-account-manager", 4),
        ("account-executive-vs-business-development-manager", 3),
        ("account-executive-vs-solutions-engineer", 3),
        ("account-manager-vs-customer-success-manager", 4),
        ("account-manager-vs-project-manager", 5),
        ("business-analyst-vs-data-analyst", 4),
        ("business-analyst-vs-management-consultant", 3),
        ("business-analyst-vs-project-manager", 4),
        ("delivery-manager-vs-project-manager", 3),
        ("operations-manager-vs-project-manager", 4),
        ("product-manager-vs-product-owner", 4),
        ("product-manager-vs-project-manager", 4),
        ("program-manager-vs-project-manager", 4),
        ("project-manager-vs-scrum-master", 4),
    ]
    for comparison in comparisons:
        assert comparison.verdict.strip(), comparison.slug
    for comparison in comparisons:
        assert comparison.choose_if.startswith("Choose "), comparison.slug
        assert "; choose " in comparison.choose_if, comparison.slug


def test_every_starter_role_has_a_value_for_every_criterion(starter_content):
    criteria = Criterion.objects.count()
    for role in Role.objects.all():
        assert role.criterion_values.count() == criteria, role.slug


def test_second_run_changes_nothing(starter_document):
    content_import(data=starter_document)
    before = content_snapshot()
    report = content_import(data=starter_document)
    assert not report.created
    assert content_snapshot() == before


def test_import_never_overwrites_an_editors_change(starter_content, starter_document):
    value = RoleCriterionValue.objects.get(
        role__slug="account-manager", criterion__slug="primary-focus"
    )
    value.value = "Edited by an editor"
    value.save()
    Role.objects.filter(slug="project-manager").update(summary="Editor's summary")
    removed = FAQ.objects.filter(comparison__isnull=False).first()
    removed_slug = removed.slug
    removed.delete()

    report = content_import(data=starter_document)

    value.refresh_from_db()
    assert value.value == "Edited by an editor"
    assert Role.objects.get(slug="project-manager").summary == "Editor's summary"
    # What is missing is added back; nothing else is touched.
    assert FAQ.objects.filter(slug=removed_slug).exists()
    assert dict(report.created) == {"FAQs": 1}


def test_dry_run_changes_nothing(starter_document):
    report = content_import(data=starter_document, dry_run=True)
    assert report.created["roles"] >= 2
    assert "Would add" in report.summary()
    assert not Role.objects.exists()


def _tiny_document():
    return {
        "skills": ["Negotiation"],
        "criteria": [{"slug": "pay", "name": "Pay"}],
        "roles": [
            {
                "slug": "buyer",
                "name": "Buyer",
                "family": "operations",
                "values": {"pay": {"value": "Fair"}},
                "skills": {"Negotiation": 4},
                "published": True,
            },
            {"slug": "seller", "name": "Seller", "family": "sales-client", "published": True},
        ],
        "comparisons": [{"roles": ["seller", "buyer"], "title": "Buyer vs Seller"}],
    }


@pytest.mark.parametrize(
    ("mutate", "record", "field"),
    [
        (lambda d: d["roles"][1].update(slug="seller-to-buyer"), "roles[seller-to-buyer]", "slug"),
        (lambda d: d["roles"][0]["skills"].update(Negotiation=9), "Negotiation", "importance"),
        (lambda d: d["roles"][0]["skills"].update(Juggling=2), "roles[buyer].skills", "Juggling"),
        (lambda d: d["roles"][0]["values"].update(nope={"value": "x"}), "values", "nope"),
        (lambda d: d["roles"][1].update(family="astronaut"), "roles[seller]", "family"),
        (lambda d: d["comparisons"][0].update(roles=["buyer", "buyer"]), "comparisons", "roles"),
        (lambda d: d["comparisons"][0].update(roles=["buyer", "ghost"]), "comparisons", "roles"),
        (
            lambda d: d["comparisons"][0].update(key_differences=["One", "Two"]),
            "comparisons",
            "key_differences",
        ),
        (
            lambda d: d["comparisons"][0].update(key_differences="One line"),
            "comparisons",
            "key_differences",
        ),
    ],
)
def test_one_bad_record_changes_nothing_and_is_named(mutate, record, field):
    document = copy.deepcopy(_tiny_document())
    mutate(document)
    with pytest.raises(ContentError) as excinfo:
        content_import(data=document)
    assert record in excinfo.value.record
    assert excinfo.value.field == field
    assert content_snapshot() == {model.__name__: [] for model in SNAPSHOT_MODELS}


def test_tiny_document_imports_and_derives_slugs():
    report = content_import(data=_tiny_document())
    assert report.created["roles"] == 2
    assert Comparison.objects.get().slug == "buyer-vs-seller"
    assert Skill.objects.get().slug == "negotiation"


def test_at_a_glance_fields_import_and_export():
    document = copy.deepcopy(_tiny_document())
    document["comparisons"][0].update(
        key_differences=["Buyers spend", " Sellers earn ", "", "Both haggle"],
        choose_if="Choose Buyer if you like spending; choose Seller if you like earning.",
    )
    content_import(data=document)
    comparison = Comparison.objects.get()
    assert comparison.key_differences == "Buyers spend\nSellers earn\nBoth haggle"
    exported = export_document()["comparisons"][0]
    assert exported["key_differences"] == ["Buyers spend", "Sellers earn", "Both haggle"]
    assert exported["choose_if"] == (
        "Choose Buyer if you like spending; choose Seller if you like earning."
    )


def test_unreadable_file_is_named(tmp_path):
    (tmp_path / "01_ok.yaml").write_text(yaml.safe_dump({"skills": ["Negotiation"]}))
    (tmp_path / "02_bad.yaml").write_text("roles: [unclosed\n")
    with pytest.raises(ContentError) as excinfo:
        content_read_directory(tmp_path)
    assert excinfo.value.record == "02_bad.yaml"


def test_unknown_section_is_refused(tmp_path):
    (tmp_path / "01.yaml").write_text(yaml.safe_dump({"people": []}))
    with pytest.raises(ContentError, match="unknown section"):
        content_read_directory(tmp_path)


# --- Update mode (import_content) and export ---


def test_update_mode_changes_only_what_the_document_gives():
    content_import(data=_tiny_document())
    Role.objects.filter(slug="buyer").update(summary="Written in the admin")
    report = content_import(
        data={
            "roles": [{"slug": "buyer", "name": "Purchaser", "values": {"pay": {"value": "Good"}}}]
        },
        update=True,
    )
    buyer = Role.objects.get(slug="buyer")
    assert buyer.name == "Purchaser"
    assert buyer.summary == "Written in the admin"  # not in the document: left alone
    assert buyer.criterion_values.get().value == "Good"
    assert buyer.role_skills.count() == 1  # rows the document does not name stay
    assert dict(report.updated) == {"roles": 1, "role criterion values": 1}
    assert not report.created


def test_update_mode_moves_an_faq_to_the_topic_that_names_it():
    document = _tiny_document()
    document["faqs"] = [{"question": "Who pays?", "slug": "who-pays", "answer": "The buyer."}]
    content_import(data=document)
    assert FAQ.objects.get(slug="who-pays").comparison is None
    document["comparisons"][0]["faqs"] = document.pop("faqs")
    content_import(data=document, update=True)
    assert FAQ.objects.get(slug="who-pays").comparison.slug == "buyer-vs-seller"
    assert FAQ.objects.count() == 1


def test_every_bad_record_is_listed_and_nothing_is_kept():
    document = _tiny_document()
    document["roles"][0]["family"] = "astronaut"
    document["roles"][1]["published"] = "yes"
    with pytest.raises(ContentError) as excinfo:
        content_import(data=document)
    problems = [(p.record, p.field) for p in excinfo.value.problems]
    assert problems[:2] == [("roles[buyer]", "family"), ("roles[seller]", "published")]
    assert "records cannot be imported" in str(excinfo.value)
    assert content_snapshot() == {model.__name__: [] for model in SNAPSHOT_MODELS}


def test_an_import_is_one_revision_holding_each_parent_with_its_rows():
    content_import(data=_tiny_document(), comment="Tiny")
    buyer = Role.objects.get(slug="buyer")
    version = Version.objects.get_for_object(buyer).get()
    assert version.revision.comment == "Tiny"
    in_revision = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"role", "rolecriterionvalue", "roleskill", "comparison", "skill"} <= in_revision


def test_export_keeps_drafts_positions_and_custom_slugs():
    content_import(data=_tiny_document())
    Skill.objects.create(name="Cold calling", slug="phoning", published=False)
    Criterion.objects.create(slug="hours", name="Hours", position=7)  # a draft by default
    Reference.objects.create(title="General", url="https://example.org/g", published=False)
    comparison = Comparison.objects.get()
    FAQ.objects.create(question="Q?", slug="q", answer="A.", position=4, comparison=comparison)

    document = export_document()
    assert {"name": "Cold calling", "slug": "phoning", "published": False} in document["skills"]
    assert "Negotiation" in document["skills"]
    assert document["criteria"][-1] == {
        "slug": "hours", "name": "Hours", "question": "", "position": 7, "published": False
    }  # fmt: skip
    assert document["references"] == [
        {"title": "General", "url": "https://example.org/g", "position": 0, "published": False}
    ]
    assert document["comparisons"][0]["roles"] == ["buyer", "seller"]
    assert document["comparisons"][0]["faqs"][0]["position"] == 4

    text = document_dumps(document)
    for model in (FAQ, Reference, Comparison, Role, Criterion, Skill):
        model.objects.all().delete()
    content_import(data=json.loads(text), update=True)
    assert document_dumps(export_document()) == text


@pytest.mark.parametrize("turn", ["one test", "another test"])
def test_every_test_gets_the_same_starter_content_with_its_history(starter_content, turn):
    """The fixture loads the content once per worker and replays its rows for later tests: the
    revision that load_starter_content records must be replayed too, or only the first test of
    each worker would have history (two turns: at most one of them can be that first test)."""
    from reversion.models import Revision

    assert list(Revision.objects.values_list("comment", "user")) == [("Starter content", None)]
    assert Version.objects.count() == 767
    role = Role.objects.get(slug="account-manager")
    (version,) = Version.objects.get_for_object(role)
    assert version.field_dict["name"] == "Account Manager"
    assert Role.objects.count() == 18
    assert Guide.objects.count() == 12
