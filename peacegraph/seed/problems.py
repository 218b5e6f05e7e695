"""The seed's problems, gathered so that a reviewer sees every one at once, each located
by file, line and field."""

from __future__ import annotations

from peacegraph.graph.errors import Invalid

#: The seed folder's description of its report, whose problems are listed first.
DOCUMENT_FILE = "report.yaml"


class SeedError(Invalid):
    """A broken rule in a seed file, located by file, line and field.

    When several rules are broken, one `SeedError` is raised: its attributes are those
    of the first problem, `errors` holds every problem, and the message lists them all.
    """

    def __init__(
        self, message: str, *, file: str, line: int | None = None, field: str | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.reason = message
        self.errors: tuple[SeedError, ...] = (self,)
        super().__init__(_located(message, file, line, field), field=field)

    @classmethod
    def combine(cls, errors: list[SeedError]) -> SeedError:
        """One error standing for many: the first one's place, every one's message."""
        first = errors[0]
        combined = cls(first.reason, file=first.file, line=first.line, field=first.field)
        combined.errors = tuple(errors)
        if len(errors) > 1:
            rest = "\n".join(f"  {error}" for error in errors[1:])
            combined.args = (f"{first}\n{len(errors) - 1} more problem(s):\n{rest}",)
        return combined


def _located(message: str, file: str, line: int | None, field: str | None) -> str:
    where = f"{file}:{line}" if line is not None else file
    return f"{where}: field {field!r}: {message}" if field else f"{where}: {message}"


class Problems:
    """Collects every problem so that a reviewer sees them all in one run."""

    def __init__(self) -> None:
        self.items: list[SeedError] = []

    def add(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.items.append(SeedError(message, file=file, line=line, field=field))

    def raise_if_any(self) -> None:
        if self.items:
            ordered = sorted(self.items, key=error_order)
            raise SeedError.combine(ordered)


def error_order(error: SeedError) -> tuple[bool, str, int]:
    """report.yaml first, then files by name, then by line: the order a reviewer reads."""
    return (error.file != DOCUMENT_FILE, error.file, error.line or 0)
