"""Site search over roles, comparisons, FAQs and guides.

PostgreSQL: full-text search with `websearch_to_tsquery`, each table's document matched by a GIN
expression index (migration 0004 builds the same expressions as DOCUMENTS below). Elsewhere
(SQLite): every word must appear in one of the same fields. Both rank a hit whose title holds every
word first, then by relevance.
"""

import dataclasses
import html
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from roles.models import FAQ, Comparison, Criterion, Guide, Role, RoleCriterionValue
from roles.registry import content_models

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MIN_TERM_LENGTH = 2  # a single letter matches nearly everything
MAX_HITS_PER_KIND = 50  # what one query may fetch of each kind, however common its words
CONFIG = "english"

# Table -> the text columns of its search document, as each content model declares them
# (ContentModel.search_fields). Migration 0004 indexes exactly these.
DOCUMENTS = {model: model.search_fields for model in content_models() if model.search_fields}


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
    role_hits = _best(matcher.filter(roles, Role, extra=Q(pk__in=described_ids)))
    named = matcher.matching(roles, Role, fields=("name", "alternative_titles"))
    name_ids = set(named.values_list("pk", flat=True)[:MAX_MATCHED_ROLES])

    hits: list[SearchHit] = []
    for role in role_hits.with_values(user):
        cells = "; ".join(value.value for value in role.criterion_values.all())
        titles = ", ".join(role.alternative_title_list)
        text = f"{role.summary} Also called: {titles}. {cells}."
        hits.append(SearchHit("Role", role.name, role.get_absolute_url(), text, role.rank))
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
        title = hit.title.casefold()
        hit.title_match = all(term in title for term in terms)
        hit.exact_match = " ".join(search_terms(title)) == wanted
        hit.snippet = highlight(hit.text, terms)
    hits.sort(
        key=lambda h: (not h.exact_match, not h.title_match, -h.rank, KIND_ORDER[h.kind], h.title)
    )
    return hits


KIND_ORDER = {"Role": 0, "Comparison": 1, "Transition guide": 2, "FAQ": 3}
MAX_MATCHED_ROLES = 500  # roles matched through their values or names, before ranking


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
