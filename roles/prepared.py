"""Queries whose SQL is built once per process and then run with each request's value.

Building a big queryset and compiling it to SQL is Python work that does not depend on the row
it asks for: the role profile's UNION of tasks, titles, technology, ratings and related roles
took about 7 ms to build and compile and 1 ms to run (tests/test_prepared.py keeps the two
paths equal). `Prepared(build)` calls `build(value, variant)` once per database and variant with a
placeholder value no row has, compiles it, and remembers where the placeholder sits among the
SQL's parameters; `rows(value)` runs that SQL with the placeholder swapped for `value`, with the
same conversions of column values the ORM applies (decimals, booleans, JSON).
"""

import threading
from weakref import ref as weak_ref

from django.db import DEFAULT_DB_ALIAS, connections

# An id no row has: negative, and odd enough that no other parameter of a query equals it.
PLACEHOLDER = -7_340_813_991


class Prepared:
    def __init__(self, build):
        """`build(value, variant)`: a values() queryset for the rows of `value` (an id)."""
        self.build = build
        self._compiled: dict = {}
        self._lock = threading.Lock()

    def _compile(self, key, using: str):
        with self._lock:
            if key not in self._compiled:
                queryset = self.build(PLACEHOLDER, key[2])
                compiler = queryset.query.get_compiler(using=using)
                sql, params = compiler.as_sql()
                positions = [i for i, param in enumerate(params) if _is_placeholder(param)]
                if not positions:
                    raise ValueError("The query does not use the value it is prepared for.")
                fields = [column[0] for column in compiler.select[: compiler.col_count]]
                self._compiled[key] = (sql, tuple(params), positions, fields)
        return self._compiled[key]

    def rows(self, value: int, *, variant=None, using: str = DEFAULT_DB_ALIAS) -> list[dict]:
        """The rows of `build(value)` as dicts by column name. `variant`: anything else the
        built query depends on (whether the reader sees drafts, say), so each gets its own SQL."""
        connection = connections[using]
        key = (using, connection.vendor, variant)
        sql, params, positions, fields = self._compiled.get(key) or self._compile(key, using)
        params = list(params)
        for position in positions:
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description][: len(fields)]
            rows = cursor.fetchall()
        return [dict(zip(names, row, strict=True)) for row in _converted(rows, fields, connection)]


def _converted(rows, columns, connection):
    """Each row as a list, its values converted as the ORM converts them (SQLCompiler's
    get_converters and apply_converters) for these columns, with this thread's `connection`;
    a column past them (one only the ordering needs) is dropped."""
    converters = []
    for index, column in enumerate(columns):
        chain = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if chain:
            converters.append((index, chain, column))
    for row in rows:
        row = list(row[: len(columns)])
        for index, chain, column in converters:
            for converter in chain:
                row[index] = converter(row[index], column, connection)
        yield row


def _is_placeholder(param) -> bool:
    return type(param) is int and param == PLACEHOLDER


def _placeholder_for(slot: int, value):
    """A value no row has, of `value`'s type, distinct for each slot."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"A prepared query takes ints and strings, not {type(value).__name__}.")
    if isinstance(value, int):
        return PLACEHOLDER - slot
    return f"~prepared placeholder {slot} {PLACEHOLDER}~"


class PreparedModels:
    """Prepared's sibling for a queryset of model instances that depends on a few values.

    `build(values, variant)` gets a placeholder for each value (of its type: int or str) and
    returns the queryset. It is built and compiled once per database, variant and shape of the
    values (how many, of which types); `objects(values)` runs that SQL with each value in its
    placeholders' places and makes the instances as the ORM does (django.db.models.query's
    ModelIterable: the deferred fields, select_related objects and annotations, with the ORM's
    conversions of column values). The comparison page's roles took about a quarter of the
    page to build and compile and well under a tenth to run (tests/test_prepared.py keeps
    the two paths equal)."""

    def __init__(self, build):
        self.build = build
        self._compiled: dict = {}
        self._lock = threading.Lock()

    def _compile(self, key, values: tuple, using: str):
        from django.db.models.query import _get_from_db, get_related_populators

        with self._lock:
            if key not in self._compiled:
                placeholders = tuple(_placeholder_for(i, value) for i, value in enumerate(values))
                queryset = self.build(placeholders, key[2])
                if queryset._known_related_objects or queryset._prefetch_related_lookups:
                    raise ValueError("A prepared queryset cannot carry related objects.")
                compiler = queryset.query.get_compiler(using=using)
                sql, params = compiler.as_sql()
                columns = [column[0] for column in compiler.select[: compiler.col_count]]
                if compiler.has_composite_fields(columns):
                    raise ValueError("A prepared queryset cannot select a composite field.")
                slots = {}
                for position, param in enumerate(params):
                    for slot, placeholder in enumerate(placeholders):
                        if type(param) is type(placeholder) and param == placeholder:
                            slots[position] = slot
                unused = set(range(len(values))) - set(slots.values())
                if unused:
                    raise ValueError(f"The query does not use the values {sorted(unused)}.")
                klass_info = compiler.klass_info
                select_fields = klass_info["select_fields"]
                start, end = select_fields[0], select_fields[-1] + 1
                fetch_mode = queryset._fetch_mode
                self._compiled[key] = (
                    sql,
                    tuple(params),
                    slots,
                    columns,
                    compiler.annotation_col_map,
                    (start, end),
                    [column[0].target.attname for column in compiler.select[start:end]],
                    _get_from_db(klass_info["model"], fetch_mode),
                    get_related_populators(klass_info, compiler.select, using, fetch_mode),
                    fetch_mode,
                )
        return self._compiled[key]

    def objects(self, values: tuple, *, variant=None, using: str = DEFAULT_DB_ALIAS) -> list:
        connection = connections[using]
        key = (using, connection.vendor, variant, tuple(type(value) for value in values))
        (sql, params, slots, columns, annotations, (start, end), *made) = self._compiled.get(
            key
        ) or self._compile(key, values, using)
        init_list, from_db, populators, fetch_mode = made
        params = list(params)
        for position, slot in slots.items():
            params[position] = values[slot]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found_objects, peers = [], []
        # With this thread's connection, not the one that compiled the SQL.
        for row in _converted(rows, columns, connection):
            obj = from_db(using, init_list, row[start:end])
            if fetch_mode.track_peers:
                peers.append(weak_ref(obj))
                obj._state.peers = peers
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            found_objects.append(obj)
        return found_objects
