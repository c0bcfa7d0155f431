"""Jinja's sandbox with bounds on work: what a template builds, how long it loops, how deep it calls.

Jinja's own sandbox stops attribute escapes but not work: `{{ 'a' * 10**9 }}`, `center(10**9)`,
`'%999999999d' % 1`, nested `range(99999)` loops or a macro calling itself would take gigabytes,
minutes or the stack. Every string or list a template builds is measured before it is built where
the size can be known ahead (repetition, padding widths, replacement) and after otherwise; loops and
calls draw on a budget of steps for one render; calls nest at most MAX_DEPTH deep. Going over raises
TooMuch, whose `reason` is Vietnamese, and the caller reports it at the text's place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext, Macro, new_context
from jinja2.sandbox import SandboxedEnvironment

MAX_TEXT = 100_000  # characters in one string a template builds: some thirty pages
MAX_ITEMS = 10_000  # items in one list or range: a table of a district's schools has a few hundred
# Units of work in one render: a loop round, a call, an operator, a filter; one more per item of a list
# and per hundred characters of a string the call or filter goes through.
MAX_STEPS = 20_000
MAX_DEPTH = 50  # calls (macros, recursive loops) nested in one another
_MAX_POWER_BITS = 4096  # a ** b: plans count schools and years, not atoms
# Work allowed before an operation whose result can only be measured afterwards (str.replace, join):
# ten times MAX_TEXT keeps memory at a few megabytes while the result is still checked exactly.
_MAX_WORK = 10 * MAX_TEXT


class TooMuch(jinja2.TemplateRuntimeError):
    """A template asked for more than a document needs; `reason` says what, in Vietnamese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Budget:
    steps: int = 0
    depth: int = 0


_BUDGET: ContextVar[_Budget] = ContextVar("kehoach_template_budget")


def thousands(value: float) -> str:
    """1.000.000, as Vietnamese writes thousands."""
    return f"{value:,}".replace(",", ".")


def _work(value: object) -> int:
    """The steps going through value costs: one per item of a collection, per hundred characters of a string."""
    if isinstance(value, str):
        return len(value) // 100
    if isinstance(value, list | tuple | dict | set | frozenset | range):
        return len(value)
    return 0


def _step(cost: int = 1) -> None:
    budget = _BUDGET.get(None)
    if budget is None:  # outside render(): nothing to count against
        return
    budget.steps += cost
    if budget.steps > MAX_STEPS:
        raise TooMuch(f"vòng lặp hoặc lời gọi chạy quá {thousands(MAX_STEPS)} lần")


def _too_long(size: int) -> TooMuch:
    return TooMuch(f"tạo ra chuỗi dài {thousands(size)} ký tự, quá giới hạn {thousands(MAX_TEXT)}")


def _too_many(count: int) -> TooMuch:
    return TooMuch(f"tạo ra danh sách {thousands(count)} mục, quá giới hạn {thousands(MAX_ITEMS)}")


def _checked(value: object) -> object:
    """The value if it is not too large a string or collection (after it was built)."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise _too_long(len(value))
    if isinstance(value, list | tuple | dict | set | frozenset | range) and len(value) > MAX_ITEMS:
        raise _too_many(len(value))
    return value


def _check_number(value: object) -> None:
    """A count or width given to a builder (repeat, pad, centre) must fit in MAX_TEXT."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
        raise TooMuch(f"số {thousands(value)} quá lớn cho độ dài một chuỗi (tối đa {thousands(MAX_TEXT)})")


def _estimate(method: str, subject: object, args: tuple) -> int:
    """An upper bound of the length of subject.method(*args) for the methods that can multiply it."""
    if method == "replace" and len(args) >= 2:
        return len(str(subject)) * (1 + len(str(args[1])))
    if method == "join" and args and hasattr(args[0], "__len__"):
        return len(str(subject)) * len(args[0]) + sum(len(str(item)) for item in args[0])
    return 0


def _before_call(method: str, subject: object, args: tuple, kwargs: dict, widths: bool = True) -> None:
    if widths:
        for value in (*args, *kwargs.values()):
            _check_number(value)
    if (estimate := _estimate(method, subject, args)) > _MAX_WORK:
        raise _too_long(estimate)


_PRINTF_WIDTHS = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?")
_BRACE_WIDTHS = re.compile(r"\{[^{}]*?:[^{}]*?(\d+)(?:\.(\d+))?[^{}]*\}")


def _check_format(text: str, arguments: tuple, printf: bool) -> None:
    """Widths and precisions of a %-format or a {…} format: `%999999999d`, `{:>999999999}`; when a width
    is taken from the arguments (`%*d`, `{:{}}`), the arguments too, but a number merely printed is free."""
    for found in (_PRINTF_WIDTHS if printf else _BRACE_WIDTHS).finditer(text):
        for number in found.groups():
            if number is not None and number != "*":
                _check_number(int(number))
    if ("*" in text) if printf else re.search(r"\{[^{}]*\{", text):
        for value in arguments:
            _check_number(value)


def _bounded_binop(name: str):
    base = SandboxedEnvironment.default_binop_table[name]

    def binop(left: object, right: object) -> object:
        _step(1 + _work(left) + _work(right))
        if name == "*":
            for count, seq in ((left, right), (right, left)):
                if isinstance(count, int) and isinstance(seq, str | list | tuple) and count * len(seq) > MAX_TEXT:
                    raise _too_long(count * len(seq))
        elif name == "**" and isinstance(left, int) and isinstance(right, int) \
                and abs(left) > 1 and right * left.bit_length() > _MAX_POWER_BITS:
            raise TooMuch(f"lũy thừa {left}**{right} quá lớn")
        elif name == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple) \
                and len(left) + len(right) > MAX_TEXT:
            raise _too_long(len(left) + len(right))
        elif name == "%" and isinstance(left, str):
            _check_format(left, right if isinstance(right, tuple) else (right,), printf=True)
        return _checked(base(left, right))

    return binop


