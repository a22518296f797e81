"""The full-text index on each database, behind one interface.

Both backends index text that `segment` has already cut into words, one index table per kind of
document, keyed by the document's primary key (`rowid`):

- SQLite: an FTS5 table whose tokenizer keeps letters, digits and combining marks together
  (`unicode61` with `categories 'L* N* Co M*'`), ranked with bm25 and per-column weights.
- PostgreSQL: a `tsvector` with weights A-D and a GIN index, ranked with ts_rank; plus the plain
  text with a pg_trgm index for substring search when the words find nothing. The tsvector and
  the tsquery are literals of the segmented words (no PostgreSQL parser, stemming or stopwords
  in between), so both sides hold exactly the words `segment` cut.

A search is joined to the model's own table in SQL (`QuerySet.extra`, the one way to add an
unrelated table to a Django join), so the caller's visibility filters, facets, counts and pages
run in the same query as the match.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext, suppress
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Model, QuerySet

from platu.search import impacts
from platu.search.query import Parsed
from platu.search.registry import Table
from platu.search.segment import Row


def _tables() -> list[Table]:
    from platu.search import registry

    return registry.tables()


class Backend:
    vendor = ""
    # A subquery of the row ids given as one JSON array parameter (one compiled query for any
    # number of ids).
    id_list = "SELECT value FROM json_each(%s)"
    # Whether upsert stores the plain text for substring search (SQLite searches its FTS content).
    keeps_raw = False
    # Whether rows carry a tsvector literal (the indexer builds it with the segmentation).
    vectors = False

    # -- schema -------------------------------------------------------------------------------
    def create(self, cursor: Any) -> None:
        raise NotImplementedError

    def drop(self, cursor: Any) -> None:
        for table in _tables():
            cursor.execute(f"DROP TABLE IF EXISTS {table.name}")

    # -- writing ------------------------------------------------------------------------------
    def upsert(self, table: Table, rows: Sequence[Row], conn: Any = None) -> None:
        """rows: `segment.Row`s (row id, segmented text per column, raw text for substring
        search, tsvector literal). conn: the connection to write on."""
        raise NotImplementedError

    @contextmanager
    def writer(self, table: Table, conn: Any, expected: int) -> Iterator[Callable[[Sequence[Row]], None]]:
        """A function writing rows, for about `expected` rows in a row in the current
        transaction (a rebuild, an import)."""
        yield lambda rows: self.upsert(table, rows, conn)

    def optimize(self, tables: Sequence[Table] | None = None) -> None:
        """After a rebuild: compact the indexes and refresh the planner's statistics."""

    def delete(self, table: Table, ids: Iterable[int], conn: Any = None) -> None:
        ids = list(ids)
        if ids:
            with (conn or connection).cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {table.name} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids
                )
                self._rows_changed(cursor, table, ids)

    def clear(self, table: Table) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table.name}")
            self._cleared(cursor, table)

    def _rows_changed(self, cursor: Any, table: Table, ids: Sequence[int]) -> None:
        """Rows were written or deleted: what the backend keeps beside its index (SQLite's
        arrays, PostgreSQL's impact lists) follows. Called once by delete, upsert and clear."""

    def _cleared(self, cursor: Any, table: Table) -> None:
        """The index was emptied: so is what the backend keeps beside it."""

    def ids(self, table: Table) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {table.name}")
            return {row[0] for row in cursor.fetchall()}

    def size_bytes(self, table: Table) -> int:
        raise NotImplementedError

    # -- reading ------------------------------------------------------------------------------
    def compile(self, parsed: Parsed, *, any_word: bool = False, pairs: bool = True) -> str:
        """The query in this backend's syntax. pairs=False: without the optional pairs of words
        (they change the scores, never the matches)."""
        raise NotImplementedError

    def prefix(self, parsed: Parsed, table: Table, column: str) -> str:
        """All words in one column, the last as a prefix (for suggestions)."""
        raise NotImplementedError

    def match(
        self, qs: QuerySet[Any], table: Table, expression: str, *, score: bool = True, ranked_by: str = ""
    ) -> QuerySet[Any]:
        """qs restricted to rows whose document matches `expression` (in this backend's
        syntax), with a `score` (higher is better) when asked; `ranked_by`: another expression
        to score with (PostgreSQL; on SQLite bm25 scores the matched expression)."""
        raise NotImplementedError

    def substring(self, qs: QuerySet[Any], table: Table, words: Sequence[str]) -> QuerySet[Any]:
        """qs restricted to rows whose text contains every word as a substring."""
        raise NotImplementedError

    def best(self, table: Table, expression: str, limit: int) -> list[tuple[int, float]] | None:
        """The `limit` best-scoring documents matching `expression`, best first, from the index
        alone (no visibility yet): [(row id, score)]. None: this backend ranks in the joined
        query instead."""
        return None

    def topk(
        self,
        table: Table,
        parsed: Parsed,
        count: int,
        visible: Callable[[list[int]], list[int]],
    ) -> list[tuple[int, float]] | None:
        """The `count` best rows of an any-word question that `visible` keeps, proved by score
        bounds without scoring every match ([(row id, score)], best first); None when they
        cannot be proved: then every match is scored."""
        return None

    def all_words(
        self,
        table: Table,
        parsed: Parsed,
        count: int,
        visible: Callable[[list[int]], list[int]],
    ) -> list[tuple[int, float]] | None:
        """`topk` for the all-words form (the rows holding every word, ranked as the index
        ranks that form); None when the backend cannot: then the index ranks every match."""
        return None

    def count_rows(self, table: Table) -> int:
        """How many documents the table holds (cached for a few minutes)."""
        return _cached(("rows", table.name), lambda: self._count_rows(table))

    def documents(self, table: Table, words: tuple[str, ...]) -> int:
        """How many documents hold the words in a row (cached for a few minutes)."""
        return _cached(("docs", table.name, words), lambda: self._documents(table, words))

    def exact_documents(self, table: Table, words: tuple[str, ...]) -> int:
        """How many documents hold the words in a row, counted exactly (cached a few minutes)."""
        return _cached(("exact", table.name, words), lambda: self._exact_documents(table, words))

    def _exact_documents(self, table: Table, words: tuple[str, ...]) -> int:
        return self._documents(table, words)

    def _count_rows(self, table: Table) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table.name}")
            return int(cursor.fetchone()[0])

    def _documents(self, table: Table, words: tuple[str, ...]) -> int:
        raise NotImplementedError

    def holding(self, table: Table, rowids: Sequence[int], words: Sequence[str]) -> dict[int, set[str]]:
        """Which of `words` each of the documents `rowids` holds."""
        raise NotImplementedError

    def narrow(self, model: type[Model]) -> AbstractContextManager[None]:
        """Within this block, queries that need no more of `model`'s row than its narrow
        covering index holds read the index instead of the row (SQLite)."""
        return nullcontext()

    @staticmethod
    def _pk(qs: QuerySet[Any]) -> str:
        model: type[Model] = qs.model
        return f'"{model._meta.db_table}"."{model._meta.pk.column}"'  # type: ignore[union-attr]


