"""Refusals the service layer adds to the domain's (all are IntakeRefusal: a message code with parameters)."""
from shared.i18n import message
from services.intake.domain.errors import IntakeRefusal


class NotFound(IntakeRefusal):
    def __init__(self, what: str = "nomination"):
        super().__init__("intake.not_found", what=message(f"intake.thing.{what}"))


class FormInvalid(IntakeRefusal):
    """The form as a whole is not ready to submit; `errors` are (field path, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("intake.form_invalid", count=len(errors))
        self.errors = errors


class Ineligible(IntakeRefusal):
    pass


class WrongOrganisation(IntakeRefusal):
    pass
