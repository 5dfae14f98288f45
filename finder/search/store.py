"""The vector store: one Chroma collection per index, embedded on disk or on a Chroma server."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlparse

import numpy as np

from finder.core.errors import ConfigError, StoreError

COLLECTION_PREFIX = "mentors"
PAGE = 5000  # rows per read


class Hit(NamedTuple):
    """One stored vector returned by a query (a tuple: a query makes hundreds)."""

    id: str
    similarity: float


def _client_settings():  # type: ignore[no-untyped-def]
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def collection_name(index: str) -> str:
    """Chroma's name for an index: organisations get their own collection, never shared."""
    name = f"{COLLECTION_PREFIX}-{index}".lower()
    if not all(c.isalnum() or c in "._-" for c in name) or len(name) > 200:
        raise ConfigError(
            f"index name {index!r} must use letters, digits, '.', '_' or '-' only"
        )
    return name


class ChromaStore:
    """Vectors with metadata in one Chroma collection; every Chroma error becomes a StoreError."""

    def __init__(self, client: Any, index: str, where: str, *, part: str = "",
                 path: Path | None = None) -> None:
        self._client = client
        self._path = path  # the folder of an embedded Chroma; None on a server
        self.where = where
        self.index = index
        self.name = collection_name(index) + (f"-{part}" if part else "")
        try:
            self._collection = client.get_or_create_collection(
                self.name, configuration={"hnsw": {"space": "cosine", "ef_search": 200}},
                embedding_function=None,
            )
            self.max_batch = int(client.get_max_batch_size())
        except Exception as exc:
            raise StoreError(f"could not open the Chroma collection at {where}: {exc}") from exc

    def sibling(self, part: str) -> ChromaStore:
        """Another collection of the same index, on the same client (e.g. its sentences)."""
        return ChromaStore(self._client, self.index, self.where, part=part, path=self._path)

    def fresh(self) -> ChromaStore:
        """This collection through a new client that sees every other process's writes.

        An embedded Chroma keeps its vector index in memory per process and never re-reads
        what another process wrote (a server has no such cache, so it is returned as is).
        """
        if self._path is None:
            return self
        from chromadb.api.shared_system_client import SharedSystemClient

        # Chroma shares one client per folder in a process; forget it so the next is new.
        SharedSystemClient._identifier_to_system.pop(str(self._path), None)
        return ChromaStore.persistent(self._path, self.index)

    @classmethod
    def persistent(cls, path: Path, index: str = "default") -> ChromaStore:
        """An embedded Chroma in ``path`` (created if missing)."""
        try:
            import chromadb

            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=_client_settings())
        except Exception as exc:
            raise StoreError(f"could not open the Chroma database in {path}: {exc}") from exc
        return cls(client, index, str(path), path=path)

    @classmethod
    def server(cls, url: str, index: str = "default") -> ChromaStore:
        """A Chroma server at ``url`` (``http://host:port``), e.g. one started by ``chroma run``."""
        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            raise ConfigError(
                f"MENTOR_FINDER_CHROMA_URL must look like http://host:8000, got {url!r}"
            )
        try:
            import chromadb

            client = chromadb.HttpClient(
                host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 80),
                ssl=parsed.scheme == "https", settings=_client_settings(),
            )
            client.heartbeat()
        except Exception as exc:
            raise StoreError(
                f"no Chroma server answers at {url} ({exc}); start one with "
                "`chroma run --path DIR --port PORT` or unset MENTOR_FINDER_CHROMA_URL"
            ) from exc
        return cls(client, index, url)

    def _batches(self, size: int) -> Iterator[slice]:
        step = max(1, min(self.max_batch, 2000))
        for start in range(0, size, step):
            yield slice(start, min(size, start + step))

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, documents: Sequence[str],
               metadatas: Sequence[dict[str, Any]]) -> None:
        """Write vectors; a call under the batch limit is one transaction."""
        try:
            for part in self._batches(len(ids)):
                self._collection.upsert(
                    ids=list(ids[part]), embeddings=vectors[part], documents=list(documents[part]),
                    metadatas=list(metadatas[part]),
                )
        except Exception as exc:
            raise StoreError(f"writing to Chroma at {self.where} failed: {exc}") from exc

    def delete(self, ids: Sequence[str] = (), where: dict[str, Any] | None = None) -> None:
        try:
            if ids:
                for part in self._batches(len(ids)):
                    self._collection.delete(ids=list(ids[part]))
            if where:
                self._collection.delete(where=where)
        except Exception as exc:
            raise StoreError(f"deleting from Chroma at {self.where} failed: {exc}") from exc

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None) -> list[Hit]:
        """The ``n`` nearest vectors that satisfy ``where``, nearest first (ids and cosines).

        Only distances are fetched: reading metadata for hundreds of hits costs more than the
        nearest-neighbour search itself.
        """
        try:
            result = self._collection.query(
                query_embeddings=[vector], n_results=n, where=where, include=["distances"],
            )
        except Exception as exc:
            raise StoreError(f"querying Chroma at {self.where} failed: {exc}") from exc
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [Hit(i, 1.0 - float(d)) for i, d in zip(ids, distances)]

    def get(self, ids: Sequence[str] | None = None, where: dict[str, Any] | None = None,
            include: Sequence[str] = ("metadatas",)) -> dict[str, Any]:
        """Rows by id, or every row matching ``where``; read in pages, because Chroma refuses
        one read of more than about 32,000 rows ("too many SQL variables")."""
        try:
            if ids is not None:
                merged: dict[str, Any] = {"ids": []}
                for part in self._batches(len(ids)):
                    self._merge(merged, self._collection.get(
                        ids=list(ids[part]), where=where, include=list(include)), include)
                return merged
            merged = {"ids": []}
            offset = 0
            while True:
                page = self._collection.get(where=where, include=list(include), limit=PAGE,
                                            offset=offset)
                self._merge(merged, page, include)
                if len(page["ids"]) < PAGE:
                    return merged
                offset += PAGE
        except Exception as exc:
            raise StoreError(f"reading from Chroma at {self.where} failed: {exc}") from exc

    @staticmethod
    def _merge(merged: dict[str, Any], page: Any, include: Sequence[str]) -> None:
        merged["ids"] += list(page["ids"])
        for key in include:
            values = page.get(key)
            merged.setdefault(key, [])
            merged[key] += list(values) if values is not None else []

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by id (ids that are not stored are left out)."""
        if not ids:
            return {}
        got = self.get(ids=ids, include=["embeddings"])
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"])}

    def metadata(self) -> dict[str, Any]:
        """The collection's own metadata (e.g. which model wrote its vectors)."""
        try:
            return dict(self._collection.metadata or {})
        except Exception as exc:
            raise StoreError(f"reading from Chroma at {self.where} failed: {exc}") from exc

    def set_metadata(self, values: dict[str, Any]) -> None:
        try:
            merged = dict(self._collection.metadata or {})
            merged.update(values)
            self._collection.modify(metadata=merged)
        except Exception as exc:
            raise StoreError(f"writing to Chroma at {self.where} failed: {exc}") from exc

    def count(self) -> int:
        try:
            return int(self._collection.count())
        except Exception as exc:
            raise StoreError(f"reading from Chroma at {self.where} failed: {exc}") from exc
