"""A YAML loader that a hostile scenario file cannot turn against the machine.

PyYAML's safe loader constructs no arbitrary objects, but it obeys aliases (one
342-byte file can stand for billions of nodes), recurses once per nesting level and
turns any run of digits into an ``int``. This loader, used for every scenario file:

* refuses nesting deeper than ``limit("nesting")`` while the document is composed,
  before the recursion that would overflow Python's stack;
* measures the composed node graph with aliases expanded — in time proportional to
  the nodes actually written, by memoising each node's expanded size — and refuses
  a document larger than ``limit("alias_nodes")`` nodes, or deeper than the nesting
  limit once expanded, or with an alias that contains itself, before any Python
  object is built;
* keeps numbers longer than ``limit("number_digits")`` as
  :class:`~tratado.formats._input.HugeNumber` placeholders, refused by the field
  readers with the field's name and line.

Aliases themselves stay allowed (``values: *shared`` is a real convenience in
hand-written files); only their expanded size is bounded.
"""

from __future__ import annotations

from typing import Any

import yaml

from tratado.errors import ScenarioError
from tratado.formats._input import HugeNumber, too_many_digits
from tratado.limits import env_name, limit


class _Refused(Exception):
    """Raised inside the composer; turned into a ScenarioError naming the line."""

    def __init__(self, message: str, fix: str, line: int | None) -> None:
        super().__init__(message)
        self.message, self.fix, self.line = message, fix, line


def _nesting_refusal(line: int | None, how: str) -> _Refused:
    return _Refused(f"the lists and mappings nest {how}.",
                    "a scenario needs only a few levels; check the brackets and the indentation "
                    f"there (or raise {env_name('nesting')}).", line)


class ScenarioLoader(yaml.SafeLoader):
    """SafeLoader with the checks above; use :func:`load_text`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nesting = limit("nesting")

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > self._nesting:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise _nesting_refusal(event.start_mark.line + 1,
                                       f"more than {self._nesting} levels deep, the most tratado"
                                       " reads")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    if too_many_digits(text):
        return HugeNumber(text)
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # beyond Python's own digit limit, when number_digits was raised
        return HugeNumber(text)


def _float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    if too_many_digits(text):
        return HugeNumber(text)
    return yaml.SafeLoader.construct_yaml_float(loader, node)


ScenarioLoader.add_constructor("tag:yaml.org,2002:int", _int)
ScenarioLoader.add_constructor("tag:yaml.org,2002:float", _float)

_Loader: Any = ScenarioLoader
if getattr(yaml, "__with_libyaml__", False):
    # With LibYAML, its C scanner and parser produce the events (a 20 MB scalar is read
    # in a fraction of a second instead of ~9 s) while composition stays in Python,
    # in ScenarioLoader.compose_node above, where the nesting check lives.
    from yaml._yaml import CParser

    class _FastLoader(ScenarioLoader, CParser):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._depth = 0
            self._nesting = limit("nesting")

        # the event methods come from the C parser, not from the Python one
        check_event = CParser.check_event
        peek_event = CParser.peek_event
        get_event = CParser.get_event
        dispose = CParser.dispose

    _Loader = _FastLoader


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def measure(root: yaml.Node) -> None:
    """Refuse a node graph that is too large or too deep once aliases are expanded.

    Iterative depth-first walk; each distinct node is expanded once (memoised), so the
    time is linear in the nodes written, whatever the aliases multiply them to.
    """
    most, deepest = limit("alias_nodes"), limit("nesting")
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[key] > most:
                raise _Refused(
                    f"with its aliases (*name) expanded, the document has more than {most:,} "
                    "entries.", "write the entries out, or use fewer aliases (an alias bomb looks "
                    f"like this); if the file is genuine, raise {env_name('alias_nodes')}.", line)
            if depth[key] > deepest:
                raise _nesting_refusal(line, f"{depth[key]:,} levels deep with aliases expanded, "
                                       f"more than the {deepest} tratado reads")
            continue
        if key in size:
            continue
        if key in entered:
            raise _Refused("an alias (*name) refers to the list or mapping that contains it.",
                           "an alias can only repeat something written before it, outside it.",
                           line)
        entered.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in _children(node) if id(kid) not in size)


def load_text(text: str, file: str) -> tuple[yaml.Node | None, Any]:
    """The composed node (for line numbers) and the data of one YAML document."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        measure(node)
        return node, loader.construct_document(node)
    except yaml.YAMLError as error:  # LibYAML stops deep flow nesting itself
        if "nesting depth" not in str(getattr(error, "problem", "")):
            raise
        mark = getattr(error, "problem_mark", None)
        refused = _nesting_refusal(None if mark is None else mark.line + 1,
                                   "more levels deep than tratado reads")
        raise ScenarioError(refused.message, file=file, line=refused.line,
                            fix=refused.fix) from None
    except _Refused as refused:
        raise ScenarioError(refused.message, file=file, line=refused.line,
                            fix=refused.fix) from None
    except RecursionError:  # only when the nesting limit was raised past Python's stack
        raise ScenarioError("the lists and mappings nest too deeply for this Python to read.",
                            file=file, fix=f"lower {env_name('nesting')}, or flatten the file."
                            ) from None
    finally:
        loader.dispose()
