"""Opening the requests database for one index: URL, engine, migrations, the request book."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from finder.core.models import Mentor
from finder.programme.db import database_url, make_engine, migrate
from finder.programme.requests import RequestBook, utc_now


def open_database(home: Path, db_url: str | None = None) -> Engine:
    """The engine of the requests database (SQLite in ``home`` unless ``db_url``), migrated."""
    engine = make_engine(database_url(home, db_url))
    migrate(engine)
    return engine


def open_requests(home: Path, index: str, mentor_of: Callable[[str], Mentor], *,
                  db_url: str | None = None, max_open: int = 5, reply_days: int = 7,
                  clock: Callable[[], datetime] = utc_now) -> RequestBook:
    """The request book of ``index``: SQLite in ``home`` unless ``db_url`` names PostgreSQL.

    The schema is migrated to the newest version first.
    """
    return RequestBook(open_database(home, db_url), index, mentor_of, max_open=max_open,
                       reply_days=reply_days, clock=clock)
