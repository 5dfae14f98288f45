"""The requests database: one engine per URL, migrations on open, and per-key write locks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from finder.core.errors import ConfigError, DatabaseError

log = logging.getLogger(__name__)

SQLITE_FILE = "requests.sqlite3"
_READ = "mentor_finder_read"  # the execution option that marks a read-only transaction
VERSION_TABLE = "mentor_finder_schema"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(home: Path, url: str | None) -> str:
    """The SQLAlchemy URL: ``url`` if given (postgresql:// means psycopg 3), else SQLite in home."""
    if not url:
        home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{home / SQLITE_FILE}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith(("postgresql+psycopg://", "sqlite:")):
        return url
    raise ConfigError(f"MENTOR_FINDER_DB_URL={_redacted(url)!r} can't be used: give a "
                      "postgresql://user:password@host/db URL, or leave it unset for SQLite")


def _redacted(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


def make_engine(url: str) -> Engine:
    """An engine whose transactions take the write lock up front on SQLite (BEGIN IMMEDIATE).

    SQLite's default deferred transactions would let two writers both read "one slot left"
    and then both insert; IMMEDIATE makes the check and the insert one serialised unit.
    """
    try:
        if url.startswith("sqlite"):
            engine = sa.create_engine(url, connect_args={"timeout": 30})

            @sa.event.listens_for(engine, "connect")
            def _connect(dbapi: Any, _record: Any) -> None:
                dbapi.isolation_level = None  # we issue BEGIN ourselves
                cursor = dbapi.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=FULL")
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.close()

            @sa.event.listens_for(engine, "begin")
            def _begin(conn: Connection) -> None:
                # A read (``reading``) begins deferred: in WAL mode it reads a snapshot and
                # takes no lock, so reads neither wait for the writer nor make it wait.
                read = conn.get_execution_options().get(_READ, False)
                conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

            return engine
        return sa.create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise ConfigError(f"the database driver for {_redacted(url)} is missing ({exc.name}); "
                          "pip install 'psycopg[binary]'") from exc
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"the database URL {_redacted(url)} can't be used: {exc}") from exc


def lock(conn: Connection, key: str) -> None:
    """Hold a write lock on ``key`` until the transaction ends (SQLite: the whole database)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                     {"key": key})


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest version (Alembic), under a lock so openers don't race."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with transaction(engine) as conn:
        lock(conn, "mentor-finder:migrate")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def current_version(engine: Engine) -> str | None:
    """The applied migration, or None before the first."""
    with transaction(engine) as conn:
        if not sa.inspect(conn).has_table(VERSION_TABLE):
            return None
        return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; SQLAlchemy's operational errors become DatabaseError."""
    try:
        with engine.begin() as conn:
            yield conn
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        raise _database_error(engine, exc) from exc


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One transaction that only reads: on SQLite it takes no write lock (see make_engine);
    errors as in ``transaction``."""
    try:
        with engine.connect() as conn:
            conn.execution_options(**{_READ: True})
            with conn.begin():
                yield conn
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        raise _database_error(engine, exc) from exc


def _database_error(engine: Engine, exc: sa.exc.DBAPIError) -> DatabaseError:
    where = engine.url.render_as_string(hide_password=True)
    return DatabaseError(f"the requests database at {where} failed: {exc.orig}; check that "
                         "it is reachable and writable (MENTOR_FINDER_DB_URL)")
