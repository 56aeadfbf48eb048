"""PostgreSQL behind the storage contract: a connection pool shared by the process's stores.

For deployments with several replicas: every replica's stores use the same server, so a plan
changed through one replica is read by the next, and a platform's retry landing on another
replica is recognised. Concurrent writers of one plan queue on an advisory lock
(``pg_advisory_xact_lock``) taken before the plan is read, so no update is lost; the lock ends
with the transaction, also when a replica dies.

Waits are bounded like SQLite's: a chat's write waits ``busy_ms`` for a lock (``lock_timeout``)
and then answers "busy"; a statement never runs longer than ``STATEMENT_TIMEOUT_MS``. The
stores are called from the core's worker thread, never from an event loop.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any, Literal

import psycopg
import psycopg_pool
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from bot.storage.backend import Rows
from bot.storage.errors import StorageError
from bot.storage.pg_migrations import PG_MIGRATIONS, TABLE

log = logging.getLogger("shopcrew.storage")

#: A statement that runs longer than this is cancelled (and answered "busy").
STATEMENT_TIMEOUT_MS = 10_000
#: Connections per process: the core's worker, the readiness probe, the adapters' own stores.
POOL_MAX = 4
#: How long to wait for the server at start-up, and for a free connection later.
CONNECT_TIMEOUT_S = 10.0
#: The readiness probe's waits.
PROBE_TIMEOUT_S = 0.5
#: Every replica takes this advisory lock to apply migrations: one at a time, each once.
MIGRATION_LOCK = 7_461_001

_BUSY = (
    pg_errors.LockNotAvailable,
    pg_errors.QueryCanceled,
    pg_errors.SerializationFailure,
    pg_errors.DeadlockDetected,
    psycopg_pool.PoolTimeout,
)


def storage_error(exc: Exception) -> StorageError:
    """The kind of failure a psycopg error stands for."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, _BUSY):
        return StorageError("busy", detail)
    if isinstance(exc, psycopg.OperationalError | psycopg_pool.PoolClosed):
        return StorageError("unreachable", f"the database server cannot be reached: {detail}")
    return StorageError("unwritable", detail)


def _placeholders(sql: str) -> str:
    """The stores write ``?`` (as SQLite does); psycopg wants ``%s`` (and ``%%`` for ``%``)."""
    return sql.replace("%", "%%").replace("?", "%s")


def apply_migrations(conn: psycopg.Connection[Any]) -> None:
    """Apply the migrations this release knows, once, whichever replica starts first.

    Raises ``StorageError`` when a newer release migrated the database. Inside a transaction
    of the caller's it is a savepoint: ``shopcrew migrate`` creates the schema and fills it
    in one transaction.
    """
    with conn.transaction():
        # Start-up waits for another replica's migration, however long it takes.
        conn.execute("SET LOCAL lock_timeout = 0")
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
        conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, applied_at TEXT)")
        done = {row[0] for row in conn.execute(f"SELECT name FROM {TABLE}").fetchall()}
        newer = sorted(done - {name for name, _ in PG_MIGRATIONS})
        if newer:
            raise StorageError(
                "damaged",
                f"written by a newer release of ShopCrew (migrations {', '.join(newer)}); "
                "upgrade ShopCrew to use it",
            )
        for name, statements in PG_MIGRATIONS:
            if name in done:
                continue
            for statement in statements:
                conn.execute(statement)
            conn.execute(
                f"INSERT INTO {TABLE} (name, applied_at) VALUES (%s, %s)",
                [name, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())],
            )
            log.info("applied migration %s", name)


class PgTx:
    """A write transaction on one pooled connection (``bot.storage.backend.Tx``)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """Run one statement."""
        return self.conn.execute(_placeholders(sql), list(params))

    def lock(self, key: str) -> None:
        """An advisory lock on ``key``'s hash, released when the transaction ends."""
        self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


