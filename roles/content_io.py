"""Content documents in and out of the database (the shape is in docs/CONTENT.md).

One importer serves the starter loader (add what is missing, never overwrite an editor's change)
and `import_content` (create or update every record the document names, matched by slug or
natural key; records it does not name are left alone). The exporter writes the same shape, every
field the importer reads, in a fixed order, so export, import into an empty database and export
again gives the same bytes.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import reversion
import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils.text import slugify

from roles.caching import content_changed
from roles.models import (
    FAQ,
    Comparison,
    ComparisonSection,
    Criterion,
    Family,
    Guide,
    GuideStep,
    Reference,
    Role,
    RoleCriterionValue,
    RoleSkill,
    Skill,
)

STARTER_CONTENT_DIR = Path(__file__).resolve().parent / "content" / "starter"
DOCUMENT_KEYS = (
    "families",
    "skills",
    "criteria",
    "roles",
    "comparisons",
    "guides",
    "faqs",
    "references",
)
# Documents exported before guides had one name call the section "transitions"; they still import.
LEGACY_KEYS = {"transitions": "guides"}


# --- The field tables: one per content model, read by the importer and the exporter alike ---

# The document's name for each plain field is the model's; the kind is what the document holds
# (a list of text is stored one per line). Relations and children are the document's structure:
# a role's values and skills, a comparison's roles and sections, a guide's roles and steps, and
# the FAQs and references of either; the code below the tables handles those.
FIELDS: dict[type, tuple[tuple[str, type], ...]] = {
    Family: (
        ("slug", str),
        ("name", str),
        ("position", int),
        ("description", str),
        ("soc_major_group", str),
    ),
    Skill: (("name", str), ("slug", str), ("published", bool)),
    Criterion: (
        ("slug", str),
        ("name", str),
        ("question", str),
        ("position", int),
        ("published", bool),
    ),
    Role: (
        ("slug", str),
        ("name", str),
        ("family", str),
        ("summary", str),
        ("description", str),
        ("alternative_titles", list),
        ("published", bool),
        ("onet_code", str),
        ("pay_median_override", int),
        ("pay_p10_override", int),
        ("pay_p90_override", int),
        ("pay_hidden", bool),
        ("pay_note", str),
        ("reviewed_on", datetime.date),
    ),
    RoleCriterionValue: (("value", str), ("detail", str)),
    RoleSkill: (("importance", int),),
    Comparison: (
        ("title", str),
        ("intro", str),
        ("key_differences", list),
        ("choose_if", str),
        ("verdict", str),
        ("published", bool),
        ("reviewed_on", datetime.date),
    ),
    ComparisonSection: (("body", str),),
    Guide: (
        ("summary", str),
        ("difficulty", str),
        ("months_min", int),
        ("months_max", int),
        ("published", bool),
        ("reviewed_on", datetime.date),
    ),
    GuideStep: (("position", int), ("title", str), ("body", str)),
    FAQ: (
        ("question", str),
        ("slug", str),
        ("answer", str),
        ("position", int),
        ("published", bool),
        ("reviewed_on", datetime.date),
    ),
    Reference: (("title", str), ("url", str), ("position", int), ("published", bool)),
}


def _fields(model, *, without: tuple[str, ...] = ()) -> tuple[tuple[str, type], ...]:
    return tuple((name, kind) for name, kind in FIELDS[model] if name not in without)


def _fields_out(obj, *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """The document's values of one row's plain fields, in the table's order."""
    out = {}
    for name, kind in _fields(type(obj), without=without):
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)  # a relation by its key: a role's family by slug
        if value is None:  # an optional link not made (a role's O*NET-SOC code)
            continue
        if kind is list:
            value = [line.strip() for line in value.splitlines() if line.strip()]
        elif kind is datetime.date:
            value = value.isoformat()  # JSON has no dates; YAML reads this back as one
        out[name] = value
    return out


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # the starter content is about 0.1 MB
MAX_ECHOED = 120  # characters of a value that an error message repeats


