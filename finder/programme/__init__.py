"""Micro-mentoring programmes: requests to mentors, their capacity, feedback and cohort matching.

Owns the requests database (SQLAlchemy; SQLite beside the index by default, PostgreSQL by URL;
Alembic migrations applied on open), the request lifecycle, capacity- and feedback-aware
ordering of matches, and cohort matching. May import: ``finder.core``, ``finder.search``,
``finder.outreach``; never ``finder.dialogue``, ``finder.assistants`` or ``finder.ui``.
"""
