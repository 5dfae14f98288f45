"""Chat-model backends (LangChain) behind the dialogue's ``Assistant`` protocol.

Owns: ``chat_model`` (provider strings, prompts, structured output, ``make_assistant``).
May import: ``finder.core``, ``finder.search``, ``finder.outreach``, ``finder.dialogue``.
"""