def _brief(text: object, limit: int = MAX_ECHOED) -> str:
    text = str(text)
    if len(text) <= limit:
        return text
    suffix = f"… ({len(text):,} characters)"
    return text[: limit - len(suffix)] + suffix  # at most `limit`, so a second pass keeps it


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: `*name` repeats a node, and a few lines of them expand to billions
    of nodes ("billion laughs"). Content files never need one, so the first is refused."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in content files", mark
            )
        return super().compose_node(parent, index)


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader, less aliases


class ContentError(Exception):
    """Records in a content document that cannot be imported; each names the record and field.

    `record` and `field` are the first problem's; `problems` lists every one found.
    """

    def __init__(self, record: str, field_name: str, message: str):
        # A document can hold anything, of any size: what a message repeats of it is kept short.
        self.record = _brief(record)
        self.field = _brief(field_name)
        self.message = _brief(message, MAX_ECHOED * 2)
        self.problems: list[ContentError] = [self]
        super().__init__(f"{self.record}: {self.field}: {self.message}")

    @classmethod
    def several(cls, problems: list["ContentError"]) -> "ContentError":
        first = problems[0]
        error = cls(first.record, first.field, first.message)
        error.problems = list(problems)
        if len(problems) > 1:
            lines = "\n".join(f"  {problem}" for problem in problems)
            error.args = (f"{len(problems)} records cannot be imported:\n{lines}",)
        return error


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    dry_run: bool = False
    update: bool = False
    singular: dict[str, str] = field(default_factory=dict)  # plural name -> singular

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        if not self.changed:
            if self.update:
                return "Nothing to change: the database already matches the document."
            return "Nothing to add: all content is already there."
        sentences = []
        verbs = ("would add", "would update") if self.dry_run else ("added", "updated")
        for verb, counts in zip(verbs, (self.created, self.updated), strict=True):
            if counts:
                parts = ", ".join(
                    f"{count} {name if count != 1 else self.singular.get(name, name)}"
                    for name, count in sorted(counts.items())
                )
                sentences.append(f"{verb} {parts}")
        text = "; ".join(sentences)
        return text[0].upper() + text[1:] + "."


# --- Reading documents ---


def content_read_directory(directory: Path) -> dict[str, list]:
    """Merge every YAML file of a directory, in file-name order, into one content document."""
    document: dict[str, list] = {key: [] for key in DOCUMENT_KEYS}
    for path in sorted(directory.glob("*.yaml")):
        part = _parse(path, _load_yaml, "YAML")
        if not isinstance(part, dict):
            raise ContentError(path.name, "file", "the top level must be a mapping")
        for key, items in part.items():
            key = LEGACY_KEYS.get(key, key)
            if key not in document:
                raise ContentError(path.name, key, f"unknown section; use one of {DOCUMENT_KEYS}")
            if not isinstance(items, list):
                raise ContentError(path.name, key, "must be a list")
            document[key].extend(items)
    return document


def content_read_file(path: Path) -> dict[str, Any]:
    """A JSON document (what export_content writes), a YAML file, or a directory of YAML files."""
    if path.is_dir():
        return content_read_directory(path)
    if not path.is_file():
        raise ContentError(str(path), "file", "no such file")
    if path.suffix.lower() in {".yaml", ".yml"}:
        document = _parse(path, _load_yaml, "YAML")
    else:
        document = _parse(path, json.loads, "JSON")
    if not isinstance(document, dict):
        raise ContentError(path.name, "file", "the top level must be a mapping of sections")
    return document


def _parse(path: Path, loader, kind: str) -> Any:
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise ContentError(
            path.name, "file", f"is {size:,} bytes; a content file may have {MAX_DOCUMENT_BYTES:,}"
        )
    try:
        return loader(path.read_text(encoding="utf-8")) or {}
    except (ValueError, yaml.YAMLError) as exc:  # JSONDecodeError and UnicodeError are ValueErrors
        raise ContentError(path.name, "file", f"not valid {kind} ({exc})") from exc
    except RecursionError as exc:
        raise ContentError(path.name, "file", f"not valid {kind} (nested too deeply)") from exc


# --- Import ---


