"""The first message to a mentor: drafts, their phrases, suggested questions and the checker.

Owns: ``drafting`` (OutreachDraft, offline drafts, ``check_draft``), ``phrasing``, ``questions``,
and their words as data (``wordfiles``: ``draft_checks.yaml``, ``phrasing.yaml``,
``questions.yaml``). May import: ``finder.core`` and ``finder.search`` (the embedder for question
intents).
"""
