"""``/healthz`` (alive), ``/readyz`` (database writable, adapters connected), ``/metrics``.

Alive means no adapter has given up: one that cannot come back fails ``/healthz``, so a
container health check or a supervisor restarts the process. Ready is stricter and changes
often (a reconnecting adapter, a database that cannot take a write).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.ops.metrics import Metrics

Readiness = Callable[[], Awaitable[dict[str, bool]]]
#: The names of the adapters that gave up (empty while the process is alive).
Liveness = Callable[[], list[str]]


def _alive() -> list[str]:
    return []


def add_routes(
    app: web.Application, metrics: Metrics, readiness: Readiness, liveness: Liveness = _alive
) -> None:
    """Add the operations endpoints to an aiohttp app (Slack's HTTP server, or our own)."""

    async def healthz(_: web.Request) -> web.Response:
        failed = liveness()
        if failed:
            return web.json_response({"status": "failed", "failed": failed}, status=503)
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        checks = await readiness()
        ok = all(checks.values())
        body = {"status": "ready" if ok else "not ready", "checks": checks}
        return web.Response(
            text=json.dumps(body), status=200 if ok else 503, content_type="application/json"
        )

    async def metrics_view(_: web.Request) -> web.Response:
        return web.Response(
            body=metrics.render(), headers={"Content-Type": "text/plain; version=0.0.4"}
        )

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_view)


def ops_app(metrics: Metrics, readiness: Readiness, liveness: Liveness = _alive) -> web.Application:
    """A standalone app with only the operations endpoints (when no Slack HTTP server runs)."""
    app = web.Application()
    add_routes(app, metrics, readiness, liveness)
    return app
