"""One base for the session's lazy, append-only sequences (the compact event log and the
log views): each says how to produce a range of its items, and gets indexing, slices,
iteration and equality from that."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")


class Ranged(Sequence[T]):
    """A read-only sequence built from :meth:`_range` (``start < stop``, both in range)."""

    __slots__ = ()

    def _range(self, start: int, stop: int) -> Iterable[T]:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        n = len(self)
        if isinstance(index, slice):
            start, stop, stride = index.indices(n)
            if stride != 1:
                return [self[i] for i in range(start, stop, stride)]
            return list(self._range(start, stop)) if start < stop else []
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"{type(self).__name__} index out of range")
        return next(iter(self._range(index, index + 1)))

    def __iter__(self) -> Iterator[T]:
        n = len(self)
        return iter(self._range(0, n)) if n else iter(())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__: Any = None
