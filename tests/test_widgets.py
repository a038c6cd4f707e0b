"""roles/widgets.py renders what Django's own widget templates render."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser

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


def test_the_role_pickers_use_it(client, starter_content):
    """At starter size every picker is a select of every role: the quick one."""
    form = CompareForm(roles=picker_roles(AnonymousUser()))
    assert all(isinstance(form.fields[name].widget, widgets.Select) for name in "abcd")
