"""Message templates: Jinja text files in services/notify/templates/messages, overridable by the secretariat.

A file is `<message>.<lang>.txt` for e-mail (first line `Subject: ...`, then the body) or
`<message>.<lang>.sms` for SMS. Templates run in Jinja's sandbox, since the secretariat edits them, within
a budget of size and steps (template_budget.py).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import jinja2
from jinja2 import meta

from services.notify.domain.catalogue import SMS_MESSAGES, TEMPLATE_VARIABLES, sample_context
from services.notify.domain.model import DEFAULT_LANGUAGE, LANGUAGES
from services.notify.domain.template_budget import BudgetedSandbox, TemplateTooCostly, render_within_budget
from services.notify.domain.template_errors import render_error_in_chinese, syntax_in_chinese

__all__ = [
    "TEMPLATE_FOLDER", "TEMPLATE_VARIABLES", "SMS_MESSAGES", "TemplateError", "Rendered", "MessageTemplates",
    "template_file", "render", "check_template", "load_overrides", "preview", "default_templates",
]

TEMPLATE_FOLDER = Path(__file__).resolve().parents[1] / "templates" / "messages"
SUBJECT_PREFIX = "Subject:"
DEMO_MARKS = {"zh": "【演示】", "en": "【演示 Demo】"}
_EXTENSIONS = {"email": "txt", "sms": "sms"}
_CHANNELS_BY_EXTENSION = {extension: channel for channel, extension in _EXTENSIONS.items()}


class TemplateError(ValueError):
    """A template that cannot be used; `problems` lists every reason, in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("；".join(self.problems))


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def template_file(name: str, lang: str, channel: str) -> str:
    """`submission_received`, `zh`, `email` -> `submission_received.zh.txt`."""
    return f"{name}.{lang}.{_EXTENSIONS[channel]}"


def parse_template_name(name: str) -> tuple[str, str | None, str | None]:
    """A file name or a bare message name -> (message, lang or None, channel or None)."""
    parts = name.split(".")
    if len(parts) == 1:
        message, lang, channel = parts[0], None, None
    elif len(parts) == 3 and parts[1] in LANGUAGES and parts[2] in _CHANNELS_BY_EXTENSION:
        message, lang, channel = parts[0], parts[1], _CHANNELS_BY_EXTENSION[parts[2]]
    else:
        raise TemplateError([f"模板文件名“{name}”不正确，应形如 submission_received.zh.txt 或 submission_received.zh.sms"])
    if message not in TEMPLATE_VARIABLES:
        raise TemplateError([f"没有名为“{message}”的消息"])
    if channel == "sms" and message not in SMS_MESSAGES:
        raise TemplateError([f"消息“{message}”只发邮件，没有短信文本"])
    return message, lang, channel