def bounded_range(*args: int) -> range:
    """range() for templates: at most MAX_ITEMS numbers (each round of a loop also draws on the steps)."""
    for value in args:
        _check_number(value)
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise _too_many(len(numbers))
    return numbers


def _counted(items: object):
    """A loop's items, each drawing one step from the render's budget (the `for` loops' hidden filter)."""
    for item in items:
        _step()
        yield item


# The filters whose numeric arguments are lengths or counts of what they build.
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice"})


def _bounded_filter(name: str, function):
    """A Jinja filter whose numeric arguments and result are bounded (center(10**9), replace, format…)."""

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        # Filters with pass_context/pass_environment get that first; the value filtered comes next.
        values = [a for a in args if not isinstance(a, jinja2.runtime.Context | jinja2.Environment
                                                    | jinja2.nodes.EvalContext)]
        subject, rest = (values[0], tuple(values[1:])) if values else ("", ())
        if name == "join":  # value|join(d) is d.join(value)
            subject, rest = (rest[0] if rest else kwargs.get("d", "")), (subject,)
        _step(1 + _work(subject) + sum(map(_work, rest)))
        _before_call(name, subject, rest, kwargs, widths=name in _WIDTH_FILTERS)
        if name == "format" and isinstance(subject, str):
            _check_format(subject, (*rest, *kwargs.values()), printf=True)
        return _checked(function(*args, **kwargs))

    return bounded


class _CountingCodeGenerator(CodeGenerator):
    """Compiles every `for` loop to draw on the budget, and `~` to measure what it joins."""

    def visit_Template(self, node: nodes.Template, frame=None) -> None:
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_dem_vong", [], [], None, None, lineno=loop.iter.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.concatenate((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, plus bounds on the size of what templates build and on the work they do."""

    code_generator_class = _CountingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = bounded_range
        del self.globals["lipsum"]  # Latin filler text, of any length asked: nothing an official document prints
        self.binop_table = {**self.binop_table, **{name: _bounded_binop(name) for name in self.intercepted_binops}}
        self.filters = {name: _bounded_filter(name, function) for name, function in self.filters.items()}
        self.filters["_dem_vong"] = _counted

    def add_filter(self, name: str, function) -> None:
        """Register a filter of kehoach's own, bounded like Jinja's."""
        self.filters[name] = _bounded_filter(name, function)

    @staticmethod
    def concatenate(parts: tuple) -> str:
        """`a ~ b`: measured before joining."""
        texts = [str(part) for part in parts]
        size = sum(map(len, texts))
        _step(1 + size // 100)
        if size > MAX_TEXT:
            raise _too_long(size)
        return "".join(texts)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None

        def bounded(*args, **kwargs):
            _step(1 + _work(value.__self__) + sum(map(_work, args)))
            _check_format(value.__self__, (*args, *kwargs.values()), printf=False)
            return _checked(wrapped(*args, **kwargs))

        return bounded

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own names, free for keyword arguments
        owner = getattr(__obj, "__self__", None)
        _step(1 + _work(owner) + sum(map(_work, args)))
        if isinstance(owner, str):  # a string method: 'a'.center(10**9)
            _before_call(__obj.__name__, owner, args, kwargs)
        if isinstance(__obj, LoopContext) and args:  # loop(children) of a recursive loop: its rounds count too
            args = (_counted(args[0]), *args[1:])
        nested = isinstance(__obj, Macro | LoopContext)
        budget = _BUDGET.get(None)
        if nested and budget is not None:
            budget.depth += 1
            if budget.depth > MAX_DEPTH:
                raise TooMuch(f"macro hoặc vòng lặp gọi lồng nhau quá {MAX_DEPTH} tầng (có thể nó tự gọi chính nó mãi)")
        try:
            return _checked(super().call(__context, __obj, *args, **kwargs))
        finally:
            if nested and budget is not None:
                budget.depth -= 1


@functools.lru_cache(maxsize=8192)  # as many as document._compiled keeps
def _globals(template: jinja2.Template) -> dict:
    """A template's globals as a plain dict: Jinja copies its ChainMap of them at every render, a tenth of
    the time a batch spends in templates."""
    return dict(template.globals)


def _generate(template: jinja2.Template, context: dict) -> Iterator[str]:
    """template.generate(context), its context made from _globals."""
    ctx = new_context(template.environment, template.name, template.blocks, {**_globals(template), **context},
                      True, template.globals)
    try:
        yield from template.root_render_func(ctx)
    except Exception:  # noqa: BLE001 - as Template.generate: re-raised with the template's own lines
        yield template.environment.handle_exception()


def render(template: jinja2.Template, context: dict) -> str:
    """A template's text, rendered within the bounds: at most MAX_TEXT characters; TooMuch otherwise."""
    token = _BUDGET.set(_Budget())
    try:
        out, size = [], 0
        for chunk in _generate(template, context):
            size += len(chunk)
            if size > MAX_TEXT:
                raise _too_long(size)
            out.append(chunk)
        return "".join(out)
    finally:
        _BUDGET.reset(token)
