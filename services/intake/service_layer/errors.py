"""Refusals the service layer adds to the domain's (all are IntakeRefusal, with a Chinese .message)."""
from services.intake.domain.errors import IntakeRefusal


class NotFound(IntakeRefusal):
    def __init__(self, what: str = "申报"):
        super().__init__(f"找不到该{what}，请检查链接是否完整")


class FormInvalid(IntakeRefusal):
    """The form as a whole is not ready to submit; `errors` are (field path, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(f"还有 {len(errors)} 处需要填写或修改")
        self.errors = errors


class Ineligible(IntakeRefusal):
    pass


class WrongOrganisation(IntakeRefusal):
    pass
