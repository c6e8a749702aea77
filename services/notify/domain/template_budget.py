"""Limits on what one rendering of a secretariat's template may cost. Jinja's sandbox keeps a template from
reaching Python's internals, but not from asking for a 100 MB string (`{{ 'x' * 10**8 }}`) or for loops
inside loops that run for hours; either would stop notify's web page or its worker. Here a template may
make at most MAX_OUTPUT characters, build no value larger than that, and take at most MAX_STEPS steps of
Python (counted, not timed, so the same template is refused the same way on a busy machine)."""
from __future__ import annotations

import sys
from typing import Any, Callable

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_OUTPUT = 100_000     # characters of one message: a mail is a few thousand
MAX_STEPS = 2_000_000    # Python lines run while rendering: a shipped template takes a few thousand
MAX_RANGE = 1_000        # items of range() in a template
MAX_POWER = 64           # the largest exponent of **


class TemplateTooCostly(SecurityError):
    """A rendering that went past one of the limits; the message says which, in Chinese."""


class BudgetedSandbox(SandboxedEnvironment):
    """The sandbox, with `*`, `**` and `+` checked before they make a value too large, and a smaller range()."""

    intercepted_binops = frozenset(["*", "**", "+"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.globals["range"] = limited_range

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_size(_repeated_size(left, right))
        elif operator == "+":
            _check_size(_length(left) + _length(right))
        return super().call_binop(context, operator, left, right)


def limited_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateTooCostly(f"range() 最多 {MAX_RANGE} 项，模板要了 {len(numbers)} 项")
    return numbers


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(exponent, (int, float)) and abs(exponent) > MAX_POWER and not isinstance(base, bool) \
            and isinstance(base, (int, float)) and abs(base) > 1:
        raise TemplateTooCostly(f"乘方的指数最大为 {MAX_POWER}")


def _repeated_size(left: Any, right: Any) -> int:
    """The length `left * right` would have when it repeats a text or a list (0 for numbers)."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and not isinstance(count, bool):
            return len(sequence) * max(count, 0)
    return 0


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _check_size(size: int) -> None:
    if size > MAX_OUTPUT:
        raise TemplateTooCostly(f"模板生成的内容过长（超过 {MAX_OUTPUT} 字）")


def render_within_budget(generate: Callable[[], Any], max_steps: int = MAX_STEPS) -> str:
    """Join what `generate()` (a template's generate(context)) yields, stopping it with TemplateTooCostly
    past MAX_OUTPUT characters or `max_steps` lines of Python run meanwhile (in this thread)."""
    steps = 0

    def count_lines(frame, event, _arg):
        nonlocal steps
        if event == "line":
            steps += 1
            if steps > max_steps:
                raise TemplateTooCostly("模板运行步骤过多（循环套得太深或次数太多），请简化")
        return count_lines

    previous = sys.gettrace()
    sys.settrace(count_lines)
    try:
        parts, length = [], 0
        for part in generate():
            length += len(part)
            _check_size(length)
            parts.append(part)
        return "".join(parts)
    finally:
        sys.settrace(previous)
