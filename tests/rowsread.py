"""How many rows the database handed to Python: a list's cost that a query count alone does
not show (one query may read ten rows or a million)."""

from contextlib import contextmanager

from django.db import connection


class _Counting:
    """A DB-API cursor that counts the rows fetched through it."""

    def __init__(self, cursor, counter):
        self._cursor, self._counter = cursor, counter

    def fetchone(self):
        row = self._cursor.fetchone()
        self._counter.rows += row is not None
        return row

    def fetchmany(self, *args, **kwargs):
        rows = self._cursor.fetchmany(*args, **kwargs)
        self._counter.rows += len(rows)
        return rows

    def fetchall(self):
        rows = self._cursor.fetchall()
        self._counter.rows += len(rows)
        return rows

    def __iter__(self):
        for row in self._cursor:
            self._counter.rows += 1
            yield row

    def __getattr__(self, name):
        return getattr(self._cursor, name)


class Counter:
    rows = 0
    queries = 0


@contextmanager
def rows_read():
    """Counts the queries run and the rows they returned within the block (`.rows`,
    `.queries`) on the default connection."""
    counter = Counter()

    def wrapper(execute, sql, params, many, context):
        counter.queries += 1
        result = execute(sql, params, many, context)
        wrapped = context["cursor"]
        if not isinstance(wrapped.cursor, _Counting):
            wrapped.cursor = _Counting(wrapped.cursor, counter)
        return result

    with connection.execute_wrapper(wrapper):
        yield counter
