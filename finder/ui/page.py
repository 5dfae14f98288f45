"""The Gradio page: components and layout, wired to the plain functions in ``finder.web``."""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any, cast

from finder.core.models import FORMATS
from finder.ui.desk import FIT_CHOICES, STATUS_CHOICES, DeskView, ProgrammeDesk
from finder.ui.web import (
    BUSY,
    FORMAT_LABELS,
    MAX_CHIPS,
    Controls,
    TurnGuard,
    View,
    WebApp,
    draft_text,
    esc,
    with_user_message,
)

# -- the Gradio page ----------------------------------------------------------------------

CSS = """
.gradio-container { max-width: 1280px !important; }
#mf-header h1 { margin: 0 0 2px 0; font-size: 1.45rem; }
#mf-header p { margin: 0; color: var(--body-text-color-subdued); }
.mf-startup { margin: 4px 0; padding: 8px 12px; border-radius: 8px;
              background: var(--color-accent-soft); }
.mf-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr));
            gap: 12px; }
.mf-card { border: 1px solid var(--border-color-primary); border-radius: 10px;
           padding: 12px 14px; background: var(--background-fill-primary);
           display: flex; flex-direction: column; gap: 6px; min-width: 0;
           overflow-wrap: break-word; }
.mf-card h3.mf-name { margin: 0; font-size: 1.05rem; }
.mf-card p { margin: 0; }
.mf-headline { color: var(--body-text-color-subdued); }
.mf-meta { font-size: 0.85rem; color: var(--body-text-color-subdued); }
.mf-label { display: block; font-size: 0.75rem; font-weight: 600; text-transform: uppercase;
            letter-spacing: 0.04em; color: var(--body-text-color-subdued); }
.mf-why ul, .mf-questions ol, .mf-problems ul { margin: 2px 0 0 0; padding-left: 1.1em; }
.mf-why li { font-size: 0.9rem; margin: 0; }
.mf-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0;
            font-size: 0.88rem; }
.mf-facts dt { font-weight: 600; margin: 0; }
.mf-facts dd { margin: 0; min-width: 0; }
.mf-draft { margin-top: auto; align-self: flex-start; padding: 6px 12px; border-radius: 8px;
            border: 1px solid var(--button-primary-border-color);
            background: var(--button-primary-background-fill);
            color: var(--button-primary-text-color); font-weight: 600; font-size: 0.9rem;
            line-height: 1.3; cursor: pointer; }
.mf-draft:hover { background: var(--button-primary-background-fill-hover); }
.mf-session { margin-bottom: 14px; }
.mf-session-title { margin: 0; font-size: 1rem; }
.mf-session-question { margin: 2px 0 8px 0; }
.mf-empty { padding: 18px; border: 1px dashed var(--border-color-primary); border-radius: 10px;
            color: var(--body-text-color-subdued); }
.mf-problems { margin-top: 6px; color: var(--error-text-color); }
#mf-chips { flex-wrap: wrap; gap: 6px; }
#mf-chips button { flex: 0 1 auto !important; min-width: 0 !important; }
#mf-draft-panel { margin-top: 8px; }
.mf-nowrap { white-space: nowrap; }
.mf-load-row { display: grid; grid-template-columns: minmax(120px, 14em) 1fr 6em; gap: 8px;
  align-items: center; margin: 3px 0; font-size: 0.9rem; }
.mf-load-bar { background: var(--background-fill-secondary); border-radius: 4px; height: 12px;
  overflow: hidden; }
.mf-load-bar span { display: block; height: 100%; background: var(--color-accent); }
.mf-full .mf-load-bar span { background: var(--error-text-color); }
.mf-requests { width: 100%; font-size: 0.85rem; border-collapse: collapse; }
.mf-requests td, .mf-requests th { text-align: left; padding: 3px 6px;
  border-bottom: 1px solid var(--border-color-primary); }
.mf-import-errors, .mf-status-error { color: var(--error-text-color); }
@media (max-width: 640px) {
  .mf-cards { grid-template-columns: 1fr; }
  #mf-chat { height: 380px !important; }
}
"""

# Clicks on a card's button become a 'click' event carrying the mentor id.
CARDS_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-draft]');
  if (button) { trigger('click', {mentor_id: button.dataset.draft}); }
});
"""


# Gradio scopes CSS to the app's content; the page margins sit outside it, so they go in <head>.
HEAD = """<style>
@media (max-width: 640px) { .gradio-container .main.app { padding: 10px 8px !important; } }
</style>"""

SCROLL_TO_DRAFT_JS = """
() => { const panel = document.querySelector('#mf-draft-panel');
        if (panel && panel.offsetParent !== null) {
          panel.scrollIntoView({behavior: 'smooth', block: 'start'}); } }
