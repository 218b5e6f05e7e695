"""Settings, read once from the environment, typed, with defaults.

A bad value fails at start with a message naming the variable. Neo4j settings use
the usual names (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE);
everything else starts with PEACEGRAPH_.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from peacegraph.graph.errors import Invalid
from peacegraph.resolvers.limits import Limits


class SettingsError(Invalid):
    """An environment variable holds a value PeaceGraph cannot use."""


#: URI schemes of the Neo4j driver's Bolt connections (direct, or routed on a cluster).
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def check_neo4j_uri(uri: str) -> None:
    """Refuse a URI the driver would not open over Bolt, such as the browser's
    http://localhost:7474. The message never repeats the URI: it may hold a password."""
    scheme, separator, rest = uri.partition("://")
    if not separator or not rest:
        raise SettingsError(
            "NEO4J_URI: expected scheme://host:port, with a scheme among "
            f"{', '.join(NEO4J_SCHEMES)}",
            field="NEO4J_URI",
        )
    if scheme.lower() not in NEO4J_SCHEMES:
        raise SettingsError(
            f"NEO4J_URI: unsupported scheme {scheme!r}; use one of {', '.join(NEO4J_SCHEMES)} "
            "(for example bolt://localhost:7687; port 7474 is the browser's)",
            field="NEO4J_URI",
        )


#: One CSP source: 'self', 'none', a scheme (https:) or an origin, wildcard subdomain allowed.
_FRAME_SOURCE = re.compile(
    r"'self'|'none'|[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9.-]+(?::\d+)?"
)


def frame_ancestors(raw: str, name: str = "PEACEGRAPH_EMBED_FRAME_ANCESTORS") -> str:
    """The CSP frame-ancestors source list for `/embed`, checked: space-separated
    sources only, so a value can never add another directive (no `;`)."""
    sources = raw.split()
    if not sources:
        return "'none'"
    bad = [s for s in sources if not _FRAME_SOURCE.fullmatch(s.lower())]
    if bad or ("'none'" in sources and len(sources) > 1):
        raise SettingsError(
            f"{name}={raw!r}: expected 'none', 'self' or origins separated by spaces "
            "(e.g. https://partner.example.org)",
            field=name,
        )
    return " ".join(sources)


#: A tile URL template for the explorer's map: https, one host, a path with {z}/{x}/{y}.
_TILES = re.compile(r"https://[a-z0-9.-]+(?::\d+)?/[A-Za-z0-9._~/{}@-]*(?:\?[A-Za-z0-9._~=&{}-]*)?")


def map_tiles(raw: str, name: str = "PEACEGRAPH_MAP_TILES") -> str:
    """The explorer map's tile URL template, checked ('' leaves tiles off): its host is
    added to the page's img-src, so it must be one plain https origin."""
    raw = raw.strip()
    if not raw:
        return ""
    if not _TILES.fullmatch(raw) or not all(part in raw for part in ("{z}", "{x}", "{y}")):
        raise SettingsError(
            f"{name}={raw!r}: expected an https tile URL with {{z}}, {{x}} and {{y}} "
            "(e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png)",
            field=name,
        )
    return raw


