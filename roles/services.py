"""Writes that touch several rows or race with each other: the reader's bookmarks and progress,
and content import (used by the starter loader too)."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from roles.models import (
    FAQ,
    Bookmark,
    Comparison,
    ComparisonSection,
    Criterion,
    Reference,
    Role,
    RoleCriterionValue,
    RoleSkill,
    Skill,
    StepProgress,
    TransitionPath,
    TransitionStep,
)

# --- The reader's own state ---


def bookmark_toggle(*, user, path: TransitionPath, bookmarked: bool | None = None) -> bool:
    """Bookmark or un-bookmark a guide; return whether it is bookmarked now.

    With `bookmarked` given the call is idempotent (a double-submitted form changes nothing more);
    without it the state flips. Simultaneous requests are safe: the unique constraint decides, and
    a lost race to create is the same outcome as winning it.
    """
    if bookmarked is None:
        bookmarked = not Bookmark.objects.filter(user=user, path=path).exists()
    if bookmarked:
        try:
            with transaction.atomic():
                Bookmark.objects.get_or_create(user=user, path=path)
        except IntegrityError:
            pass  # another request created it first
    else:
        Bookmark.objects.filter(user=user, path=path).delete()
    return bookmarked


def step_progress_toggle(*, user, step: TransitionStep, completed: bool | None = None) -> bool:
    """Tick or untick one step for one reader; return whether it is completed now.

    Same contract as bookmark_toggle: explicit states are idempotent, races end in one row.
    """
    if completed is None:
        completed = not StepProgress.objects.filter(user=user, step=step, completed=True).exists()
    try:
        with transaction.atomic():
            StepProgress.objects.update_or_create(
                user=user, step=step, defaults={"completed": completed}
            )
    except IntegrityError:
        StepProgress.objects.filter(user=user, step=step).update(completed=completed)
    return completed


# --- Content import ---

STARTER_CONTENT_DIR = Path(__file__).resolve().parent / "content" / "starter"
DOCUMENT_KEYS = ("skills", "criteria", "roles", "comparisons", "transitions", "faqs")


class ContentError(Exception):
    """A record in a content document that cannot be imported; names the record and the field."""

    def __init__(self, record: str, field_name: str, message: str):
        self.record = record
        self.field = field_name
        super().__init__(f"{record}: {field_name}: {message}")


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    dry_run: bool = False

    def summary(self) -> str:
        if not self.created:
            return "Nothing to add: all content is already there."
        parts = [f"{count} {name}" for name, count in sorted(self.created.items())]
        return ("Would add " if self.dry_run else "Added ") + ", ".join(parts) + "."


class _DryRunRollback(Exception):
    pass


def content_read_directory(directory: Path) -> dict[str, list]:
    """Merge every YAML file of a directory, in file-name order, into one content document."""
    document: dict[str, list] = {key: [] for key in DOCUMENT_KEYS}
    for path in sorted(directory.glob("*.yaml")):
        try:
            part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ContentError(path.name, "file", f"not valid YAML ({exc})") from exc
        if not isinstance(part, dict):
            raise ContentError(path.name, "file", "the top level must be a mapping")
        for key, items in part.items():
            if key not in document:
                raise ContentError(path.name, key, f"unknown section; use one of {DOCUMENT_KEYS}")
            if not isinstance(items, list):
                raise ContentError(path.name, key, "must be a list")
            document[key].extend(items)
    return document


def content_import(*, data: dict[str, Any], dry_run: bool = False) -> ImportReport:
    """Add every record of the document that the database lacks; never change an existing one.

    Everything is validated as it is written inside one transaction, so one bad record leaves the
    database as it was. Existing records are matched by slug (or by their natural key for children)
    and left untouched, which keeps editors' changes and makes a second run a no-op.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _Importer(report).run(data)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