def content_import(
    *, data: dict[str, Any], dry_run: bool = False, update: bool = False, comment: str = ""
) -> ImportReport:
    """Validate and write a whole document in one transaction: one bad record, nothing changes.

    Every record is checked (in a savepoint of its own) before anything is kept, so the error
    lists every bad record with its field, not just the first. Existing records are matched by
    slug (or by their natural key for children). Without `update` only what the database lacks is
    added, which keeps editors' changes (the starter loader); with it every record the document
    names takes the document's values for the fields it gives, so importing the same file twice
    changes nothing. A dry run does all of it and rolls the transaction back.
    """
    report = ImportReport(dry_run=dry_run, update=update)
    with transaction.atomic():
        with reversion.create_revision():
            reversion.set_comment(comment or "Imported content")
            _Importer(report, update=update).run(data)
        if dry_run:
            transaction.set_rollback(True)
        elif report.changed:
            content_changed()
    return report


class _Importer:
    def __init__(self, report: ImportReport, *, update: bool):
        self.report = report
        self.update = update
        self.problems: list[ContentError] = []
        self.criteria: dict[str, Criterion] = {}
        self.skills: dict[str, Skill] = {}  # by name and by slug
        self.roles: dict[str, Role] = {}
        self.families: dict[str, Family] = {}

    def run(self, data: dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise ContentError("document", "top level", "must be a mapping")
        data = {LEGACY_KEYS.get(key, key): value for key, value in data.items()}
        unknown = set(data) - set(DOCUMENT_KEYS)
        if unknown:
            raise ContentError("document", ", ".join(sorted(unknown)), "unknown section")
        nul = _nul_problems(data)
        if nul:
            raise ContentError.several(nul)
        for index, item in enumerate(_list(data, "families", "document"), start=1):
            self.record(self.family, item, index)
        for item in _list(data, "skills", "document"):
            self.record(self.skill, item)
        for index, item in enumerate(_list(data, "criteria", "document"), start=1):
            self.record(self.criterion, item, index)
        self.criteria.update({c.slug: c for c in Criterion.objects.all()})
        for item in _list(data, "roles", "document"):
            self.record(self.role, item)
        for item in _list(data, "comparisons", "document"):
            self.record(self.comparison, item)
        for item in _list(data, "guides", "document"):
            self.record(self.guide, item)
        for index, item in enumerate(_list(data, "faqs", "document"), start=1):
            self.record(self.faq, item, index, record="faqs", topic={})
        for index, item in enumerate(_list(data, "references", "document"), start=1):
            self.record(self.reference, item, index, record="references", topic={})
        if self.problems:
            raise ContentError.several(self.problems)

    def record(self, method, item, *args, **kwargs) -> None:
        """One top-level record in a savepoint: a bad one is noted and the others still checked."""
        try:
            with transaction.atomic():
                method(item, *args, **kwargs)
        except ContentError as exc:
            self.problems.append(exc)
        except (TypeError, ValueError, AttributeError) as exc:  # a shape no check foresaw
            label = item.get("slug") if isinstance(item, dict) else item
            self.problems.append(
                ContentError(f"{method.__name__}[{label}]", "record", f"malformed ({exc})")
            )

    # --- writing one row ---

    def write(self, instance, values: dict, record: str, *, exclude=None, new: dict | None = None):
        """Create `instance` (with `values` and `new`), or bring an existing one up to `values`.

        Returns whether the row changed. An existing row changes only in update mode, and only
        in the fields the document gives (`values`); `new` holds defaults used on creation.
        """
        name = str(instance._meta.verbose_name_plural)
        self.report.singular[name] = str(instance._meta.verbose_name)
        if instance.pk is not None:
            changed = {
                key: value for key, value in values.items() if _differs(instance, key, value)
            }
            if not self.update or not changed:
                self.report.unchanged[name] += 1
                return False
            values = changed
        else:
            values = {**(new or {}), **values}
        for key, value in values.items():
            setattr(instance, key, value)
        creating = instance.pk is None
        try:
            _validate(instance, exclude)
            instance.save()
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            if field_name == NON_FIELD_ERRORS:
                field_name = "record"
            raise ContentError(record, field_name, " ".join(messages)) from exc
        except IntegrityError as exc:
            raise ContentError(record, "record", f"the database refused it ({exc})") from exc
        (self.report.created if creating else self.report.updated)[name] += 1
        return True

    def role_by_slug(self, slug: Any, record: str, field_name: str) -> Role:
        if slug not in self.roles:
            role = Role.objects.filter(slug=slug).first() if isinstance(slug, str) else None
            if role is None:
                raise ContentError(record, field_name, f"no role with slug {slug!r}")
            self.roles[slug] = role
        return self.roles[slug]

    def family_by_slug(self, slug: Any, record: str) -> Family:
        if slug not in self.families:
            family = Family.objects.filter(slug=slug).first() if isinstance(slug, str) else None
            if family is None:
                raise ContentError(record, "family", f"no family with slug {slug!r}")
            self.families[slug] = family
        return self.families[slug]

    def criterion_by_slug(self, slug: Any, record: str) -> Criterion:
        if slug not in self.criteria:
            raise ContentError(record, str(slug), "no criterion with this slug")
        return self.criteria[slug]

    def skill_by_name(self, name: Any, record: str) -> Skill:
        name = str(name)
        if name not in self.skills:
            skill = Skill.objects.filter(Q(name=name) | Q(slug=slugify(name))).first()
            if skill is None:
                raise ContentError(record, name, "not in the skill vocabulary (top-level skills)")
            self.skills[name] = skill
        return self.skills[name]

    # --- records ---

    def skill(self, item: Any) -> None:
        if isinstance(item, str):
            item = {"name": item}
        item = _mapping(item, "skills[?]")
        name = item.get("name")
        record = f"skills[{name}]"
        if not isinstance(name, str) or not name.strip():
            raise ContentError(record, "name", "a skill is a non-empty name")
        name = name.strip()
        slug = item.get("slug") or slugify(name)
        skill = Skill.objects.filter(slug=slug).first() or Skill(slug=slug)
        values = {"name": name, **_given(item, record, _fields(Skill, without=("name", "slug")))}
        self.write(skill, values, record, new={"published": True})
        # By the document's name too: an editor may have renamed the skill, or the document
        # renamed it under the same slug, and roles name it as the document does.
        self.skills[name] = self.skills[skill.name] = self.skills[skill.slug] = skill

    def family(self, item: Any, index: int) -> None:
        item = _mapping(item, f"families[{index}]")
        slug = item.get("slug")
        record = f"families[{slug}]"
        family = (
            Family.objects.filter(slug=slug).first() if isinstance(slug, str) else None
        ) or Family(slug=slug or "")
        values = _given(item, record, _fields(Family, without=("slug",)))
        self.write(family, values, record, new={"position": index})
        self.families[family.slug] = family

    def criterion(self, item: Any, index: int) -> None:
        item = _mapping(item, f"criteria[{index}]")
        slug = item.get("slug")
        record = f"criteria[{slug}]"
        criterion = Criterion.objects.filter(slug=slug).first() or Criterion(slug=slug or "")
        values = _given(item, record, _fields(Criterion, without=("slug",)))
        self.write(criterion, values, record, new={"position": index, "published": True})
        self.criteria[criterion.slug] = criterion

    def role(self, item: Any) -> None:
        item = _mapping(item, "roles[?]")
        slug = item.get("slug")
        record = f"roles[{slug}]"
        role = (Role.objects.filter(slug=slug).first() if isinstance(slug, str) else None) or Role(
            slug=slug or ""
        )
        values = _given(item, record, _fields(Role, without=("slug",)))
        if "family" in values:
            values["family"] = self.family_by_slug(values["family"], record)
        changed = self.write(role, values, record, new={"published": False})
        self.roles[role.slug] = role

        values_have = {
            value.criterion.slug: value
            for value in role.criterion_values.select_related("criterion")
        }
        for criterion_slug, cell in _dict(item, "values", record).items():
            child = f"{record}.values.{criterion_slug}"
            criterion = self.criterion_by_slug(criterion_slug, f"{record}.values")
            cell = _mapping(cell, child)
            row = values_have.get(criterion_slug) or RoleCriterionValue(
                role=role, criterion=criterion
            )
            changed |= self.write(row, _given(cell, child, _fields(RoleCriterionValue)), child)

        skills_have = {role_skill.skill_id: role_skill for role_skill in role.role_skills.all()}
        for name, importance in _dict(item, "skills", record).items():
            skill = self.skill_by_name(name, f"{record}.skills")
            row = skills_have.get(skill.pk) or RoleSkill(role=role, skill=skill)
            child = f"{record}.skills.{name}"
            values = _given({"importance": importance}, child, _fields(RoleSkill))
            changed |= self.write(row, values, child)
        if changed:
            reversion.add_to_revision(role)

    def comparison(self, item: Any) -> None:
        item = _mapping(item, "comparisons[?]")
        pair = item.get("roles")
        record = f"comparisons[{pair}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise ContentError(record, "roles", "give exactly two role slugs")
        role_a, role_b = sorted(
            (self.role_by_slug(slug, record, "roles") for slug in pair), key=lambda r: r.slug
        )
        if role_a == role_b:
            raise ContentError(record, "roles", "a role cannot be compared with itself")
        comparison = Comparison.objects.for_pair(role_a, role_b).first() or Comparison(
            role_a=role_a, role_b=role_b
        )
        values = _given(item, record, _fields(Comparison))
        changed = self.write(comparison, values, record, exclude=["slug"], new={"published": False})
        record = f"comparisons[{comparison.slug}]"
        have = {
            section.criterion.slug: section
            for section in comparison.sections.select_related("criterion")
        }
        for criterion_slug, body in _dict(item, "sections", record).items():
            criterion = self.criterion_by_slug(criterion_slug, f"{record}.sections")
            row = have.get(criterion_slug) or ComparisonSection(
                comparison=comparison, criterion=criterion
            )
            child = f"{record}.sections.{criterion_slug}"
            changed |= self.write(
                row, _given({"body": body}, child, _fields(ComparisonSection)), child
            )
        changed |= self.topic_children(item, record, {"comparison": comparison})
        if changed:
            reversion.add_to_revision(comparison)

    def guide(self, item: Any) -> None:
        item = _mapping(item, "guides[?]")
        record = f"guides[{item.get('from')}-to-{item.get('to')}]"
        from_role = self.role_by_slug(item.get("from"), record, "from")
        to_role = self.role_by_slug(item.get("to"), record, "to")
        if from_role == to_role:
            raise ContentError(record, "to", "a guide needs two different roles")
        guide = Guide.objects.filter(from_role=from_role, to_role=to_role).first()
        guide = guide or Guide(from_role=from_role, to_role=to_role)
        values = _given(item, record, _fields(Guide))
        months_min = values.get("months_min", guide.months_min)
        months_max = values.get("months_max", guide.months_max)
        if months_min > months_max:
            raise ContentError(record, "months_max", "must not be less than months_min")
        changed = self.write(guide, values, record, exclude=["slug"], new={"published": False})
        have = {step.position: step for step in guide.steps.all()}
        for index, step in enumerate(_list(item, "steps", record), start=1):
            step = _mapping(step, f"{record}.steps[{index}]")
            child = f"{record}.steps[{index}]"
            values = _given(step, child, _fields(GuideStep))
            position = values.pop("position", index)
            row = have.get(position) or GuideStep(guide=guide, position=position)
            changed |= self.write(row, values, child)
        changed |= self.topic_children(item, record, {"guide": guide})
        if changed:
            reversion.add_to_revision(guide)

    def topic_children(self, item: dict, record: str, topic: dict) -> bool:
        changed = False
        for index, faq in enumerate(_list(item, "faqs", record), start=1):
            changed |= self.faq(faq, index, record=f"{record}.faqs", topic=topic)
        for index, ref in enumerate(_list(item, "references", record), start=1):
            changed |= self.reference(ref, index, record=f"{record}.references", topic=topic)
        return changed

    def faq(self, item: Any, index: int, *, record: str, topic: dict) -> bool:
        item = _mapping(item, f"{record}[{index}]")
        question = item.get("question") or ""
        slug = item.get("slug") or slugify(question)[:120].strip("-")
        record = f"{record}[{slug or index}]"
        faq = FAQ.objects.filter(slug=slug).first() or FAQ(slug=slug)
        values = _given(item, record, _fields(FAQ, without=("slug",)))
        values.update({"comparison": None, "guide": None, **topic})
        return self.write(faq, values, record, new={"position": index, "published": True})

    def reference(self, item: Any, index: int, *, record: str, topic: dict) -> bool:
        item = _mapping(item, f"{record}[{index}]")
        record = f"{record}[{index}]"
        topic = {"comparison": None, "guide": None, **topic}
        url = item.get("url", "")
        reference = Reference.objects.filter(url=url, **topic).first() or Reference(
            url=url, **topic
        )
        values = _given(item, record, _fields(Reference, without=("url",)))
        return self.write(reference, values, record, new={"position": index, "published": True})


KIND_NAMES = {
    str: "text",
    bool: "true or false",
    int: "a whole number",
    list: "a list of text",
    datetime.date: "a date such as 2026-03-14",
}


def _given(item: dict, record: str, fields: tuple[tuple[str, type], ...]) -> dict:
    """The fields that the document gives, checked against their kind (empty text may be null)."""
    values = {}
    for name, kind in fields:
        if name not in item:
            continue
        value = item[name]
        if kind is str and value is None:
            value = ""
        if kind is list:
            ok = isinstance(value, list) and all(isinstance(title, str) for title in value)
            if ok:  # stored one per line, as the models' save() normalises them
                value = "\n".join(title.strip() for title in value if title.strip())
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif kind is datetime.date:
            value, ok = _date(value)
        else:
            ok = isinstance(value, kind)
        if not ok:
            raise ContentError(record, name, f"must be {KIND_NAMES[kind]}")
        values[name] = value
    return values


def _date(value) -> tuple[datetime.date | None, bool]:
    """A date as YAML reads one, or as JSON carries one (an ISO 8601 string); null for none."""
    if value is None:
        return None, True
    if isinstance(value, datetime.datetime):
        return None, False
    if isinstance(value, datetime.date):
        return value, True
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value), True
        except ValueError:
            return None, False
    return None, False


