"""Site search over roles, comparisons, FAQs and guides.

PostgreSQL: full-text search with `websearch_to_tsquery`, each table's document matched by a GIN
expression index (migration 0004 builds the same expressions as DOCUMENTS below). Elsewhere
(SQLite): every word must appear in one of the same fields.

A role is also found by any other title it goes by: the editors' alternative titles and the
imported ones (RoleTitle, some 56,500 at full size), read in one bounded, indexed query
(`matched_titles`). Hits rank by tier (`Tier`), then relevance: a hit named exactly what was
typed, then a role with a title or short title exactly that ("RN"), then a name with every word
at the start of one of its words, then such a title, then the rest.
"""

import dataclasses
import html
import re
from dataclasses import dataclass
from enum import IntEnum

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Length, Lower
from django.db.models.lookups import Regex
from django.utils.safestring import SafeString, mark_safe

from roles.models import (
    FAQ,
    Comparison,
    Criterion,
    Guide,
    Role,
    RoleCriterionValue,
    RoleTitle,
    is_previewer,
    title_key,
)
from roles.registry import content_models

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MIN_TERM_LENGTH = 2  # a single letter matches nearly everything
MAX_HITS_PER_KIND = 50  # what one query may fetch of each kind, however common its words
MAX_MATCHED_TITLES = 500  # imported titles one search reads, the closest first
CONFIG = "english"

# Table -> the text columns of its search document, as each content model declares them
# (ContentModel.search_fields). Migration 0004 indexes exactly these.
DOCUMENTS = {model: model.search_fields for model in content_models() if model.search_fields}


class Tier(IntEnum):
    """How closely a hit's names match what was typed; a lower tier is listed first."""

    EXACT_NAME = 0
    EXACT_TITLE = 1  # a role's other title or short title, exactly
    NAME_WORDS = 2  # every word typed starts a word of the hit's name
    TITLE_WORDS = 3  # ... of one of a role's other titles
    OTHER = 4


@dataclass
class SearchHit:
    kind: str
    title: str
    url: str
    text: str
    rank: float
    title_match: bool = False
    exact_match: bool = False
    snippet: SafeString = dataclasses.field(default_factory=SafeString)
    tier: Tier = Tier.OTHER
    # The other title a role was found by, when it matched better than the name (plain text:
    # imported titles are escaped like any other text).
    also_called: str = ""


# Words too common to search on; PostgreSQL's English configuration drops the same ones.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)


