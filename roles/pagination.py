"""Long lists split into pages addressed as ?page=N, for templates/roles/includes/_pagination.html.

Each page has one address: page 1 is the bare URL (a request for ?page=1 shows it too, but links
and the canonical URL never say so), and anything but the number of a page that exists answers
404. A lenient paginator would turn junk such as ?page=abc into copies of real pages.
"""

import re

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, QueryDict

PAGE_PARAM = "page"
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def paginate(
    request,
    items,
    per_page: int,
    *,
    params: dict[str, str] | None = None,
    count: int | None = None,
) -> Page:
    """The page of `items` that ?page= names, with the links the pagination nav needs.

    `params` are the filters this list keeps from page to page (empty values are left out);
    `count`, when the view already knows it, saves the paginator its COUNT query.
    """
    raw = request.GET.get(PAGE_PARAM, "1")
    if not _PAGE_NUMBER.fullmatch(raw):
        raise Http404("No such page.")
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: setting it skips the query
    try:
        page = paginator.page(int(raw))
    except InvalidPage:
        raise Http404("No such page.") from None

    kept = QueryDict(mutable=True)
    for name, value in (params or {}).items():
        if value:
            kept[name] = value

    def url(number: int) -> str:
        query = kept.copy()
        if number > 1:
            query[PAGE_PARAM] = str(number)
        return f"{request.path}?{query.urlencode()}" if query else request.path

    page.links = [
        (number, None if number == Paginator.ELLIPSIS else url(number))
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    page.previous_url = url(page.number - 1) if page.has_previous() else ""
    page.next_url = url(page.number + 1) if page.has_next() else ""
    # Page 1 keeps the site's rule (the bare path); later pages are pages of their own.
    page.canonical_url = request.build_absolute_uri(
        url(page.number) if page.number > 1 else request.path
    )
    return page
