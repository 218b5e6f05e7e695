"""Plain leaf fields read directly (`PlainFieldsExecutionContext`) answer exactly what
graphql-core's own field execution answers: the same data, the same errors at the
same paths, and middleware still applied to every field."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any, NewType

import strawberry
from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from peacegraph.resolvers.context import Context
from peacegraph.resolvers.limits import Limits
from peacegraph.schema.build import build_schema
from peacegraph.schema.plain_fields import PlainFieldsExecutionContext, plain_fields
from tests.conftest import open_embedded


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Never(BasePermission):
    message = "not allowed"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Thing:
    name: str
    note: str | None
    count: int
    colour: Colour
    hidden: str = strawberry.field(permission_classes=[Never], default="secret")

    @strawberry.field
    def shout(self) -> str:
        return str(self.name).upper()


#: A scalar that serialises every value to null, which graphql-core refuses.
Blank = NewType("Blank", str)
_BLANK = StrawberryConfig(
    scalar_map={Blank: strawberry.scalar(name="Blank", serialize=lambda value: None)}
)


@strawberry.type
class Odd:
    name: str
    blank: Blank


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [
            Thing(name="a", note=None, count=1, colour=Colour.RED),
            # Both refused by the schema: null for a non-null String, text for an Int.
            Thing(name=None, note="n", count=2, colour=Colour.BLUE),  # type: ignore[arg-type]
            Thing(name="c", note="m", count="three", colour=Colour.RED),  # type: ignore[arg-type]
        ]

    @strawberry.field
    def odds(self) -> list[Odd]:
        return [Odd(name="o", blank=Blank("b"))]

    @strawberry.field
    def broken(self) -> Thing | None:
        """A Thing without its `note`: reading it raises."""
        thing = Thing.__new__(Thing)
        thing.name = "x"
        return thing


def _schema(context_class: type, **kwargs: Any) -> strawberry.Schema:
    kwargs.setdefault("config", _BLANK)
    return strawberry.Schema(query=Query, execution_context_class=context_class, **kwargs)


async def _both(query: str) -> tuple[Any, Any]:
    plain = await _schema(PlainFieldsExecutionContext).execute(query)
    core = await _schema(StrawberryGraphQLCoreExecutionContext).execute(query)
    return plain, core


def _answer(result: Any) -> tuple[Any, list[tuple[str, Any]]]:
    errors = sorted((error.message, error.path) for error in result.errors or [])
    return result.data, errors


async def test_plain_fields_answer_as_graphql_core_does() -> None:
    plain, core = await _both("{ things { note colour shout } }")
    assert _answer(plain) == _answer(core)
    assert plain.data == {
        "things": [
            {"note": None, "colour": "RED", "shout": "A"},
            {"note": "n", "colour": "BLUE", "shout": "NONE"},
            {"note": "m", "colour": "RED", "shout": "C"},
        ]
    }


async def test_values_the_schema_refuses_are_errors_at_the_same_path() -> None:
    for field, message in (("name", "non-nullable"), ("count", "Int cannot represent")):
        plain, core = await _both(f"{{ things {{ {field} }} }}")
        assert _answer(plain) == _answer(core)
        assert plain.data is None  # a null in a non-null list item nulls the list
        assert plain.errors and message in plain.errors[0].message, plain.errors
        assert plain.errors[0].path == ["things", 1 if field == "name" else 2, field]


async def test_objects_of_plain_leaves_only_answer_as_graphql_core_does() -> None:
    """Objects whose selected fields are all plain leaves are read in one loop; a value
    it refuses, or an attribute that fails, sends the object through graphql-core."""
    plain, core = await _both("{ things { n: note note colour } }")
    assert _answer(plain) == _answer(core)
    assert plain.data == {
        "things": [
            {"n": None, "note": None, "colour": "RED"},
            {"n": "n", "note": "n", "colour": "BLUE"},
            {"n": "m", "note": "m", "colour": "RED"},
        ]
    }
    for query in (
        "{ things { note name count colour } }",
        "{ things { count note } }",
        "{ broken { name note } }",
        "{ broken { note name } }",
        "{ odds { name blank } }",
    ):
        plain, core = await _both(query)
        assert _answer(plain) == _answer(core), query
        assert plain.errors, query


async def test_only_plain_leaves_take_the_short_path() -> None:
    schema = _schema(PlainFieldsExecutionContext)
    table, _ = plain_fields(schema._schema)
    assert {name for type_name, name in table if type_name == "Thing"} == {
        "name",
        "note",
        "count",
        "colour",
    }  # not `shout` (a resolver), nor `hidden` (a permission)
    result = await schema.execute("{ things { hidden } }")
    assert result.errors and {e.message for e in result.errors} == {"not allowed"}


async def test_a_schema_with_its_own_default_resolver_keeps_it() -> None:
    def shouting(source: Any, name: str) -> Any:
        value = getattr(source, name)
        return value.upper() if isinstance(value, str) else value

    config = StrawberryConfig(default_resolver=shouting, scalar_map=_BLANK.scalar_map)
    schema = _schema(PlainFieldsExecutionContext, config=config)
    assert plain_fields(schema._schema) == ({}, {})
    result = await schema.execute("{ things { note } }")
    assert result.data == {"things": [{"note": None}, {"note": "N"}, {"note": "M"}]}


class Exclaim(SchemaExtension):
    def resolve(
        self, _next: Any, root: Any, info: GraphQLResolveInfo[Any], *args: str, **kwargs: Any
    ) -> Any:
        value = _next(root, info, *args, **kwargs)
        return value + "!" if isinstance(value, str) else value


async def test_middleware_still_wraps_every_field() -> None:
    query = "{ things { note } }"
    plain = await _schema(PlainFieldsExecutionContext, extensions=[Exclaim]).execute(query)
    core = await _schema(StrawberryGraphQLCoreExecutionContext, extensions=[Exclaim]).execute(query)
    assert plain.data == core.data == {"things": [{"note": None}, {"note": "n!"}, {"note": "m!"}]}


NESTED = """{ organizations(first: 20) { totalCount nodes { id name kind aliases
  events(first: 5) { direction role start { value precision } node { __typename id name
    ... on Event { start { value } participants(first: 5) { node { id name } } } } } } } }"""


async def test_the_peacegraph_schema_answers_the_same_either_way(tmp_path: Path) -> None:
    schema = build_schema(Limits())
    async with open_embedded(tmp_path / "store", seed=True) as store:
        answers = []
        for context_class in (PlainFieldsExecutionContext, StrawberryGraphQLCoreExecutionContext):
            schema.execution_context_class = context_class
            context = Context(store=store, limits=Limits(), request_id="test")
            result = await schema.execute(NESTED, context_value=context)
            assert not result.errors, result.errors
            answers.append(json.dumps(result.data, sort_keys=True))
    assert answers[0] == answers[1]
    assert json.loads(answers[0])["organizations"]["totalCount"] > 20


@strawberry.interface
class Shape:
    name: str


@strawberry.type
class Square(Shape):
    side: int


@strawberry.type
class Circle(Shape):
    radius: int


@strawberry.interface
class Picked:
    """An interface that resolves by the value, not its class."""

    name: str

    @classmethod
    def resolve_type(cls, obj: Any, info: GraphQLResolveInfo[Any], type_: Any) -> str:
        return "Left" if obj.name.startswith("l") else "Right"


@strawberry.type
class Left(Picked):
    pass


@strawberry.type
class Right(Picked):
    pass


@strawberry.type
class Shapes:
    @strawberry.field
    def shapes(self) -> list[Shape]:
        circle_as_square = strawberry.cast(Square, Circle(name="cast", radius=9))
        circle_as_square.side = 4  # type: ignore[attr-defined]
        return [
            Square(name="s1", side=1),
            Circle(name="c1", radius=2),
            Square(name="s2", side=3),
            circle_as_square,
            Circle(name="c2", radius=5),
        ]

    @strawberry.field
    def picked(self) -> list[Picked]:
        return [Left(name="l1"), Left(name="r-but-left-class"), Left(name="l2")]

    @strawberry.field
    def wrong(self) -> list[Shape] | None:
        return [Square(name="s", side=1), Thing(name="t", note=None, count=1, colour=Colour.RED)]  # type: ignore[list-item]


async def test_interface_values_resolve_as_graphql_core_resolves_them() -> None:
    """Values of an interface type resolve to the same object types on the short path:
    by their class once seen, except a cast value (which resolves to the type it was
    cast to) and the values of an interface with its own `resolve_type`; a value of
    no implementing type is the same error."""
    query = """{ shapes { __typename name ... on Square { side } ... on Circle { radius } }
      picked { __typename name } wrong { __typename name } }"""
    schemas = [
        strawberry.Schema(
            query=Shapes, types=[Square, Circle, Left, Right], execution_context_class=c
        )
        for c in (PlainFieldsExecutionContext, StrawberryGraphQLCoreExecutionContext)
    ]
    plain, core = [await schema.execute(query) for schema in schemas]
    assert _answer(plain) == _answer(core)
    assert plain.data is not None and plain.data["wrong"] is None
    assert [s["__typename"] for s in plain.data["shapes"]] == [
        "Square",
        "Circle",
        "Square",
        "Square",
        "Circle",
    ]
    assert [p["__typename"] for p in plain.data["picked"]] == ["Left", "Right", "Left"]
    assert plain.errors and "wrong" in str(plain.errors[0].path)


@strawberry.type
class Inner:
    name: str
    size: int

    @strawberry.field
    async def later(self) -> str:
        return f"{self.name}-later"


@strawberry.type
class Box:
    label: str
    inner: Inner
    maybe: Inner | None
    shape: Shape


@strawberry.type
class Boxes:
    @strawberry.field
    def boxes(self) -> list[Box | None]:
        return [
            Box(
                label="ok",
                inner=Inner(name="i", size=1),
                maybe=None,
                shape=Square(name="s", side=2),
            ),
            # A null name in a non-null field: the error nulls `inner`, then the box.
            Box(
                label="bad-inner",
                inner=Inner(name=None, size=2),  # type: ignore[arg-type]
                maybe=None,
                shape=Circle(name="c", radius=1),
            ),
            # A null where an object is required, and a nullable object with a bad Int.
            Box(label="no-inner", inner=None, maybe=None, shape=Square(name="t", side=3)),  # type: ignore[arg-type]
            Box(
                label="bad-maybe",
                inner=Inner(name="j", size=3),
                maybe=Inner(name="k", size="x"),  # type: ignore[arg-type]
                shape=Circle(name="d", radius=4),
            ),
            # A circle cast as a square, after a circle: resolved as a square.
            Box(label="cast", inner=Inner(name="m", size=5), maybe=None, shape=_circle_as_square()),
        ]


def _circle_as_square() -> Shape:
    shape = strawberry.cast(Square, Circle(name="cast", radius=9))
    shape.side = 4  # type: ignore[attr-defined]
    return shape


async def test_plain_object_fields_complete_as_graphql_core_completes_them() -> None:
    """An object or interface field without a resolver completes its value's fields
    directly: the same answers, and the same errors at the same paths, nulling the
    same fields, including from a sub-field that awaits."""
    query = """{ boxes { label inner { name size later } maybe { name size }
      shape { __typename name ... on Square { side } } } }"""
    schemas = [
        strawberry.Schema(query=Boxes, types=[Square, Circle], execution_context_class=c)
        for c in (PlainFieldsExecutionContext, StrawberryGraphQLCoreExecutionContext)
    ]
    plain, core = [await schema.execute(query) for schema in schemas]
    assert _answer(plain) == _answer(core)
    assert plain.data is not None
    boxes = plain.data["boxes"]
    assert boxes[0]["inner"] == {"name": "i", "size": 1, "later": "i-later"}
    assert boxes[1] is None and boxes[2] is None
    assert boxes[3]["maybe"] is None and boxes[3]["shape"]["__typename"] == "Circle"
    assert boxes[4]["shape"] == {"__typename": "Square", "name": "cast", "side": 4}
    assert len(plain.errors or []) == 3
    _, objects = plain_fields(schemas[0]._schema)
    assert {name for type_name, name in objects if type_name == "Box"} == {
        "inner",
        "maybe",
        "shape",
    }