def search_terms(query: str) -> list[str]:
    words = (w.strip(".-'") for w in re.findall(r"\w[\w'+#.-]*", query.casefold()))
    terms = [w for w in words if len(w) >= MIN_TERM_LENGTH and w not in STOP_WORDS]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def search(query: str, user) -> list[SearchHit]:
    terms = search_terms(query)
    if not terms:
        return []
    key = title_key(query)
    use_postgres = connection.vendor == "postgresql"
    # Both paths match the same terms (every one must appear), so they find the same pages.
    matcher = _PostgresMatcher(" ".join(terms)) if use_postgres else _PortableMatcher(terms)

    # Every kind is narrowed by the same `visible_to` rules as its pages, on both code paths, before
    # matching: a draft (or a published row under a draft parent) is never a hit nor in a snippet.
    roles = Role.objects.visible_to(user)
    values = RoleCriterionValue.objects.filter(criterion__in=Criterion.objects.visible_to(user))
    # Raw document SQL names its table, so these run as their own queries, not as subqueries.
    described = matcher.matching(values, RoleCriterionValue)
    described_ids = set(described.values_list("role_id", flat=True)[:MAX_MATCHED_ROLES])
    titled = _best_titles(matching_titles(terms, key, user)[:MAX_MATCHED_TITLES])
    exact_ids = [pk for pk, (_, exact) in titled.items() if exact]
    word_ids = [pk for pk, (_, exact) in titled.items() if not exact]
    matched = matcher.filter(roles, Role, extra=Q(pk__in=described_ids) | Q(pk__in=list(titled)))
    # Ranked in SQL too, so that the roles kept are the closest, however many match.
    # Each role's visible values as one text for its snippet, in the same query (a prefetch
    # would be a query more: a signed-in reader's search stays within eight).
    cells = (
        values.filter(role=OuterRef("pk"))
        .order_by()
        .values("role")
        .annotate(
            text=StringAgg(
                "value",
                delimiter=Value("; "),
                # In the table's order where the database can say so (SQLite before 3.44 cannot;
                # the snippet then shows the same values in the order it stored them).
                order_by=("criterion__position", "criterion__name", "pk")
                if connection.features.supports_aggregate_order_by_clause
                else (),
            )
        )
        .values("text")
    )
    role_hits = (
        matched.annotate(
            tier=_role_tier(terms, key, exact_ids, word_ids),
            cells=Coalesce(Subquery(cells), Value(""), output_field=TextField()),
        ).order_by("tier", "-rank", "name", "pk")
    )[:MAX_HITS_PER_KIND]
    role_rows = list(role_hits)
    # Guides from or to a role named by the words (by its name or an editors' title), or by an
    # imported title exactly: read off the ranked roles, which list name matches first, rather
    # than by a query of their own.
    name_ids = {
        role.pk for role in role_rows if has_words(f"{role.name}\n{role.alternative_titles}", terms)
    } | set(exact_ids)

    hits: list[SearchHit] = []
    for role in role_rows:
        titles = ", ".join(role.alternative_title_list)
        text = f"{role.summary} Also called: {titles}. {role.cells}."
        hit = SearchHit("Role", role.name, role.get_absolute_url(), text, role.rank)
        hit.tier, hit.also_called = _other_title(role, terms, key, titled.get(role.pk))
        hits.append(hit)
    comparisons = Comparison.objects.visible_to(user).select_related("role_a", "role_b")
    for comparison in _best(matcher.filter(comparisons, Comparison)):
        hits.append(
            SearchHit(
                "Comparison",
                comparison.title,
                comparison.get_absolute_url(),
                comparison.intro,
                comparison.rank,
            )
        )
    faqs = FAQ.objects.visible_to(user)
    for faq in _best(matcher.filter(faqs, FAQ)):
        hits.append(SearchHit("FAQ", faq.question, faq.get_absolute_url(), faq.answer, faq.rank))
    guides = Guide.objects.visible_to(user).select_related("from_role", "to_role")
    guide_hits = _best(
        matcher.filter(guides, Guide, extra=Q(from_role__in=name_ids) | Q(to_role__in=name_ids))
    )
    for guide in guide_hits:
        hits.append(
            SearchHit(
                "Transition guide",
                f"From {guide.from_role.name} to {guide.to_role.name}",
                guide.get_absolute_url(),
                guide.summary,
                guide.rank,
            )
        )

    wanted = " ".join(terms)
    for hit in hits:
        hit.title_match = has_words(hit.title, terms)
        hit.exact_match = title_key(hit.title) == key or " ".join(search_terms(hit.title)) == wanted
        if hit.exact_match:
            hit.tier = Tier.EXACT_NAME
        elif hit.title_match:
            hit.tier = min(hit.tier, Tier.NAME_WORDS)
        if hit.title_match:  # the name already shows every word: no need for another title
            hit.also_called = ""
        hit.snippet = highlight(hit.text, terms)
    hits.sort(key=lambda h: (h.tier, -h.rank, KIND_ORDER[h.kind], h.title))
    return hits


KIND_ORDER = {"Role": 0, "Comparison": 1, "Transition guide": 2, "FAQ": 3}
MAX_MATCHED_ROLES = 500  # roles matched through their values or names, before ranking

# --- Other titles: the editors' (Role.alternative_titles) and the imported ones (RoleTitle) ---

# Sorts after every character: `key >= t AND key < t + _LAST` is "key starts with t".
_LAST = "\U0010ffff"
# What may come before a word: a space (or a new line, between editors' titles), a bracket, a
# slash or a hyphen ("Registered Nurse (RN)", "Driver/Sales Worker", "Co-Pilot").
_SEPARATORS = " \n(/-"
_WORD_START = r"(^|[\s(/-])"  # the same, as a regular expression Python and PostgreSQL agree on
TRIGRAM = 3  # a trigram index can narrow a search for a term this long or longer


def word_pattern(term: str) -> str:
    """A regular expression for `term` at the start of a word."""
    return _WORD_START + re.escape(term)


def has_words(text: str, terms: list[str]) -> bool:
    """Every term starts a word of `text` ("nurse" in "Charge Nurse", not "rn" in "Intern")."""
    folded = text.casefold()
    return all(re.search(word_pattern(term), folded) for term in terms)


