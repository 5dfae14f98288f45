"""The conversation: reading a message, asking what is missing, plans, and the assistant protocol.

Owns: ``slots`` and ``understanding`` (offline reading), ``planning`` (micro-session plans),
``assistant`` (the ``Assistant`` protocol, the offline assistant and the typed fallback) and
``conversation`` (turns over serialisable state), and their words as data (``lexicon``: the
understanding's, slot, planning and sentence rules and the quick-reply chips, as YAML).
May import: ``finder.core``, ``finder.search``, ``finder.outreach``.
"""
