"""The schema class: quiet about errors, and short for operations it has checked before.

Strawberry runs every operation through its extension machinery: an execution
context, a runner that enters four async context managers per extension (operation,
parse, validation, execution), and a middleware manager, before and around
graphql-core's `execute`. With parsing and validation cached (`Guardrails`), that
machinery was about a tenth of a lookup's time under load. A query text that has
already passed every check of this schema, with the one extension it has
(`Guardrails`, which marks it ready), skips straight to graphql-core's `execute`
with what Strawberry would have passed it; anything else (a new text, an error, a
subscription, a named operation the document lacks) takes Strawberry's own path,
which raises and reports exactly as before. `tests/schema/test_execution.py` holds
the two paths to the same answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeGuard, cast

import strawberry
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import execute as graphql_execute
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.await_maybe import await_maybe

from peacegraph.resolvers.limits import Limits
from peacegraph.schema.cost import cost_error
from peacegraph.schema.documents import DocumentCache, operation_in

#: Strawberry's test for awaitable results, as graphql-core's `execute` types it.
_IS_AWAITABLE = cast("Callable[[Any], TypeGuard[Awaitable[Any]]]", optimized_is_awaitable)


class QuietSchema(strawberry.Schema):
    """Leaves error logging to the HTTP view, which knows the request id and masks;
    runs operations whose text `documents` holds as ready without Strawberry's
    per-request extension machinery (see the module's docstring)."""

    def __init__(
        self,
        *args: Any,
        documents: DocumentCache | None = None,
        limits: Limits | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._documents = documents
        self._limits = limits

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        allowed = (
            DEFAULT_ALLOWED_OPERATION_TYPES
            if allowed_operation_types is None
            else allowed_operation_types
        )
        document = (
            self._documents.ready(query)
            if self._documents is not None and query is not None
            else None
        )
        operation = operation_in(document, operation_name) if document is not None else None
        if (
            document is None
            or operation is None
            or OperationType(operation.operation.value) not in allowed
        ):
            return await super().execute(
                query,
                variable_values=variable_values,
                context_value=context_value,
                root_value=root_value,
                operation_name=operation_name,
                allowed_operation_types=allowed,
                operation_extensions=operation_extensions,
            )
        return await self._execute_ready(
            document,
            operation,
            variable_values=variable_values,
            context_value=context_value,
            root_value=root_value,
            operation_extensions=operation_extensions,
        )

    async def _execute_ready(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        *,
        variable_values: dict[str, Any] | None,
        context_value: Any,
        root_value: Any,
        operation_extensions: dict[str, Any] | None,
    ) -> ExecutionResult:
        """graphql-core's `execute` with the arguments Strawberry's path gives it (the
        operation named as Strawberry names it, its execution context class, its
        awaitable test, the operation's extensions), and its result made the same way.
        The one check that depends on the request's variables comes first, as in
        Guardrails: how many items the operation could return."""
        refused = self._limits and cost_error(
            self._schema, document, operation, variable_values, self._limits
        )
        result: GraphQLExecutionResult
        if refused:
            result = GraphQLExecutionResult(data=None, errors=[refused])
        else:
            try:
                result = await await_maybe(
                    graphql_execute(
                        self._schema,
                        document,
                        root_value=root_value,
                        variable_values=variable_values,
                        operation_name=operation.name.value if operation.name else None,
                        context_value=context_value,
                        is_awaitable=_IS_AWAITABLE,
                        executor_class=self.execution_context_class,
                        **self._get_custom_context_kwargs(operation_extensions),
                    )
                )
            except Exception as error:  # noqa: BLE001 - Strawberry's path answers the same
                if not isinstance(error, GraphQLError):
                    error = GraphQLError(str(error), original_error=error)
                result = GraphQLExecutionResult(data=None, errors=[error])
        if result.errors:
            self._process_errors(result.errors)
        return ExecutionResult(data=result.data, errors=result.errors, extensions={})
