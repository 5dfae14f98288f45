"""Settings, read once from ``MENTOR_FINDER_*`` environment variables by the entry points."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from finder.errors import ConfigError


def default_home() -> Path:
    """Where indexes live unless MENTOR_FINDER_HOME says otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("mentor-finder", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Everything an entry point needs to build the service."""

    home: Path
    chroma_url: str | None = None
    index: str = "default"
    llm: str = "offline"
    host: str = "127.0.0.1"
    port: int = 7860
    demo_file: Path | None = None  # None: the bundled data/demo_mentors.jsonl

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        home = env.get("MENTOR_FINDER_HOME")
        port = env.get("MENTOR_FINDER_PORT", "7860")
        try:
            port_number = int(port)
        except ValueError:
            raise ConfigError(f"MENTOR_FINDER_PORT must be a port number, got {port!r}") from None
        return cls(
            home=Path(home).expanduser() if home else default_home(),
            chroma_url=env.get("MENTOR_FINDER_CHROMA_URL") or None,
            index=env.get("MENTOR_FINDER_INDEX", "default"),
            llm=env.get("MENTOR_FINDER_LLM", "offline"),
            host=env.get("MENTOR_FINDER_HOST", "127.0.0.1"),
            port=port_number,
            demo_file=Path(env["MENTOR_FINDER_DEMO_FILE"]).expanduser()
            if env.get("MENTOR_FINDER_DEMO_FILE") else None,
        )
