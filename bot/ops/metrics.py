"""Prometheus metrics (prometheus-client) and the observer that feeds them and the logs."""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from bot.models import Answer
from bot.ops.logs import text_prefix
from bot.requests import Request

log = logging.getLogger("shopcrew.answers")
LATENCY_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


class Metrics:
    """Every metric ShopCrew exports, in its own registry (so tests can make fresh ones)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.answers = Counter(
            "shopcrew_answers", "Answers given", ["intent", "language", "platform"], registry=r
        )
        self.latency = Histogram(
            "shopcrew_answer_seconds",
            "Time to build an answer",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.plan_changes = Counter(
            "shopcrew_plan_changes", "Plan changes committed", ["platform"], registry=r
        )
        self.errors = Counter("shopcrew_errors", "Errors by kind", ["kind"], registry=r)
        self.slack_retries_dropped = Counter(
            "shopcrew_slack_retries_dropped", "Slack retries recognised and not answered again",
            registry=r,
        )  # fmt: skip
        self.slack_claims = Counter(
            "shopcrew_slack_claims",
            "Slack events being handled, here or by another replica (deferred: answered 503 "
            "for Slack to retry), or whose replica had let its claim expire (taken_over)",
            ["outcome"],
            registry=r,
        )
        self.discord_reconnects = Counter(
            "shopcrew_discord_reconnects", "Discord gateway reconnects (resumed or new session)",
            registry=r,
        )  # fmt: skip

    def render(self) -> bytes:
        """The Prometheus text exposition."""
        return generate_latest(self.registry)

    def observe(self, request: Request, answer: Answer, seconds: float) -> None:
        """``Bot`` observer: count and time the answer, and log one line for it."""
        origin = request.origin
        self.answers.labels(answer.intent, answer.language, origin.platform).inc()
        self.latency.observe(seconds)
        if answer.changed_plan:
            self.plan_changes.labels(origin.platform).inc()
        if answer.error:
            self.errors.labels("internal").inc()
        log.info(
            "answered",
            extra={
                "event": "answer",
                "platform": origin.platform,
                "workspace": origin.workspace,
                "intent": answer.intent,
                "language": answer.language,
                "latency_ms": round(seconds * 1000, 3),
                "text": text_prefix(request.text),
            },
        )