"""
# Turns of different sessions run side by side (Gradio's default is one event at a time). Search
# takes a shared read lock and the model one short lock per call, so this is safe; more than a
# few at once only makes every turn slower on a small CPU.
TURNS_AT_ONCE = 8
# Gradio's queue looks for work every 1 ms, idle or not (idle, that is 5% of a core; busy, it
# wakes the event loop to compete with the turns for the interpreter). Every 10 ms starts a
# waiting turn at most 10 ms later (Gradio itself waits 50 ms on Windows).
QUEUE_POLL = 0.01

SYSTEM_FONTS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Liberation Sans",
                "DejaVu Sans", "sans-serif")


def launch_options() -> dict[str, Any]:
    """Page-wide CSS and a theme on the visitor's own fonts (nothing fetched from elsewhere)."""
    import gradio as gr

    theme = gr.themes.Default(primary_hue="orange", font=SYSTEM_FONTS,
                              font_mono=("ui-monospace", "DejaVu Sans Mono", "monospace"))
    return {"css": CSS, "theme": theme, "head": HEAD}


def outputs(view: View) -> tuple[Any, ...]:
    """The values of OUTPUT components (see build_ui), in that order."""
    import gradio as gr

    if view.chips is None:
        chips = [gr.update()] * MAX_CHIPS
    else:
        chips = [gr.update(value=text, visible=True) for text in view.chips]
        chips += [gr.update(visible=False)] * (MAX_CHIPS - len(chips))
    c = view.controls
    if view.hide_draft:
        draft: list[Any] = [gr.update(visible=False), "", "", "", ""]
    elif view.draft is None:
        draft = [gr.update(), gr.update(), gr.update(), gr.update(), gr.update()]
    else:
        draft = [gr.update(visible=True), f"### {esc(view.draft_title)}",
                 draft_text(view.draft), view.questions, view.draft.mentor_id]
    return (view.state, view.chat, view.cards, *chips, c.formats,
            gr.update(choices=c.minute_choices(), value=c.minutes),
            gr.update(choices=c.language_choices(), value=c.language), *draft)


def startup_html(app: WebApp) -> str:
    """The loading banner's HTML ('' when the mentors are in and nothing went wrong)."""
    text = app.startup.banner() if app.startup is not None else ""
    return f'<p class="mf-startup" role="status">{text}</p>' if text else ""


