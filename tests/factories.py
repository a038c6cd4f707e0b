import factory
from django.contrib.auth import get_user_model

from roles import models
from tests.helpers import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"reader{n}")
    password = factory.django.Password(PASSWORD)


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Family

    name = factory.Sequence(lambda n: f"Family {n:03d}")
    slug = factory.Sequence(lambda n: f"family-{n:03d}")
    position = factory.Sequence(lambda n: 100 + n)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Role

    name = factory.Sequence(lambda n: f"Role {n:04d}")
    slug = factory.Sequence(lambda n: f"role-{n:04d}")
    summary = factory.Faker("sentence")
    description = factory.Faker("paragraph")
    family_id = "delivery"
    published = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("family"), str):  # RoleFactory(family="operations")
            kwargs["family_id"] = kwargs.pop("family")
        return kwargs


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Criterion

    name = factory.Sequence(lambda n: f"Criterion {n:02d}")
    slug = factory.Sequence(lambda n: f"criterion-{n:02d}")
    question = factory.Faker("sentence")
    position = factory.Sequence(lambda n: n + 1)
    published = True


class RoleCriterionValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleCriterionValue

    role = factory.SubFactory(RoleFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = factory.Faker("sentence", nb_words=4)
    detail = factory.Faker("sentence")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Skill

    name = factory.Sequence(lambda n: f"Skill {n:03d}")
    slug = factory.Sequence(lambda n: f"skill-{n:03d}")


class RoleSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleSkill

    role = factory.SubFactory(RoleFactory)
    skill = factory.SubFactory(SkillFactory)
    importance = 3


class ComparisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Comparison

    role_a = factory.SubFactory(RoleFactory)
    role_b = factory.SubFactory(RoleFactory)
    title = factory.LazyAttribute(lambda o: f"{o.role_a.name} vs {o.role_b.name}")
    intro = factory.Faker("paragraph")
    verdict = factory.Faker("paragraph")
    published = True


class ComparisonSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ComparisonSection

    comparison = factory.SubFactory(ComparisonFactory)
    criterion = factory.SubFactory(CriterionFactory)
    body = factory.Faker("paragraph")


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Guide

    from_role = factory.SubFactory(RoleFactory)
    to_role = factory.SubFactory(RoleFactory)
    summary = factory.Faker("sentence")
    months_min = 3
    months_max = 9
    published = True


class GuideStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GuideStep

    guide = factory.SubFactory(GuideFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Faker("sentence", nb_words=4)
    body = factory.Faker("paragraph")


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FAQ

    question = factory.Sequence(lambda n: f"Question number {n}?")
    slug = factory.Sequence(lambda n: f"question-number-{n}")
    answer = factory.Faker("paragraph")


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Reference

    title = factory.Faker("company")
    url = factory.Sequence(lambda n: f"https://example.org/{n}")


class BookmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Bookmark

    user = factory.SubFactory(UserFactory)
    guide = factory.SubFactory(GuideFactory)


# --- Imported occupation data (what the O*NET import creates) ---


class JobZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.JobZone
        django_get_or_create = ["number"]

    number = 4
    name = "Considerable preparation needed"
    experience = "A minimum of two to four years of work-related experience."
    education = "Most of these occupations require a four-year bachelor's degree."
    source = models.Source.ONET
    release = "30.1"


class OnetElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OnetElement
        django_get_or_create = ["element_id"]

    element_id = factory.Sequence(lambda n: f"2.A.9.{n}")
    name = factory.Sequence(lambda n: f"O*NET skill {n:02d}")
    kind = models.ElementKind.SKILL
    source = models.Source.ONET
    release = "30.1"


class RoleRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleRating

    role = factory.SubFactory(RoleFactory)
    element = factory.SubFactory(OnetElementFactory)
    importance = "3.50"
    source = models.Source.ONET
    release = "30.1"


class RoleTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleTitle

    role = factory.SubFactory(RoleFactory)
    title = factory.Sequence(lambda n: f"Other title {n:04d}")
    source = models.Source.ONET
    release = "30.1"


class RoleTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleTask

    role = factory.SubFactory(RoleFactory)
    task_id = factory.Sequence(lambda n: 1000 + n)
    statement = factory.Faker("sentence")
    task_type = models.TaskType.CORE
    source = models.Source.ONET
    release = "30.1"


class RoleTechnologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleTechnology

    role = factory.SubFactory(RoleFactory)
    example = factory.Sequence(lambda n: f"Software {n:03d}")
    commodity_title = "Project management software"
    source = models.Source.ONET
    release = "30.1"


class RelatedRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RelatedRole

    role = factory.SubFactory(RoleFactory)
    related = factory.SubFactory(RoleFactory)
    tier = models.RelatednessTier.PRIMARY_SHORT
    index = factory.Sequence(lambda n: n % 20 + 1)
    source = models.Source.ONET
    release = "30.1"
