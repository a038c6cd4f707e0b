"""Writing an O*NET release into the database, under the editors' values.

Two phases. First every file is read and checked (`_Gathered`): a bad file stops the import
before the database is touched. Then one transaction writes it all with bulk queries, by the
rule every imported value follows (Provenance): a field is written on a new row, where it still
holds what an import wrote (`holds_import`), or where it is empty and no import ever wrote it;
anything else is an editor's and stays. A curated role an editor linked (source "editors")
gains the occupation's rows and its Job Zone, never a word of its own. Rows of a role in the
release that the release no longer lists are removed while they still hold the import.
Re-importing a release therefore changes nothing; a newer one refreshes what is still O*NET's.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from roles.caching import content_changed
from roles.models import (
    RESERVED_SLUG_WORDS,
    Criterion,
    ElementKind,
    Family,
    JobZone,
    OnetElement,
    RelatedRole,
    Role,
    RoleCriterionValue,
    RoleRating,
    RoleTask,
    RoleTechnology,
    RoleTitle,
    Source,
    TaskType,
    TitleKind,
    title_key,
)
from roles.onet import derive
from roles.onet.families import SOC_MAJOR_GROUPS, family_for_major_group
from roles.onet.reader import (
    OCCUPATION_DATA,
    RELEASE_PATTERN,
    OnetError,
    Release,
    Table,
    brief,
)

BATCH = 1_000
IN_BATCH = 500  # keys per `pk IN (...)`: under the 999 variables old SQLite builds allow
ALTERNATE_TITLES = "Alternate Titles.txt"
REPORTED_TITLES = "Sample of Reported Titles.txt"
TASKS = "Task Statements.txt"
SKILLS = "Skills.txt"
KNOWLEDGE = "Knowledge.txt"
TECHNOLOGY = "Technology Skills.txt"
JOB_ZONES = "Job Zones.txt"
JOB_ZONE_REFERENCE = "Job Zone Reference.txt"
RELATED = "Related Occupations.txt"
WORK_CONTEXT = "Work Context.txt"
OPTIONAL_FILES = (
    JOB_ZONE_REFERENCE,
    JOB_ZONES,
    ALTERNATE_TITLES,
    REPORTED_TITLES,
    TASKS,
    SKILLS,
    KNOWLEDGE,
    TECHNOLOGY,
    RELATED,
    WORK_CONTEXT,
)

KINDS = (
    "roles",
    "job zones",
    "skills and knowledge areas",
    "titles",
    "tasks",
    "ratings",
    "technologies",
    "related occupations",
    "criterion values",
)
TWO_PLACES = Decimal("0.01")
ELEMENT_DOMAINS = {SKILLS: ("2.A.", "2.B."), KNOWLEDGE: ("2.C.",)}
TASK_TYPES = {"core": TaskType.CORE, "supplemental": TaskType.SUPPLEMENTAL, "": TaskType.UNRATED}
TASK_ORDER = {TaskType.CORE: 0, TaskType.SUPPLEMENTAL: 1, TaskType.UNRATED: 2}
TIERS = {"primary-short": "primary-short", "primary-long": "primary-long"}
TIERS["supplemental"] = "supplemental"


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    # Rows where an editor's value (or an editor's row) stood against the release's; a row
    # whose other values were refreshed counts as changed too.
    kept: int = 0
    removed: int = 0


@dataclass
class ImportReport:
    release: str
    dry_run: bool = False
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(c.added + c.changed + c.removed for c in self.counts.values())

    def summary(self) -> str:
        lines = [f"O*NET release {self.release}" + (" (dry run)" if self.dry_run else "") + ":"]
        width = max(len(kind) for kind in KINDS)
        heads = ("added", "changed", "unchanged", "editors' kept", "removed")
        lines.append(f"  {'':<{width}}" + "".join(f"  {head:>9}" for head in heads))
        for kind, c in self.counts.items():
            numbers = (c.added, c.changed, c.unchanged, c.kept, c.removed)
            lines.append(
                f"  {kind:<{width}}"
                + "".join(f"  {n:>{max(9, len(h))},}" for n, h in zip(numbers, heads, strict=True))
            )
        lines += [f"  Note: {note}" for note in self.notes]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        elif not self.changed:
            lines.append("0 changed: the database already held this release.")
        else:
            lines.append(f"{self.changed:,} rows added, changed or removed.")
        return "\n".join(lines)


def onet_import(
    *,
    path: Path,
    release: str | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import the release at `path` (a zip or a folder) in one transaction; a dry run rolls it
    back. Raises OnetError (file, line, column) for a release it refuses, before any write."""
    progress = progress or (lambda message: None)
    source = Release(path)
    try:
        release = release or source.guessed_release()
        if not release:
            raise OnetError(
                path.name,
                "cannot tell the release from the name (like db_30_1_text.zip); "
                "give it with --release 30.1",
            )
        if not RELEASE_PATTERN.match(release):
            raise OnetError("--release", f"{brief(release)} is not a release number like 30.1")
        report = ImportReport(release=release, dry_run=dry_run)
        gathered = _Gathered(source, report, progress)
        gathered.read()
    finally:
        source.close()
    with transaction.atomic():
        _Writer(gathered, report, progress).write()
        if dry_run:
            transaction.set_rollback(True)
        elif report.changed:
            content_changed()  # bulk queries send no signals: one bump for the whole import
    return report


