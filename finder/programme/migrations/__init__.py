"""Alembic migrations of the requests database, applied by ``finder.programme.db.migrate``."""