def _nul_problems(document: Any) -> list[ContentError]:
    """Text holding the NUL character, anywhere in the document. The admin's forms refuse it and
    PostgreSQL cannot store it, nor even look it up, so it is refused before anything else."""
    problems = []
    stack = [("document", "", document)]  # iterative: a document may nest deeply
    while stack:
        record, name, value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                problems.append(ContentError(record, name, "must not contain the NUL character"))
            continue
        where = record + ("" if not name else name if name.startswith("[") else f".{name}")
        if isinstance(value, dict):
            for key, item in value.items():
                label = str(key).replace("\x00", "\\x00")
                stack.append((where, label, item))
                if isinstance(key, str):
                    stack.append((where, label, key))
        elif isinstance(value, list):
            stack.extend((where, f"[{index}]", item) for index, item in enumerate(value))
    return sorted(problems, key=str)


def _validate(instance, exclude) -> None:
    """Model.full_clean(), less one query per foreign key: the importer took them from the
    database itself. Unique and check constraints are still all validated."""
    skip = set(exclude or ())
    related = {field.name for field in instance._meta.concrete_fields if field.is_relation}
    instance.clean_fields(exclude=skip | related)
    instance.clean()
    instance.validate_unique(exclude=skip)
    instance.validate_constraints(exclude=skip)


