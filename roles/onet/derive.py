"""Criterion values from an occupation's O*NET data: a short table cell (at most 200 characters)
and a detail, for each criterion the data can honestly fill. docs/DATA.md explains each one; a
criterion the data cannot speak to (performance metrics, challenges faced) gets nothing.

Pure functions of an `Occupation` (what the reader gathered for one code), so they are easy to
test and cost no query.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

ONET = r"O\*NET"  # in a detail (Markdown), so that two of them never make emphasis
VALUE_LENGTH = 200  # RoleCriterionValue.value
DETAIL_LENGTH = 2_000  # RoleCriterionValue.detail

# Work Context elements, by Element ID (their names change between releases: "Work With Work
# Group or Team" became "Work With or Contribute to a Work Group or Team").
CONTACT = "4.C.1.a.4"  # Contact With Others, CX 1-5
TEAM = "4.C.1.b.1.e"  # Work With Work Group or Team, CX 1-5 (importance)
CUSTOMERS = "4.C.1.b.1.f"  # Deal With External Customers, CX 1-5 (importance)
LEAD_OTHERS = "4.C.1.b.1.g"  # Coordinate or Lead Others, CX 1-5 (importance)
INDOORS = "4.C.2.a.1.a"  # Indoors, Environmentally Controlled, CX 1-5 (frequency)
INDOORS_RAW = "4.C.2.a.1.b"  # Indoors, Not Environmentally Controlled
OUTDOORS = "4.C.2.a.1.c"  # Outdoors, Exposed to Weather
OUTDOORS_COVERED = "4.C.2.a.1.d"  # Outdoors, Under Cover
WORK_WEEK = "4.C.3.d.8"  # Duration of Typical Work Week, CT 1-3 with CTP percentages
WORK_CONTEXT_ELEMENTS = frozenset(
    {
        CONTACT,
        TEAM,
        CUSTOMERS,
        LEAD_OTHERS,
        INDOORS,
        INDOORS_RAW,
        OUTDOORS,
        OUTDOORS_COVERED,
        WORK_WEEK,
    }
)


@dataclass
class Occupation:
    """What one O*NET-SOC code brings, as the importer gathered it."""

    code: str
    title: str
    description: str
    core_tasks: list[str] = field(default_factory=list)
    skills: list[tuple[str, Decimal]] = field(default_factory=list)  # by importance, highest first
    knowledge: list[tuple[str, Decimal]] = field(default_factory=list)
    context: dict[str, dict] = field(default_factory=dict)  # element ID -> {"CX": n, "CTP": {..}}
    job_zone: dict | None = None  # number, name, education, experience
    related: list[str] = field(default_factory=list)  # names, closest first
    technologies: list[tuple[str, bool, bool]] = field(default_factory=list)  # hot first


def derive_values(occupation: Occupation) -> dict[str, tuple[str, str]]:
    """{criterion slug: (value, detail)} for every criterion this occupation's data can fill."""
    values = {}
    for slug, derive in DERIVATIONS.items():
        result = derive(occupation)
        if result is not None:
            value, detail = result
            values[slug] = (shorten(value, VALUE_LENGTH), shorten(detail, DETAIL_LENGTH))
    return values


# --- text helpers ---

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word and marked with an ellipsis."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()


def _clause(task: str, limit: int = 70) -> str:
    """A task's opening, up to its first comma or semicolon where that comes soon enough."""
    task = task.strip().rstrip(".")
    for mark in (";", ",", " (", ":"):
        head = task.split(mark, 1)[0]
        if len(head) < len(task) and 15 <= len(head) <= limit:
            return head
    return shorten(task, limit)


def _join(items: list[str], limit: int, sep: str = ", ") -> str:
    """As many of `items` as fit in `limit`, joined; at least the first (shortened)."""
    out: list[str] = []
    for item in items:
        candidate = sep.join([*out, item])
        if len(candidate) > limit:
            break
        out.append(item)
    return sep.join(out) if out else shorten(items[0], limit)


def _fmt(number: Decimal) -> str:
    return f"{number:.1f}"


# --- one derivation per criterion ---


def primary_focus(o: Occupation):
    if not o.description:
        return None
    return first_sentence(o.description), o.description


def key_responsibilities(o: Occupation):
    if not o.core_tasks:
        return None
    value = _join([_clause(task) for task in o.core_tasks[:3]], VALUE_LENGTH, sep="; ")
    detail = "\n".join(f"- {task}" for task in o.core_tasks[:6])
    return value, detail


def skills_required(o: Occupation):
    if not o.skills:
        return None
    value = _join([name for name, _ in o.skills[:4]], VALUE_LENGTH)
    detail = f"{ONET}'s most important skills for this occupation (importance, 1 to 5): "
    detail += ", ".join(f"{name} {_fmt(importance)}" for name, importance in o.skills[:8])
    if o.knowledge:
        detail += ". Knowledge it draws on most: " + ", ".join(
            f"{name} {_fmt(importance)}" for name, importance in o.knowledge[:5]
        )
    return value, detail + "."


def _mean(o: Occupation, element: str) -> Decimal | None:
    return o.context.get(element, {}).get("CX")


_CONTACT_WORDS = (
    (Decimal("4.5"), "constant contact with others"),
    (Decimal("3.5"), "contact with others most of the time"),
    (Decimal("2.5"), "contact with others about half the time"),
    (Decimal("0"), "occasional contact with others"),
)
_IMPORTANCE_WORDS = (
    (Decimal("4.5"), "extremely important"),
    (Decimal("3.5"), "very important"),
    (Decimal("2.5"), "important"),
    (Decimal("1.5"), "fairly important"),
    (Decimal("0"), "not important"),
)


