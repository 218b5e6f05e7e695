"""The change feed: an event for each committed write, for GraphQL subscriptions.

The write path's caller (schema/mutation.py) calls `publish` once a write has
returned, that is once its transaction has committed; a write that failed or was
refused raised before, so it never produces an event. A subscriber gets the events
of the writes made through this process at once, and, when a `relay` is set (the
Redis broker, app/broker.py), the events of other processes as the relay
`deliver`s them.

Bounds: at most `max_subscribers` subscriptions in the process; each has a queue of
`queue_size` events, and a subscriber that lets it fill up (a slow consumer) is
ended with SUBSCRIPTION_TOO_SLOW rather than holding events, or the writer, back;
its `on_drop` hook (the websocket handler's) closes the client's connection.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass

from peacegraph.graph.errors import PeaceGraphError
from peacegraph.graph.records import Node, Relationship

log = logging.getLogger(__name__)


class ChangeKind(enum.Enum):
    NODE_CREATED = "NODE_CREATED"
    NODE_UPDATED = "NODE_UPDATED"
    NODE_DELETED = "NODE_DELETED"
    NODE_RESTORED = "NODE_RESTORED"
    NODES_MERGED = "NODES_MERGED"
    RELATIONSHIP_LINKED = "RELATIONSHIP_LINKED"
    RELATIONSHIP_UNLINKED = "RELATIONSHIP_UNLINKED"
    IMPORTED = "IMPORTED"
    REVERTED = "REVERTED"


@dataclass(frozen=True)
class ChangeEvent:
    """What a committed write changed: its kind, the ids of the nodes or
    relationships (`source|TYPE|target`) it names, and the node's new version."""

    kind: ChangeKind
    mutation: str
    ids: tuple[str, ...]
    version: int | None
    at: str

    def as_dict(self) -> dict[str, object]:
        """The event as JSON-ready values, as the broker sends it between processes."""
        return {**asdict(self), "kind": self.kind.value, "ids": list(self.ids)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ChangeEvent:
        """The event `as_dict` gave; InvalidEvent when `data` is not one."""
        try:
            ids, version = data["ids"], data["version"]
            if not isinstance(ids, list) or not (version is None or isinstance(version, int)):
                raise TypeError
            return cls(
                ChangeKind(data["kind"]),
                str(data["mutation"]),
                tuple(map(str, ids)),
                version,
                str(data["at"]),
            )
        except (KeyError, TypeError, ValueError):
            raise InvalidEvent("not a change event") from None


class InvalidEvent(PeaceGraphError):
    """A message on the broker's channel that is not a change event."""


class FeedRefused(PeaceGraphError):
    """A subscription the feed will not take or keep, with a stable code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


Relay = Callable[[ChangeEvent], None]


class _Subscriber:
    def __init__(self, size: int, on_drop: Callable[[], None] | None) -> None:
        self.queue: asyncio.Queue[ChangeEvent | None] = asyncio.Queue(size)
        self.on_drop = on_drop


class ChangeFeed:
    """An in-process broker: every subscriber gets every event published after it
    subscribed, in order."""

    def __init__(self, *, max_subscribers: int = 1000, queue_size: int = 100) -> None:
        self.max_subscribers = max_subscribers
        self.queue_size = queue_size
        self.relay: Relay | None = None
        self.dropped = 0
        self._subscribers: set[_Subscriber] = set()

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def publish(self, event: ChangeEvent) -> None:
        """A write of this process committed: tell local subscribers, and the relay."""
        self.deliver(event)
        if self.relay is not None:
            self.relay(event)

    def deliver(self, event: ChangeEvent) -> None:
        """Hand `event` to this process's subscribers (the relay's way in)."""
        for subscriber in list(self._subscribers):
            try:
                subscriber.queue.put_nowait(event)
            except asyncio.QueueFull:
                self._drop(subscriber)

    def _drop(self, subscriber: _Subscriber) -> None:
        """End a subscriber that does not keep up: its queue is emptied for the
        marker that tells it so."""
        self._subscribers.discard(subscriber)
        while not subscriber.queue.empty():
            subscriber.queue.get_nowait()
        subscriber.queue.put_nowait(None)
        self.dropped += 1
        log.warning("a change feed subscriber fell %d events behind; ended", self.queue_size)
        if subscriber.on_drop is not None:
            subscriber.on_drop()

    async def subscribe(
        self, on_drop: Callable[[], None] | None = None
    ) -> AsyncIterator[ChangeEvent]:
        """The events from now on; FeedRefused when the process has too many
        subscribers, or this one falls behind (then `on_drop` is called at once:
        the subscriber may be stuck sending, and would only see the marker later)."""
        if len(self._subscribers) >= self.max_subscribers:
            raise FeedRefused(
                "TOO_MANY_SUBSCRIPTIONS",
                f"this server takes at most {self.max_subscribers} subscriptions",
            )
        subscriber = _Subscriber(self.queue_size, on_drop)
        self._subscribers.add(subscriber)
        try:
            while True:
                event = await subscriber.queue.get()
                if event is None:
                    raise FeedRefused(
                        "SUBSCRIPTION_TOO_SLOW",
                        f"more than {self.queue_size} events waited for this subscription",
                    )
                yield event
        finally:
            self._subscribers.discard(subscriber)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def version_of(node: Node) -> int | None:
    """The node's version (a counter each committed write raises)."""
    value = node.props.get("version")
    return value if isinstance(value, int) else None


def event_of(mutation: str, result: object) -> ChangeEvent | None:
    """The event of a mutation (by its field's Python name) that returned `result`."""
    if isinstance(result, Node):
        version = version_of(result)
        kind = {
            "merge_entities": ChangeKind.NODES_MERGED,
            "restore_node": ChangeKind.NODE_RESTORED,
        }.get(mutation, ChangeKind.NODE_CREATED if version == 1 else ChangeKind.NODE_UPDATED)
        return ChangeEvent(kind, mutation, (result.id,), version, _now())
    if isinstance(result, Relationship):
        kind = (
            ChangeKind.RELATIONSHIP_UNLINKED
            if mutation == "unlink"
            else (ChangeKind.RELATIONSHIP_LINKED)
        )
        return ChangeEvent(kind, mutation, ("|".join(result.key),), None, _now())
    if mutation == "delete_node" and isinstance(result, str):
        return ChangeEvent(ChangeKind.NODE_DELETED, mutation, (result,), None, _now())
    if mutation == "revert" and isinstance(result, list):
        return ChangeEvent(ChangeKind.REVERTED, mutation, tuple(map(str, result)), None, _now())
    if mutation == "import_batch":
        return ChangeEvent(ChangeKind.IMPORTED, mutation, (), None, _now())
    return None


def publish(feed: ChangeFeed | None, mutation: str, result: object) -> None:
    """Tell subscribers about a write that has committed (call it only then)."""
    if feed is None:
        return
    event = event_of(mutation, result)
    if event is not None:
        feed.publish(event)