_counts: dict[tuple[Any, ...], tuple[float, int]] = {}
_counts_lock = threading.Lock()
COUNT_SECONDS = 300.0


def _cached(key: tuple[Any, ...], compute: Callable[[], int]) -> int:
    now = time.monotonic()
    with _counts_lock:
        hit = _counts.get(key)
        if hit and now - hit[0] < COUNT_SECONDS:
            return hit[1]
    value = compute()
    with _counts_lock:
        if len(_counts) > 50_000:
            _counts.clear()
        _counts[key] = (now, value)
    return value


def forget_counts() -> None:
    """Drop the cached document counts (tests; after a rebuild): SQLite's sampled ones and
    PostgreSQL's shares from its statistics too."""
    from platu.search import ranking

    with _counts_lock:
        _counts.clear()
        _shares.clear()
    with ranking._cache_lock:
        ranking._cache.clear()


def narrowed(sql: str, table: str, index: str, columns: set[str]) -> str:
    """`sql` reading `table` through `index` (SQLite's INDEXED BY) when the index holds every
    column of the table that `sql` names; else `sql` as it is."""
    if not set(re.findall(rf'"{table}"\."(\w+)"', sql)) <= columns:
        return sql
    return re.sub(
        rf'\bFROM "{table}"(?= INNER | LEFT | , | WHERE |$)',
        f'FROM "{table}" INDEXED BY "{index}"',
        sql,
        count=1,
    )


