"""Replay recorded service responses through the real HTTP layer (no network)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from jsna.sources.connectors.http import Fetcher, FetchSettings

RECORDED = Path(__file__).parent / "recorded"


class Replay:
    """An httpx transport answering from a handler, keeping every request it saw."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        self.transport = httpx.MockTransport(record)

    def fetcher(self, service: str = "test", **settings) -> Fetcher:
        """A Fetcher on this transport; waits are recorded, not slept."""
        self.waits: list[float] = []
        options = {"backoff": 0.5, "retries": 2, **settings}
        return Fetcher(
            service, FetchSettings(**options), transport=self.transport, sleep=self.waits.append
        )


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def csv_response(name: str) -> httpx.Response:
    return httpx.Response(
        200, content=recorded(name), headers={"content-type": "text/csv; charset=utf-8"}
    )


@pytest.fixture
def replay() -> Callable[[Callable[[httpx.Request], httpx.Response]], Replay]:
    return Replay
