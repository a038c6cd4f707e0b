"""The editors' admin: every page for superusers and editors, the rules it enforces, drafts,
history with diff and revert."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from roles.models import (
    FAQ,
    Comparison,
    Criterion,
    Guide,
    Reference,
    Role,
    RoleCriterionValue,
    RoleSkill,
    Skill,
)
from tests import factories
from tests.helpers import admin_url, form_data, soup

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [Role, Criterion, Skill, Comparison, Guide, FAQ, Reference]


@pytest.fixture
def content(make_role, criteria):
    """One of everything, linked the way editors link it."""
    a = make_role(slug="alpha", name="Alpha role", alternative_titles="First title")
    b = make_role(slug="beta", name="Beta role")
    factories.RoleSkillFactory(role=a)
    comparison = factories.ComparisonFactory(role_a=a, role_b=b, title="Alpha vs Beta")
    factories.ComparisonSectionFactory(comparison=comparison, criterion=criteria[0])
    factories.FAQFactory(comparison=comparison, question="Which pays more?", position=1)
    factories.ReferenceFactory(comparison=comparison, title="A source")
    path = factories.GuideFactory(from_role=a, to_role=b)
    factories.GuideStepFactory(guide=path, position=1, title="Learn the basics")
    factories.FAQFactory(guide=path, question="How long does it take?")
    factories.ReferenceFactory(guide=path, title="A guide source")
    return {"role": a, "comparison": comparison, "guide": path}


@pytest.fixture(params=["superuser", "editor"])
def admin_client(request, client):
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return client


# --- Every page answers, for a superuser and for an editor ---


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_list_add_change_and_history_pages_answer(admin_client, content, model):
    obj = model.objects.first()
    name = model._meta.verbose_name

    changelist = admin_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert f"Select {name} to change" in changelist.text
    assert str(obj) in soup(changelist).select_one("#result_list").get_text()

    add = admin_client.get(admin_url(model, "add"))
    assert add.status_code == 200
    assert f"Add {name}" in add.text
    assert soup(add).select_one("#content-main form")

    change = admin_client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert f"Change {name}" in change.text
    assert str(obj) in change.text

    history = admin_client.get(admin_url(model, "history", obj.pk))
    assert history.status_code == 200
    assert "Change history" in history.text


def test_admin_index_lists_every_content_model_for_an_editor(client, editor, content):
    client.force_login(editor)
    page = soup(client.get(reverse("admin:index")))
    links = {a.get_text(strip=True) for a in page.select("#content-main a")}
    for model in ADMIN_MODELS:
        name = str(model._meta.verbose_name_plural)
        assert name[0].upper() + name[1:] in links
    assert "Users" not in links
    assert "Groups" not in links


@pytest.mark.parametrize(
    "url", ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"]
)
def test_an_editor_cannot_reach_users_or_groups(client, editor, url):
    client.force_login(editor)
    assert client.get(reverse(url)).status_code == 403


def test_editors_group_holds_the_content_permissions_only(db):
    group = Group.objects.get(name="Editors")
    permissions = set(group.permissions.values_list("content_type__model", "codename"))
    imported = {
        "jobzone", "onetelement", "rolerating", "roletitle", "roletask", "roletechnology",
        "relatedrole",
    }  # fmt: skip
    assert {codename for model, codename in permissions if model in imported} == {
        f"{action}_{model}" for model in imported for action in ("change", "view")
    }
    permissions = {(model, codename) for model, codename in permissions if model not in imported}
    models = {model for model, _ in permissions}
    assert models == {
        "family", "role", "criterion", "rolecriterionvalue", "skill", "roleskill", "comparison",
        "comparisonsection", "faq", "reference", "guide", "guidestep",
    }  # fmt: skip
    assert len(permissions) == 4 * len(models)
    assert {codename.split("_")[0] for _, codename in permissions} == {
        "add", "change", "delete", "view"
    }  # fmt: skip


def test_a_reader_or_plain_staff_cannot_edit(client, reader, staff_user, content):
    client.force_login(reader)
    assert client.get(admin_url(Role, "changelist")).status_code == 302  # to the login page
    client.force_login(staff_user)  # staff, but in no group
    assert client.get(admin_url(Role, "changelist")).status_code == 403


def test_compare_view_needs_permission_on_the_model(client, editor, staff_user, content):
    role = content["role"]
    client.force_login(editor)
    for name in ("First edit", "Second edit"):
        data = form_data(client.get(admin_url(Role, "change", role.pk)))
        data["summary"] = name
        assert client.post(admin_url(Role, "change", role.pk), data).status_code == 302
    first, second = Version.objects.get_for_object(role).order_by("pk")
    url = admin_url(Role, "compare", role.pk)
    query = {"version_id1": first.pk, "version_id2": second.pk}
    response = client.get(url, query)
    assert response.status_code == 200
    diff = [text.strip() for text in soup(response).find_all(string=True)]
    assert "- First edit" in diff  # the summary's change, as a diff
    assert "+ Second edit" in diff
    client.force_login(staff_user)
    assert client.get(url, query).status_code == 403


# --- Role ---


def test_role_change_page_has_one_prefilled_row_per_missing_criterion(client, editor, criteria):
    role = factories.RoleFactory(slug="gamma")
    for criterion in criteria[:3]:
        factories.RoleCriterionValueFactory(role=role, criterion=criterion)
    client.force_login(editor)
    url = admin_url(Role, "change", role.pk)
    response = client.get(url)
    data = form_data(response)
    assert data["criterion_values-TOTAL_FORMS"] == str(len(criteria))
    assert data["criterion_values-INITIAL_FORMS"] == "3"
    rows = [data[f"criterion_values-{i}-criterion"] for i in range(len(criteria))]
    assert rows == [str(criterion.pk) for criterion in criteria]
    page = soup(response)
    view_on_site = client.get(page.find("a", string="View on site")["href"])
    assert view_on_site["Location"].endswith(role.get_absolute_url())
    prepopulated = page.select_one("#django-admin-prepopulated-fields-constants")
    assert '"id": "#id_slug"' in prepopulated["data-prepopulated-fields"]

    # Saved untouched, the empty pre-filled rows add nothing.
    assert client.post(url, data).status_code == 302
    assert role.criterion_values.count() == 3

    data["criterion_values-5-value"] = "A new cell"
    assert client.post(url, data).status_code == 302
    assert role.criterion_values.get(criterion=criteria[5]).value == "A new cell"


def test_add_role_with_values_and_skills(client, editor, criteria):
    skill = factories.SkillFactory(name="Negotiation", slug="negotiation")
    client.force_login(editor)
    data = form_data(client.get(admin_url(Role, "add")))
    data.update(
        name="Broker",
        slug="broker",
        family="sales-client",
        summary="Brings buyers and sellers together.",
        **{
            "criterion_values-0-value": "Deals",
            "criterion_values-1-value": "Matching",
            "role_skills-0-skill": str(skill.pk),
            "role_skills-0-importance": "4",
        },
    )
    response = client.post(admin_url(Role, "add"), data)
    assert response.status_code == 302, soup(response).select(".errorlist")
    role = Role.objects.get(slug="broker")
    assert not role.published  # a new role is a draft
    assert dict(role.criterion_values.values_list("criterion", "value")) == {
        criteria[0].pk: "Deals",
        criteria[1].pk: "Matching",
    }
    assert role.role_skills.get().importance == 4


def test_role_search_by_alternative_title_and_filter_by_family(client, editor, content):
    factories.RoleFactory(name="Gamma", slug="gamma", family="operations")
    client.force_login(editor)
    found = soup(client.get(admin_url(Role, "changelist"), {"q": "First title"}))
    assert [a.get_text() for a in found.select("#result_list tbody th a")] == ["Alpha role"]
    filtered = soup(client.get(admin_url(Role, "changelist"), {"family__exact": "operations"}))
    assert [a.get_text() for a in filtered.select("#result_list tbody th a")] == ["Gamma"]
    drafts = soup(client.get(admin_url(Role, "changelist"), {"published__exact": "0"}))
    assert not drafts.select("#result_list tbody th a")


# --- Criterion order ---


def test_reordering_criteria_reorders_every_table(client, editor, content, criteria):
    client.force_login(editor)
    url = admin_url(Criterion, "changelist")
    data = form_data(client.get(url), "#changelist-form")
    total = int(data["form-TOTAL_FORMS"])
    # Reverse the order: the last criterion first.
    for i in range(total):
        data[f"form-{i}-position"] = str(total - i)
    data["_save"] = "Save"
    assert client.post(url, data).status_code == 302

    expected = [criterion.name for criterion in reversed(criteria)]
    assert [c.name for c in Criterion.objects.all()] == expected
    comparison = soup(client.get(content["comparison"].get_absolute_url()))
    rows = comparison.select(".comparison-table__table tbody th[scope=row] a")
    assert [a.get_text(strip=True) for a in rows] == expected
    profile = soup(client.get(content["role"].get_absolute_url()))
    assert [dt.get_text(strip=True) for dt in profile.select(".role-profile__value dt")] == (
        expected
    )
    inline = form_data(client.get(admin_url(Role, "change", content["role"].pk)))
    assert inline["criterion_values-0-criterion"] == str(criteria[-1].pk)


# --- Comparison rules ---


def _comparison_form(client, **values):
    data = form_data(client.get(admin_url(Comparison, "add")))
    data.update(values)
    return data


def _errors(response) -> str:
    assert response.status_code == 200, "expected the form back with errors"
    return " ".join(e.get_text(" ", strip=True) for e in soup(response).select(".errorlist"))


def test_comparison_needs_two_different_roles(client, editor, content):
    client.force_login(editor)
    role = content["role"]
    data = _comparison_form(client, role_a=role.pk, role_b=role.pk, title="Same")
    errors = _errors(client.post(admin_url(Comparison, "add"), data))
    assert "a role cannot be compared with itself" in errors


def test_one_comparison_per_pair_whatever_the_order(client, editor, content):
    client.force_login(editor)
    existing = content["comparison"]
    data = _comparison_form(
        client, role_a=existing.role_b.pk, role_b=existing.role_a.pk, title="Reversed"
    )
    errors = _errors(client.post(admin_url(Comparison, "add"), data))
    assert "already have a comparison" in errors
    assert "Alpha vs Beta" in errors
    assert Comparison.objects.count() == 1


def test_an_editor_writes_the_at_a_glance_block_in_the_admin(client, editor, content):
    client.force_login(editor)
    comparison = content["comparison"]
    url = admin_url(Comparison, "change", comparison.pk)
    data = form_data(client.get(url))
    assert "key_differences" in data
    assert "choose_if" in data
    data.update(key_differences="One\nTwo", choose_if="Choose Alpha if you like people.")
    errors = _errors(client.post(url, data))
    assert "Give 3 to 5 key differences, one per line, or none at all; this has 2." in errors
    data.update(key_differences="One\r\nTwo\r\n\r\nThree")
    assert client.post(url, data).status_code == 302
    comparison.refresh_from_db()
    assert comparison.key_differences == "One\nTwo\nThree"
    assert comparison.choose_if == "Choose Alpha if you like people."


def test_publishing_a_comparison_needs_every_value(client, editor, make_role, criteria):
    a = make_role(slug="complete")
    b = factories.RoleFactory(slug="partial", name="Partial role")
    factories.RoleCriterionValueFactory(role=b, criterion=criteria[0])
    client.force_login(editor)
    data = _comparison_form(client, role_a=a.pk, role_b=b.pk, title="Draft", published="on")
    errors = _errors(client.post(admin_url(Comparison, "add"), data))
    assert "both roles need a value for every criterion" in errors
    assert f"Partial role has no value for {criteria[1].name}" in errors
    assert criteria[0].name + "," not in errors  # it has that one

    del data["published"]
    assert client.post(admin_url(Comparison, "add"), data).status_code == 302
    assert not Comparison.objects.get().published


def test_comparison_inline_sections_faqs_and_references(client, editor, content, criteria):
    comparison = content["comparison"]
    client.force_login(editor)
    url = admin_url(Comparison, "change", comparison.pk)
    data = form_data(client.get(url))
    assert data["sections-TOTAL_FORMS"] == str(len(criteria))  # one row per criterion
    assert data["sections-1-criterion"] == str(criteria[1].pk)
    assert data["faqs-1-position"] == "2"  # the empty FAQ row offers the next position
    data.update(
        {
            "sections-1-body": "How the second criterion differs.",
            "faqs-1-question": "Second question?",
            "faqs-1-slug": "second-question",
            "faqs-1-answer": "An answer.",
            "references-1-title": "Another source",
            "references-1-url": "https://example.org/another",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    assert comparison.sections.count() == 2
    assert list(comparison.faqs.values_list("question", flat=True)) == [
        "Which pays more?",
        "Second question?",
    ]
    assert comparison.references.count() == 2


def test_reference_url_must_be_a_web_address(client, editor, content):
    client.force_login(editor)
    data = form_data(client.get(admin_url(Reference, "add")))
    data.update(title="Bad", url="javascript:alert(1)")
    errors = _errors(client.post(admin_url(Reference, "add"), data))
    assert errors == "Enter a valid URL."
    data["url"] = "ftp://example.org/file"
    assert "starts with https://" in _errors(client.post(admin_url(Reference, "add"), data))


def test_faq_belongs_to_one_topic_at_most(client, editor, content):
    client.force_login(editor)
    data = form_data(client.get(admin_url(FAQ, "add")))
    data.update(
        question="Both?",
        slug="both",
        answer="No.",
        comparison=content["comparison"].pk,
        guide=content["guide"].pk,
    )
    assert "not both" in _errors(client.post(admin_url(FAQ, "add"), data))


# --- Guide rules ---


def _path_form(client, **values):
    data = form_data(client.get(admin_url(Guide, "add")))
    data.update(values)
    return data


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"to": "from"}, "Choose two different roles"),
        ({"to": "existing"}, "There is already a guide from Alpha role to Beta role"),
        ({"months_min": "9", "months_max": "3"}, "cannot be shorter than the shortest (9 months)"),
        ({"months_min": "0"}, "at least 1 month"),
        ({"published": "on"}, "needs at least one step before it can be published"),
    ],
)
def test_guide_rules_have_clear_messages(client, editor, content, values, message):
    client.force_login(editor)
    a, b = content["guide"].from_role, content["guide"].to_role
    other = factories.RoleFactory(name="Other role", slug="other")
    to = {"from": a, "existing": b}.get(values.pop("to", ""), other)
    data = _path_form(client, from_role=a.pk, to_role=to.pk, summary="Why and how.", **values)
    data.setdefault("months_min", "3")
    data.setdefault("months_max", "9")
    assert message in _errors(client.post(admin_url(Guide, "add"), data))
    assert Guide.objects.count() == 1


def test_guide_with_ordered_steps(client, editor, content):
    client.force_login(editor)
    a, other = content["role"], factories.RoleFactory(name="Other role", slug="other")
    data = _path_form(
        client,
        from_role=a.pk,
        to_role=other.pk,
        months_min="2",
        months_max="4",
        published="on",
        **{"steps-0-title": "Start here", "steps-0-body": "Do this first."},
    )
    assert data["steps-0-position"] == "1"
    response = client.post(admin_url(Guide, "add"), data)
    assert response.status_code == 302, _errors(response)
    path = Guide.objects.get(from_role=a, to_role=other)
    assert path.published
    assert path.slug == "alpha-to-other"
    assert list(path.steps.values_list("position", "title")) == [(1, "Start here")]

    data = form_data(client.get(admin_url(Guide, "change", path.pk)))
    assert data["steps-1-position"] == "2"
    data.update({"steps-1-title": "Then this", "steps-0-position": "3"})
    assert client.post(admin_url(Guide, "change", path.pk), data).status_code == 302
    assert list(path.steps.values_list("title", flat=True)) == ["Then this", "Start here"]


# --- Drafts: list actions and preview ---


def _action(client, model, action, objects):
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


@pytest.mark.parametrize("model", [Role, Criterion, Skill, Comparison, Guide, FAQ, Reference])
def test_publish_and_unpublish_actions(client, editor, content, model):
    client.force_login(editor)
    objects = list(model.objects.all())
    _action(client, model, "unpublish", objects)
    assert not model.objects.filter(published=True).exists()
    response = _action(client, model, "publish", objects)
    assert "Published" in response.text
    assert not model.objects.filter(published=False).exists()


def test_publish_action_refuses_an_incomplete_comparison(client, editor, content, criteria):
    comparison = content["comparison"]
    Comparison.objects.filter(pk=comparison.pk).update(published=False)
    RoleCriterionValue.objects.filter(role=comparison.role_b, criterion=criteria[2]).delete()
    client.force_login(editor)
    response = _action(client, Comparison, "publish", [comparison])
    assert f"Beta role has no value for {criteria[2].name}" in response.text
    comparison.refresh_from_db()
    assert not comparison.published


def test_publish_action_refuses_a_guide_without_steps(client, editor, content):
    path = content["guide"]
    Guide.objects.filter(pk=path.pk).update(published=False)
    path.steps.all().delete()
    client.force_login(editor)
    response = _action(client, Guide, "publish", [path])
    assert "a guide needs at least one step" in response.text
    path.refresh_from_db()
    assert not path.published


def test_draft_pages_are_404_to_the_public_and_bannered_for_staff(client, editor, content):
    role, comparison, path = content["role"], content["comparison"], content["guide"]
    faq = comparison.faqs.get()
    for obj in (role, comparison, path, faq):
        type(obj).objects.filter(pk=obj.pk).update(published=False)
    # A draft role hides itself, its comparisons and guides; a draft FAQ its own page.
    for url in (role.get_absolute_url(), path.get_absolute_url(), faq.get_absolute_url()):
        assert client.get(url).status_code == 404, url
    assert "Alpha vs Beta" not in client.get(comparison.get_absolute_url()).text

    client.force_login(editor)
    for url in (
        role.get_absolute_url(),
        path.get_absolute_url(),
        faq.get_absolute_url(),
        comparison.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        banner = soup(response).find(class_="draft-banner")
        assert banner, url
        assert "Draft" in banner.get_text(), url


def test_faq_of_a_draft_comparison_is_not_public(client, content):
    comparison = content["comparison"]
    Comparison.objects.filter(pk=comparison.pk).update(published=False)
    assert client.get(comparison.faqs.get().get_absolute_url()).status_code == 404


def test_draft_criterion_skill_and_reference_are_left_out_for_the_public(
    client, editor, content, criteria
):
    comparison, role = content["comparison"], content["role"]
    hidden = criteria[3]
    Criterion.objects.filter(pk=hidden.pk).update(published=False)
    role_skill = RoleSkill.objects.get(role=role)
    Skill.objects.filter(pk=role_skill.skill_id).update(published=False)
    Reference.objects.filter(comparison=comparison).update(published=False)

    public = soup(client.get(comparison.get_absolute_url()))
    names = [th.get_text(strip=True) for th in public.select("tbody th[scope=row]")]
    assert hidden.name not in names
    assert len(names) == len(criteria) - 1
    assert not public.select("#references")
    profile = client.get(role.get_absolute_url()).text
    assert role_skill.skill.name not in profile
    assert hidden.name not in profile

    client.force_login(editor)
    staff = soup(client.get(comparison.get_absolute_url()))
    row = [th for th in staff.select("tbody th[scope=row]") if hidden.name in th.get_text()]
    assert row
    assert row[0].find(class_="draft-marker")
    staff_profile = soup(client.get(role.get_absolute_url()))
    assert role_skill.skill.name in staff_profile.select_one(".skill-table").get_text()


# --- History, diff and revert ---


def test_editing_a_value_inside_a_role_is_a_revision_with_diff_and_revert(
    client, editor, content, criteria
):
    role = content["role"]
    extra_skill = factories.SkillFactory(name="Forecasting", slug="forecasting")
    client.force_login(editor)
    url = admin_url(Role, "change", role.pk)

    data = form_data(client.get(url))
    data["criterion_values-0-value"] = "First wording"
    assert client.post(url, data).status_code == 302

    data = form_data(client.get(url))
    data["criterion_values-0-value"] = "Second wording"
    data["role_skills-1-skill"] = str(extra_skill.pk)
    data["role_skills-1-importance"] = "2"
    assert client.post(url, data).status_code == 302
    assert role.role_skills.count() == 2

    first, second = Version.objects.get_for_object(role).order_by("pk")
    assert second.revision.user == editor
    in_revision = {v.object_repr for v in second.revision.version_set.all()}
    assert f"{role} · {criteria[0]}: Second wording" in in_revision  # the child is in it

    history = client.get(admin_url(Role, "history", role.pk))
    assert history.text.count(editor.username) >= 2
    assert "Changed" in history.text

    compare = client.get(
        admin_url(Role, "compare", role.pk), {"version_id1": first.pk, "version_id2": second.pk}
    )
    assert compare.status_code == 200
    diff = soup(compare).select_one("#content-main").get_text(" ")
    assert "First" in diff
    assert "Second" in diff
    assert "wording" in diff
    assert "Forecasting" in diff
    assert "added" in diff

    # Revert to the first revision: the value comes back and the skill added since goes.
    revert_url = admin_url(Role, "revision", role.pk, first.pk)
    revert_form = client.get(revert_url)
    assert revert_form.status_code == 200
    assert client.post(revert_url, form_data(revert_form)).status_code == 302
    value = role.criterion_values.get(criterion=criteria[0])
    assert value.value == "First wording"
    assert role.role_skills.count() == 1
    assert "First wording" in client.get(role.get_absolute_url()).text
    latest = Version.objects.get_for_object(role).order_by("-pk").first()
    assert latest.revision.comment.startswith("Reverted to previous version")


def test_history_of_a_comparison_includes_its_sections_faqs_and_references(client, editor, content):
    comparison = content["comparison"]
    client.force_login(editor)
    url = admin_url(Comparison, "change", comparison.pk)
    data = form_data(client.get(url))
    data["sections-0-body"] = "A rewritten narrative."
    data["faqs-0-answer"] = "A better answer."
    assert client.post(url, data).status_code == 302
    revision = Version.objects.get_for_object(comparison).get().revision
    kinds = {v.content_type.model for v in revision.version_set.all()}
    assert {"comparison", "comparisonsection", "faq", "reference"} <= kinds


def test_a_deleted_faq_can_be_recovered(client, editor, content):
    faq = FAQ.objects.get(question="Which pays more?")
    client.force_login(editor)
    change_url = admin_url(FAQ, "change", faq.pk)
    assert client.post(change_url, form_data(client.get(change_url))).status_code == 302
    delete_url = admin_url(FAQ, "delete", faq.pk)
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not FAQ.objects.filter(question="Which pays more?").exists()
    recover_list = client.get(admin_url(FAQ, "recoverlist"))
    assert "Which pays more?" in recover_list.text
    # Its last saved version stays in the history after the delete, so it can be recovered.
    version = Version.objects.get_deleted(FAQ).get()
    recover_url = admin_url(FAQ, "recover", version.pk)
    assert client.post(recover_url, form_data(client.get(recover_url))).status_code == 302
    assert FAQ.objects.filter(question="Which pays more?").exists()


def test_saving_a_page_as_a_browser_sends_it_changes_nothing(client, editor, content):
    role = content["role"]
    Role.objects.filter(pk=role.pk).update(description="First paragraph.\n\nSecond paragraph.")
    client.force_login(editor)
    url = admin_url(Role, "change", role.pk)
    data = form_data(client.get(url))
    # Browsers send a textarea's line breaks as CRLF.
    data = {key: value.replace("\n", "\r\n") for key, value in data.items()}
    assert client.post(url, data).status_code == 302
    role.refresh_from_db()
    assert role.description == "First paragraph.\n\nSecond paragraph."
    revision = Version.objects.get_for_object(role).get().revision
    assert revision.comment == "No fields changed."


def test_an_faq_edited_on_its_own_page_is_in_its_comparisons_history(client, editor, content):
    faq = FAQ.objects.get(question="Which pays more?")
    client.force_login(editor)
    url = admin_url(FAQ, "change", faq.pk)
    data = form_data(client.get(url))
    data["answer"] = "It depends on the company."
    assert client.post(url, data).status_code == 302
    comparison_versions = Version.objects.get_for_object(content["comparison"])
    assert comparison_versions.count() == 1
    revision = comparison_versions.get().revision
    assert revision.version_set.get(object_id=str(faq.pk), content_type__model="faq")
