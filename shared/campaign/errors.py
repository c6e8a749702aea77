"""Errors of the campaign model, shared by every service that reads a campaign file."""


class Refusal(Exception):
    """A rule refused an action; `message` is the Chinese text for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
        super().__init__(f"推荐渠道“{channel_code}”不属于本次活动")
        self.channel_code = channel_code

    def __str__(self) -> str:
        return self.message
