"""The change feed across processes: Redis pub/sub (PEACEGRAPH_REDIS_URL).

Each process publishes the events of its own committed writes on one channel and
delivers to its subscribers the events the other processes publish there (its own
come back too and are skipped: they were delivered locally at once, so a local
subscriber never waits on Redis). Pub/sub is fire and forget, as the feed is: a
process that is not listening when an event passes misses it.

Redis down does not stop reads or writes: `publish` only queues the event (a
bounded queue; when it is full the event is dropped and counted), the publisher
and the listener retry with capped exponential backoff, and `degraded` gives the
reason /readyz shows until both are through again. Events of an outage reach
local subscribers at once and the other processes when Redis is back; but a
process whose listener was cut off misses what was published meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets

import orjson
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from peacegraph.resolvers.changes import ChangeEvent, ChangeFeed, InvalidEvent

log = logging.getLogger(__name__)

#: The channel every PeaceGraph process sharing a Redis publishes on.
CHANNEL = "peacegraph:changes"


class RedisBroker:
    """Relays a ChangeFeed's events through Redis pub/sub, in the background."""

    def __init__(
        self,
        feed: ChangeFeed,
        url: str,
        *,
        channel: str = CHANNEL,
        first_retry: float = 0.1,
        max_retry: float = 2.0,
        timeout: float = 2.0,
        queue_size: int = 1000,
    ) -> None:
        self._feed = feed
        self._url = url
        self._channel = channel
        self._first_retry = first_retry
        self._max_retry = max_retry
        self._timeout = timeout
        self._origin = secrets.token_hex(8)
        self._outgoing: asyncio.Queue[ChangeEvent] = asyncio.Queue(queue_size)
        self._listen_error: str | None = "not connected to Redis yet"
        self._publish_error: str | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.lost = 0

    @property
    def degraded(self) -> str | None:
        """Why events may not travel between processes now; None when they do."""
        reason = self._listen_error or self._publish_error
        return None if reason is None else f"change feed: {reason}"

    def start(self) -> None:
        """Connect in the background (the app starts even when Redis is away)."""
        self._feed.relay = self.publish
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._listen()), loop.create_task(self._publish())]

    async def close(self) -> None:
        self._feed.relay = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def publish(self, event: ChangeEvent) -> None:
        """Queue a committed write's event for the other processes (never blocks)."""
        try:
            self._outgoing.put_nowait(event)
        except asyncio.QueueFull:
            self.lost += 1
            self._publish_error = "events are waiting for Redis; the newest are dropped"

    def _client(self, *, listening: bool = False) -> aioredis.Redis:
        # A listener waits on a quiet channel for as long as it stays quiet: only its
        # connecting is timed (a stopped Redis closes the connection, which ends it).
        return aioredis.Redis.from_url(
            self._url,
            socket_connect_timeout=self._timeout,
            socket_timeout=None if listening else self._timeout,
        )

    async def _publish(self) -> None:
        client = self._client()
        try:
            while True:
                event = await self._outgoing.get()
                payload = orjson.dumps({"origin": self._origin, **event.as_dict()})
                delay = self._first_retry
                while True:
                    try:
                        await client.publish(self._channel, payload)
                        self._publish_error = None
                        break
                    except (RedisError, OSError) as error:
                        self._publish_error = f"cannot publish to Redis ({error})"
                        if self._outgoing.full():
                            self.lost += 1  # give up on this one: newer ones are waiting
                            break
                        await asyncio.sleep(delay)
                        delay = min(delay * 2, self._max_retry)
        finally:
            await client.aclose()

    async def _listen(self) -> None:
        delay = self._first_retry
        while True:
            client = self._client(listening=True)
            try:
                async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    if self._listen_error is not None:
                        log.info("change feed connected to Redis")
                    self._listen_error = None
                    delay = self._first_retry
                    await self._receive(pubsub)
            except (RedisError, OSError) as error:
                if self._listen_error is None:
                    log.warning("change feed lost Redis, reconnecting: %s", error)
                self._listen_error = f"Redis unreachable ({error})"
            except Exception:  # a background task must not die on an unforeseen error
                log.exception("change feed listener failed; reconnecting")
                self._listen_error = "the change feed's listener failed; reconnecting"
            finally:
                await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_retry)

    async def _receive(self, pubsub: aioredis.client.PubSub) -> None:
        async for message in pubsub.listen():
            if message.get("type") == "message":
                self._deliver(message["data"])

    def _deliver(self, data: bytes) -> None:
        try:
            decoded = orjson.loads(data)
            if not isinstance(decoded, dict):
                raise InvalidEvent("not an object")
            if decoded.get("origin") == self._origin:
                return
            event = ChangeEvent.from_dict(decoded)
        except (orjson.JSONDecodeError, InvalidEvent):
            log.warning("ignored a message on %s that is not a change event", self._channel)
            return
        self._feed.deliver(event)
