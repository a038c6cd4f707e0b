import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture
def starter_content(db):
    """The real starter content, loaded the way `make run` loads it."""
    call_command("load_starter_content", verbosity=0)


@pytest.fixture
def criteria(db):
    return factories.CriterionFactory.create_batch(10)


@pytest.fixture
def make_role(criteria):
    """A published role with a value for every criterion and a few skills."""

    def make(**kwargs):
        role = factories.RoleFactory(**kwargs)
        for criterion in criteria:
            factories.RoleCriterionValueFactory(role=role, criterion=criterion)
        return role

    return make


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(username="editor", is_staff=True)


@pytest.fixture
def reader(db):
    return factories.UserFactory(username="reader")