def _differs(instance, key: str, value: Any) -> bool:
    field = instance._meta.get_field(key)
    if field.is_relation:
        key = getattr(value, field.target_field.attname) if value is not None else None
        return getattr(instance, field.attname) != key
    return getattr(instance, key) != value


def _mapping(value: Any, record: str) -> dict:
    if not isinstance(value, dict):
        raise ContentError(record, "record", "must be a mapping of fields")
    return value


def _list(item: dict, key: str, record: str) -> list:
    value = item.get(key) or []
    if not isinstance(value, list):
        raise ContentError(record, key, "must be a list")
    return value


def _dict(item: dict, key: str, record: str) -> dict:
    value = item.get(key) or {}
    if not isinstance(value, dict):
        raise ContentError(record, key, "must be a mapping")
    return value


# --- Export ---


def content_export() -> str:
    """All content as one JSON document, in the shape content_import reads."""
    return document_dumps(export_document())


def export_document() -> dict[str, list]:
    """Every content record, in the document shape, in an order that depends on the data only."""
    return {
        "families": [
            _fields_out(family) for family in Family.objects.order_by("position", "name", "slug")
        ],
        "skills": [_skill_out(skill) for skill in Skill.objects.order_by("name", "slug")],
        "criteria": [
            _fields_out(criterion)
            for criterion in Criterion.objects.order_by("position", "name", "slug")
        ],
        "roles": [_role_out(role) for role in _roles_for_export()],
        "comparisons": [_comparison_out(c) for c in _topics_for_export(Comparison)],
        "guides": [_guide_out(p) for p in _topics_for_export(Guide)],
        "faqs": [
            _faq_out(faq)
            for faq in FAQ.objects.filter(comparison=None, guide=None).order_by(
                "position", "question", "slug"
            )
        ],
        "references": [
            _reference_out(reference)
            for reference in Reference.objects.filter(comparison=None, guide=None).order_by(
                "position", "title", "url", "pk"
            )
        ],
    }


