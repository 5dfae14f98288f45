"""The LangChain retriever, tool and conversation Runnable, driven by LangChain's own fake chat
models over a real index (Chroma + BM25) and the real MiniLM model."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.chat_history import InMemoryChatMessageHistory
from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import (
    FakeMessagesListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    ToolMessage,
    messages_from_dict,
    messages_to_dict,
)
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableConfig, RunnablePassthrough
from langchain_core.runnables.history import RunnableWithMessageHistory
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

from finder.core.models import SearchFilters
from finder.dialogue.conversation import ConversationState
from finder.integrations.langchain import (
    STATE_KEY,
    ConversationRunnable,
    as_retriever,
    finder_tool,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "mentors_small.jsonl"
SKINCARE = "launching a social media campaign for our new skincare line"
CONTACT = {
    "id": "ana", "name": "Ana Lima", "headline": "SaaS pricing advisor, ana@lima.example",
    "bio": "I help founders price B2B SaaS products and run pricing experiments. Book me at "
           "https://cal.lima.example/ana or call +44 20 7946 0958.",
    "skills": ["pricing", "saas"], "formats": ["email", "video"], "session_minutes": [15, 30],
    "email": "ana@lima.example", "phone": "+44 20 7946 0958",
}


class ToolCallingFake(GenericFakeChatModel):
    """LangChain's GenericFakeChatModel, scripted, that accepts tools and keeps what it saw."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, *, tool_choice: Any = None, **kwargs: Any) -> Any:
        return self

    def _generate(self, messages: list[BaseMessage], stop: Any = None,
                  run_manager: Any = None, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


class ListFake(FakeMessagesListChatModel):
    """LangChain's FakeMessagesListChatModel that accepts tools (for ``create_agent``)."""

    def bind_tools(self, tools: Any, *, tool_choice: Any = None, **kwargs: Any) -> Any:
        return self


def call(name: str, args: dict[str, Any], call_id: str = "call_1") -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id,
                                              "type": "tool_call"}])