def build_ui(app: WebApp) -> Any:
    """The page: chat on one side, filters, mentor cards and the draft on the other."""
    import gradio as gr

    welcome = app.welcome()
    controls = welcome.controls
    with gr.Blocks(title="Mentor Finder") as demo:
        state = gr.State(None)
        pending = gr.State("")
        gr.HTML('<h1>Mentor Finder</h1><p>One focused question, the right few mentors, and a '
                "respectful first message.</p>", elem_id="mf-header")
        loading = app.startup is not None and not app.startup.ready
        banner = gr.HTML(startup_html(app), visible=loading, elem_id="mf-startup")
        ticker = gr.Timer(1.0, active=loading)
        with gr.Row(equal_height=False):
            with gr.Column(scale=5, min_width=330):
                chat = gr.Chatbot(value=cast(Any, welcome.chat), height=440, label="Chat",
                                  show_label=False, elem_id="mf-chat", feedback_options=None,
                                  buttons=[], group_consecutive_messages=False)
                with gr.Row(elem_id="mf-chips"):
                    chips = [gr.Button(text, size="sm", visible=True, elem_classes="mf-chip")
                             for text in welcome.chips or []]
                    chips += [gr.Button("", size="sm", visible=False, elem_classes="mf-chip")
                              for _ in range(MAX_CHIPS - len(chips))]
                with gr.Row():
                    message = gr.Textbox(placeholder="Type a message",
                                         show_label=False, scale=5, min_width=160,
                                         elem_id="mf-message", autofocus=True)
                    send = gr.Button("Send", variant="primary", scale=1, min_width=70,
                                     elem_id="mf-send")
                with gr.Group(visible=False, elem_id="mf-draft-panel") as draft_panel:
                    draft_title = gr.Markdown(elem_id="mf-draft-title", padding=True)
                    draft_box = gr.Textbox(label="Your message (edit freely, then copy)",
                                           lines=10, max_lines=24, interactive=True,
                                           buttons=["copy"], elem_id="mf-draft-text")
                    questions = gr.HTML(elem_id="mf-questions", padding=True, js_on_load=None)
                    draft_mentor = gr.Textbox(visible=False, elem_id="mf-draft-mentor")
                    mark_sent = gr.Button("I've sent it", size="sm", elem_id="mf-mark-sent")
                my_requests = gr.Button("My requests", size="sm", elem_id="mf-my-requests",
                                        visible=app.requests is not None)
            with gr.Column(scale=7, min_width=330):
                with gr.Group(elem_id="mf-filters"):
                    formats = gr.CheckboxGroup(
                        [(FORMAT_LABELS[f], f) for f in FORMATS], value=controls.formats,
                        label="Format", elem_id="mf-formats",
                        info="Filters follow the chat; change one to search again.")
                    with gr.Row():
                        minutes = gr.Dropdown(controls.minute_choices(), value=controls.minutes,
                                              label="Session length", elem_id="mf-minutes",
                                              min_width=170)
                        language = gr.Dropdown(controls.language_choices(),
                                               value=controls.language, label="Language",
                                               elem_id="mf-language", min_width=170)
                cards = gr.HTML(welcome.cards, elem_id="mf-cards", js_on_load=CARDS_JS)
        out = [state, chat, cards, *chips, formats, minutes, language,
               draft_panel, draft_title, draft_box, questions, draft_mentor]

        turns = TurnGuard()

        def on_claim(request: gr.Request) -> None:
            # A second send while this session's turn runs would overwrite the pending text.
            if not turns.start(request.session_hash or ""):
                raise gr.Error(BUSY, print_exception=False)

        def on_refused() -> None:
            raise gr.Error(BUSY, duration=6, title="One moment", print_exception=False)

        def on_echo(history: Any, text: str) -> tuple[Any, ...]:
            return with_user_message(history, text), "", text

        def on_chip(history: Any, text: str) -> tuple[Any, ...]:
            return with_user_message(history, text), text

        def on_send(saved: Any, history: Any, text: str,
                    request: gr.Request) -> tuple[Any, ...]:
            session = getattr(request, "session_hash", None) or None
            return outputs(app.send(saved, history, text, echoed=True, session_id=session))

        def on_my_requests(saved: Any, history: Any, request: gr.Request) -> tuple[Any, ...]:
            session = getattr(request, "session_hash", None) or "anonymous"
            return outputs(app.my_requests(saved, history, session))

        def on_done(request: gr.Request) -> None:
            # Runs once the browser has the answer: a send before that would start from a chat
            # without it, and its echo would overwrite the answer on the page.
            turns.finish(request.session_hash or "")

        def on_filters(saved: Any, history: Any, fmts: list[str], mins: str,
                       lang: str) -> tuple[Any, ...]:
            return outputs(app.change_filters(saved, history, Controls(fmts or [], mins, lang)))

        def on_draft(saved: Any, history: Any, event: gr.EventData) -> tuple[Any, ...]:
            mentor_id = str((event._data or {}).get("mentor_id", ""))
            return outputs(app.draft(saved, history, mentor_id))

        def on_sent(saved: Any, history: Any, mentor_id: str,
                    request: gr.Request) -> tuple[Any, ...]:
            session = getattr(request, "session_hash", None) or "anonymous"
            return outputs(app.mark_sent(saved, history, mentor_id, session))

        # Gradio finds these arguments by their annotations, which must be the classes.
        on_draft.__annotations__["event"] = gr.EventData
        for handler in (on_sent, on_claim, on_done, on_send, on_my_requests):
            handler.__annotations__["request"] = gr.Request

        busy: dict[str, Any] = {"show_progress": "minimal", "show_progress_on": [chat]}
        # A turn is four requests, and only the answer waits in the queue: the claim, the
        # echo and the release are one plain request each. The claim has no outputs, so a
        # refusal changes nothing on the page; its notice comes from a queued event (an
        # unqueued event's error shows none), which runs only then. (Claiming inside the echo
        # saves a request, but a refused echo marks the chat with Gradio's "Error" badge,
        # hiding the conversation: tests/test_browser.py checks it does not.)
        notice: dict[str, Any] = {"concurrency_limit": None, "show_progress": "hidden"}
        for trigger in (message.submit, send.click):
            claim = trigger(on_claim, None, None, queue=False)
            claim.failure(on_refused, None, None, **notice)
            claim.success(on_echo, [chat, message], [chat, message, pending], queue=False).success(
                on_send, [state, chat, pending], out, **busy).then(on_done, queue=False)
        for chip in chips:
            claim = chip.click(on_claim, None, None, queue=False)
            claim.failure(on_refused, None, None, **notice)
            claim.success(on_chip, [chat, chip], [chat, pending], queue=False).success(
                on_send, [state, chat, pending], out, **busy).then(on_done, queue=False)
        for control in (formats, minutes, language):
            # Only the last of quick successive changes needs a search.
            control.input(on_filters, [state, chat, formats, minutes, language], out,
                          trigger_mode="always_last", **busy)
        cards.click(on_draft, [state, chat], out, **busy).then(None, js=SCROLL_TO_DRAFT_JS)
        mark_sent.click(on_sent, [state, chat, draft_mentor], out, **busy)
        my_requests.click(on_my_requests, [state, chat], out, **busy)
        chat.clear(lambda: outputs(app.welcome()), None, out)

        def on_tick() -> tuple[Any, Any]:
            text = startup_html(app)
            return gr.update(value=text, visible=bool(text)), gr.Timer(
                active=app.startup is not None and not app.startup.ready)

        # The loading banner follows the start-up, and goes once the mentors are in.
        ticker.tick(on_tick, None, [banner, ticker], queue=False, show_progress="hidden")
        demo.load(on_tick, None, [banner, ticker], queue=False, show_progress="hidden")
    calm_queue(demo.queue(default_concurrency_limit=TURNS_AT_ONCE))
    return demo


