"""Errors of the campaign model, shared by every service that reads a campaign file."""
import re

from shared.i18n.messages import Message

CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


class Refusal(Exception):
    """A rule refused an action. `refusal` is the Message (a code with parameters) an entrypoint renders in
    the reader's language; `message` is its Chinese text (logs, failure reasons, tests). A Chinese sentence
    instead of a code (review's refusals, not yet codes) is shown as it is written, in every language."""

    def __init__(self, code: str | Message, /, **params):
        if isinstance(code, Message):
            self.refusal = code
        elif CODE.fullmatch(code):
            self.refusal = Message(code, params)
        else:
            self.refusal = Message("", {}, code)
        super().__init__(str(self.refusal))

    @property
    def message(self) -> str:
        if not self.refusal.code:
            return self.refusal.default
        from shared.i18n.catalogs import chinese
        return chinese(self.refusal)

    def __str__(self) -> str:
        return self.message


class CampaignError(Exception):
    """A campaign file is not valid; `problems` lists each as `path: 中文 / English`."""

    def __init__(self, problems: list[str], source: str = ""):
        self.problems = tuple(problems)
        self.source = source
        heading = f"活动配置有 {len(problems)} 处错误 / the campaign has {len(problems)} problem(s)"
        if source:
            heading = f"{source}: {heading}"
        super().__init__("\n".join([heading, *(f"  {problem}" for problem in problems)]))


class UnknownChannel(Refusal, KeyError):
    def __init__(self, channel_code: str):
        super().__init__("campaign.unknown_channel", code=channel_code)
        self.channel_code = channel_code