class SQLiteBackend(Backend):
    vendor = "sqlite"
    TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
    # FTS5 keeps a transaction's new terms in memory up to this size before writing a segment
    # (default 1 MB): fewer, larger segments to merge make a rebuild ~25 % faster.
    HASHSIZE = 16 * 1024 * 1024

    def create(self, cursor: Any) -> None:
        for table in _tables():
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table.name} USING fts5("
                f'{", ".join(table.columns)}, tokenize = "{self.TOKENIZE}")'
            )
            impacts.create(cursor, table)
        self.configure(cursor)

    def drop(self, cursor: Any) -> None:
        super().drop(cursor)
        for table in _tables():
            impacts.drop(cursor, table)

    def _rows_changed(self, cursor: Any, table: Table, ids: Sequence[int]) -> None:
        # Also what upsert rewrites (it deletes first): the rows' arrays are out of date.
        impacts.changed(cursor, table, ids)

    def _cleared(self, cursor: Any, table: Table) -> None:
        impacts.clear(cursor, table)

    def configure(self, cursor: Any) -> None:
        for table in _tables():
            cursor.execute(
                f"INSERT INTO {table.name}({table.name}, rank) VALUES ('hashsize', %s)", [self.HASHSIZE]
            )

    @contextmanager
    def narrow(self, model: type[Model]) -> Iterator[None]:
        # Matching many items joins each to its row for the visibility columns; a row holds
        # the item's text (a page or more), so reading 1,000 matches reads megabytes. SQLite
        # looks rows up by primary key whenever it can (the covering index costs it the same),
        # hence the explicit INDEXED BY.
        table = model._meta.db_table
        wanted = getattr(model, "SEARCH_INDEX", None)  # the model's name for it
        index = next((i for i in model._meta.indexes if wanted and i.name == wanted), None)
        if index is None:
            yield
            return
        name = str(index.name)
        columns = {str(getattr(model._meta.get_field(f), "column", f)) for f in index.fields}

        def hint(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            return execute(narrowed(sql, table, name, columns), params, many, context)

        with connection.execute_wrapper(hint):
            yield

    def upsert(self, table: Table, rows: Sequence[Row], conn: Any = None) -> None:
        if not rows:
            return
        marks = ", ".join(["%s"] * (len(table.columns) + 1))
        with (conn or connection).cursor() as cursor:
            self.delete(table, [row[0] for row in rows], conn)
            cursor.executemany(
                f"INSERT INTO {table.name} (rowid, {', '.join(table.columns)}) VALUES ({marks})",
                [(rowid, *texts) for rowid, texts, _raw, _vector in rows],
            )

    def optimize(self, tables: Sequence[Table] | None = None) -> None:
        # Merge each FTS5 index's segments into one b-tree (a rebuild leaves dozens): a query
        # then reads one list per word.
        with connection.cursor() as cursor:
            for table in tables if tables is not None else _tables():
                cursor.execute(f"INSERT INTO {table.name}({table.name}) VALUES ('optimize')")
            cursor.execute("PRAGMA optimize")
        for table in tables if tables is not None else _tables():
            impacts.build(table)  # the words' arrays of a large index (impacts.py)

    def size_bytes(self, table: Table) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE %s", [f"{table.name}%"]
                )
                return int(cursor.fetchone()[0])
            except Exception:  # dbstat is a compile-time option of SQLite
                return 0

    def compile(self, parsed: Parsed, *, any_word: bool = False, pairs: bool = True) -> str:
        return parsed.fts5(any_word=any_word, pairs=pairs)

    def prefix(self, parsed: Parsed, table: Table, column: str) -> str:
        return parsed.prefix_fts5(column)

    def match(
        self, qs: QuerySet[Any], table: Table, expression: str, *, score: bool = True, ranked_by: str = ""
    ) -> QuerySet[Any]:
        weights = ", ".join(str(w) for w in table.weights)
        if not (score and ranked_by):
            return qs.extra(
                tables=[table.name],
                where=[f"{table.name}.rowid = {self._pk(qs)}", f"{table.name} MATCH %s"],
                params=[expression],
                select={"score": f"-bm25({table.name}, {weights})"} if score else {},
            )
        # bm25 scores the expression it matches: match `ranked_by`, keep the rows `expression`
        # matches.
        return qs.extra(
            tables=[table.name],
            where=[
                f"{table.name}.rowid = {self._pk(qs)}",
                f"{table.name} MATCH %s",
                f"{table.name}.rowid IN (SELECT rowid FROM {table.name} WHERE {table.name} MATCH %s)",
            ],
            params=[ranked_by, expression],
            select={"score": f"-bm25({table.name}, {weights})"},
        )

    def substring(self, qs: QuerySet[Any], table: Table, words: Sequence[str]) -> QuerySet[Any]:
        # The FTS table holds the segmented text: without its spaces it is the original text
        # (lower-cased), so a word that crosses a segment boundary is still found.
        text = " || ".join(f"{table.name}.{column}" for column in table.columns[:-1])
        return qs.extra(
            tables=[table.name],
            where=[f"{table.name}.rowid = {self._pk(qs)}"]
            + [f"instr(replace({text}, ' ', ''), %s) > 0" for _ in words],
            params=[w.replace(" ", "") for w in words],
            select={"score": "0"},
        )

    def best(self, table: Table, expression: str, limit: int) -> list[tuple[int, float]] | None:
        # FTS5 sorts by rank inside the virtual table (its own sorter, bm25 in C, no join to
        # the items): the cost of scoring every match, without the cost of joining each one.
        weights = ", ".join(str(w) for w in table.weights)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -rank FROM {table.name} WHERE {table.name} MATCH %s "
                f"AND rank MATCH 'bm25({weights})' ORDER BY rank LIMIT %s",
                [expression, limit],
            )
            return [(int(rowid), float(score)) for rowid, score in cursor.fetchall()]

    def topk(
        self,
        table: Table,
        parsed: Parsed,
        count: int,
        visible: Callable[[list[int]], list[int]],
    ) -> list[tuple[int, float]] | None:
        from platu.search import topk

        documents = partial(self.exact_documents, table)
        found = impacts.best(table, parsed, count, visible, documents)
        if found is None:
            found = topk.best(table, parsed, count, visible, documents)
        return found

    def all_words(
        self,
        table: Table,
        parsed: Parsed,
        count: int,
        visible: Callable[[list[int]], list[int]],
    ) -> list[tuple[int, float]] | None:
        return impacts.best_all(table, parsed, count, visible, partial(self.exact_documents, table))

    def _count_rows(self, table: Table) -> int:
        from platu.search import ranking

        return ranking.rows(table)

    def _documents(self, table: Table, words: tuple[str, ...]) -> int:
        from platu.search import ranking

        return ranking.documents(table, words, self.count_rows(table))

    def _exact_documents(self, table: Table, words: tuple[str, ...]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {table.name} WHERE {table.name} MATCH %s",
                ['"' + " ".join(words) + '"'],
            )
            return int(cursor.fetchone()[0])

    def holding(self, table: Table, rowids: Sequence[int], words: Sequence[str]) -> dict[int, set[str]]:
        from platu.search import ranking

        found = impacts.holding(table, rowids, words)
        if found is not None:
            return found
        wanted = set(words)
        return {
            rowid: {w for column in columns for w in column if w in wanted}
            for rowid, columns in ranking.stored_words(table, rowids, split=str.split).items()
        }


