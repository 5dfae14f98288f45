"""Adapters that let other frameworks call mentor-finder; today LangChain (and so LangGraph).

Owns: ``langchain`` (the retriever, the ``find_mentors`` tool and the conversation as a
``Runnable``). May import every layer below ``finder.ui``: ``finder.assistants``,
``finder.dialogue``, ``finder.outreach``, ``finder.search``, ``ingest`` and ``finder.core``.
Nothing in ``finder`` imports it, and it does not import ``finder.ui`` (they are independent
siblings at the top of the import contract).
"""
