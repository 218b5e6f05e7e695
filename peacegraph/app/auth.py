"""API tokens: created once, stored only as a salted hash, revocable.

A token reads `pg_<id>_<secret>`. The id finds the stored record; the secret is
checked against `sha256(salt + secret)` in constant time. The secret has 256 bits
of entropy, so a fast salted hash is enough: nothing can be guessed offline from
the store, and checking stays cheap on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from peacegraph.graph.errors import Invalid, NotFound
from peacegraph.graph.records import StoredRecord
from peacegraph.graph.store import Store
from peacegraph.resolvers.context import Caller
from peacegraph.resolvers.writes import ROLES

TOKEN = "token"
_FORMAT = re.compile(r"^pg_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")
ANONYMOUS = Caller()
INVALID = Caller(name="invalid", role="invalid")


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of a token: never its secret or hash."""

    id: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None


def _hash(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


def _info(record: StoredRecord) -> TokenInfo:
    body = record.body
    return TokenInfo(
        id=record.key,
        name=str(body["name"]),
        role=str(body["role"]),
        created_at=record.at,
        revoked_at=body.get("revokedAt"),
    )


async def create_token(store: Store, name: str, role: str) -> tuple[TokenInfo, str]:
    """A new token; returns its info and the token text, which is never stored."""
    if role not in ROLES:
        raise Invalid(f"role: expected one of {', '.join(ROLES)}", field="role")
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise Invalid("name: 1 to 100 printable characters", field="name")
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    record = StoredRecord(
        TOKEN,
        token_id,
        at,
        ref=name,
        actor=name,
        body={"name": name, "role": role, "salt": salt, "hash": _hash(salt, secret)},
    )
    await store.put_records([record])
    return _info(record), f"pg_{token_id}_{secret}"


async def caller_for(store: Store, authorization: str | None) -> Caller:
    """The caller an Authorization header names: anonymous, a token's holder, or invalid."""
    if not authorization:
        return ANONYMOUS
    scheme, _, value = authorization.strip().partition(" ")
    match = _FORMAT.match(value.strip()) if scheme.lower() == "bearer" else None
    if match is None:
        return INVALID
    token_id, secret = match.groups()
    record = (await store.get_records(TOKEN, [token_id])).get(token_id)
    if record is None or record.body.get("revokedAt"):
        return INVALID
    expected = str(record.body["hash"])
    if not hmac.compare_digest(expected, _hash(str(record.body["salt"]), secret)):
        return INVALID
    return Caller(name=str(record.body["name"]), role=str(record.body["role"]))


async def list_tokens(store: Store) -> list[TokenInfo]:
    infos: list[TokenInfo] = []
    offset = 0
    while True:
        page = await store.list_records(TOKEN, offset=offset, limit=100)
        infos.extend(_info(r) for r in page.items)
        if not page.has_next:
            return infos
        offset += len(page.items)


async def revoke_token(store: Store, token_id: str) -> TokenInfo:
    record = (await store.get_records(TOKEN, [token_id])).get(token_id)
    if record is None:
        raise NotFound(f"no token with id {token_id} (see `peacegraph token list`)")
    revoked = StoredRecord(
        TOKEN,
        record.key,
        record.at,
        record.ref,
        record.actor,
        {**record.body, "revokedAt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
    )
    await store.put_records([revoked])
    return _info(revoked)
