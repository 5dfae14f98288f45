"""From a problem to the expertise that solves it.

Asks that name a situation ("ask my manager for a raise") share few words with the profiles of
the people who can help (HR, compensation, career coaching). ``data/expertise_bridge.json`` is
a versioned list of common micro-mentoring asks, each with the expertise that helps; a query
whose vector is close enough to an ask is moved towards that expertise before searching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from finder.core.resources import bundled_file

BRIDGE_FILE = "expertise_bridge.json"


@dataclass(frozen=True)
class Bridge:
    """The asks and their expertise, as texts; vectors come from the embedder in use."""

    version: int
    asks: tuple[str, ...]
    expertise: tuple[str, ...]

    @classmethod
    def bundled(cls) -> Bridge:
        data = json.loads(bundled_file("data", BRIDGE_FILE).read_text(encoding="utf-8"))
        entries = data["entries"]
        return cls(int(data["version"]), tuple(e["ask"] for e in entries),
                   tuple(e["expertise"] for e in entries))

    @cached_property
    def key(self) -> str:
        return f"expertise-bridge-v{self.version}"


def expand(query: np.ndarray, asks: np.ndarray, expertise: np.ndarray, weight: float,
           threshold: float) -> tuple[np.ndarray, int | None]:
    """The query vector moved ``weight`` of the way towards the expertise of the closest ask,
    when that ask's cosine is at least ``threshold`` (else the query as it is); and which ask."""
    if weight <= 0 or not len(asks):
        return query, None
    sims = asks @ query
    best = int(np.argmax(sims))
    if sims[best] < threshold:
        return query, None
    moved = query + weight * expertise[best]
    return (moved / np.linalg.norm(moved)).astype(np.float32), best
