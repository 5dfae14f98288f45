"""The served page: kept once rendered (finder.ui.page.cache_page), byte for byte what Gradio
itself sends, per address."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from finder.search.service import MentorFinder
from finder.ui.page import _PageCache, build_ui, cache_page
from finder.ui.web import WebApp
from tests.fakes import HashingEmbedder
from tests.served import DEMO, served_demo

@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    with served_demo(tmp_path, 40, lightly=False) as (demo, port):
        yield demo, port


def _get(url: str, host: str | None = None) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read(), response.headers.get("content-type", "")


def _route(demo) -> _PageCache:  # type: ignore[no-untyped-def]
    return next(r.app for r in demo.server_app.router.routes
                if getattr(r, "path", None) == "/" and isinstance(r.app, _PageCache))


def test_the_kept_page_is_what_gradio_renders(served) -> None:  # type: ignore[no-untyped-def]
    demo, port = served
    url = f"http://127.0.0.1:{port}/"
    gradio_own = _get(url)  # before the cache: Gradio's own page
    assert cache_page(demo)
    cache = _route(demo)
    first, again = _get(url), _get(url)
    assert first == gradio_own and again == gradio_own
    assert first[0] == 200 and b"Mentor Finder" in first[1] and first[2].startswith("text/html")
    assert len(cache.pages) == 1
    # A query string (a page or a deep link) is Gradio's to answer, and is not kept.
    assert _get(url + "?page=")[1] == gradio_own[1]
    assert len(cache.pages) == 1


def test_each_address_gets_its_own_page(served) -> None:  # type: ignore[no-untyped-def]
    demo, port = served
    url = f"http://127.0.0.1:{port}/"
    assert cache_page(demo)
    by_ip = _get(url)[1]
    by_name = _get(url, host=f"localhost:{port}")[1]
    assert f"http://localhost:{port}".encode() in by_name
    assert f"http://localhost:{port}".encode() not in by_ip
    assert _get(url, host=f"localhost:{port}")[1] == by_name
    assert len(_route(demo).pages) == 2


def test_lean_sessions_keep_what_gradios_own_sessions_keep(tmp_path: Path) -> None:
    """A session's copy of the components' configs, built when first read, equals the one
    Gradio's own session keeps up to date event by event (read midway or only at the end)."""
    import asyncio

    from gradio.state_holder import SessionState

    from finder.ui.page import _lean_holder, outputs

    finder = MentorFinder.open(tmp_path / "index", embedder=HashingEmbedder())
    finder.ingest([json.loads(line) for line in DEMO.read_text().splitlines()[:40]])
    web = WebApp(finder)
    demo = build_ui(web)
    fns = {f.name: f for f in demo.fns.values()}
    lean_session = _lean_holder().Session
    gradio_own, read_at_end, read_midway = (SessionState(demo), lean_session(demo),
                                            lean_session(demo))
    assert set(vars(gradio_own)) - {"config_values"} <= set(vars(read_at_end))
    view = web.welcome()
    page = asyncio.run(demo.postprocess_data(fns["on_send"], outputs(view), SessionState(demo)))
    asks = ["I'd like some help with my bakery", "whether to register it as a company",
            "I run it on my own", "just show me mentors", "only by email please"]
    for turn, text in enumerate(asks):
        for state in (gradio_own, read_at_end, read_midway):  # the chat as the page sends it
            asyncio.run(demo.preprocess_data(fns["on_echo"], [page[1], text], state))
            asyncio.run(demo.preprocess_data(fns["on_send"], [None, page[1], text], state))
        view = web.send(view.state, view.chat, text)
        for state in (gradio_own, read_at_end, read_midway):
            page = asyncio.run(demo.postprocess_data(fns["on_send"], outputs(view), state))
        if turn == 1:
            assert _same(read_midway.config_values, gradio_own.config_values, demo)
    shown = re.findall(r'data-draft="([^"]+)"', view.cards)
    drafted = web.draft(view.state, view.chat, shown[0])
    assert drafted.draft is not None
    for state in (gradio_own, read_at_end, read_midway):
        asyncio.run(demo.postprocess_data(fns["on_draft"], outputs(drafted), state))
    assert "Draft to" in str(gradio_own.config_values)  # the copy follows the events
    for lean in (read_at_end, read_midway):
        assert _same(lean.config_values, gradio_own.config_values, demo)
        assert len(list(lean.components)) == len(list(gradio_own.components))
        assert lean.state_data == gradio_own.state_data


def _same(lean: dict, gradio_own: dict, demo) -> bool:  # type: ignore[no-untyped-def,type-arg]
    """The same entries in the same order; a component Gradio made during an event (every
    session makes its own, with a new id) compared without its id."""
    def normal(configs: dict) -> list:  # type: ignore[type-arg]
        return [(k if k in demo.blocks else "new",
                 {**c, "id": c["id"] if c["id"] in demo.blocks else "new"})
                for k, c in configs.items()]
    assert normal(lean) == normal(gradio_own)
    return True
