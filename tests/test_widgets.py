"""roles/widgets.py renders what Django's own widget templates render."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy

from roles import widgets
from roles.forms import CompareForm
from roles.picker import picker_roles

CHOICES = [
    ("", "Choose a role"),
    (
        "Project & delivery",
        [("project-manager", "Project manager"), ("scrum-master", "Scrum master")],
    ),
    ("Sales <and> accounts", [("account-manager", 'Account "key" manager')]),
    ("odd", "A <b>bold</b> & plain label"),
    (7, "A number"),
]


@pytest.mark.parametrize("value", [None, "", "scrum-master", "odd", 7, "7", "<script>"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "form-select", "id": "id_a", "required": True, "aria-describedby": 'x"y'},
        {"disabled": False, "data-x": 3, "class": "is-invalid form-select"},
    ],
)
def test_our_select_renders_what_select_html_renders(value, attrs):
    django, quick = forms.Select(choices=CHOICES), widgets.Select(choices=CHOICES)
    assert quick.render("a", value, attrs) == django.render("a", value, attrs)


ODD_CHOICES = [
    (None, "No value"),
    ("Group", [(None, "Nested none"), ("x", "X")]),
    ("x", "X again"),  # a value twice: only the first is selected, as Django does
    ("lazy", gettext_lazy("A lazy label")),
]


@pytest.mark.parametrize("value", [None, "", "x", "None", ["x"]])
def test_odd_choices_render_as_django_renders_them(value):
    django, quick = forms.Select(choices=ODD_CHOICES), widgets.Select(choices=ODD_CHOICES)
    assert quick.render("a", value, None) == django.render("a", value, None)


def test_each_list_of_options_is_made_once_and_picked_from_after():
    """The options' markup is kept per list of choices: the second page of the same choices
    makes none, whatever is selected, and is still what Django renders; a multiple select and
    choices of other objects are rendered whole each time."""
    widgets._options.cache_clear()
    for value in ["scrum-master", "odd", None, "scrum-master"]:
        quick = widgets.Select(choices=CHOICES)
        assert quick.render("b", value) == forms.Select(choices=CHOICES).render("b", value)
    assert widgets._options.cache_info().misses == 1
    assert widgets._options.cache_info().hits == 3
    several = widgets.Select(choices=CHOICES)
    several.allow_multiple_selected = True
    assert several.render("c", ["odd", "7"]) == forms.SelectMultiple(choices=CHOICES).render(
        "c", ["odd", "7"]
    )
    assert widgets._options.cache_info().misses == 1


def test_the_role_pickers_use_it(client, starter_content):
    """At starter size every picker is a select of every role: the quick one."""
    form = CompareForm(roles=picker_roles(AnonymousUser()))
    assert all(isinstance(form.fields[name].widget, widgets.Select) for name in "abcd")


# --- roles.forms.RoleColumn: crispy's Column and field.html, built in Python ---


def _crispy(form) -> str:
    from django.template import Context, Template

    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def _with_crispys_columns(form):
    """The same form laid out with crispy's own Column for each role field."""
    from crispy_forms.layout import Column

    from roles.forms import RoleColumn

    def swap(layout):
        for index, item in enumerate(layout.fields):
            if isinstance(item, RoleColumn):
                layout.fields[index] = Column(item.name, css_class=item.css_class)
            elif hasattr(item, "fields"):
                swap(item)

    swap(form.helper.layout)
    return form


FILLED_IN = [
    None,  # a fresh picker
    {"a": "project-manager", "b": "account-manager"},
    {"a": "no such role", "b": "project-manager", "c": "<b>x</b>"},  # errors, escaped
    {"a": "project-manager"},  # the form's own error: too few
    {"a": "Project Manager", "b": "project-manager"},  # the same role twice
]


@pytest.mark.parametrize("typed", [False, True], ids=["select", "typed"])
@pytest.mark.parametrize("data", FILLED_IN)
@pytest.mark.parametrize("suggestions", [True, False])
def test_role_columns_render_what_crispys_columns_render(
    starter_content, monkeypatch, typed, data, suggestions
):
    from roles import forms as role_forms
    from roles.forms import GuideFilterForm

    if typed:  # boxes to type in, as at a thousand roles
        monkeypatch.setattr(role_forms, "PICKER_SELECT_MAX", 3)
    roles = picker_roles(AnonymousUser())

    def forms_():
        compare = CompareForm(
            data, roles=roles, initial={"a": "scrum-master"}, suggestions=suggestions
        )
        guide_data = data and {"from": data["a"], "to": data.get("b", "")}
        return [compare, GuideFilterForm(guide_data, roles=roles)]

    for ours, theirs in zip(forms_(), map(_with_crispys_columns, forms_()), strict=True):
        ours.is_valid(), theirs.is_valid()
        assert ours.typed == theirs.typed == typed
        html = _crispy(ours)
        assert html == _crispy(theirs)
        field_errors = any(ours[name].errors for name in ours.fields)
        assert field_errors == ("is-invalid" in html)


def test_a_role_column_leaves_what_it_does_not_write_to_crispy(starter_content):
    """A required field (an asterisk), a hidden label: crispy's own templates, as before."""
    form = CompareForm(roles=picker_roles(AnonymousUser()))
    form.fields["a"].required = True
    form.helper.form_show_labels = False
    theirs = _with_crispys_columns(CompareForm(roles=picker_roles(AnonymousUser())))
    theirs.fields["a"].required = True
    theirs.helper.form_show_labels = False
    assert _crispy(form) == _crispy(theirs)
    assert 'for="id_a"' not in _crispy(form)


@pytest.mark.parametrize("value", [None, "", "Project manager", 'a "quoted" <b>name</b>', 7])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "textinput form-control", "id": "id_a", "maxlength": 120, "list": "role-names"},
        {"disabled": False, "required": True, "aria-describedby": 'x"y'},
    ],
)
def test_our_text_input_renders_what_input_html_renders(value, attrs):
    django, quick = (
        forms.TextInput(attrs={"autocomplete": "off"}),
        widgets.TextInput(attrs={"autocomplete": "off"}),
    )
    assert quick.render("a", value, attrs) == django.render("a", value, attrs)
    assert quick.__class__.__name__ == "TextInput"  # crispy's class for it: textinput
