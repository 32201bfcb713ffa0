"""The shape of a report as the review views read it, checked before they read it.

A report is JSON that a user can edit, cut short or mistake for another file.  The terminal
view and the review page index into it everywhere, so ``rutrans review`` first checks
every field they use (and only those: a later report format may add fields) and turns the
first that is missing or of the wrong type into one line naming it, instead of a traceback
from the middle of rendering with half a table already printed.  The shapes are
TypedDicts, validated by pydantic in strict mode (no ``"3"`` for 3).
"""

from __future__ import annotations

from typing import Annotated, Any, NotRequired

from pydantic import Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

Span = Annotated[list[int], Field(min_length=2, max_length=2)]


class _Finding(TypedDict):
    check: str
    message: str


class _Term(TypedDict):
    msgid: str
    target: str
    status: str
    source_text: NotRequired[str | None]
    source_span: NotRequired[Span | None]
    final_span: NotRequired[Span | None]


class _Segment(TypedDict):
    id: int
    source: str
    mt: str
    final: str
    flagged: bool
    qa: list[_Finding]
    terms: NotRequired[list[_Term]]


class _Summary(TypedDict):
    occurrences: int
    ok: int
    fixed: int
    missing: int
    forbidden: int
    term_accuracy: float | None


class _QA(TypedDict):
    flagged: int
    by_check: dict[str, int]


class _Input(TypedDict):
    path: str


class _Signature(TypedDict):
    id: str
    input: _Input


class Report(TypedDict):
    """What :mod:`rutrans.review.terminal` and :mod:`rutrans.review.html` read."""

    signature: _Signature
    segments: list[_Segment]
    qa: _QA
    summary: NotRequired[_Summary | None]
    notes: NotRequired[dict[str, str] | None]


def problem(data: Any) -> str | None:
    """The first field of *data* that does not fit :class:`Report`, said in a few words
    (``segments.0.final: field required``); None if it fits."""
    try:
        TypeAdapter(Report).validate_python(data, strict=True)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        message = first["msg"].removeprefix("Input ")  # pydantic's word for the value
        return f"{where}: {message[:1].lower()}{message[1:]}"
    return None