def calm_queue(blocks: Any) -> Any:
    """``blocks`` with its queue polling every QUEUE_POLL seconds instead of every 1 ms, and
    outputs a step leaves as they are sent without Gradio's work (see skip_no_change)."""
    queue = getattr(blocks, "_queue", None)
    if hasattr(queue, "sleep_when_free"):
        queue.sleep_when_free = QUEUE_POLL
    skip_no_change(blocks)
    return blocks


NO_CHANGE = {"__type__": "update"}  # what gr.update() with no arguments is


def skip_no_change(blocks: Any) -> None:
    """Outputs a step leaves as they are (``gr.update()``) go to the page as Gradio would send
    them, ``{"__type__": "update"}``, without the work: for each, Gradio builds a new component
    and its config from the old one's arguments (~0.7 ms). A turn leaves four so (the draft
    panel's; or the quick replies on a draft). HTML outputs are left to Gradio, which sends
    them differently."""
    import gradio as gr

    original = blocks.postprocess_data

    def skipped(block: Any, prediction: Any) -> bool:
        return (isinstance(prediction, dict) and prediction == NO_CHANGE
                and not block.stateful and not isinstance(block, gr.HTML))

    async def postprocess_data(block_fn: Any, predictions: Any, state: Any) -> list[Any]:
        outputs = block_fn.outputs
        if (block_fn.batch or len(outputs) < 2 or not isinstance(predictions, (list, tuple))
                or len(predictions) != len(outputs)):
            return list(await original(block_fn, predictions, state))
        keep = [i for i, p in enumerate(predictions) if not skipped(outputs[i], p)]
        if len(keep) == len(predictions):
            return list(await original(block_fn, predictions, state))
        out: list[Any] = [dict(NO_CHANGE) for _ in predictions]
        if keep:
            part = copy.copy(block_fn)
            part.outputs = [outputs[i] for i in keep]
            values = [predictions[i] for i in keep]
            done = await original(part, values[0] if len(keep) == 1 else values, state)
            for i, value in zip(keep, done, strict=True):
                out[i] = value
        return out

    blocks.postprocess_data = postprocess_data


def serve_lightly(blocks: Any) -> Any:
    """After ``launch``: the page kept once rendered (cache_page) and sessions that build
    their copy of the components' configs only when asked (lean_sessions)."""
    cache_page(blocks)
    lean_sessions(blocks)
    return blocks


def lean_sessions(blocks: Any) -> bool:
    """New browser sessions of the served app are ``LeanSession``s (below). Call after
    ``launch``; False if the app has no session store to change."""
    from gradio.state_holder import StateHolder

    holder = getattr(getattr(blocks, "server_app", None), "state_holder", None)
    if type(holder) is not StateHolder:
        return False
    holder.__class__ = _lean_holder()
    return True


