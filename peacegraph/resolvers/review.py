"""Review resolvers: editors only, then the review package does the work.

Reading a draft is as guarded as deciding on it: a draft holds unreviewed claims
about named people, which are not for anonymous readers."""

from __future__ import annotations

from typing import Any

from peacegraph.graph.writing import now
from peacegraph.resolvers.changes import ChangeEvent, ChangeKind
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.writes import require
from peacegraph.review import decide, drafts, ledger
from peacegraph.review.drafts import Draft
from peacegraph.review.ledger import Decision


async def every_draft(context: Context) -> list[tuple[Draft, dict[str, Decision]]]:
    require(context.caller, "editor")
    found = await drafts.every(context.store)
    return [(draft, await ledger.decisions(context.store, draft.name)) for draft in found]


async def draft(context: Context, name: str) -> tuple[Draft, dict[str, Decision]]:
    require(context.caller, "editor")
    found = await drafts.get(context.store, name)
    return found, await ledger.decisions(context.store, name)


async def accept_fact(
    context: Context, name: str, fact: str, edit: dict[str, Any], same_as: str | None
) -> Decision:
    require(context.caller, "editor")
    found = await drafts.get(context.store, name)
    decision = await decide.accept(
        context.store, found, fact, edit, actor=context.caller.name, same_as=same_as
    )
    if context.feed is not None:  # live views refetch, as after an imported batch
        event = ChangeEvent(ChangeKind.IMPORTED, "accept_fact", decision.written, None, now())
        context.feed.publish(event)
    return decision


async def reject_fact(context: Context, name: str, fact: str, reason: str) -> Decision:
    require(context.caller, "editor")
    found = await drafts.get(context.store, name)
    return await decide.reject(context.store, found, fact, reason, actor=context.caller.name)