class PostgresBackend(Backend):
    vendor = "postgresql"
    id_list = "SELECT jsonb_array_elements_text(%s::jsonb)::bigint"
    keeps_raw = True
    vectors = True

    def create(self, cursor: Any) -> None:
        from platu.search import pgtopk

        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in _tables():
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {table.name} "
                "(rowid bigint PRIMARY KEY, vector tsvector NOT NULL, raw text NOT NULL)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {table.name}_vector ON {table.name} USING gin (vector)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {table.name}_raw ON {table.name} USING gin (raw gin_trgm_ops)"
            )
            # Each word's and pair's best rows (pgtopk.py), built from the rows the table holds
            # when new (or made before the pairs were listed).
            pgtopk.create_log(cursor, table)
            if not pgtopk.current(cursor, table):
                pgtopk.drop_impacts(cursor, table.name)
        for table in _tables():
            pgtopk.build(table)  # new, or made before (pairs) or not yet (after a bulk rebuild)

    def drop(self, cursor: Any) -> None:
        from platu.search import pgtopk

        for table in _tables():
            pgtopk.drop_impacts(cursor, table.name)
            cursor.execute(f"DROP TABLE IF EXISTS {pgtopk.log(table)}")
        super().drop(cursor)

    @contextmanager
    def narrow(self, model: type[Model]) -> Iterator[None]:
        # The planner prices `vector @@ query` as a cheap filter, so under a LIMIT (counting up
        # to PLATU_SEARCH_COUNT_MAX matches) it walks the index table and tests each row: each
        # test reads and decompresses the row's vector (~15 us; 110-180 ms to count 1,001 of
        # 9k matches), where the GIN index finds the same rows in a few milliseconds. A walk is
        # a sequential scan, or an index scan of the row ids (in id order, to merge with the
        # items' ids, or whole when sequential scans are off): a statement that matches is
        # planned without either (the other tables are read by bitmap or index-only scans), and
        # without parallel workers (starting them costs more than such a statement: 45 → 14 ms).
        def hint(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            if " @@ " not in sql:
                return execute(sql, params, many, context)
            # The driver's own cursor: not the statement's (its rows), nor Django's wrappers.
            with context["connection"].connection.cursor() as cursor:
                cursor.execute("; ".join(f"SET {name} = {value}" for name, value in MATCH_PLANS))
                try:
                    return execute(sql, params, many, context)
                finally:
                    with suppress(DatabaseError):  # an aborted transaction undoes the SET itself
                        cursor.execute("; ".join(f"RESET {name}" for name, _value in MATCH_PLANS))

        with ExitStack() as stack:
            for alias in connections:
                if connections[alias].vendor == "postgresql":
                    stack.enter_context(connections[alias].execute_wrapper(hint))
            yield

    def upsert(self, table: Table, rows: Sequence[Row], conn: Any = None) -> None:

        # The tsvector comes as a literal built with the segmentation (in the indexer's worker
        # processes): to_tsvector would parse every word again on the server.
        if not rows:
            return
        with (conn or connection).cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table.name} (rowid, vector, raw) VALUES (%s, %s::tsvector, %s) "
                "ON CONFLICT (rowid) DO UPDATE SET vector = EXCLUDED.vector, raw = EXCLUDED.raw",
                [(row[0], row[3], row[2]) for row in rows],
            )
            self._rows_changed(cursor, table, [row[0] for row in rows])

    def _rows_changed(self, cursor: Any, table: Table, ids: Sequence[int]) -> None:
        from platu.search import pgtopk

        pgtopk.write_impacts(cursor, table, ids)

    def clear(self, table: Table) -> None:
        from platu.search import pgtopk

        with connection.cursor() as cursor:
            pgtopk.create_log(cursor, table)
            pgtopk.exclusive(cursor, table)  # before the table's own lock (no deadlock)
        super().clear(table)

    def _cleared(self, cursor: Any, table: Table) -> None:
        from platu.search import pgtopk

        cursor.execute(f"DELETE FROM {pgtopk.log(table)}")
        if pgtopk.ready(cursor, table):
            cursor.execute(f"DELETE FROM {pgtopk.impacts(table)}")
            cursor.execute(f"DELETE FROM {pgtopk.floors(table)}")

    @contextmanager
    def writer(self, table: Table, conn: Any, expected: int) -> Iterator[Callable[[Sequence[Row]], None]]:
        if not conn.in_atomic_block:
            yield lambda rows: self.upsert(table, rows, conn)
            return
        minimum = int(getattr(settings, "PLATU_SEARCH_BULK_MIN", 5000))
        if expected >= minimum and expected * 2 >= self._count(table, conn, expected * 2 + 1):
            with self._rebuilding(table, conn) as write:
                yield write
            return
        # GIN indexes take new rows into a pending list (4 MB by default) and merge it into the
        # index when full: a larger list for this transaction means fewer, larger merges.
        with conn.cursor() as cursor:
            cursor.execute("SET LOCAL gin_pending_list_limit = '64MB'")
        yield lambda rows: self.upsert(table, rows, conn)
        # Merge what is pending now, so that searches do not scan a long pending list.
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(%s::regclass), gin_clean_pending_list(%s::regclass)",
                [f"{table.name}_vector", f"{table.name}_raw"],
            )

    @staticmethod
    def _count(table: Table, conn: Any, limit: int) -> int:
        with conn.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table.name} LIMIT %s) AS t", [limit])
            return int(cursor.fetchone()[0])

    @contextmanager
    def _rebuilding(self, table: Table, conn: Any) -> Iterator[Callable[[Sequence[Row]], None]]:
        """Writing as many rows as the table holds or more: load them into a new table without
        indexes (COPY), add the old table's other rows, build the indexes once and swap the
        tables at commit. Building a GIN index costs a fraction of inserting into one row by
        row (the trigram index most). Searches read the old table until the commit; writers
        and another bulk wait for it (as they would for the rows a rebuild rewrites)."""
        from platu.search import pgtopk

        name, new = table.name, f"{table.name}_new"
        with conn.cursor() as cursor:
            pgtopk.create_log(cursor, table)
            pgtopk.exclusive(cursor, table)  # a build of the lists ends first
            # Readers go on; writers, and a second rebuild, wait for the commit.
            cursor.execute(f"LOCK TABLE {name} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"DROP TABLE IF EXISTS {new}")
            cursor.execute(
                f"CREATE TABLE {new} (rowid bigint NOT NULL, vector tsvector NOT NULL, raw text NOT NULL)"
            )

        def write(rows: Sequence[Row]) -> None:
            with (
                conn.cursor() as cursor,
                cursor.cursor.copy(f"COPY {new} (rowid, vector, raw) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row((row[0], row[3], row[2]))

        yield write
        with conn.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(f"ALTER TABLE {new} ADD CONSTRAINT {new}_pkey PRIMARY KEY (rowid)")
            cursor.execute(
                f"INSERT INTO {new} (rowid, vector, raw) SELECT rowid, vector, raw FROM {name} "
                "ON CONFLICT (rowid) DO NOTHING"
            )
            cursor.execute(f"CREATE INDEX {new}_vector ON {new} USING gin (vector)")
            cursor.execute(f"CREATE INDEX {new}_raw ON {new} USING gin (raw gin_trgm_ops)")
            cursor.execute(f"DROP TABLE {name}")
            cursor.execute(f"ALTER TABLE {new} RENAME TO {name}")
            cursor.execute(f"ALTER TABLE {name} RENAME CONSTRAINT {new}_pkey TO {name}_pkey")
            for suffix in ("vector", "raw"):
                cursor.execute(f"ALTER INDEX {new}_{suffix} RENAME TO {name}_{suffix}")
            # The words' lists are made after the commit (pgtopk.build: minutes for 100k items,
            # 80 % of a rebuild's time were they made here); questions rank every match until then.
            pgtopk.drop_impacts(cursor, name)
            cursor.execute(f"DELETE FROM {pgtopk.log(table)}")
            cursor.execute(f"ANALYZE {name}")
        transaction.on_commit(partial(_build_lists, table.name), using=conn.alias)

    def optimize(self, tables: Sequence[Table] | None = None) -> None:
        # The GIN pending lists were merged by the writer; the planner needs fresh statistics
        # (most common words) to choose between the GIN index and a walk in id order. Outside
        # a transaction, VACUUM also marks the new rows visible to all, so that the words' lists
        # are read from their index alone (pgtopk.py) rather than visiting every row.
        from platu.search import pgtopk

        for table in tables if tables is not None else _tables():
            pgtopk.build(table)  # the lists a bulk rebuild left to make
            with connection.cursor() as cursor:
                if connection.in_atomic_block:
                    cursor.execute(f"ANALYZE {table.name}")
                    continue
                cursor.execute(f"VACUUM (ANALYZE) {table.name}")
                cursor.execute(f"VACUUM (ANALYZE) {pgtopk.impacts(table)}")

    def size_bytes(self, table: Table) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [table.name])
            return int(cursor.fetchone()[0])

    def compile(self, parsed: Parsed, *, any_word: bool = False, pairs: bool = True) -> str:
        return parsed.tsquery(any_word=any_word, pairs=pairs)

    def prefix(self, parsed: Parsed, table: Table, column: str) -> str:
        return parsed.prefix_tsquery(table.letters[table.columns.index(column)])

    def match(
        self, qs: QuerySet[Any], table: Table, expression: str, *, score: bool = True, ranked_by: str = ""
    ) -> QuerySet[Any]:
        rank = ranked_by or expression
        return qs.extra(
            tables=[table.name],
            where=[
                f"{table.name}.rowid = {self._pk(qs)}",
                f"{table.name}.vector @@ %s::tsquery",
            ],
            params=[expression],
            select={"score": f"ts_rank({table.name}.vector, %s::tsquery)"} if score else {},
            select_params=[rank] if score else [],
        )

    def topk(
        self,
        table: Table,
        parsed: Parsed,
        count: int,
        visible: Callable[[list[int]], list[int]],
    ) -> list[tuple[int, float]] | None:
        from platu.search import pgtopk

        return pgtopk.best(
            table, parsed, count, visible, partial(self.documents, table), self.count_rows(table)
        )

    def all_words(
        self,
        table: Table,
        parsed: Parsed,
        count: int,
        visible: Callable[[list[int]], list[int]],
    ) -> list[tuple[int, float]] | None:
        # One word: its rows by its impact (ts_rank with the fields' weights, by the row's
        # length), read best first from its list. ts_rank over every match read each matched
        # vector: a KM word in 80 % of 10k items took 70-130 ms, ten times that at 100k.
        units = parsed.units
        if len(units) != 1 or units[0].is_phrase or units[0].alternative or parsed.excluded:
            return None
        return self.topk(table, parsed, count, visible)

    def _documents(self, table: Table, words: tuple[str, ...]) -> int:
        # Counting a common word's rows reads most of the table (ของ, in 93 % of 100k items:
        # a 1 s scan), yet its callers (the common words, the re-ranking's idf) need no more
        # than an estimate of it: ANALYZE's share of the sampled rows, for a word in at least
        # ESTIMATE_SHARE of a large table. Rarer words are counted (a short GIN list).
        if len(words) == 1:
            rows = self.count_rows(table)
            if rows >= ESTIMATE_MIN_ROWS:
                share = common_shares(table).get(words[0], 0.0)
                if share >= ESTIMATE_SHARE:
                    return min(rows, round(share * rows))
        return self._exact_documents(table, words)

    def _exact_documents(self, table: Table, words: tuple[str, ...]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {table.name} WHERE vector @@ %s::tsquery",
                [" <-> ".join(f"'{w}'" for w in words)],
            )
            return int(cursor.fetchone()[0])

    def holding(self, table: Table, rowids: Sequence[int], words: Sequence[str]) -> dict[int, set[str]]:
        tests = ", ".join("vector @@ %s::tsquery" for _ in words)
        out: dict[int, set[str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {tests} FROM {table.name} WHERE rowid = ANY(%s)",
                [f"'{w}'" for w in words] + [list(rowids)],
            )
            for rowid, *held in cursor.fetchall():
                out[rowid] = {w for w, yes in zip(words, held, strict=True) if yes}
        return out

    def substring(self, qs: QuerySet[Any], table: Table, words: Sequence[str]) -> QuerySet[Any]:
        escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
        return qs.extra(
            tables=[table.name],
            where=[f"{table.name}.rowid = {self._pk(qs)}"] + [f"{table.name}.raw LIKE %s" for _ in words],
            params=[f"%{w}%" for w in escaped],
            select={"score": "0"},
        )


def _build_lists(name: str) -> None:
    from platu.search.tasks import rebuild_impacts

    rebuild_impacts.enqueue(name)


# What PostgresBackend.narrow sets for a statement that matches (see there).
MATCH_PLANS = (
    ("enable_seqscan", "off"),
    ("enable_indexscan", "off"),
    ("max_parallel_workers_per_gather", "0"),
)
ESTIMATE_MIN_ROWS = 10_000  # smaller tables count every word (ANALYZE may not have run yet)
ESTIMATE_SHARE = 0.05  # a word in at least this share of the rows is estimated, not counted
_shares: dict[str, tuple[float, dict[str, float]]] = {}


def common_shares(table: Table) -> dict[str, float]:
    """The most common words of a PostgreSQL index and the share of the rows holding each, as
    ANALYZE sampled them (pg_stats.most_common_elems of the tsvector: every word in more than
    about 1 % of the sample, up to 10 x the statistics target); cached a few minutes."""
    now = time.monotonic()
    with _counts_lock:
        hit = _shares.get(table.name)
        if hit and now - hit[0] < COUNT_SECONDS:
            return hit[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'vector'",
            [table.name],
        )
        row = cursor.fetchone()
    shares: dict[str, float] = {}
    if row and row[0] and row[1]:
        shares = {str(w): float(f) for w, f in zip(row[0], row[1], strict=False)}
    with _counts_lock:
        _shares[table.name] = (now, shares)
    return shares


def get_backend(vendor: str | None = None) -> Backend:
    vendor = vendor or connection.vendor
    if vendor == "postgresql":
        return PostgresBackend()
    if vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search backend for {vendor}")
