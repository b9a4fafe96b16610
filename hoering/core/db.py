"""The declarative base, shared column types and the database handle."""

from __future__ import annotations

import enum
import hashlib
import sqlite3
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import psycopg
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    DateTime,
    Dialect,
    Engine,
    Enum,
    Insert,
    LargeBinary,
    MetaData,
    String,
    Table,
    bindparam,
    event,
    insert,
    select,
    types,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.schema import ColumnDefault

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now_utc() -> datetime:
    """The current time in UTC (see hoering.core.clock for replaying history)."""
    from hoering.core.clock import now

    return now()


class UTCDateTime(types.TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use hoering.core.db.now_utc()")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column_type(enum_class: type[enum.Enum], name: str | None = None) -> Enum:
    """Store a StrEnum by its value as VARCHAR with a CHECK constraint (no native enum).

    ``name`` names the CHECK constraint; give one when a table has two columns of the
    same enum."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_class),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        name=name or enum_class.__name__.lower(),
    )


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )
    if TYPE_CHECKING:
        # SQLAlchemy types this as any FromClause; every model here is mapped to a Table
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)


# A row for ``insert_together``: its table and its values by column key.
Row = tuple[Table, dict[str, Any]]


def insert_together(*rows: Row) -> None:
    """Insert these rows, in the current transaction: on PostgreSQL in one statement (the
    first INSERT with the others as its data-modifying CTEs: they see the same snapshot,
    and foreign keys are checked at the end of the statement, so a row may refer to one
    inserted beside it), built once for each shape of rows and cached with its
    parameters bound by name; elsewhere one INSERT after the other (SQLite has no INSERT
    in a CTE). Consecutive rows of one table with the same columns are one INSERT of
    several rows, in their order (their ids follow it). Past the ORM's unit of work:
    flush first what it must see."""
    connection = db.session.connection()
    groups = _grouped(rows)
    if connection.dialect.name != "postgresql":
        for table, _keys, group in groups:
            connection.execute(insert(table), group)
        return
    connection.execute(
        _together(tuple((table, keys, len(group)) for table, keys, group in groups)),
        {f"r{n}_{i}_{key}": value for n, (_table, _keys, group) in enumerate(groups)
         for i, row in enumerate(group) for key, value in row.items()})


def _grouped(rows: tuple[Row, ...]) -> list[tuple[Table, tuple[str, ...], list[dict[str, Any]]]]:
    """Consecutive rows of one table with the same columns together, each with every
    column's Python-side default filled in."""
    groups: list[tuple[Table, tuple[str, ...], list[dict[str, Any]]]] = []
    for table, row in rows:
        filled = _with_defaults(table, row)
        if groups and groups[-1][0] is table and groups[-1][1] == tuple(filled):
            groups[-1][2].append(filled)
        else:
            groups.append((table, tuple(filled), [filled]))
    return groups


def _with_defaults(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with each column's Python-side default (``default=``) where it has no
    value: SQLAlchemy applies those to the statement executed, not to a CTE's INSERT."""
    missing = {column.key: column.default.arg(None) if column.default.is_callable
               else column.default.arg
               for column in table.columns if column.key not in row
               and isinstance(column.default, ColumnDefault)}
    return {**missing, **row}


@lru_cache(maxsize=64)
def _together(shape: tuple[tuple[Table, tuple[str, ...], int], ...]) -> Insert:
    """``insert_together``'s statement for so many rows of these tables and columns.
    Several rows of one table are an INSERT from a UNION ALL of their values, in their
    order (SQLAlchemy compiles a multi-row VALUES anew each time, not this)."""
    first, *others = (_insert_rows(n, table, keys, count)
                      for n, (table, keys, count) in enumerate(shape))
    return first.add_cte(*(other.cte(f"insert_{n}") for n, other in enumerate(others, 1)))


def _insert_rows(n: int, table: Table, keys: tuple[str, ...], count: int) -> Insert:
    def values(i: int) -> list[BindParameter[Any]]:
        return [bindparam(f"r{n}_{i}_{key}", type_=table.c[key].type) for key in keys]

    if count == 1:
        return insert(table).values(dict(zip(keys, values(0), strict=True)))
    return insert(table).from_select(
        list(keys), union_all(*(select(*values(i)) for i in range(count))))


class row_digest(FunctionElement[bytes]):  # noqa: N801 - used in SQL as a function
    """SHA-256 of a row's values, computed by the database, of a text that no other row
    gives: the values joined by commas, NULL as nothing, each text but the last after
    its length (``concat`` on PostgreSQL, ``printf`` on SQLite). A digest is comparable
    only with another from the same kind of database (booleans read differently)."""

    type = LargeBinary()
    inherit_cache = True
    name = "row_digest"


def _row_values(element: row_digest, compiler: Any, **kw: Any) -> list[str]:
    values = []
    clauses = list(element.clauses)
    for n, clause in enumerate(clauses):
        sql = compiler.process(clause, **kw)
        if isinstance(clause.type, String) and n < len(clauses) - 1:
            values.append(f"length({sql})")
        values.append(sql)
    return values


@compiles(row_digest, "postgresql")
def _row_digest_postgresql(element: row_digest, compiler: Any, **kw: Any) -> str:
    joined = ", ',', ".join(_row_values(element, compiler, **kw))  # concat: NULL as ''
    return f"sha256(convert_to(concat({joined}), 'UTF8'))"


@compiles(row_digest, "sqlite")
def _row_digest_sqlite(element: row_digest, compiler: Any, **kw: Any) -> str:
    values = _row_values(element, compiler, **kw)  # printf's %s: NULL as ''
    return f"hoering_sha256(printf('{','.join(['%s'] * len(values))}', {', '.join(values)}))"


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection: Any, _connection_record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection; and it has no SHA-256
    (``row_digest``) of its own."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        dbapi_connection.create_function("hoering_sha256", 1, _sha256, deterministic=True)


@event.listens_for(Engine, "connect")
def _no_jit_on_postgresql(dbapi_connection: Any, _connection_record: Any) -> None:
    """PostgreSQL compiles a query to machine code (JIT) when its estimated cost is high,
    as the big pages' aggregates over 100,000 remarks are: that takes longer than the
    query itself. Off for the app's connections."""
    if isinstance(dbapi_connection, psycopg.Connection):
        dbapi_connection.execute("SET jit = off")
        dbapi_connection.commit()


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Alembic autogenerate: write our column types as plain SQLAlchemy types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