def word_q(field: str, term: str) -> Q:
    """`term` at the start of a word of `field`, in any case: LIKEs, which SQLite runs in C (a
    regular expression there calls Python for every row)."""
    return Q(
        Q(**{f"{field}__istartswith": term}),
        *(Q(**{f"{field}__icontains": separator + term}) for separator in _SEPARATORS),
        _connector=Q.OR,
    )


def line_q(field: str, text: str) -> Q:
    """One line of `field` is `text`, in any case (the editors' titles, one a line)."""
    return Q(
        Q(**{f"{field}__iexact": text}),
        Q(**{f"{field}__istartswith": f"{text}\n"}),
        Q(**{f"{field}__iendswith": f"\n{text}"}),
        Q(**{f"{field}__icontains": f"\n{text}\n"}),
        _connector=Q.OR,
    )


def starts_with(field: str, text: str) -> Q:
    """A prefix match the field's b-tree index serves. SQLite's LIKE ignores case, so it cannot
    use a case-sensitive index: a range can. PostgreSQL: LIKE 'text%', served by the
    varchar_pattern_ops index Django adds (a range would follow the collation's order)."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": text, f"{field}__lt": text + _LAST})
    return Q(**{f"{field}__startswith": text})


def visible_titles(user):
    """Titles of the roles `user` may see: a join, which lets the planner start from the title
    indexes (an `IN (published roles)` subquery made SQLite walk every role's titles)."""
    titles = RoleTitle.objects.annotate(short_key=Lower("short_title"))
    return titles if is_previewer(user) else titles.filter(role__published=True)


def _title_conditions(terms: list[str], key: str) -> tuple[Q, Q]:
    """(exactly what was typed, every term at a word start), each an indexed lookup.

    PostgreSQL finds a term of three letters or more anywhere in a title through the trigram
    index (migration 0011): `LIKE '%term%'` narrows, a regular expression then checks the word
    start on what is left. Elsewhere, and for shorter terms only ("hr", "qa"), a title must start
    with one of the terms, a range on the key's b-tree index, and hold the others at word starts:
    "data scientist" finds "Data Scientist, Lead" and "Scientist, Data", not "Senior Data
    Scientist" (the role's name or an exact title usually finds that role).
    """
    exact = Q(key=key) | Q(short_key=key)
    indexed = [term for term in terms if len(term) >= TRIGRAM]
    if connection.vendor == "postgresql" and indexed:
        narrow = (Q(key__contains=term) for term in indexed)
        # On lower(key), which the trigram index does not cover: a check of the rows the LIKEs
        # left, not an index condition (its trigrams, spaces and brackets, are slow to scan for).
        check = (Regex(Lower("key"), word_pattern(term)) for term in terms)
        return exact, Q(*narrow, *check)
    words = Q()
    for term in terms:
        others = [other for other in terms if other != term]
        # One LIKE per other term first: a title without one of them anywhere fails at once,
        # before the LIKEs that look for it at each kind of word start.
        words |= Q(
            starts_with("key", term),
            *(Q(key__contains=other) for other in others),
            *(word_q("key", other) for other in others),
        )
    return exact, words


def matching_titles(terms: list[str], key: str, user):
    """(role id, title, short title, exact) of the imported titles that match, exact matches
    first, then the shortest titles; search reads the first MAX_MATCHED_TITLES."""
    exact, words = _title_conditions(terms, key)
    return (
        visible_titles(user)
        .filter(exact | words)
        .annotate(exact=Case(When(exact, then=Value(True)), default=Value(False)))
        .order_by("-exact", Length("key"), "key", "pk")
        .values_list("role_id", "title", "short_title", "exact")
    )


def _best_titles(rows) -> dict[int, tuple[str, bool]]:
    """Each role's closest title (rows come closest first), shown as "also called ..."."""
    best: dict[int, tuple[str, bool]] = {}
    for role_id, title, short_title, exact in rows:
        if role_id not in best:
            shown = title
            if exact and short_title and short_title.casefold() not in title.casefold():
                shown = f"{title} ({short_title})"
            best[role_id] = (shown, exact)
    return best


def _role_tier(terms, key, exact_ids, word_ids) -> Case:
    """The Tier in SQL, so the MAX_HITS_PER_KIND roles a query keeps are the closest ones."""
    return Case(
        When(name__iexact=key, then=Value(Tier.EXACT_NAME)),
        When(
            Q(pk__in=exact_ids) | line_q("alternative_titles", key),
            then=Value(Tier.EXACT_TITLE),
        ),
        When(Q(*(word_q("name", term) for term in terms)), then=Value(Tier.NAME_WORDS)),
        When(
            Q(pk__in=word_ids) | Q(*(word_q("alternative_titles", term) for term in terms)),
            then=Value(Tier.TITLE_WORDS),
        ),
        default=Value(Tier.OTHER),
        output_field=IntegerField(),
    )


def _other_title(role, terms, key, imported) -> tuple[Tier, str]:
    """The tier a role reaches through its other titles, and the title that reached it."""
    lines = role.alternative_title_list
    for line in lines:
        if title_key(line) == key:
            return Tier.EXACT_TITLE, line
    if imported and imported[1]:
        return Tier.EXACT_TITLE, imported[0]
    for line in lines:
        if has_words(line, terms):
            return Tier.TITLE_WORDS, line
    if imported:
        return Tier.TITLE_WORDS, imported[0]
    return Tier.OTHER, ""


def _best(queryset):
    """The MAX_HITS_PER_KIND best-ranked matches, in a fixed order."""
    return queryset.order_by("-rank", "pk")[:MAX_HITS_PER_KIND]


def document_sql(model, fields=None) -> str:
    table = model._meta.db_table
    fields = fields or DOCUMENTS[model]
    columns = " || ' ' || ".join(f'COALESCE("{table}"."{field}", \'\')' for field in fields)
    return f"to_tsvector('{CONFIG}'::regconfig, {columns})"


class _PostgresMatcher:
    def __init__(self, query: str):
        self.query = query

    def _tsquery(self):
        return f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"

    def matching(self, queryset, model, fields=None):
        sql = f"{document_sql(model, fields)} @@ {self._tsquery()}"
        # The SQL is ours (column names from DOCUMENTS); the reader's query is a parameter.
        return queryset.filter(RawSQL(sql, (self.query,), output_field=BooleanField()))  # noqa: S611

    def filter(self, queryset, model, fields=None, extra: Q | None = None):
        document = document_sql(model, fields)
        matches = RawSQL(f"{document} @@ {self._tsquery()}", (self.query,), BooleanField())  # noqa: S611
        condition = Q(matches) | extra if extra is not None else Q(matches)
        rank = RawSQL(f"ts_rank({document}, {self._tsquery()})", (self.query,), FloatField())  # noqa: S611
        return queryset.filter(condition).annotate(rank=rank)


class _PortableMatcher:
    """Every word in some field: icontains, which SQLite runs case-insensitively for ASCII."""

    def __init__(self, terms: list[str]):
        self.terms = terms

    def _condition(self, fields) -> Q:
        condition = Q()
        for term in self.terms:
            any_field = Q()
            for field in fields:
                any_field |= Q(**{f"{field}__icontains": term})
            condition &= any_field
        return condition

    def matching(self, queryset, model, fields=None):
        return queryset.filter(self._condition(fields or DOCUMENTS[model]))

    def filter(self, queryset, model, fields=None, extra: Q | None = None):
        condition = self._condition(fields or DOCUMENTS[model])
        if extra is not None:
            condition |= extra
        return queryset.filter(condition).annotate(rank=Value(0.0, FloatField()))


_MARKDOWN_NOISE = re.compile(r"(?m)^\s*>\s?|[*_`#\[\]]|\(https?://[^)]*\)")


def highlight(text: str, terms: list[str], width: int = 180) -> SafeString:
    """A window of plain text around the first matched word, with every match in <mark>."""
    plain = " ".join(_MARKDOWN_NOISE.sub("", text or "").split())
    folded = plain.casefold()
    positions = [folded.find(term) for term in terms if folded.find(term) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    if start:
        start = plain.find(" ", start) + 1 or start
    window = plain[start : start + width]
    if start + width < len(plain):
        window = window.rsplit(" ", 1)[0] + " …"
    if start:
        window = "… " + window
    # Matched in the plain text, escaped piece by piece: a term can never land inside an entity
    # ("lt" in "&lt;") and split it.
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    pieces, end = [], 0
    for match in pattern.finditer(window):
        pieces += [
            html.escape(window[end : match.start()]),
            f"<mark>{html.escape(match[0])}</mark>",
        ]
        end = match.end()
    pieces.append(html.escape(window[end:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text escaped just above