class PostgresDatabase:
    """A PostgreSQL database every store of the process shares (through a pool)."""

    dialect: Literal["postgresql"] = "postgresql"

    def __init__(self, url: str, busy_ms: int, pool: psycopg_pool.ConnectionPool[Any]) -> None:
        self.url = url
        self.busy_ms = busy_ms
        self.pool = pool

    @classmethod
    def open(cls, url: str, busy_ms: int) -> PostgresDatabase:
        """Connect, and apply the migrations this release knows; ``StorageError`` if not.

        Refuses a database that a newer release migrated (migrations it does not know).
        """
        timeouts = f"-c lock_timeout={busy_ms} -c statement_timeout={STATEMENT_TIMEOUT_MS}"
        try:
            given = conninfo_to_dict(url).get("options")
        except psycopg.ProgrammingError as exc:
            raise StorageError("unreachable", f"not a PostgreSQL URL: {exc}") from None
        # Keep the URL's own options (a search_path, say) and add the timeouts.
        options = f"{given} {timeouts}" if given else timeouts
        kwargs: dict[str, Any] = {"autocommit": True, "options": options}
        try:
            # One plain connection first: its error says why the server cannot be used
            # (a pool would only say that it timed out).
            with psycopg.connect(url, connect_timeout=int(CONNECT_TIMEOUT_S), **kwargs) as conn:
                apply_migrations(conn)
        except psycopg.Error as exc:
            raise storage_error(exc) from None
        pool: psycopg_pool.ConnectionPool[Any] = psycopg_pool.ConnectionPool(
            url,
            min_size=1,
            max_size=POOL_MAX,
            # Our transactions are explicit (``conn.transaction()``); a read is one statement.
            kwargs=kwargs,
            # A connection the server dropped (a restart, a failover, an idle timeout) is
            # replaced when it is taken, instead of failing the chat that drew it.
            check=psycopg_pool.ConnectionPool.check_connection,
            timeout=CONNECT_TIMEOUT_S,
            open=False,
            name="shopcrew",
        )
        try:
            pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            pool.close(timeout=1)
            raise StorageError("unreachable", f"no connection for the pool: {exc}") from None
        return cls(url, busy_ms, pool)

    @property
    def shown(self) -> str:
        """The URL without its password."""
        from bot.settings import without_credentials

        return without_credentials(self.url)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PgTx]:
        """One write transaction on a pooled connection."""
        try:
            with self.pool.connection() as conn, conn.transaction():
                yield PgTx(conn)
        except (psycopg.Error, psycopg_pool.PoolTimeout, psycopg_pool.PoolClosed) as exc:
            raise storage_error(exc) from None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one read."""
        try:
            with self.pool.connection() as conn:
                rows: list[Any] = conn.execute(_placeholders(sql), list(params)).fetchall()
                return rows
        except (psycopg.Error, psycopg_pool.PoolTimeout, psycopg_pool.PoolClosed) as exc:
            raise storage_error(exc) from None

    def problem(self) -> str | None:
        """Why a write cannot be done now, or None.

        Asks the server rather than writing: replicas probing every few seconds would otherwise
        queue on one row. A server that cannot take writes (a read-only standby, a full disk
        set read-only) says so in ``transaction_read_only``.
        """
        try:
            with self.pool.connection(timeout=PROBE_TIMEOUT_S) as conn:
                row = conn.execute("SHOW transaction_read_only").fetchone()
        except psycopg_pool.PoolTimeout:
            return self._why_no_connection()
        except (psycopg.Error, psycopg_pool.PoolClosed) as exc:
            error = storage_error(exc)
            return f"{error.kind}: {error.detail}"
        if row is not None and row[0] == "on":
            return "unwritable: the database server is read-only"
        return None

    def _why_no_connection(self) -> str:
        """The pool had no connection to give: a server that went away (the pool cannot make
        new ones), or every connection in use. A connection of the probe's own tells which."""
        try:
            with psycopg.connect(self.url, connect_timeout=1, autocommit=True) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            error = storage_error(exc)
            return f"{error.kind}: {error.detail}"
        return "busy: no free connection in the pool (all in use, or reconnecting)"

    def start_checkpointer(self) -> None:
        """Nothing to do: the server keeps its own write-ahead log."""

    def hold_for_service(self) -> None:
        """Nothing to do: restores of a server are the server's (``pg_restore``)."""

    def close(self) -> None:
        """Close the pool; connections still in use get a bounded wait."""
        self.pool.close(timeout=3)
