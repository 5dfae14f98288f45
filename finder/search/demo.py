"""The bundled demo mentors (298 Coding Coach profiles and 3,007 ESCO occupations) and their
shipped vectors.

``python -m finder.search.demo`` (``make demo-vectors``) re-encodes every text the index embeds
for the demo mentors and writes ``data/demo_vectors.npz``; run it after changing the demo data,
the model or what gets embedded. Stale shipped vectors are harmless (see ``shipped``): they are
simply not used for the mentors they no longer fit.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from finder.core.models import IngestReport, Mentor
from finder.core.resources import bundled_file
from finder.search.embedding import Embedder
from finder.search.indexing import embed
from finder.search.ranking import mentor_texts, skills_text
from finder.search.service import MentorFinder
from finder.search.shipped import ShippedVectors

DEMO_FILE = bundled_file("data", "demo_mentors.jsonl")
DEMO_VECTORS = bundled_file("data", "demo_vectors.npz")

log = logging.getLogger(__name__)


def seed_demo(mf: MentorFinder, *, progress: bool = False, path: Path = DEMO_FILE,
              vectors: Path | None = DEMO_VECTORS,
              on_progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Index the demo mentors; unchanged ones are skipped, so a second run costs seconds.

    New or changed mentors take their vectors from the shipped file when it fits them exactly
    (same model files, same texts); the rest are embedded.
    """
    if not path.exists():
        from finder.core.errors import IngestError

        raise IngestError(f"the demo data is missing at {path}; rebuild it with "
                          "`python -m ingest.build_demo`")
    shipped = ShippedVectors.load(vectors) if vectors is not None else None
    return mf.ingest(path, progress=progress, shipped=shipped, on_progress=on_progress)


def texts_by_kind(mentors: Sequence[Mentor]) -> dict[str, list[str]]:
    """Every distinct text ``embed`` encodes for these mentors, under its kind (from
    ``mentor_texts``; texts of a kind it does not name go under ``text``)."""
    asked: list[str] = []

    def record(texts: Sequence[str]) -> np.ndarray:
        asked.extend(texts)
        return np.zeros((len(texts), 1), dtype=np.float32)

    embed(list(mentors), record)
    kind_of: dict[str, str] = {}
    for mentor in mentors:
        for kind, texts in mentor_texts(mentor).items():
            for text in texts:
                kind_of.setdefault(text, kind)
        if mentor.skills:
            kind_of.setdefault(skills_text(mentor), "skills")
    out: dict[str, list[str]] = {}
    seen: set[str] = set()
    for text in asked:
        if text not in seen:
            seen.add(text)
            out.setdefault(kind_of.get(text, "text"), []).append(text)
    return out


def build_vectors(mentors: Sequence[Mentor], embedder: Embedder, out: Path,
                  reuse: ShippedVectors | None = None) -> dict[str, int]:
    """Encode every text of ``mentors`` and write the shipped-vector file; returns counts.

    With ``reuse`` (an earlier file made by this very model: same fingerprint), a text it
    already holds keeps its stored vector and only the other texts are encoded, so a small
    change to the demo data does not re-encode all 3,305 mentors."""
    kinds = texts_by_kind(mentors)
    everything = [t for texts in kinds.values() for t in texts]
    if reuse is not None and not reuse.fits(embedder):
        log.warning("not reusing vectors made by another model or variant (%s)", reuse.model)
        reuse = None
    old = [reuse.stored(t) if reuse is not None else None for t in everything]
    missing = [i for i, row in enumerate(old) if row is None]
    fresh = embedder.encode([everything[i] for i in missing], show_progress=True)
    vectors = np.zeros((len(everything), embedder.dimension), dtype=np.float32)
    for i, row in zip(missing, fresh):
        vectors[i] = row
    for i, row in enumerate(old):
        if row is not None:
            vectors[i] = row
    log.info("%d texts encoded, %d reused", len(missing), len(everything) - len(missing))
    at, arrays = 0, {}
    for kind, texts in kinds.items():
        arrays[kind] = (texts, vectors[at:at + len(texts)])
        at += len(texts)
    ShippedVectors.save(out, embedder, arrays)
    return {kind: len(texts) for kind, texts in kinds.items()}


def main(argv: Sequence[str] | None = None) -> int:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    parser = argparse.ArgumentParser(prog="python -m finder.search.demo",
                                     description="Rebuild the demo mentors' shipped vectors.")
    parser.add_argument("--mentors", type=Path, default=DEMO_FILE)
    parser.add_argument("--out", type=Path, default=Path("data/demo_vectors.npz"))
    parser.add_argument("--reuse", type=Path, default=None,
                        help="an earlier vector file of the same model: texts it holds are "
                             "not encoded again (e.g. --reuse data/demo_vectors.npz)")
    args = parser.parse_args(argv)
    from finder.search.embedding import MiniLMEmbedder
    from ingest.loaders import load_mentors

    loaded = load_mentors(args.mentors)
    started = time.monotonic()
    reuse = ShippedVectors.load(args.reuse) if args.reuse is not None else None
    counts = build_vectors(loaded.mentors, MiniLMEmbedder(), args.out, reuse)
    size = args.out.stat().st_size / 1e6
    print(f"{args.out}: {len(loaded.mentors)} mentors, "
          + ", ".join(f"{n} {kind} texts" for kind, n in counts.items())
          + f", {size:.1f} MB, {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
