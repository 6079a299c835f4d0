"""A real deadline per OPA request: a server trickling bytes cannot hold a run.

requests' `timeout` bounds each socket read, not the request: a server (or a proxy) that
sends a byte every few seconds keeps every read under it for hours, in the headers or the
body. Here the connection a request uses is recorded when the pool hands it out, and one
watchdog thread shuts its socket down when the request's deadline passes; the blocked read
then fails at once, and the caller reports the time-out.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_CURRENT = threading.local()  # the connection this thread's request is using


class _TrackingHTTPPool(HTTPConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        _CURRENT.conn = conn
        return conn


class _TrackingHTTPSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        _CURRENT.conn = conn
        return conn


_POOLS = {"http": _TrackingHTTPPool, "https": _TrackingHTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose pools say which connection a request is on."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager


class _Watchdog:
    """One thread for every request of the run: a heap of deadlines, woken when one is due."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int]] = []
        self._targets: dict[int, Any] = {}
        self._ids = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def guard(self, seconds: float) -> Iterator[None]:
        """Within the block, this thread's connection is cut `seconds` from now."""
        _CURRENT.conn = None
        key = next(self._ids)
        holder = _CURRENT  # read at expiry: the connection the pool handed out meanwhile
        with self._wake:
            self._targets[key] = holder.__dict__
            heapq.heappush(self._heap, (time.monotonic() + seconds, key))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="tdcheck-opa-deadline", daemon=True
                )
                self._thread.start()
            self._wake.notify()
        try:
            yield
        finally:
            with self._wake:
                self._targets.pop(key, None)

    def _run(self) -> None:
        with self._wake:
            while True:
                while self._heap and self._heap[0][1] not in self._targets:
                    heapq.heappop(self._heap)  # finished in time
                if not self._heap:
                    self._wake.wait()
                    continue
                due, key = self._heap[0]
                left = due - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                heapq.heappop(self._heap)
                state = self._targets.pop(key, None)
                _cut(state.get("conn") if state is not None else None)


def _cut(conn: Any) -> None:
    sock = getattr(conn, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


WATCHDOG = _Watchdog()
