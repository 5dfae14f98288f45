"""all-MiniLM-L6-v2 as an ONNX graph run by ONNX Runtime: torch's float32 vectors, faster.

The graph is exported once from the packaged weights (torch's own exporter, offline: nothing
comes from a hub) into a cache folder, and kept only when it gives torch's vectors on a few
probe texts. ``make`` exports it at install; ``python -m finder.search.onnx_graph`` does it by
hand. Encoding is what sentence-transformers does for this model: its tokenizer truncated to
256 tokens, the transformer, mean pooling over the real tokens, L2 normalisation.

(sentence-transformers' own ONNX backend needs optimum-onnx, whose releases pin
transformers < 4.58; the product pins 5.x, so the graph is run here directly.)
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
# A graph is kept only if every probe text's vector is this close (cosine) to torch's.
AGREEMENT = 0.9999
PROBES = [
    "How do I ask my manager for a raise?",
    "I run a small bakery and want to price my wedding cakes without scaring people off.",
    "Senior data engineer; Spark, Airflow and dbt; mentors career changers moving into data "
    "from finance or teaching, in English or Spanish, over video calls.",
    "negotiation",
]


def default_graph_dir() -> Path:
    """Where exported graphs are kept unless told otherwise (the user's cache folder)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mentor-finder", appauthor=False)) / "onnx"


def graph_file(folder: Path, fingerprint: str) -> Path:
    """The graph of the model whose files hash to ``fingerprint``: another model, another file."""
    return folder / f"all-MiniLM-L6-v2-{fingerprint[:16]}.onnx"


def missing_runtime() -> str | None:
    """None when ONNX Runtime can be imported, else what to install."""
    import importlib.util

    return None if importlib.util.find_spec("onnxruntime") else "pip install onnxruntime"


class OnnxRunner:
    """Tokenise, run the graph, mean-pool, normalise (one caller at a time)."""

    def __init__(self, graph: Path, model_dir: str) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        # No busy-waiting between operators: on a shared CPU the spinning threads only take
        # time from the ones doing the work.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(graph), options,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        # Longest first, as sentence-transformers does: each batch pads to similar lengths.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in rows])
            width = max(len(e.ids) for e in encoded)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for j, e in enumerate(encoded):
                ids[j, :len(e.ids)] = e.ids
                mask[j, :len(e.ids)] = e.attention_mask
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled / norms
        return out


def export_graph(model_dir: str, target: Path) -> float:
    """Export the weights in ``model_dir`` to ``target`` and check it against torch; returns
    the seconds it took. The file appears only once checked (written aside, then renamed)."""
    import torch
    from transformers import AutoModel

    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Eager attention: the exporter traces it into plain operators with a dynamic mask.
    bert = AutoModel.from_pretrained(model_dir, local_files_only=True,
                                     attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    # torch's vectors first: after the export has traced it, the same module in this process
    # gives different ones (seen: cosine 0.93).
    reference = _torch_vectors(bert, model_dir)
    aside = target.with_name(f"{target.name}.{os.getpid()}.part")
    ids = torch.ones((2, 16), dtype=torch.long)
    axes = {n: {0: "batch", 1: "tokens"} for n in
            ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")}
    try:
        with torch.no_grad():
            torch.onnx.export(
                Hidden(), (ids, ids, torch.zeros_like(ids)), str(aside), dynamo=False,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"], opset_version=17, dynamic_axes=axes)
        graph = OnnxRunner(aside, model_dir).encode(PROBES)  # batched: padding and its mask
        agreement = float(np.min(np.sum(graph * reference, axis=1)))
        if agreement < AGREEMENT:
            raise RuntimeError(f"the exported graph's vectors differ from torch's (cosine "
                               f"{agreement:.6f} < {AGREEMENT}); it was not kept")
        os.replace(aside, target)
    finally:
        aside.unlink(missing_ok=True)
    return time.perf_counter() - started


def _torch_vectors(bert, model_dir: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The probe texts' vectors from torch, one text at a time (no padding)."""
    import torch
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    rows = []
    for text in PROBES:
        encoded = tokenizer.encode(text)
        ids = torch.tensor([encoded.ids])
        mask = torch.tensor([encoded.attention_mask])
        with torch.no_grad():
            hidden = bert(input_ids=ids, attention_mask=mask,
                          token_type_ids=torch.zeros_like(ids)).last_hidden_state
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        rows.append(torch.nn.functional.normalize(pooled, dim=1)[0].numpy())
    return np.stack(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Export the packaged model's graph into the cache (what ``make`` does at install)."""
    from finder.search.embedding import MiniLMEmbedder

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--dir", type=Path, default=None,
                        help=f"cache folder (default {default_graph_dir()})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    embedder = MiniLMEmbedder(graph_dir=args.dir, backend="onnx")
    path = embedder.prepare_graph()
    print(f"ONNX graph of {embedder.name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