def _two(number: Decimal) -> Decimal:
    return number.quantize(TWO_PLACES)


def _json(value):
    """A value as `imported` records it: decimals as text ("4.50")."""
    return str(value) if isinstance(value, Decimal) else value


def _same(current, new) -> bool:
    if current is None or new is None:
        return current is new
    return str(current) == str(new)


# --- Phase one: read and check every file ---


class _Gathered:
    def __init__(self, source: Release, report: ImportReport, progress):
        self.source, self.report, self.progress = source, report, progress
        self.occupations: dict[str, dict] = {}
        self.zones: dict[int, dict] = {}
        self.role_zone: dict[str, int] = {}
        self.titles: dict[str, dict[tuple[str, str], dict]] = {}
        self.tasks: dict[str, list[dict]] = {}
        self.elements: dict[str, dict] = {}
        self._element_seen: dict[str, tuple[str, int]] = {}
        self.ratings: dict[str, dict[str, dict]] = {}
        self.technologies: dict[str, dict[str, dict]] = {}
        self.related: dict[str, dict[str, dict]] = {}
        self.context: dict[str, dict[str, dict]] = {}
        self.unknown_codes: Counter = Counter()

    def read(self) -> None:
        if not self.source.has(OCCUPATION_DATA):
            raise OnetError(OCCUPATION_DATA, "missing from the release; it is required")
        self._table(
            OCCUPATION_DATA, ("O*NET-SOC Code", "Title", "Description"), (), self._occupation
        )
        readers = {
            JOB_ZONE_REFERENCE: (
                ("Job Zone", "Name"),
                ("Experience", "Education", "Job Training", "Examples"),
                self._zone_reference,
            ),
            JOB_ZONES: (("O*NET-SOC Code", "Job Zone"), (), self._job_zone),
            ALTERNATE_TITLES: (
                ("O*NET-SOC Code", "Alternate Title"),
                ("Short Title",),
                self._alternate_title,
            ),
            REPORTED_TITLES: (("O*NET-SOC Code", "Reported Job Title"), (), self._reported_title),
            TASKS: (("O*NET-SOC Code", "Task ID", "Task"), ("Task Type",), self._task),
            SKILLS: (RATING_COLUMNS, RATING_FLAGS, self._rating),
            KNOWLEDGE: (RATING_COLUMNS, RATING_FLAGS, self._rating),
            TECHNOLOGY: (
                ("O*NET-SOC Code", "Example"),
                ("Commodity Title", "Hot Technology", "In Demand"),
                self._technology,
            ),
            RELATED: (
                ("O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"),
                (),
                self._related,
            ),
            WORK_CONTEXT: (
                ("O*NET-SOC Code", "Element ID", "Scale ID", "Data Value"),
                ("Category", "Recommend Suppress", "Not Relevant"),
                self._work_context,
            ),
        }
        for name in OPTIONAL_FILES:
            if not self.source.has(name):
                self.report.notes.append(f"{name} is not in the release: skipped.")
                self.progress(f"{name}: not in the release, skipped")
                continue
            columns, optional, each = readers[name]
            self._table(name, columns, optional, each)
        for name, count in sorted(self.unknown_codes.items()):
            self.report.notes.append(
                f"{name}: {count:,} rows for codes not in {OCCUPATION_DATA} were skipped."
            )

    def _table(self, name, columns, optional, each) -> None:
        table = Table(self.source, name, columns, optional)
        for line, fields in table.rows():
            each(table, line, fields)
        self.progress(f"{name}: {table.rows_read:,} rows")

    def _known(self, table: Table, line: int, fields: list[str]) -> str | None:
        code = table.code(fields, line)
        if code in self.occupations:
            return code
        self.unknown_codes[table.name] += 1
        return None

    # --- one row of each file ---

    def _occupation(self, table: Table, line: int, fields: list[str]) -> None:
        code = table.code(fields, line)
        if code[:2] not in SOC_MAJOR_GROUPS:
            raise table.error(
                f"{code} is not in a SOC 2018 major group (11, 13, ... 55)", line, "O*NET-SOC Code"
            )
        if code in self.occupations:
            raise table.error(f"{code} is listed twice", line, "O*NET-SOC Code")
        self.occupations[code] = {
            "title": table.text(fields, line, "Title", max_length=NAME_LENGTH),
            "description": table.text(
                fields, line, "Description", max_length=DESCRIPTION_LENGTH, blank=True
            ),
        }

    def _zone_reference(self, table: Table, line: int, fields: list[str]) -> None:
        number = table.integer(fields, line, "Job Zone", 1, 5)
        values = {"name": table.text(fields, line, "Name", max_length=200)}
        for column, key in (
            ("Experience", "experience"),
            ("Education", "education"),
            ("Job Training", "training"),
            ("Examples", "examples"),
        ):
            values[key] = (
                table.text(fields, line, column, max_length=5_000, blank=True)
                if table.has(column)
                else ""
            )
        self.zones[number] = values

    def _job_zone(self, table: Table, line: int, fields: list[str]) -> None:
        code = self._known(table, line, fields)
        number = table.integer(fields, line, "Job Zone", 1, 5)
        if code:
            self.role_zone[code] = number

    def _title(self, code: str, kind: str, title: str, short: str = "") -> None:
        titles = self.titles.setdefault(code, {})
        key = (kind, title_key(title))
        if key not in titles:
            titles[key] = {"title": title, "short_title": short}

    def _alternate_title(self, table: Table, line: int, fields: list[str]) -> None:
        code = self._known(table, line, fields)
        title = table.text(fields, line, "Alternate Title", max_length=250)
        short = (
            table.text(fields, line, "Short Title", max_length=100, blank=True)
            if table.has("Short Title")
            else ""
        )
        if code:
            self._title(code, TitleKind.ALTERNATE, title, short)

    def _reported_title(self, table: Table, line: int, fields: list[str]) -> None:
        code = self._known(table, line, fields)
        title = table.text(fields, line, "Reported Job Title", max_length=250)
        if code:
            self._title(code, TitleKind.REPORTED, title)

    def _task(self, table: Table, line: int, fields: list[str]) -> None:
        code = self._known(table, line, fields)
        task_id = table.integer(fields, line, "Task ID", 1, 2_000_000_000)
        statement = table.text(fields, line, "Task", max_length=1_000)
        kind = ""
        if table.has("Task Type"):
            kind = table.text(fields, line, "Task Type", max_length=20, blank=True).casefold()
            if kind not in TASK_TYPES:
                raise table.error(
                    f"{brief(kind)} is not Core, Supplemental or n/a", line, "Task Type"
                )
        if code:
            self.tasks.setdefault(code, []).append(
                {"task_id": task_id, "statement": statement, "task_type": TASK_TYPES[kind]}
            )

    def _element(self, table: Table, line: int, fields: list[str]) -> str:
        """The row's element, checked: an ID of the file's domain, one name per ID."""
        element_id = table.text(fields, line, "Element ID", max_length=20)
        if not element_id.startswith(ELEMENT_DOMAINS[table.name]) or not all(
            part.isalnum() for part in element_id.split(".")
        ):
            domains = " or ".join(p.rstrip(".") for p in ELEMENT_DOMAINS[table.name])
            raise table.error(
                f"{brief(element_id)} is not a {table.name.removesuffix('.txt').lower()} "
                f"element (their IDs start {domains})",
                line,
                "Element ID",
            )
        name = table.text(fields, line, "Element Name", max_length=150)
        known = self.elements.get(element_id)
        if known is None:
            kind = ElementKind.SKILL if table.name == SKILLS else ElementKind.KNOWLEDGE
            self.elements[element_id] = {"name": name, "kind": kind}
            self._element_seen[element_id] = (table.name, line)
        elif known["name"] != name:
            where = self._element_seen[element_id]
            raise table.error(
                f"element {element_id} is {brief(name)} here but {brief(known['name'])} in "
                f"{where[0]} line {where[1]:,}: the release must name an element one way",
                line,
                "Element Name",
            )
        return element_id

    def _rating(self, table: Table, line: int, fields: list[str]) -> None:
        code = self._known(table, line, fields)
        element_id = self._element(table, line, fields)
        scale = table.raw(fields, "Scale ID").upper()
        if scale not in ("IM", "LV"):
            return  # another scale: not used
        high = Decimal(5) if scale == "IM" else Decimal(7)
        low = Decimal(1) if scale == "IM" else Decimal(0)
        value = table.number(fields, line, "Data Value", low, high)
        suppress = table.flag(fields, line, "Recommend Suppress")
        not_relevant = table.flag(fields, line, "Not Relevant")
        if code:
            entry = self.ratings.setdefault(code, {}).setdefault(element_id, {})
            entry[scale] = None if suppress else _two(value)
            entry["not relevant"] = entry.get("not relevant", False) or not_relevant

    def _technology(self, table: Table, line: int, fields: list[str]) -> None:
        code = self._known(table, line, fields)
        example = table.text(fields, line, "Example", max_length=250)
        commodity = (
            table.text(fields, line, "Commodity Title", max_length=250, blank=True)
            if table.has("Commodity Title")
            else ""
        )
        hot = table.flag(fields, line, "Hot Technology")
        in_demand = table.flag(fields, line, "In Demand")
        if code:
            known = self.technologies.setdefault(code, {})
            if example in known:  # one example under two commodities: one row, either flag
                known[example]["hot"] |= hot
                known[example]["in_demand"] |= in_demand
            else:
                known[example] = {"commodity_title": commodity, "hot": hot, "in_demand": in_demand}

    def _related(self, table: Table, line: int, fields: list[str]) -> None:
        code = self._known(table, line, fields)
        other = table.code(fields, line, "Related O*NET-SOC Code")
        tier = table.raw(fields, "Relatedness Tier").casefold()
        if tier not in TIERS:
            raise table.error(
                f"{brief(tier)} is not Primary-Short, Primary-Long or Supplemental",
                line,
                "Relatedness Tier",
            )
        index = table.integer(fields, line, "Index", 1, 999)
        if code and other in self.occupations and other != code:
            self.related.setdefault(code, {}).setdefault(
                other, {"tier": TIERS[tier], "index": index}
            )

    def _work_context(self, table: Table, line: int, fields: list[str]) -> None:
        code = self._known(table, line, fields)
        element_id = table.raw(fields, "Element ID")
        if element_id not in derive.WORK_CONTEXT_ELEMENTS or code is None:
            return  # only the elements the criteria use are read further
        if table.flag(fields, line, "Recommend Suppress") or table.flag(
            fields, line, "Not Relevant"
        ):
            return
        scale = table.raw(fields, "Scale ID").upper()
        entry = self.context.setdefault(code, {}).setdefault(element_id, {})
        if scale in ("CX", "CT"):
            high = Decimal(5) if scale == "CX" else Decimal(3)
            entry["CX"] = table.number(fields, line, "Data Value", Decimal(1), high)
        elif scale in ("CXP", "CTP"):
            if not table.has("Category"):
                raise table.error("no column “Category” in the header", 1)
            category = table.integer(fields, line, "Category", 1, 5)
            share = table.number(fields, line, "Data Value", Decimal(0), Decimal(100))
            entry.setdefault("CTP", {})[category] = share