def _words(scale, number: Decimal) -> str:
    return next(words for floor, words in scale if number >= floor)


def _setting(o: Occupation) -> str | None:
    """Where the work happens, from how often (1 never to 5 every day) each setting comes up."""
    indoors = _mean(o, INDOORS) or Decimal(0)
    indoors_raw = _mean(o, INDOORS_RAW) or Decimal(0)
    outdoors = max(_mean(o, OUTDOORS) or Decimal(0), _mean(o, OUTDOORS_COVERED) or Decimal(0))
    if not (indoors or indoors_raw or outdoors):
        return None
    if outdoors >= Decimal("3.5") and max(indoors, indoors_raw) >= Decimal("3.5"):
        return "indoors and outdoors"
    if outdoors >= Decimal("3.5"):
        return "mostly outdoors"
    if indoors >= Decimal("3.5"):
        return "indoors, in a climate-controlled setting"
    if indoors_raw >= Decimal("3.5"):
        return "indoors, often without climate control"
    return "in varied settings"


def _work_week(o: Occupation) -> tuple[str, str] | None:
    shares = o.context.get(WORK_WEEK, {}).get("CTP") or {}
    if not shares:
        return None
    over = shares.get(3, Decimal(0))
    under = shares.get(1, Decimal(0))
    if over >= 50:
        words = "often more than 40 hours a week"
    elif under >= 50:
        words = "often under 40 hours a week"
    else:
        words = "about 40 hours a week"
    detail = (
        f"Typical week: {shares.get(1, 0):.0f}% of workers under 40 hours, "
        f"{shares.get(2, 0):.0f}% 40 hours, {over:.0f}% more than 40"
    )
    return words, detail


def work_environment(o: Occupation):
    parts, details = [], []
    setting = _setting(o)
    if setting:
        parts.append(setting)
        shown = [
            f"{label} {_fmt(_mean(o, element))}"
            for label, element in (
                ("indoors, climate-controlled", INDOORS),
                ("indoors, not climate-controlled", INDOORS_RAW),
                ("outdoors, exposed to weather", OUTDOORS),
                ("outdoors, under cover", OUTDOORS_COVERED),
            )
            if _mean(o, element) is not None
        ]
        details.append("How often (1 never to 5 every day): " + ", ".join(shown))
    contact = _mean(o, CONTACT)
    if contact is not None:
        parts.append(_words(_CONTACT_WORDS, contact))
        details.append(f"Contact with others: {_fmt(contact)} of 5")
    week = _work_week(o)
    if week:
        parts.append(week[0])
        details.append(week[1])
    if not parts:
        return None
    value = "; ".join(parts)
    detail = ". ".join(details) + f". From {ONET}'s Work Context survey."
    return value[0].upper() + value[1:], detail


def team_interaction(o: Occupation):
    team = _mean(o, TEAM)
    if team is None:
        return None
    value = f"Working in a group or team is {_words(_IMPORTANCE_WORDS, team)}"
    detail = f"Work with a group or team: {_fmt(team)} of 5 (importance)"
    lead = _mean(o, LEAD_OTHERS)
    if lead is not None:
        value += f"; coordinating or leading others is {_words(_IMPORTANCE_WORDS, lead)}"
        detail += f"; coordinate or lead others: {_fmt(lead)} of 5"
    return value, detail + f". From {ONET}'s Work Context survey."


def client_interaction(o: Occupation):
    customers = _mean(o, CUSTOMERS)
    if customers is None:
        return None
    value = f"Dealing with customers or the public is {_words(_IMPORTANCE_WORDS, customers)}"
    detail = (
        f"Deal with external customers or the public: {_fmt(customers)} of 5 (importance). "
        f"From {ONET}'s Work Context survey."
    )
    return value, detail


def career_path(o: Occupation):
    if o.job_zone is None and not o.related:
        return None
    parts, details = [], []
    if o.job_zone is not None:
        zone = o.job_zone
        name = re.sub(r"^Job Zone \w+:\s*", "", zone["name"]).strip() or zone["name"]
        parts.append(f"{name} (Job Zone {zone['number']} of 5)")
        details.append(f"Job Zone {zone['number']} of 5: {name}.")
        for label, key in (("Education", "education"), ("Experience", "experience")):
            if zone.get(key):
                details.append(f"{label}: {zone[key]}")
    if o.related:
        lead = "; related: " if parts else "Related: "
        room = VALUE_LENGTH - len("".join(parts)) - len(lead)
        if room > 20:
            parts.append(lead + _join(o.related[:3], room))
        details.append("Related occupations: " + ", ".join(o.related[:10]) + ".")
    return "".join(parts), "\n\n".join(details)


def tools_used(o: Occupation):
    if not o.technologies:
        return None
    names = [example for example, _, _ in o.technologies]
    hot = [example for example, is_hot, _ in o.technologies if is_hot]
    value = _join(names[:5], VALUE_LENGTH)
    detail = "Software named in job postings for this occupation: " + ", ".join(names[:12]) + "."
    if hot:
        detail += f" Hot technologies ({ONET}): " + ", ".join(hot[:8]) + "."
    return value, detail


DERIVATIONS = {
    "primary-focus": primary_focus,
    "key-responsibilities": key_responsibilities,
    "skills-required": skills_required,
    "team-interaction": team_interaction,
    "client-interaction": client_interaction,
    "work-environment": work_environment,
    "career-path": career_path,
    "tools-used": tools_used,
}
