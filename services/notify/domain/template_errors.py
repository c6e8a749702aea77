"""Jinja's complaints about an edited template, said to the secretariat in Chinese. The secretariat edits
templates, not Python: what is wrong is named in words of the template (a brace, a tag, a placeholder),
with Jinja's own words kept in brackets for whoever helps."""
from __future__ import annotations

import re

_SYNTAX = (
    (r"^Unexpected end of template\..*looking for the following tags: (?P<tags>.+?)\. "
     r"The innermost block that needs to be closed is '(?P<block>\w+)'",
     lambda m: f"“{{% {m['block']} %}}”没有结束，请在适当位置加上“{{% end{m['block']} %}}”"),
    (r"^Unexpected end of template", lambda m: "模板意外结束：有未闭合的 {{ }} 或 {% %}"),
    (r"^unexpected '\}'(, expected '(?P<expected>.)')?",
     lambda m: f"缺少“{m['expected']}”" if m["expected"] else "多了一个“}”，或占位符没有用“{{ … }}”成对写出"),
    (r"^unexpected '(?P<char>.)'", lambda m: f"出现了多余的“{m['char']}”"),
    (r"^expected token 'end of print statement', got '(?P<got>[^']*)'",
     lambda m: f"占位符“{{{{ … }}}}”中“{m['got']}”的写法不对：一个占位符里只能写一个名字，应以“}}}}”结束"),
    (r"^Expected an expression, got 'end of print statement'", lambda m: "“{{ }}”中间是空的，请写上占位符的名字"),
    (r"^Expected an expression, got 'end of statement block'", lambda m: "“{% %}”里缺少条件或内容"),
    (r"^Encountered unknown tag '(?P<tag>end\w+|else|elif)'",
     lambda m: f"“{{% {m['tag']} %}}”前面没有对应的开头（如“{{% if … %}}”或“{{% for … %}}”）"),
    (r"^Encountered unknown tag '(?P<tag>[^']+)'", lambda m: f"无法识别的标签“{{% {m['tag']} %}}”"),
    (r"^No filter named '(?P<name>[^']+)'", lambda m: f"没有名为“{m['name']}”的过滤器"),
)
_RENDER = (
    (r"^'(?P<name>\w+)' is undefined", lambda m: f"占位符“{m['name']}”没有值"),
    (r"has no attribute '(?P<name>\w+)'", lambda m: f"占位符中的“.{m['name']}”不存在"),
    (r"^can only concatenate|unsupported operand", lambda m: "把文字和数字直接相加了，请分开写在两个占位符里"),
    (r"has no element (?P<index>\S+)", lambda m: f"占位符的第 {m['index']} 项不存在（这个值可能为空或较短）"),
    (r"^access to attribute '(?P<name>[^']+)' of '[^']*' object is unsafe",
     lambda m: f"模板不能使用“.{m['name']}”：以下划线开头的属性出于安全原因不可用，请只用占位符表里的名字"),
    (r"is not safely callable", lambda m: "模板不能调用这个方法：出于安全原因不可用，请只用占位符表里的名字"),
)


def syntax_in_chinese(message: str) -> str:
    return _translated(message, _SYNTAX, "模板写法有误")


def render_error_in_chinese(message: str, fallback: str = "用示例数据生成时出错") -> str:
    """`fallback` says when it failed: with the example values (a check), or for one message's values."""
    return _translated(message, _RENDER, fallback)


def _translated(message: str, table, fallback: str) -> str:
    for pattern, say in table:
        match = re.search(pattern, message, re.S)
        if match:
            return f"{say(match)}（{message}）"
    return f"{fallback}（{message}）"