RATING_COLUMNS = ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value")
RATING_FLAGS = ("Recommend Suppress", "Not Relevant")
NAME_LENGTH = Role._meta.get_field("name").max_length
SUMMARY_LENGTH = Role._meta.get_field("summary").max_length
SLUG_LENGTH = Role._meta.get_field("slug").max_length
DESCRIPTION_LENGTH = 10_000


# --- Phase two: write ---


class _Writer:
    def __init__(self, gathered: _Gathered, report: ImportReport, progress):
        self.g, self.report, self.progress = gathered, report, progress
        self.release = report.release
        self.roles: dict[str, Role] = {}  # by code, every role of the release
        self.zones: dict[int, JobZone] = {}
        self.role_ids: set[int] = set()

    def write(self) -> None:
        self.zones = self._job_zones()
        self._roles(self.zones)
        elements = self._elements()
        self._titles()
        self._tasks()
        self._ratings(elements)
        self._technologies()
        self._related()
        self._criterion_values()

    # --- the generic rule ---

    def sync(
        self,
        kind: str,
        model,
        existing: dict,
        desired: dict,
        make: Callable,
        *,
        prune: bool = True,
        extra_update: tuple[str, ...] = (),
    ) -> None:
        """Bring `existing` rows (by key) to `desired` values by the editors-win rule."""
        counts = self.report.counts[kind]
        fields: set[str] = set()
        create, update = [], []
        for key, values in desired.items():
            fields.update(values)
            row = existing.pop(key, None)
            if row is None:
                row = make(key)
                for name, value in values.items():
                    setattr(row, name, value)
                row.source, row.release = Source.ONET, self.release
                row.imported = {name: _json(value) for name, value in values.items()}
                create.append(row)
                counts.added += 1
                continue
            wrote = kept = False
            for name, value in values.items():
                current = getattr(row, name)
                if _same(current, value):
                    continue
                empty = current in (None, "") and name not in row.imported
                if empty or row.holds_import(name):
                    setattr(row, name, value)
                    row.imported = {**row.imported, name: _json(value)}
                    wrote = True
                else:
                    kept = True
            if wrote:
                row.release = self.release
                update.append(row)
                counts.changed += 1
            if kept:  # both, where some values were refreshed and an editor's stood
                counts.kept += 1
            if not (wrote or kept):
                counts.unchanged += 1
        gone = []
        if prune:
            for row in existing.values():
                if row.source == Source.ONET and row.from_import:
                    gone.append(row.pk)
                else:
                    counts.kept += 1
        insert_rows(model, create)
        if update:
            now = timezone.now()
            for row in update:
                if "updated_at" in extra_update:
                    row.updated_at = now
            update_rows(model, update, [*sorted(fields), "release", "imported", *extra_update])
        for start in range(0, len(gone), IN_BATCH):
            model.objects.filter(pk__in=gone[start : start + IN_BATCH]).delete()
        counts.removed += len(gone)
        self.progress(
            f"{kind}: {counts.added:,} added, {counts.changed:,} changed, "
            f"{counts.kept:,} editors' kept, {counts.removed:,} removed"
        )

    def _existing(self, model, key: Callable) -> dict:
        rows = model.objects.filter(role__onet_code__isnull=False)
        ids = self.role_ids
        return {key(row): row for row in rows.iterator(chunk_size=5_000) if row.role_id in ids}

    # --- each kind ---

    def _job_zones(self) -> dict[int, JobZone]:
        existing = {zone.number: zone for zone in JobZone.objects.all()}
        self.sync(
            "job zones",
            JobZone,
            dict(existing),
            self.g.zones,
            lambda number: JobZone(number=number),
            prune=False,
        )
        zones = {zone.number: zone for zone in JobZone.objects.all()}
        for line_code, number in self.g.role_zone.items():
            if number not in zones:
                raise OnetError(
                    JOB_ZONES,
                    f"{line_code} is in Job Zone {number}, which {JOB_ZONE_REFERENCE} "
                    "does not describe",
                )
        return zones

    def _roles(self, zones: dict[int, JobZone]) -> None:
        family = Role._meta.get_field("family").attname
        known = {role.onet_code: role for role in Role.objects.filter(onet_code__isnull=False)}
        taken = set(Role.objects.values_list("slug", flat=True))
        families_before = Family.objects.count()
        imported, linked = {}, {}
        families: dict[str, str] = {}  # major group -> family slug, made only where needed
        for code, occupation in self.g.occupations.items():
            zone = zones[self.g.role_zone[code]].pk if code in self.g.role_zone else None
            role = known.get(code)
            if role is not None and role.source == Source.EDITORS:
                linked[code] = {"job_zone_id": zone}  # the editors' words stay theirs
                continue
            imported[code] = {
                "name": occupation["title"],
                "summary": derive.shorten(
                    derive.first_sentence(occupation["description"]), SUMMARY_LENGTH
                ),
                "description": occupation["description"],
                family: families.get(code[:2])
                or families.setdefault(code[:2], family_for_major_group(code[:2]).slug),
                "job_zone_id": zone,
            }

        def make(code: str) -> Role:
            return Role(
                onet_code=code,
                slug=role_slug(self.g.occupations[code]["title"], taken),
                published=True,
            )

        existing = {code: role for code, role in known.items() if code in self.g.occupations}
        self.sync(
            "roles",
            Role,
            {code: role for code, role in existing.items() if code in imported},
            imported,
            make,
            prune=False,
            extra_update=("updated_at",),
        )
        self.sync(  # a linked role gains only the occupation's Job Zone, where it has none
            "roles",
            Role,
            {code: role for code, role in existing.items() if code in linked},
            linked,
            lambda code: None,
            prune=False,
            extra_update=("updated_at",),
        )
        made = Family.objects.count() - families_before
        if made:
            self.report.notes.append(
                f"{made} families made for SOC major groups, after the editors' families."
            )
        if linked:
            self.report.notes.append(
                f"{len(linked):,} curated roles linked by their O*NET-SOC code gained the "
                "occupation's data; their names, summaries, descriptions and slugs stay the "
                "editors'."
            )
        stale = [code for code, role in known.items() if code not in self.g.occupations]
        if stale:
            self.report.notes.append(
                f"{len(stale):,} roles have an O*NET-SOC code this release does not list "
                f"({', '.join(sorted(stale)[:5])}{'…' if len(stale) > 5 else ''}): left as "
                "they are."
            )
        self.roles = {
            role.onet_code: role
            for role in Role.objects.filter(onet_code__isnull=False).only(
                "id", "onet_code", "name", "source", "release"
            )
            if role.onet_code in self.g.occupations
        }
        self.role_ids = {role.id for role in self.roles.values()}
        # Which release each role's occupation data was last refreshed from, changed or not.
        behind = [role.pk for role in self.roles.values() if role.release != self.release]
        for start in range(0, len(behind), IN_BATCH):
            batch = behind[start : start + IN_BATCH]
            Role.objects.filter(pk__in=batch).update(release=self.release)

    def _elements(self) -> dict[str, OnetElement]:
        existing = {e.element_id: e for e in OnetElement.objects.all()}
        self.sync(
            "skills and knowledge areas",
            OnetElement,
            existing,
            self.g.elements,
            lambda element_id: OnetElement(element_id=element_id),
            prune=False,
        )
        return {e.element_id: e for e in OnetElement.objects.all()}

    def _titles(self) -> None:
        desired = {}
        for code, titles in self.g.titles.items():
            role_id = self.roles[code].id
            for (kind, key), values in titles.items():
                desired[(role_id, kind, key)] = values
        self.sync(
            "titles",
            RoleTitle,
            self._existing(RoleTitle, lambda r: (r.role_id, r.kind, r.key)),
            desired,
            lambda key: RoleTitle(role_id=key[0], kind=key[1], key=key[2]),
        )

    def _tasks(self) -> None:
        desired = {}
        for code, tasks in self.g.tasks.items():
            role_id = self.roles[code].id
            ordered = sorted(
                enumerate(tasks), key=lambda pair: (TASK_ORDER[pair[1]["task_type"]], pair[0])
            )
            for position, (_, task) in enumerate(ordered, start=1):
                desired.setdefault(
                    (role_id, task["task_id"]),
                    {
                        "statement": task["statement"],
                        "task_type": task["task_type"],
                        "position": position,
                    },
                )
        self.sync(
            "tasks",
            RoleTask,
            self._existing(RoleTask, lambda r: (r.role_id, r.task_id)),
            desired,
            lambda key: RoleTask(role_id=key[0], task_id=key[1]),
        )

    def _ratings(self, elements: dict[str, OnetElement]) -> None:
        desired = {}
        for code, by_element in self.g.ratings.items():
            role_id = self.roles[code].id
            for element_id, entry in by_element.items():
                if entry.get("not relevant") or entry.get("IM") is None:
                    continue  # not relevant to the occupation, or a suppressed estimate
                desired[(role_id, elements[element_id].pk)] = {
                    "importance": entry["IM"],
                    "level": entry.get("LV"),
                }
        self.sync(
            "ratings",
            RoleRating,
            self._existing(RoleRating, lambda r: (r.role_id, r.element_id)),
            desired,
            lambda key: RoleRating(role_id=key[0], element_id=key[1]),
        )

    def _technologies(self) -> None:
        desired = {}
        for code, examples in self.g.technologies.items():
            role_id = self.roles[code].id
            for example, values in examples.items():
                desired[(role_id, example)] = values
        self.sync(
            "technologies",
            RoleTechnology,
            self._existing(RoleTechnology, lambda r: (r.role_id, r.example)),
            desired,
            lambda key: RoleTechnology(role_id=key[0], example=key[1]),
        )

    def _related(self) -> None:
        desired = {}
        for code, others in self.g.related.items():
            role_id = self.roles[code].id
            for other, values in others.items():
                desired[(role_id, self.roles[other].id)] = values
        self.sync(
            "related occupations",
            RelatedRole,
            self._existing(RelatedRole, lambda r: (r.role_id, r.related_id)),
            desired,
            lambda key: RelatedRole(role_id=key[0], related_id=key[1]),
        )

    def _occupation(self, code: str) -> derive.Occupation:
        g = self.g
        tasks = sorted(
            g.tasks.get(code, []), key=lambda t: TASK_ORDER[t["task_type"]]
        )  # stable: file order within a type
        core = [t["statement"] for t in tasks if t["task_type"] == TaskType.CORE] or [
            t["statement"] for t in tasks
        ]
        rated = {"skill": [], "knowledge": []}
        for element_id, entry in g.ratings.get(code, {}).items():
            if entry.get("not relevant") or entry.get("IM") is None:
                continue
            element = g.elements[element_id]
            rated[element["kind"]].append((element["name"], entry["IM"]))
        for items in rated.values():
            items.sort(key=lambda pair: (-pair[1], pair[0]))
        zone = None
        if code in g.role_zone:
            stored = self.zones[g.role_zone[code]]
            zone = {
                "number": stored.number,
                "name": stored.name,
                "education": stored.education,
                "experience": stored.experience,
            }
        related = sorted(g.related.get(code, {}).items(), key=lambda pair: pair[1]["index"])
        technologies = sorted(
            g.technologies.get(code, {}).items(),
            key=lambda pair: (not pair[1]["hot"], not pair[1]["in_demand"]),
        )
        return derive.Occupation(
            code=code,
            title=g.occupations[code]["title"],
            description=g.occupations[code]["description"],
            core_tasks=core,
            skills=rated["skill"],
            knowledge=rated["knowledge"],
            context=g.context.get(code, {}),
            job_zone=zone,
            related=[self.roles[other].name for other, _ in related],
            technologies=[(ex, v["hot"], v["in_demand"]) for ex, v in technologies],
        )

    def _criterion_values(self) -> None:
        criteria = {c.slug: c for c in Criterion.objects.filter(slug__in=derive.DERIVATIONS)}
        missing = sorted(set(derive.DERIVATIONS) - set(criteria))
        if missing:
            self.report.notes.append(
                f"criteria not in the database, so not filled: {', '.join(missing)}."
            )
        existing = {
            (row.role_id, row.criterion_id): row
            for row in RoleCriterionValue.objects.filter(
                role__onet_code__isnull=False, criterion__in=list(criteria.values())
            )
            if row.role_id in self.role_ids
        }
        desired = {}
        editors = 0
        for code, role in self.roles.items():
            values = derive.derive_values(self._occupation(code))
            for slug, criterion in criteria.items():
                key = (role.id, criterion.id)
                row = existing.get(key)
                if role.source == Source.EDITORS and row is not None and row.source != Source.ONET:
                    existing.pop(key)  # a curated role's own value: never the import's
                    editors += 1
                    continue
                if slug in values:
                    value, detail = values[slug]
                    desired[key] = {"value": value, "detail": detail}
        self.sync(
            "criterion values",
            RoleCriterionValue,
            existing,
            desired,
            lambda key: RoleCriterionValue(role_id=key[0], criterion_id=key[1]),
            extra_update=("updated_at",),
        )
        if editors:
            self.report.notes.append(
                f"{editors:,} criterion values of linked curated roles are the editors' and "
                "were not derived."
            )


# --- Bulk writes ---
# Django's bulk_create and bulk_update spend most of their time building SQL (an UPDATE of many
# rows is one CASE per field); one prepared statement run with executemany does the same work in
# a fraction of it, on SQLite and PostgreSQL alike. Like them, it sends no signals.


def insert_rows(model, rows: list) -> None:
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Names come from the model's metadata, quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(f.column) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [
        [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5 * BATCH):
            cursor.executemany(sql, params[start : start + 5 * BATCH])


def update_rows(model, rows: list, names: list[str]) -> None:
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {sets} "  # noqa: S608
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5 * BATCH):
            cursor.executemany(sql, params[start : start + 5 * BATCH])


def role_slug(title: str, taken: set[str]) -> str:
    """A new role's slug from its title: unique, and never with a word the site's URLs use to
    join roles ("vs", "to"), which are dropped: Door-to-Door Sales Workers -> door-door-..."""
    words = [word for word in slugify(title).split("-") if word and word not in RESERVED_SLUG_WORDS]
    base = "-".join(words)[: SLUG_LENGTH - 4].strip("-")
    if len("-".join(words)) > len(base) and "-" in base:
        base = base.rsplit("-", 1)[0]
    base = base or "occupation"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug
