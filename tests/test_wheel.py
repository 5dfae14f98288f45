"""The built wheel works outside the checkout: API, CLI, a conversation to a draft, a chat model.

The wheel is installed into a fresh virtual environment in a temporary folder; its third-party
dependencies come from the project's own environment (a path line, not its .pth files, so the
checkout's editable install is not visible). Every command runs with the temporary folder as
its working directory and no PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("wheel")
    # Outside the checkout and without PYTHONPATH: pip must not see the checkout's metadata.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(work / "dist"), str(ROOT)],
                   check=True, capture_output=True, text=True, cwd=work, env=clean)
    wheel = next((work / "dist").glob("mentor_finder-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", str(wheel)], check=True, capture_output=True, text=True,
                   cwd=work, env=clean)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig."
                                "get_paths()['purelib'])"], check=True, capture_output=True,
                               text=True, cwd=work, env=clean).stdout.strip())
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return {"python": python, "bin": venv / "bin", "work": work, "site": site, "wheel": wheel}


def run(installed: dict[str, Path], *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(env, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return subprocess.run(list(args), cwd=installed["work"], env=environ, capture_output=True,
                          text=True, timeout=600)


def test_the_wheel_holds_no_generic_top_level_package_and_ships_its_data(installed) -> None:
    import zipfile

    names = zipfile.ZipFile(installed["wheel"]).namelist()
    tops = {name.split("/")[0] for name in names if not name.endswith(".dist-info/RECORD")}
    assert "eval" not in tops and {"finder", "ingest"} <= tops
    assert "finder/_bundled/prompts/draft_outreach.md" in names
    assert "finder/_bundled/data/demo_mentors.jsonl" in names
    assert "finder/ui/templates/cards.html.jinja" in names
    shipped = installed["site"] / "finder" / "_bundled" / "data" / "demo_mentors.jsonl"
    assert shipped.stat().st_size == (ROOT / "data" / "demo_mentors.jsonl").stat().st_size


def test_api_cli_conversation_and_chat_model_work_from_the_installed_wheel(installed,
                                                                           tmp_path) -> None:
    small = tmp_path / "demo.jsonl"
    lines = (ROOT / "data" / "demo_mentors.jsonl").read_text(encoding="utf-8").splitlines()
    small.write_text("\n".join(lines[:20] + lines[-40:]) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    cli = str(installed["bin"] / "mentor-finder")

    seeded = run(installed, cli, "--home", str(home), "seed", MENTOR_FINDER_DEMO_FILE=str(small))
    assert seeded.returncode == 0, seeded.stderr
    assert "60 mentors" in seeded.stdout
    found = run(installed, cli, "--home", str(home), "search", "help me learn react", "--json")
    assert found.returncode == 0, found.stderr
    matches = json.loads(found.stdout)
    assert matches and matches[0]["mentor"]["id"].startswith("cc-")

    script = textwrap.dedent(f"""
        import finder, sys
        assert "site-packages" in finder.__file__, finder.__file__
        from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
        from langchain_core.messages import AIMessage
        from finder import MentorFinder
        from finder.assistants.chat_model import ChatModelAssistant
        from finder.dialogue.conversation import Conversation

        mf = MentorFinder.open({str(home)!r})
        chat = Conversation(mf)
        reply = chat.send("I'd like a 30 minute video call about structuring a React app")
        assert reply.kind == "results", reply.kind
        draft = chat.draft_for(reply.matches[0].mentor.id).draft
        assert draft is not None and draft.body

        class ToolModel(GenericFakeChatModel):
            def bind_tools(self, tools, **kwargs):
                return self

        goal = {{"topic": "React app structure", "challenge": "structuring a React app"}}
        model = ToolModel(messages=iter([AIMessage(content="", tool_calls=[{{
            "name": "Goal", "args": goal, "id": "1", "type": "tool_call"}}])]))
        from finder.dialogue.assistant import OfflineAssistant
        read = ChatModelAssistant(model, OfflineAssistant(mf.embedder),
                                  name="fake:model").extract_goal(
            "structuring a React app", finder.core.goal.Goal(), None)
        assert read.challenge == "structuring a React app"
        print("ok")
    """)
    result = run(installed, str(installed["python"]), "-c", script)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
