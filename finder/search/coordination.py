"""Several processes on one index: a writer lock, a crash marker that knows its owner, and a
generation counter that tells readers when to reload.

Three small files sit beside an index in its home folder (``<collection>`` is e.g.
``mentors-default``):

- ``<collection>.lock``: an OS file lock (``filelock``). Whoever holds it is the one writer; the
  OS releases it when that process dies, however it dies.
- ``<collection>.writing``: exists while a write is under way, and names its owner (PID, host).
  Found on open with the lock free, it means a writer died mid-write: its half-written vectors
  are swept. Found with the lock held, it belongs to a live writer and is left alone.
- ``<collection>.generation``: changes with every committed write. A reader compares it before
  each search and reloads when it moved, so nobody sees a deleted mentor after the delete.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from finder.core.errors import IndexBusy

log = logging.getLogger(__name__)


def _owner() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}


class WriteMarker:
    """A file that exists while a write is under way and says whose write it is."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> WriteMarker:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(_owner()) + "\n", encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.path.unlink(missing_ok=True)

    @property
    def left_behind(self) -> bool:
        return self.path.exists()

    def owner(self) -> dict[str, Any]:
        """PID and host of the write the marker belongs to ({} if none or unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def owner_elsewhere(self) -> bool:
        """Whether the marker was written on another machine (whose lock we can't see)."""
        host = self.owner().get("host")
        return bool(host) and host != socket.gethostname()

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class WriterLock:
    """One writer per index: an OS file lock, waited for up to ``timeout`` seconds."""

    def __init__(self, path: Path, marker: WriteMarker, timeout: float = 600.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.marker = marker
        self.timeout = timeout
        self._lock = FileLock(str(path), thread_local=False)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock (waiting while another process writes); IndexBusy after the timeout."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            owner = self.marker.owner()
            who = f"process {owner['pid']} on {owner.get('host', '?')}" if owner else \
                "another process"
            log.info("waiting for %s to finish writing to this index", who)
            try:
                self._lock.acquire(timeout=self.timeout)
            except Timeout:
                raise IndexBusy(
                    f"{who} has been writing to this index for more than {self.timeout:.0f} s "
                    f"(lock {self.path}); try again when it has finished") from None
        try:
            yield
        finally:
            self._lock.release()

    @contextmanager
    def try_hold(self) -> Iterator[bool]:
        """Hold the lock if it is free right now; yields whether it was got."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            self._lock.release()


class Generation:
    """A token that changes with every committed write (a counter and a random tail)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def bump(self) -> str:
        """Write a new token atomically (the caller holds the writer lock)."""
        current = self.read().split(" ", 1)[0]
        number = int(current) + 1 if current.isdigit() else 1
        token = f"{number} {uuid.uuid4().hex[:12]}"
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(token + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
        return token