@lru_cache(maxsize=1)
def _lean_holder() -> type:
    from gradio.state_holder import SessionState, StateHolder

    class LeanSession(SessionState):  # type: ignore[misc]
        """Gradio's per-session state, without its eager copy of every component's config.

        Gradio's session builds the config of every component of the page when the session
        starts (~60 here, each through ``inspect.signature``: ~10 ms) and again for every
        output an event changes, to keep a copy that only its deep-link route reads (a link
        that reopens the page as it is; this page offers none). This one remembers which
        component and which value each entry would be built from, and builds the copy the
        same way when it is first read (then keeps it up to date as Gradio's does). Everything
        else is Gradio's own (tests/test_web_serving.py compares the two)."""

        def __init__(self, blocks: Any) -> None:  # SessionState.__init__ without the configs
            import os

            self.blocks_config = copy.copy(blocks.default_config)
            self._initial = {k: v for k, v in self.blocks_config.blocks.items()
                             if k in blocks.blocks}
            self._bases: dict[int, Any] = {}  # entries rebuilt since, from these components
            self._values: dict[int, Any] = {}  # values set in entries since then
            self._configs: dict[int, Any] | None = None
            self.state_data: dict[int, Any] = {}
            self._state_ttl: dict[int, Any] = {}
            self.is_closed = False
            self.STATE_TTL_WHEN_CLOSED = 1 if os.getenv("GRADIO_IS_E2E_TEST", None) else 3600

        @property
        def config_values(self) -> dict[int, Any]:
            if self._configs is None:
                build = self.blocks_config.config_for_block
                configs = {k: build(k, [], self._bases.get(k, block))
                           for k, block in self._initial.items()}
                for k, block in self._bases.items():
                    if k not in configs:
                        configs[k] = build(k, [], block)
                for k, value in self._values.items():
                    if "props" in configs[k]:
                        configs[k]["props"]["value"] = value
                self._configs, self._bases, self._values = configs, {}, {}
            return self._configs

        def _rebuild(self, key: int, block: Any) -> None:
            if self._configs is not None:
                self._configs[key] = self.blocks_config.config_for_block(key, [], block)
            else:
                self._bases[key] = block
                self._values.pop(key, None)

        def __setitem__(self, key: int, value: Any) -> None:
            import datetime

            from gradio.components import State

            block = self.blocks_config.blocks.get(key)
            if isinstance(block, State):
                self._state_ttl[key] = (block.time_to_live, datetime.datetime.now())
                self.state_data[key] = value
            else:
                self.blocks_config.blocks[key] = value
            if block:
                self._rebuild(key, block)

        def _update_config(self, key: int) -> None:
            if self[key] is not None:
                self._rebuild(key, self[key])

        def _update_value_in_config(self, key: int, value: Any) -> None:
            if self._configs is not None:
                super()._update_value_in_config(key, value)
                return
            if key not in self._bases and key not in self._initial:
                self._bases[key] = self.blocks_config.blocks[key]
            self._values[key] = value

    class LeanHolder(StateHolder):  # type: ignore[misc]
        def __getitem__(self, session_id: str) -> Any:
            if session_id not in self.session_data:
                self.session_data[session_id] = LeanSession(self.blocks)
            return super().__getitem__(session_id)

    LeanHolder.Session = LeanSession
    return LeanHolder


PAGE_CACHE = 16  # page addresses kept (one per host name the app is reached by)


def cache_page(blocks: Any) -> bool:
    """The served page (``GET /``) kept once rendered, for the same address and page config.

    Gradio renders the page afresh for every visitor: a deep copy of the page's config, the
    API description with code snippets for every event, and the template, about 20 ms of the
    interpreter each time (a tenth of its time under 50 mentees, who each load the page for a
    conversation). Without a login the page depends only on the address it is reached by and
    the config (fixed once served), so the same bytes are sent again. A request with a query
    string (a page or deep link), a login, or an answer other than a plain 200 is left to
    Gradio. Call after ``launch``; False if there is no such route to wrap."""
    app = getattr(blocks, "server_app", None)
    if app is None or app.auth is not None or app.auth_dependency is not None:
        return False
    for route in app.router.routes:
        if getattr(route, "path", None) == "/" and "GET" in (getattr(route, "methods", None)
                                                             or ()):
            route.app = _PageCache(route.app, app, blocks)
            return True
    return False


