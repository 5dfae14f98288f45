"""Shared fixtures: no network, the real model once per run, a real Chroma server when asked."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
    elif isinstance(address, (str, bytes)):
        return True  # a Unix socket path
    else:
        return False
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkBlocked(RuntimeError):
    """A test tried to reach a host other than this machine."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection that leaves this machine fails loudly."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(address: object) -> None:
        if not _is_loopback(address):
            raise NetworkBlocked(f"test tried to open a network connection to {address!r}")

    def connect(self: socket.socket, address: object) -> None:
        guard(address)
        return real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        guard(address)
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read the developer's own index or settings."""
    for name in list(os.environ):
        if name.startswith("MENTOR_FINDER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MENTOR_FINDER_HOME", str(tmp_path_factory.mktemp("home")))


def _keeping_batches(backend: str):  # type: ignore[no-untyped-def]
    """The real packaged all-MiniLM-L6-v2 on ``backend``; a batch of texts all seen before is
    not encoded again, so the modules that index the same fixture mentors share vectors."""
    import numpy as np

    from finder.search.embedding import MiniLMEmbedder

    class KeepsBatches(MiniLMEmbedder):
        def __init__(self) -> None:
            super().__init__(backend=backend)
            self._seen: dict[str, np.ndarray] = {}

        def encode(self, texts, *, show_progress=False):  # type: ignore[no-untyped-def]
            if len(texts) < 2 or any(t not in self._seen for t in texts):
                # One text (a query: the model's own query cache keeps those) or anything new:
                # the model gets the batch exactly as asked (its threads, its padding), and
                # every vector is kept.
                vectors = super().encode(texts, show_progress=show_progress)
                self._seen.update(zip(texts, vectors))
                return vectors
            return np.stack([self._seen[t] for t in texts])

    model = KeepsBatches()
    model.encode(["warm up"])
    return model


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The real packaged all-MiniLM-L6-v2 on ONNX Runtime, loaded once per test run: what the
    product runs once ``make`` has exported the model's graph (exported into the user's cache
    here if it is missing). The same vectors as torch (tests/test_onnx_backend.py checks it),
    encoded 5-10x faster on this 2-core machine; torch has its own fixture below."""
    return _keeping_batches("onnx")


@pytest.fixture(scope="session")
def torch_embedder():  # type: ignore[no-untyped-def]
    """The same model on torch, for the tests of the torch path itself (its threads, and the
    ONNX graph checked against it)."""
    return _keeping_batches("torch")


@pytest.fixture
def cli_embedder(embedder, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Entry points (the CLI) built in-process get the run's one model, not a fresh load."""
    import finder.compose

    monkeypatch.setattr(finder.compose, "MiniLMEmbedder", lambda: embedder)
    return embedder


@pytest.fixture
def hashing_embedder():  # type: ignore[no-untyped-def]
    from tests.fakes import HashingEmbedder

    return HashingEmbedder()


@pytest.fixture(scope="session")
def tiny(embedder):  # type: ignore[no-untyped-def]
    """A TinySearch over the fixture mentors (fixtures/mentors_small.jsonl) on the real model:
    the mentors are encoded once per run."""
    import json

    from finder.core.models import Mentor
    from tests.fakes import TinySearch

    lines = (FIXTURES / "mentors_small.jsonl").read_text().splitlines()
    return TinySearch(embedder, [Mentor.model_validate(json.loads(line)) for line in lines])


@pytest.fixture
def search(tiny):  # type: ignore[no-untyped-def]
    """The tiny search, with no calls remembered from an earlier test."""
    tiny.calls.clear()
    return tiny


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on a free loopback port, for the whole run."""
    existing = os.environ.get("MENTOR_FINDER_TEST_CHROMA_URL")
    if existing:
        yield existing
        return
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command is missing; pip install chromadb")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "w")
    process = subprocess.Popen([chroma, "run", "--path", str(data / "db"), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.25)
    else:
        process.kill()
        pytest.fail(f"chroma server did not start; see {data / 'server.log'}")
    if process.poll() is not None:
        pytest.fail(f"chroma server exited; see {data / 'server.log'}")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(params=["embedded", "server"])
def open_finder(request: pytest.FixtureRequest, tmp_path: Path,
                embedder) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    """Opens a MentorFinder on the real model, in embedded Chroma and on a Chroma server."""
    from finder.search.service import MentorFinder

    url = request.getfixturevalue("chroma_server") if request.param == "server" else None
    index = f"t{abs(hash(request.node.nodeid)) % 10**8}-{time.monotonic_ns() % 10**6}"

    def factory(path: Path | None = None, **kwargs: object) -> MentorFinder:
        return MentorFinder.open(path or tmp_path / "index", index=index, chroma_url=url,
                                 embedder=kwargs.pop("embedder", embedder), **kwargs)

    return factory


# The requests database: every test that takes `db_url` runs on SQLite and on PostgreSQL.
# .ci/run always sets MENTOR_FINDER_TEST_PG_URL (read here, before clean_settings unsets it).
PG_URL = os.environ.get("MENTOR_FINDER_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty requests database: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'requests.sqlite3'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need MENTOR_FINDER_TEST_PG_URL=postgresql://... "
                    "(.ci/run starts one; locally: .ci/postgres start /tmp/pg)")
    import uuid

    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on a Chroma server carry the ``server`` marker, so ``-m "not server"`` skips them."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_server = callspec is not None and callspec.params.get("open_finder") == "server"
        if on_server or "chroma_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.server)


# A prebuilt demo index to reuse between runs (a folder made by `python -m eval ... --index-dir`);
# read here, before any test clears the MENTOR_FINDER_* variables.
DEMO_INDEX = os.environ.get("MENTOR_FINDER_TEST_DEMO_INDEX")


@pytest.fixture(scope="session")
def demo_finder(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """All 3,305 demo mentors in a real index on the real model, built once per run; their
    vectors come from the shipped file where they fit (as the app's seeding does)."""
    from finder.search.demo import DEMO_VECTORS
    from finder.search.service import MentorFinder
    from finder.search.shipped import ShippedVectors

    path = Path(DEMO_INDEX) if DEMO_INDEX else tmp_path_factory.mktemp("demo-index")
    finder = MentorFinder.open(path, index="eval", embedder=embedder)
    report = finder.ingest(ROOT / "data" / "demo_mentors.jsonl", prune=True, progress=False,
                           shipped=ShippedVectors.load(DEMO_VECTORS))
    assert finder.count() > 3000, report.errors[:3]
    return finder