class MessageTemplates:
    """The shipped template files, with the secretariat's edits (overrides) taking precedence."""

    def __init__(self, folder: Path = TEMPLATE_FOLDER):
        self._folder = Path(folder)
        self._overrides: dict[str, str] = {}
        self._env = BudgetedSandbox(
            loader=jinja2.ChoiceLoader([jinja2.DictLoader(self._overrides), jinja2.FileSystemLoader(str(folder))]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def render(self, name: str, lang: str, channel: str, context: Mapping[str, Any]) -> Rendered:
        """Render message `name`; a language without its own text falls back to Chinese."""
        template = self._template(name, lang, channel)
        try:
            text = _render(template, context)
        except TemplateTooCostly as error:
            raise TemplateError([f"模板 {template.name} 无法生成：{error}"]) from error
        except jinja2.TemplateError as error:
            reason = render_error_in_chinese(str(error), fallback="生成时出错")
            raise TemplateError([f"模板 {template.name} 无法生成：{reason}"]) from error
        return _finish(text, channel, _language(lang), bool(context.get("is_demo")))

    def check(self, name: str, source: str) -> None:
        """Refuse a template with a syntax error, an unknown placeholder, no subject line (e-mail),
        or that fails to render with the catalogue's example values."""
        message, _, channel = parse_template_name(name)
        try:
            compiled = self._env.from_string(source)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError([f"模板第{error.lineno}行有语法错误：{syntax_in_chinese(error.message or '')}"]) from None
        problems = _unknown_placeholder_problems(self._env, message, source)
        if channel == "email" and not source.lstrip("\ufeff").startswith(SUBJECT_PREFIX):
            problems.append("模板第1行应为邮件主题，形如“Subject: 主题”")
        if not problems:
            problems += _sample_render_problems(compiled, message)
        if problems:
            raise TemplateError(problems)

    def load_overrides(self, mapping: Mapping[str, str]) -> dict[str, str]:
        """Use the secretariat's edited templates (file name -> source) instead of the files, replacing
        any loaded before. An edit that fails the check is left out: the shipped file serves instead.
        Returns the edits left out, file name -> why."""
        accepted, refused = {}, {}
        for file_name, source in mapping.items():
            try:
                _require_file_name(file_name)
                self.check(file_name, source)
            except TemplateError as error:
                refused[file_name] = str(error)
            else:
                accepted[file_name] = source
        self._overrides.clear()
        self._overrides.update(accepted)
        self._env.cache.clear()
        return refused

    def preview(self, file_name: str, source: str | None = None) -> Rendered:
        """Render a template file (or an edit of it, `source`) with the catalogue's example values."""
        message, lang, channel = _require_file_name(file_name)
        if source is None:
            return self.render(message, lang, channel, sample_context(message))
        self.check(file_name, source)
        return _finish(_render(self._env.from_string(source), sample_context(message)), channel, lang, False)

    def files(self) -> list[str]:
        """The shipped template files, by name."""
        return sorted(path.name for path in self._folder.iterdir() if path.suffix in (".txt", ".sms"))

    def shipped_source(self, file_name: str) -> str:
        _require_file_name(file_name)
        return (self._folder / file_name).read_text(encoding="utf-8")

    def current_source(self, file_name: str) -> str:
        """The secretariat's edit when there is one, else the shipped file."""
        return self._overrides.get(file_name) or self.shipped_source(file_name)

    def _template(self, name: str, lang: str, channel: str) -> jinja2.Template:
        if name not in TEMPLATE_VARIABLES:
            raise TemplateError([f"没有名为“{name}”的消息"])
        if channel == "sms" and name not in SMS_MESSAGES:
            raise TemplateError([f"消息“{name}”只发邮件，没有短信文本"])
        try:
            return self._env.get_template(template_file(name, _language(lang), channel))
        except jinja2.TemplateNotFound:
            return self._env.get_template(template_file(name, DEFAULT_LANGUAGE, channel))


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _require_file_name(file_name: str) -> tuple[str, str, str]:
    message, lang, channel = parse_template_name(file_name)
    if lang is None:
        raise TemplateError([f"模板文件名“{file_name}”不正确，应形如 {message}.zh.txt"])
    return message, lang, channel


def _unknown_placeholder_problems(env: jinja2.Environment, message: str, source: str) -> list[str]:
    used = meta.find_undeclared_variables(env.parse(source))
    unknown = sorted(used - TEMPLATE_VARIABLES[message] - set(env.globals))
    if not unknown:
        return []
    return ["模板中有未知占位符：" + "、".join("{{ " + name + " }}" for name in unknown)]


def _sample_render_problems(compiled: jinja2.Template, message: str) -> list[str]:
    try:
        _render(compiled, sample_context(message))
    except TemplateTooCostly as error:
        return [f"模板无法用示例数据生成：{error}"]
    # A secretariat's template can fail in many ways (a wrong attribute, adding text to a number):
    # each is a reason to refuse it, never a crash of the admin page.
    except Exception as error:  # noqa: BLE001
        return [f"模板无法用示例数据生成：{render_error_in_chinese(str(error))}"]
    return []


def _render(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    return render_within_budget(lambda: template.generate(dict(context)))


def _finish(text: str, channel: str, lang: str, is_demo: bool) -> Rendered:
    if channel == "sms":
        subject, body = "", " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    else:
        subject, body = _split_subject(text)
    if is_demo:
        subject, body = _marked_as_demo(subject, body, channel, lang)
    return Rendered(subject=subject, body=body)


def _split_subject(text: str) -> tuple[str, str]:
    first_line, _, rest = text.lstrip("\ufeff").partition("\n")
    if not first_line.startswith(SUBJECT_PREFIX):
        raise TemplateError(["邮件模板第1行应为邮件主题，形如“Subject: 主题”"])
    return first_line[len(SUBJECT_PREFIX):].strip(), rest.strip("\n").rstrip() + "\n"


def _marked_as_demo(subject: str, body: str, channel: str, lang: str) -> tuple[str, str]:
    mark = DEMO_MARKS[lang]
    if channel == "sms":
        return subject, (body if body.startswith(mark) else mark + body)
    return (subject if subject.startswith(mark) else mark + subject), body


@functools.cache
def default_templates() -> MessageTemplates:
    """The process's templates: the files in TEMPLATE_FOLDER plus whatever load_overrides() installed."""
    return MessageTemplates()


def render(name: str, lang: str, channel: str, context: Mapping[str, Any]) -> Rendered:
    return default_templates().render(name, lang, channel, context)


def check_template(name: str, source: str) -> None:
    default_templates().check(name, source)


def load_overrides(mapping: Mapping[str, str]) -> dict[str, str]:
    return default_templates().load_overrides(mapping)


def preview(file_name: str, source: str | None = None) -> Rendered:
    return default_templates().preview(file_name, source)