class _PageCache:
    """An ASGI wrapper around Gradio's page route (see cache_page)."""

    def __init__(self, route: Any, app: Any, blocks: Any) -> None:
        self.route, self.app, self.blocks = route, app, blocks
        self.pages: dict[tuple[str, int], list[dict[str, Any]]] = {}

    def _key(self, scope: dict[str, Any]) -> tuple[str, int] | None:
        from gradio import route_utils
        from starlette.requests import Request

        if scope.get("method") != "GET" or scope.get("query_string"):
            return None
        root = route_utils.get_root_url(
            request=Request(scope), route_path="/",
            root_path=self.app.root_path or scope.get("root_path")
            or self.blocks.custom_mount_path)
        return root, id(self.app.get_blocks().config)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        key = self._key(scope)
        if key is None:
            return await self.route(scope, receive, send)
        page = self.pages.get(key)
        if page is not None:
            for message in page:
                await send(message)
            return None
        sent: list[dict[str, Any]] = []

        async def keep(message: dict[str, Any]) -> None:
            sent.append(message)
            await send(message)

        await self.route(scope, receive, keep)
        if ([m["type"] for m in sent] == ["http.response.start", "http.response.body"]
                and sent[0].get("status") == 200 and not sent[1].get("more_body")):
            if len(self.pages) >= PAGE_CACHE:
                self.pages.clear()
            self.pages[key] = sent
        return None


def build_desk(desk: ProgrammeDesk) -> Any:
    """The programme manager's tab: load this week, fully booked mentors, requests, import."""
    import gradio as gr

    first = desk.view()
    with gr.Blocks(title="Programme") as tab:
        summary = gr.HTML(f'<p class="mf-desk-summary">{first.summary}</p>',
                          elem_id="mf-desk-summary")
        refresh = gr.Button("Refresh", size="sm", elem_id="mf-desk-refresh")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=330):
                gr.Markdown("### Load this week (requests / weekly capacity)")
                load = gr.HTML(first.load, elem_id="mf-desk-load")
            with gr.Column(scale=2, min_width=280):
                gr.Markdown("### Fully booked")
                booked = gr.HTML(first.booked, elem_id="mf-desk-booked")
                gr.Markdown("### Import mentors")
                upload = gr.File(label="Mentor CSV, JSON or JSONL", file_types=[".csv", ".json",
                                                                                 ".jsonl"],
                                 elem_id="mf-desk-upload")
                report = gr.HTML(elem_id="mf-desk-import")
        gr.Markdown("### Requests")
        with gr.Row(equal_height=True, elem_id="mf-desk-update-row"):
            request_id = gr.Number(label="Request #", precision=0, minimum=1, min_width=90,
                                   elem_id="mf-desk-request-id")
            new_status = gr.Dropdown(STATUS_CHOICES, value=None, label="New status",
                                     min_width=200, elem_id="mf-desk-status")
            fit = gr.Radio(FIT_CHOICES, value="", label="Was this a good fit?", min_width=260,
                           elem_id="mf-desk-fit")
            update = gr.Button("Update request", variant="primary", min_width=120,
                               elem_id="mf-desk-update")
        update_message = gr.HTML(elem_id="mf-desk-update-message")
        requests = gr.HTML(first.requests, elem_id="mf-desk-requests")
        parts = [summary, load, booked, requests]

        def shown(view: DeskView) -> tuple[str, ...]:
            return (f'<p class="mf-desk-summary">{view.summary}</p>', view.load, view.booked,
                    view.requests)

        def on_refresh() -> tuple[str, ...]:
            return shown(desk.view())

        def on_upload(path: Any) -> tuple[str, ...]:
            message, view = desk.import_mentors(path)
            return (message, *shown(view))

        def on_update(number: Any, status: Any, answer: Any) -> tuple[str, ...]:
            message, view = desk.update_request(number, status, answer)
            return (message, *shown(view))

        refresh.click(on_refresh, None, parts)
        update.click(on_update, [request_id, new_status, fit], [update_message, *parts])
        tab.load(on_refresh, None, parts)
        upload.upload(on_upload, [upload], [report, *parts])
    return tab


def build_app(app: WebApp, desk: ProgrammeDesk | None = None) -> Any:
    """The chat, and with a programme desk a second tab for the programme manager."""
    import gradio as gr

    if desk is None:
        return build_ui(app)
    tabs = gr.TabbedInterface([build_ui(app), build_desk(desk)],
                              ["Find a mentor", "Programme"], title="Mentor Finder")
    calm_queue(tabs.queue(default_concurrency_limit=TURNS_AT_ONCE))  # the outer page's queue
    return tabs