def default_data_dir(env: Mapping[str, str]) -> Path:
    """Where the embedded store lives: the user's data directory (XDG)."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "peacegraph"


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={raw!r}: expected true or false", field=name)


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a whole number", field=name) from None
    if value < minimum:
        raise SettingsError(f"{name}={raw!r}: must be at least {minimum}", field=name)
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a number of seconds", field=name) from None
    if value <= 0:
        raise SettingsError(f"{name}={raw!r}: must be positive", field=name)
    return value


def _redis_url(env: Mapping[str, str]) -> str | None:
    """The change feed's Redis, refused at start unless the client can open it (the
    message leaves the URL out: it may hold a password)."""
    raw = env.get("PEACEGRAPH_REDIS_URL", "").strip()
    if raw and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(
            "PEACEGRAPH_REDIS_URL: expected redis://host:port/db (or rediss://, unix://)",
            field="PEACEGRAPH_REDIS_URL",
        )
    return raw or None


@dataclass(frozen=True)
class Settings:
    """Everything PeaceGraph can be told from outside."""

    store: str = "embedded"
    data_dir: Path = field(default_factory=lambda: default_data_dir(os.environ))
    neo4j_uri: str = ""
    neo4j_username: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    host: str = "127.0.0.1"
    port: int = 8000
    #: Seconds a connection has to send its request head (line and headers); uvicorn
    #: only times out bodies (through the request timeout) and idle keep-alives.
    header_timeout: float = 10.0
    graphiql: bool = True
    introspection: bool = True
    auto_seed: bool = True
    reads_require_token: bool = False
    start_not_ready: bool = False
    batching: bool = False
    rate_limit_per_minute: int = 0
    compress_min_bytes: int = 1024
    cors_origins: tuple[str, ...] = ()
    #: Who may frame the read-only view at /embed (CSP frame-ancestors); the full page never.
    embed_frame_ancestors: str = "'none'"
    #: Tile URL template of the explorer's map ('' : no tiles, the bundled outline only).
    map_tiles: str = ""
    #: Cache-Control of reads over GET that carry an ETag ("no-cache": keep, but
    #: revalidate every time, which costs a 304 while the graph is unchanged).
    cache_control: str = "no-cache"
    #: Automatic persisted queries this process remembers (0: not supported).
    apq_size: int = 1000
    #: Allow-list mode: a JSON file of the only operations that run (None: off).
    persisted_queries: Path | None = None
    #: Change feed subscriptions this process takes, and one websocket may hold.
    max_subscriptions: int = 1000
    max_subscriptions_per_connection: int = 10
    #: Events a subscription may have waiting; a client that lets more pile up is
    #: disconnected (close code 1008, SUBSCRIPTION_TOO_SLOW).
    subscription_queue: int = 100
    #: Redis that carries the change feed between processes (None: in-process only).
    redis_url: str | None = None
    log_level: str = "INFO"
    #: The embedded store's buffer pool in MiB (None: sized from the machine, see
    #: `graph.embedded.connection.buffer_pool_for`).
    buffer_pool_mb: int | None = None
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        uri = env.get("NEO4J_URI", "").strip()
        store = env.get("PEACEGRAPH_STORE", "").strip().lower() or ("neo4j" if uri else "embedded")
        if store not in {"embedded", "neo4j"}:
            raise SettingsError(
                f"PEACEGRAPH_STORE={store!r}: expected embedded or neo4j", field="PEACEGRAPH_STORE"
            )
        if store == "neo4j" and not uri:
            raise SettingsError("PEACEGRAPH_STORE=neo4j needs NEO4J_URI", field="NEO4J_URI")
        if store == "neo4j":
            check_neo4j_uri(uri)
        limits = Limits(
            max_depth=_int(env, "PEACEGRAPH_MAX_DEPTH", Limits.max_depth, minimum=1),
            max_aliases=_int(env, "PEACEGRAPH_MAX_ALIASES", Limits.max_aliases, minimum=1),
            max_fields=_int(env, "PEACEGRAPH_MAX_FIELDS", Limits.max_fields, minimum=10),
            max_tokens=_int(env, "PEACEGRAPH_MAX_TOKENS", Limits.max_tokens, minimum=10),
            max_page_size=_int(env, "PEACEGRAPH_MAX_PAGE_SIZE", Limits.max_page_size, minimum=1),
            max_body_bytes=_int(
                env, "PEACEGRAPH_MAX_BODY_BYTES", Limits.max_body_bytes, minimum=1024
            ),
            max_batch=_int(env, "PEACEGRAPH_MAX_BATCH", Limits.max_batch, minimum=1),
            timeout_seconds=_float(env, "PEACEGRAPH_TIMEOUT", Limits.timeout_seconds),
            max_network_nodes=_int(
                env, "PEACEGRAPH_MAX_NETWORK_NODES", Limits.max_network_nodes, minimum=1
            ),
            max_result_items=_int(
                env, "PEACEGRAPH_MAX_RESULT_ITEMS", Limits.max_result_items, minimum=1
            ),
        )
        origins = tuple(
            o.strip() for o in env.get("PEACEGRAPH_CORS_ORIGINS", "").split(",") if o.strip()
        )
        data_dir = env.get("PEACEGRAPH_DATA_DIR", "").strip()
        persisted = env.get("PEACEGRAPH_PERSISTED_QUERIES", "").strip()
        pool = (
            _int(env, "PEACEGRAPH_BUFFER_POOL_MB", 0, minimum=64)
            if env.get("PEACEGRAPH_BUFFER_POOL_MB", "").strip()
            else None
        )
        return cls(
            store=store,
            data_dir=Path(data_dir).expanduser() if data_dir else default_data_dir(env),
            neo4j_uri=uri,
            neo4j_username=env.get("NEO4J_USERNAME", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD", ""),
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            host=env.get("PEACEGRAPH_HOST", "127.0.0.1"),
            port=_int(env, "PEACEGRAPH_PORT", 8000, minimum=0),
            header_timeout=_float(env, "PEACEGRAPH_HEADER_TIMEOUT", 10.0),
            graphiql=_bool(env, "PEACEGRAPH_GRAPHIQL", True),
            introspection=_bool(env, "PEACEGRAPH_INTROSPECTION", True),
            auto_seed=_bool(env, "PEACEGRAPH_AUTO_SEED", True),
            reads_require_token=_bool(env, "PEACEGRAPH_READS_REQUIRE_TOKEN", False),
            start_not_ready=_bool(env, "PEACEGRAPH_START_NOT_READY", False),
            batching=_bool(env, "PEACEGRAPH_BATCHING", False),
            rate_limit_per_minute=_int(env, "PEACEGRAPH_RATE_LIMIT", 0),
            compress_min_bytes=_int(env, "PEACEGRAPH_COMPRESS_MIN_BYTES", 1024),
            cors_origins=origins,
            embed_frame_ancestors=frame_ancestors(env.get("PEACEGRAPH_EMBED_FRAME_ANCESTORS", "")),
            map_tiles=map_tiles(env.get("PEACEGRAPH_MAP_TILES", "")),
            cache_control=env.get("PEACEGRAPH_CACHE_CONTROL", "").strip() or "no-cache",
            apq_size=_int(env, "PEACEGRAPH_APQ_SIZE", 1000),
            persisted_queries=Path(persisted).expanduser() if persisted else None,
            max_subscriptions=_int(env, "PEACEGRAPH_MAX_SUBSCRIPTIONS", 1000),
            max_subscriptions_per_connection=_int(
                env, "PEACEGRAPH_MAX_SUBSCRIPTIONS_PER_CONNECTION", 10, minimum=1
            ),
            subscription_queue=_int(env, "PEACEGRAPH_SUBSCRIPTION_QUEUE", 100, minimum=1),
            redis_url=_redis_url(env),
            log_level=env.get("PEACEGRAPH_LOG_LEVEL", "INFO").upper(),
            buffer_pool_mb=pool,
            limits=limits,
        )

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the given fields replaced (CLI flags win over the environment)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]
