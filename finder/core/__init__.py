"""Records and rules every layer shares: mentors, filters, matches, goals, settings, errors.

Owns: ``models`` (Mentor, SearchFilters, Match, IngestReport), ``goal`` (what a mentee wants from
one session), ``settings`` (read from the environment by entry points only), ``errors`` (the one
error tree), ``wordfile`` (reading and validating the word files) and ``words`` (the one
stop-word list). May import: nothing from ``finder`` outside ``finder.core``, nor ``ingest``.
"""
