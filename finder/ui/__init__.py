"""Front ends: the Gradio page and its plain-function logic, and the ``mentor-finder`` CLI.

Owns: ``web`` (per-session state, cards), ``page`` (Gradio wiring), ``cli``. May import every
other layer of ``finder`` and ``ingest``; nothing imports ``finder.ui``.
"""
