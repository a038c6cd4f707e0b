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
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        converters = []
        for index, field in enumerate(fields):
            found = connection.ops.get_db_converters(field) + field.get_db_converters(connection)
            if found:
                converters.append((index, found, field))
        result = []
        for row in rows:
            row = list(row)
            for index, found, field in converters:
                for converter in found:
                    row[index] = converter(row[index], field, connection)
            result.append(dict(zip(names, row, strict=True)))
        return result


def _is_placeholder(param) -> bool:
    return type(param) is int and param == PLACEHOLDER