def document_dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _skill_out(skill: Skill) -> str | dict:
    if skill.published and skill.slug == slugify(skill.name):
        return skill.name
    return _fields_out(skill)


def _roles_for_export():
    return Role.objects.order_by("slug").prefetch_related(
        Prefetch(
            "criterion_values",
            queryset=RoleCriterionValue.objects.select_related("criterion").order_by(
                "criterion__position", "criterion__name", "criterion__slug"
            ),
        ),
        Prefetch(
            "role_skills",
            queryset=RoleSkill.objects.select_related("skill").order_by(
                "-importance", "skill__name"
            ),
        ),
    )


def _role_out(role: Role) -> dict:
    return {
        **_fields_out(role),
        "values": {
            value.criterion.slug: _fields_out(value) for value in role.criterion_values.all()
        },
        "skills": {
            role_skill.skill.name: role_skill.importance for role_skill in role.role_skills.all()
        },
    }


def _topics_for_export(model):
    related = ["role_a", "role_b"] if model is Comparison else ["from_role", "to_role"]
    prefetch = [
        Prefetch("faqs", queryset=FAQ.objects.order_by("position", "question", "slug")),
        Prefetch("references", queryset=Reference.objects.order_by("position", "title", "url")),
    ]
    if model is Comparison:
        sections = ComparisonSection.objects.select_related("criterion").order_by(
            "criterion__position", "criterion__name", "criterion__slug"
        )
        prefetch.append(Prefetch("sections", queryset=sections))
    else:
        prefetch.append(Prefetch("steps", queryset=GuideStep.objects.order_by("position")))
    return model.objects.order_by("slug").select_related(*related).prefetch_related(*prefetch)


def _comparison_out(comparison: Comparison) -> dict:
    return {
        "roles": [role.slug for role in comparison.roles],
        **_fields_out(comparison),
        "sections": {section.criterion.slug: section.body for section in comparison.sections.all()},
        "faqs": [_faq_out(faq) for faq in comparison.faqs.all()],
        "references": [_reference_out(reference) for reference in comparison.references.all()],
    }


def _guide_out(guide: Guide) -> dict:
    return {
        "from": guide.from_role.slug,
        "to": guide.to_role.slug,
        **_fields_out(guide),
        "steps": [_fields_out(step) for step in guide.steps.all()],
        "faqs": [_faq_out(faq) for faq in guide.faqs.all()],
        "references": [_reference_out(reference) for reference in guide.references.all()],
    }


def _faq_out(faq: FAQ) -> dict:
    return _fields_out(faq)


def _reference_out(reference: Reference) -> dict:
    return _fields_out(reference)
