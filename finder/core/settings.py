"""Settings, read once from ``MENTOR_FINDER_*`` environment variables by the entry points.

Library code never reads the environment: the CLI and the web app call ``Settings.from_env()``
and pass what they read down (see ``finder.compose``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from finder.core.errors import ConfigError


def default_home() -> Path:
    """Where indexes live unless MENTOR_FINDER_HOME says otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("mentor-finder", appauthor=False))


class Settings(BaseSettings):
    """Everything an entry point needs to build the service."""

    model_config = SettingsConfigDict(env_prefix="MENTOR_FINDER_", frozen=True, extra="ignore")

    home: Path = Field(default_factory=default_home)
    chroma_url: str | None = None
    index: str = "default"
    llm: str = "offline"
    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=1, le=65535)
    demo_file: Path | None = None  # None: the bundled demo mentors
    db_url: str | None = None  # None: SQLite in ``home``; postgresql://... for PostgreSQL
    max_open_requests: int = Field(default=5, ge=1, le=100)
    reply_days: int = Field(default=7, ge=1, le=90)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the environment (or ``env``); a bad value names its variable and the fix."""
        prefix = "MENTOR_FINDER_"
        try:
            if env is None:
                settings = cls()
            else:
                settings = cls.model_validate({k[len(prefix):].lower(): v for k, v in env.items()
                                               if k.startswith(prefix) and v != ""})
        except ValidationError as exc:
            raise _config_error(exc) from None
        return settings.model_copy(update={
            "home": settings.home.expanduser(),
            "chroma_url": settings.chroma_url or None,
            "db_url": settings.db_url or None,
            "demo_file": settings.demo_file.expanduser() if settings.demo_file else None})


def _config_error(exc: ValidationError) -> ConfigError:
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "?"
    return ConfigError(f"MENTOR_FINDER_{field.upper()}={first.get('input')!r} can't be used: "
                       f"{first['msg']}")