class Recorder(BaseCallbackHandler):
    """Counts the retrieval and tool runs LangChain reports."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def on_retriever_start(self, serialized: Any, query: str, **kwargs: Any) -> None:
        self.events.append(("retriever_start", query))

    def on_retriever_end(self, documents: Any, **kwargs: Any) -> None:
        self.events.append(("retriever_end", [d.id for d in documents]))

    def on_tool_start(self, serialized: Any, input_str: str, **kwargs: Any) -> None:
        self.events.append(("tool_start", input_str))

    def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None:
        self.events.append(("chain_start", kwargs.get("name")))


@pytest.fixture(scope="module")
def mf(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Any:
    from finder.search.service import MentorFinder

    finder = MentorFinder.open(tmp_path_factory.mktemp("index"), embedder=embedder)
    assert not finder.ingest(FIXTURE).errors
    assert not finder.ingest([CONTACT]).errors
    return finder


# -- the retriever ------------------------------------------------------------------------------


def test_as_retriever_returns_documents_with_profile_text_and_the_match_as_metadata(
        mf: Any) -> None:
    retriever = mf.as_retriever(k=3, filters=SearchFilters(formats=["video"]))
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke(SKINCARE)
    assert len(docs) == 3 and docs[0].metadata["name"] == "Priya Raman"
    first = docs[0]
    mentor = mf.get(first.id)
    assert first.page_content.startswith("Priya Raman\n") and mentor.bio in first.page_content
    assert first.metadata["mentor"] == mentor.model_dump(mode="json")
    assert 0 < first.metadata["score"] < 1
    assert first.metadata["reasons"]["best_sentence"] in mentor.bio
    assert [d.metadata["score"] for d in docs] == [m.score for m in mf.search(
        SKINCARE, 3, SearchFilters(formats=["video"]), diversity=0.3)]
    assert all("video" in d.metadata["mentor"]["formats"] for d in docs)
    json.dumps([d.metadata for d in docs])  # plain JSON, so any vector store or tracer takes it


def test_per_call_arguments_override_the_retrievers_defaults(mf: Any) -> None:
    retriever = as_retriever(mf, k=4)
    assert len(retriever.invoke("pricing a SaaS product")) == 4
    docs = retriever.invoke("pricing a SaaS product", k=2, filters={"formats": ["email"]})
    assert len(docs) == 2 and all("email" in d.metadata["mentor"]["formats"] for d in docs)


def test_bad_filters_and_bad_state_say_what_is_wrong(mf: Any) -> None:
    from finder.core.errors import QueryError

    with pytest.raises(QueryError, match=r"^filters\.formats: unknown format 'zoom'; allowed: video"):
        mf.as_retriever().invoke("pricing", filters={"formats": ["zoom"]})
    with pytest.raises(QueryError, match=r"state can't be read \(phase: .*previous turn"):
        ConversationRunnable(mf).invoke({"message": "hi", "state": {"phase": "dancing"}})


def test_batch_and_ainvoke_give_what_invoke_gives_and_callbacks_see_each_retrieval(
        mf: Any) -> None:
    retriever = mf.as_retriever(k=3)
    queries = [SKINCARE, "preparing a fundraising data room"]
    expected = [[d.id for d in retriever.invoke(q)] for q in queries]
    recorder = Recorder()
    batched = retriever.batch(queries, config={"callbacks": [recorder]})
    assert [[d.id for d in docs] for docs in batched] == expected
    starts = sorted(q for kind, q in recorder.events if kind == "retriever_start")
    ends = sorted(ids for kind, ids in recorder.events if kind == "retriever_end")
    assert starts == sorted(queries) and ends == sorted(expected)
    docs = asyncio.run(retriever.ainvoke(queries[1], config={"callbacks": [recorder]}))
    assert [d.id for d in docs] == expected[1]
    assert recorder.events[-1] == ("retriever_end", expected[1])


def test_the_retriever_inside_a_chain_feeds_real_profiles_to_the_chat_model(mf: Any) -> None:
    model = ToolCallingFake(messages=iter(["Priya Raman (m01): she plans launch campaigns."]))
    prompt = ChatPromptTemplate.from_template(
        "Suggest one mentor.\n\n{profiles}\n\nQuestion: {question}")
    chain = ({"profiles": mf.as_retriever(k=2) | (lambda docs: "\n\n".join(
        d.page_content for d in docs)), "question": RunnablePassthrough()}
             | prompt | model | StrOutputParser())
    answer = chain.invoke(SKINCARE)
    assert answer == "Priya Raman (m01): she plans launch campaigns."
    shown = model.seen[0][0].text
    assert mf.get("m01").bio in shown and f"Question: {SKINCARE}" in shown


# -- the tool ---------------------------------------------------------------------------------


def test_the_tool_has_a_typed_schema_a_model_can_fill(mf: Any) -> None:
    tool = finder_tool(mf)
    assert tool.name == "find_mentors"
    schema = convert_to_openai_tool(tool)["function"]["parameters"]  # what a provider is sent
    properties = schema["properties"]
    assert set(properties) == {"query", "formats", "max_minutes", "languages", "k"}
    assert schema["required"] == ["query"]
    formats = json.dumps(properties["formats"])
    assert all(f'"{fmt}"' in formats for fmt in ("video", "phone", "email", "chat", "in_person"))
    assert properties["k"]["maximum"] == 10
    assert {"type": "integer", "minimum": 5, "maximum": 240} in properties["max_minutes"]["anyOf"]


def test_the_tool_returns_citable_json_and_never_contact_details(mf: Any) -> None:
    tool = finder_tool(mf)
    content = tool.invoke({"query": "pricing my B2B SaaS product", "formats": ["email"],
                           "max_minutes": 15, "k": 3})
    results = json.loads(content)
    assert results and results[0]["id"] == "ana" and len(results) <= 3
    for item in results:
        assert set(item) == {"id", "name", "headline", "score", "reasons"}
        mentor = mf.get(item["id"])
        assert "email" in mentor.formats and mentor.min_minutes <= 15
    ana = results[0]
    assert ana["name"] == "Ana Lima" and "pricing" in ana["reasons"]["skills"]
    assert not re.search(r"@|https?://|lima\.example|7946", content)
    assert ana["headline"] == "SaaS pricing advisor,"


def test_cited_results_drop_contact_details_wherever_they_hide() -> None:
    from finder.core.models import Match, MatchReasons, Mentor
    from finder.integrations.langchain import cite
    from finder.search.retriever import to_document

    mentor = Mentor.model_validate(CONTACT)
    sentence = "Book me at https://cal.lima.example/ana or call +44 20 7946 0958."
    cited = cite(to_document(Match(mentor=mentor, score=0.8, reasons=MatchReasons(
        matched_skills=["pricing"], best_sentence=sentence))))
    text = json.dumps(cited)
    assert not re.search(r"@|https?://|lima\.example|7946|0958", text), text
    assert cited["reasons"] == {"skills": ["pricing"], "evidence": "Book me at or call."}


def test_a_fake_tool_calling_model_calls_the_tool_and_reads_its_answer(mf: Any) -> None:
    tool = finder_tool(mf)
    model = ToolCallingFake(messages=iter([
        call("find_mentors", {"query": "price my B2B SaaS product", "formats": ["email"],
                              "k": 2}),
        "Ana Lima (ana) prices B2B SaaS products and works by email."]))
    bound = model.bind_tools([tool])
    recorder = Recorder()
    messages: list[BaseMessage] = [HumanMessage("Who could review my SaaS pricing by email?")]
    ai = bound.invoke(messages)
    messages.append(ai)
    for tool_call in ai.tool_calls:
        messages.append(tool.invoke(tool_call, config={"callbacks": [recorder]}))
    final = bound.invoke(messages)
    answer = messages[-1]
    assert isinstance(answer, ToolMessage) and answer.tool_call_id == "call_1"
    cited = json.loads(answer.content)  # type: ignore[arg-type]
    assert [c["id"] for c in cited][:1] == ["ana"] and len(cited) == 2
    assert all(isinstance(d, Document) for d in answer.artifact)
    assert [d.id for d in answer.artifact] == [c["id"] for c in cited]
    assert model.seen[1][-1] is answer  # the model's second call read the tool's answer
    assert "Ana Lima" in final.text
    kinds = [kind for kind, _ in recorder.events]
    assert kinds.index("tool_start") < kinds.index("retriever_start")


def test_bad_tool_calls_come_back_to_the_model_as_errors_it_can_fix(mf: Any) -> None:
    tool = finder_tool(mf)
    wrong = tool.invoke(call("find_mentors", {"query": "pricing", "formats": ["zoom"]},
                             "c2").tool_calls[0])
    assert wrong.status == "error" and "formats" in wrong.content and "fix" in wrong.content
    empty = tool.invoke(call("find_mentors", {"query": "   "}, "c3").tool_calls[0])
    assert empty.status == "error" and "empty" in empty.content


def test_a_langchain_agent_uses_the_tool(mf: Any) -> None:
    from langchain.agents import create_agent

    model = ListFake(responses=[
        call("find_mentors", {"query": "pricing my B2B SaaS product", "k": 3}),
        AIMessage("Ana Lima (ana) is the closest fit.")])
    agent: Any = create_agent(model, [finder_tool(mf)])
    result = agent.invoke({"messages": [("user", "Who can help me price my SaaS?")]})
    tool_messages = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert len(tool_messages) == 1 and json.loads(tool_messages[0].text)[0]["id"] == "ana"
    assert result["messages"][-1].content == "Ana Lima (ana) is the closest fit."


# -- the conversation ---------------------------------------------------------------------------


def test_a_turn_returns_the_reply_and_a_serialisable_state_and_leaves_its_input_alone(
        mf: Any) -> None:
    runnable = ConversationRunnable(mf)
    first = runnable.invoke({"message": f"a 30-minute video call about {SKINCARE}"})
    reply, state = first["reply"], first["state"]
    assert reply.kind == "results" and reply.matches[0].mentor.name == "Priya Raman"
    assert all("video" in m.mentor.formats for m in reply.matches)
    assert isinstance(first["output"], AIMessage) and first["output"].content == reply.text
    saved = state.model_dump_json()
    second = runnable.invoke({"message": "only email", "state": saved})
    assert second["reply"].kind == "results" and second["reply"].matches
    assert all("email" in m.mentor.formats for m in second["reply"].matches)
    assert state.model_dump_json() == saved  # the first turn's state was not changed
    assert ConversationState.model_validate_json(saved).goal.formats == ["video"]


def test_batch_and_ainvoke_run_independent_conversations_that_callbacks_see(mf: Any) -> None:
    runnable, recorder = ConversationRunnable(mf), Recorder()
    turns = runnable.batch([f"a 30-minute video call about {SKINCARE}",
                            "I want to switch careers into UX design"],
                           config={"callbacks": [recorder]})
    assert [t["reply"].kind for t in turns] == ["results", "plan"]
    assert [e for e in recorder.events if e[0] == "chain_start"] == [
        ("chain_start", "mentor_finder_conversation")] * 2
    later = asyncio.run(runnable.ainvoke({"message": "only email", "state": turns[0]["state"]}))
    assert later["reply"].matches
    assert all("email" in m.mentor.formats for m in later["reply"].matches)


@pytest.mark.filterwarnings("ignore:.*(RunnableWithMessageHistory|InMemoryChatMessageHistory)")
def test_the_runnable_keeps_its_state_in_runnable_with_message_history(mf: Any) -> None:
    histories: dict[str, InMemoryChatMessageHistory] = {}
    chat = RunnableWithMessageHistory(
        ConversationRunnable(mf),
        lambda session_id: histories.setdefault(session_id, InMemoryChatMessageHistory()),
        input_messages_key="message", history_messages_key="history",
        output_messages_key="output")
    alice: RunnableConfig = {"configurable": {"session_id": "alice"}}
    first = chat.invoke({"message": f"a 30-minute video call about {SKINCARE}"}, alice)
    assert first["reply"].kind == "results"
    refined = chat.invoke({"message": "only email"}, alice)
    assert refined["reply"].kind == "results"
    assert all("email" in m.mentor.formats for m in refined["reply"].matches)
    assert refined["state"].goal.challenge == first["state"].goal.challenge
    assert [type(m).__name__ for m in histories["alice"].messages] == [
        "HumanMessage", "AIMessage", "HumanMessage", "AIMessage"]
    # Another session starts from nothing: "only email" alone is not a goal yet.
    bob_session: RunnableConfig = {"configurable": {"session_id": "bob"}}
    bob = chat.invoke({"message": "only email"}, bob_session)
    assert bob["reply"].kind == "question"
    # The history survives a JSON round trip (a database-backed history stores it so).
    stored = json.dumps(messages_to_dict(histories["alice"].messages))
    histories["alice"] = InMemoryChatMessageHistory(messages=messages_from_dict(
        json.loads(stored)))
    draft = chat.invoke({"message": "draft a message to the first one"}, alice)
    assert draft["reply"].kind == "draft"
    assert draft["reply"].draft.mentor_id == refined["reply"].matches[0].mentor.id


def test_the_runnable_as_a_langgraph_node_with_a_checkpointer(mf: Any) -> None:
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.graph import START, MessagesState, StateGraph

    conversation = ConversationRunnable(mf)

    def mentor_finder(state: MessagesState) -> dict[str, Any]:
        turn = conversation.invoke({"message": state["messages"][-1],
                                    "history": state["messages"][:-1]})
        return {"messages": [turn["output"]]}

    graph: Any = (StateGraph(MessagesState).add_node(mentor_finder)
             .add_edge(START, "mentor_finder").compile(checkpointer=InMemorySaver()))
    thread = {"configurable": {"thread_id": "t1"}}
    graph.invoke({"messages": [("user", f"a 30-minute video call about {SKINCARE}")]}, thread)
    out = graph.invoke({"messages": [("user", "only email")]}, thread)
    state = ConversationState.model_validate(out["messages"][-1].additional_kwargs[STATE_KEY])
    assert state.goal.formats == ["email"] and state.last_matches
    assert all("email" in m.mentor.formats for m in state.last_matches)


def test_a_chat_model_reads_the_goal_through_the_runnable(mf: Any) -> None:
    goal = {"topic": "skincare launch", "challenge": SKINCARE, "formats": ["email"],
            "minutes": None}
    model = ToolCallingFake(messages=iter([call("Command", {"kind": "none"}), call("Goal", goal),
                                           call("LongTerm", {"long_term": False})]))
    turn = ConversationRunnable(mf, chat_model=model).invoke("help with our skincare launch")
    assert turn["reply"].kind == "results" and turn["reply"].notice is None
    assert turn["state"].goal.formats == ["email"] and len(model.seen) == 3
    assert all("email" in m.mentor.formats for m in turn["reply"].matches)


# -- the README ---------------------------------------------------------------------------------


def readme_blocks(heading: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end != -1 else None]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def test_the_readme_langchain_examples_run(mf: Any, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = readme_blocks("Use it from LangChain")
    assert len(blocks) == 3
    llm = ListFake(responses=[
        AIMessage("Priya Raman: she plans skincare launch campaigns."),
        call("find_mentors", {"query": "SaaS pricing review", "formats": ["email"]}),
        AIMessage("Ana Lima (ana) reviews SaaS pricing by email.")])
    namespace: dict[str, Any] = {"mf": mf, "llm": llm}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["answer"] == "Priya Raman: she plans skincare launch campaigns."
    printed = capsys.readouterr().out
    assert '"id": "ana"' in printed and "Ana Lima (ana) reviews" in printed
    state = ConversationState.model_validate(
        namespace["result"]["messages"][-1].additional_kwargs[STATE_KEY])
    assert state.goal.formats == ["email"] and state.last_matches
    assert "Here are" in printed