class _Importer:
    def __init__(self, report: ImportReport):
        self.report = report
        self.criteria: dict[str, Criterion] = {}
        self.skills: dict[str, Skill] = {}
        self.roles: dict[str, Role] = {}

    def run(self, data: dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise ContentError("document", "top level", "must be a mapping")
        unknown = set(data) - set(DOCUMENT_KEYS)
        if unknown:
            raise ContentError("document", ", ".join(sorted(unknown)), "unknown section")
        for name in _list(data, "skills", "document"):
            self.skill(name)
        for index, item in enumerate(_list(data, "criteria", "document"), start=1):
            self.criterion(item, index)
        self.criteria.update({c.slug: c for c in Criterion.objects.all()})
        for item in _list(data, "roles", "document"):
            self.role(item)
        for item in _list(data, "comparisons", "document"):
            self.comparison(item)
        for item in _list(data, "transitions", "document"):
            self.transition(item)
        for index, item in enumerate(_list(data, "faqs", "document"), start=1):
            self.faq(item, index, record="faqs", topic={})

    # --- helpers ---

    def _save_new(self, instance, record: str, exclude: list[str] | None = None):
        try:
            instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            raise ContentError(record, field_name, " ".join(messages)) from exc
        instance.save()
        self.report.created[instance._meta.verbose_name_plural] += 1
        return instance

    def _unchanged(self, instance) -> None:
        self.report.unchanged[instance._meta.verbose_name_plural] += 1

    def role_by_slug(self, slug: Any, record: str, field_name: str) -> Role:
        if slug not in self.roles:
            role = Role.objects.filter(slug=slug).first() if isinstance(slug, str) else None
            if role is None:
                raise ContentError(record, field_name, f"no role with slug {slug!r}")
            self.roles[slug] = role
        return self.roles[slug]

    def criterion_by_slug(self, slug: Any, record: str) -> Criterion:
        if slug not in self.criteria:
            raise ContentError(record, str(slug), "no criterion with this slug")
        return self.criteria[slug]

    # --- records ---

    def skill(self, name: Any) -> Skill:
        record = f"skills[{name}]"
        if not isinstance(name, str) or not name.strip():
            raise ContentError(record, "name", "a skill is a non-empty name")
        slug = slugify(name)
        existing = Skill.objects.filter(slug=slug).first()
        if existing:
            self._unchanged(existing)
            self.skills[slug] = existing
        else:
            self.skills[slug] = self._save_new(Skill(name=name.strip(), slug=slug), record)
        return self.skills[slug]

    def criterion(self, item: Any, position: int) -> None:
        item = _mapping(item, f"criteria[{position}]")
        slug = item.get("slug")
        record = f"criteria[{slug}]"
        existing = Criterion.objects.filter(slug=slug).first()
        if existing:
            self._unchanged(existing)
            return
        self._save_new(
            Criterion(
                slug=slug or "",
                name=item.get("name", ""),
                question=item.get("question", ""),
                position=position,
            ),
            record,
        )

    def role(self, item: Any) -> None:
        item = _mapping(item, "roles[?]")
        slug = item.get("slug")
        record = f"roles[{slug}]"
        role = Role.objects.filter(slug=slug).first() if isinstance(slug, str) else None
        if role:
            self._unchanged(role)
        else:
            titles = item.get("alternative_titles") or []
            if not isinstance(titles, list):
                raise ContentError(record, "alternative_titles", "must be a list of titles")
            role = self._save_new(
                Role(
                    slug=slug or "",
                    name=item.get("name", ""),
                    family=item.get("family", ""),
                    summary=item.get("summary", ""),
                    description=item.get("description", ""),
                    alternative_titles="\n".join(str(t) for t in titles),
                    published=bool(item.get("published", False)),
                ),
                record,
            )
        self.roles[role.slug] = role

        have = set(role.criterion_values.values_list("criterion__slug", flat=True))
        for criterion_slug, cell in _dict(item, "values", record).items():
            criterion = self.criterion_by_slug(criterion_slug, f"{record}.values")
            if criterion_slug in have:
                continue
            cell = _mapping(cell, f"{record}.values.{criterion_slug}")
            self._save_new(
                RoleCriterionValue(
                    role=role,
                    criterion=criterion,
                    value=cell.get("value", ""),
                    detail=cell.get("detail", ""),
                ),
                f"{record}.values.{criterion_slug}",
            )

        have = set(role.role_skills.values_list("skill__slug", flat=True))
        for name, importance in _dict(item, "skills", record).items():
            skill_slug = slugify(str(name))
            if skill_slug not in self.skills:
                self.skills.update({s.slug: s for s in Skill.objects.filter(slug=skill_slug)})
            if skill_slug not in self.skills:
                raise ContentError(
                    f"{record}.skills", str(name), "not in the skill vocabulary (top-level skills)"
                )
            if skill_slug in have:
                continue
            self._save_new(
                RoleSkill(role=role, skill=self.skills[skill_slug], importance=importance),
                f"{record}.skills.{name}",
            )

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
        comparison = Comparison.objects.for_pair(role_a, role_b).first()
        if comparison:
            self._unchanged(comparison)
        else:
            comparison = self._save_new(
                Comparison(
                    role_a=role_a,
                    role_b=role_b,
                    title=item.get("title", ""),
                    intro=item.get("intro", ""),
                    verdict=item.get("verdict", ""),
                    published=bool(item.get("published", False)),
                ),
                record,
                exclude=["slug"],
            )
        record = f"comparisons[{comparison.slug}]"
        have = set(comparison.sections.values_list("criterion__slug", flat=True))
        for criterion_slug, body in _dict(item, "sections", record).items():
            criterion = self.criterion_by_slug(criterion_slug, f"{record}.sections")
            if criterion_slug not in have:
                self._save_new(
                    ComparisonSection(comparison=comparison, criterion=criterion, body=body or ""),
                    f"{record}.sections.{criterion_slug}",
                )
        self.topic_children(item, record, {"comparison": comparison})

    def transition(self, item: Any) -> None:
        item = _mapping(item, "transitions[?]")
        record = f"transitions[{item.get('from')}-to-{item.get('to')}]"
        from_role = self.role_by_slug(item.get("from"), record, "from")
        to_role = self.role_by_slug(item.get("to"), record, "to")
        path = TransitionPath.objects.filter(from_role=from_role, to_role=to_role).first()
        if path:
            self._unchanged(path)
        else:
            path = self._save_new(
                TransitionPath(
                    from_role=from_role,
                    to_role=to_role,
                    summary=item.get("summary", ""),
                    difficulty=item.get("difficulty", ""),
                    months_min=item.get("months_min"),
                    months_max=item.get("months_max"),
                    published=bool(item.get("published", False)),
                ),
                record,
                exclude=["slug"],
            )
        have = set(path.steps.values_list("position", flat=True))
        for position, step in enumerate(_list(item, "steps", record), start=1):
            step = _mapping(step, f"{record}.steps[{position}]")
            if position not in have:
                self._save_new(
                    TransitionStep(
                        path=path,
                        position=position,
                        title=step.get("title", ""),
                        body=step.get("body", ""),
                    ),
                    f"{record}.steps[{position}]",
                )
        self.topic_children(item, record, {"transition": path})

    def topic_children(self, item: dict, record: str, topic: dict) -> None:
        for index, faq in enumerate(_list(item, "faqs", record), start=1):
            self.faq(faq, index, record=f"{record}.faqs", topic=topic)
        owner = next(iter(topic.values()))
        have = set(owner.references.values_list("url", flat=True))
        for index, ref in enumerate(_list(item, "references", record), start=1):
            ref = _mapping(ref, f"{record}.references[{index}]")
            if ref.get("url") in have:
                continue
            self._save_new(
                Reference(
                    title=ref.get("title", ""), url=ref.get("url", ""), position=index, **topic
                ),
                f"{record}.references[{index}]",
            )

    def faq(self, item: Any, position: int, *, record: str, topic: dict) -> None:
        item = _mapping(item, f"{record}[{position}]")
        question = item.get("question") or ""
        slug = item.get("slug") or slugify(question)[:120].strip("-")
        record = f"{record}[{slug or position}]"
        if FAQ.objects.filter(slug=slug).exists():
            self._unchanged(FAQ(slug=slug))
            return
        self._save_new(
            FAQ(
                question=question,
                slug=slug,
                answer=item.get("answer", ""),
                position=position,
                published=bool(item.get("published", True)),
                **topic,
            ),
            record,
        )


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
