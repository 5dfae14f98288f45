"""The search engine: embedding, the Chroma store, BM25, filters, fusion and ``MentorFinder``.

Owns: ``embedding``, ``store``, ``indexing`` (crash-safe writes), ``lexical`` (BM25), ``filters``,
``ranking`` (pure fusion, diversity, reasons), ``service`` (the typed API), ``retriever`` (the
API as a LangChain retriever) and ``demo`` (seeding the bundled mentors). May import:
``finder.core``, ``ingest`` and ``langchain_core``.
"""
