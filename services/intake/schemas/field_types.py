"""The form's own field types: trimmed text, a choice, a phone number, an e-mail address, a whole number, a
political status, a postcode. Each refusal names its field (field_messages)."""
import re
import unicodedata

from marshmallow import ValidationError, fields, validate

from services.intake.field_messages import Length, OneOf, Regexp, field_messages, field_problem
from shared.reference import political_status_by_any_name

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")
POSTCODE = re.compile(r"^[0-9]{6}$")
PERSON_NAME = r"^[^\d<>@#$%^&*_=+|\\/{}\[\]~!?！？，,;；:：]+$"
# Markup is refused in every text (I-9): what is typed is printed as is on the form the unit seals.
PLAIN_TEXT = r"^[^<>]*$"
TEAM_NAME = r"^[^<>@#$%^&*_=+|\\{}\[\]~]+$"


class Text(fields.String):
    """Text without its surrounding whitespace, `min_chars`–`max_chars` long. `hint` (a code) is the
    refusal of a wrong length or of `rule`; without one, the length is stated."""

    def __init__(self, path: str, min_chars: int, max_chars: int, hint: str = "", rule=None, **kwargs):
        problem = (field_problem(path, hint) if hint
                   else field_problem(path, "intake.hint.length", min=min_chars, max=max_chars))
        rules = [Length(problem, min=min_chars, max=max_chars)]
        if rule is not None:
            rules.append(Regexp(rule, problem))
        else:
            rules.append(Regexp(PLAIN_TEXT, field_problem(path, "intake.hint.plain_text")))
        super().__init__(validate=rules, error_messages=field_messages(path, "intake.hint.text"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Choice(fields.String):
    def __init__(self, path: str, choices, hint: str, **kwargs):
        super().__init__(validate=OneOf(list(choices), field_problem(path, hint)),
                         error_messages=field_messages(path, hint), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class PhoneNumber(fields.String):
    """A mainland mobile number (spaces, hyphens and a +86 prefix removed), or, when `landline` is
    allowed, a landline with its area code (`010-62512345`)."""

    def __init__(self, path: str, landline: bool, **kwargs):
        self.landline = landline
        hint = "intake.hint.phone" if landline else "intake.hint.mobile"
        super().__init__(error_messages=field_messages(path, hint), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = unicodedata.normalize("NFKC", super()._deserialize(value, attr, data, **kwargs))
        text = re.sub(r"\s", "", text)
        mobile = re.sub(r"^(?:\+86|0086|86)(?=1\d{10}$)", "", text.replace("-", ""))
        if MOBILE.match(mobile):
            return mobile
        if self.landline and LANDLINE.match(text):
            return text
        raise self.make_error("invalid")


class EmailAddress(fields.String):
    """An e-mail address, at most 254 characters (Marshmallow's Email field takes only a text refusal)."""

    def __init__(self, path: str, **kwargs):
        messages = field_messages(path, "intake.hint.email")
        too_long = Length(messages["invalid"][0], max=254)
        super().__init__(error_messages=messages, validate=too_long, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        address = super()._deserialize(value.strip() if isinstance(value, str) else value, attr, data, **kwargs)
        try:
            validate.Email()(address)
        except ValidationError:
            raise self.make_error("invalid") from None
        return address


class WholeNumber(fields.Field):
    """An integer typed as a number or as digits (`"45"`, full-width `"４５"`); never a bool or 45.5."""

    def __init__(self, path: str, hint: str, **kwargs):
        super().__init__(error_messages=field_messages(path, hint), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            digits = unicodedata.normalize("NFKC", value).strip()
            if digits.isascii() and digits.isdigit():
                return int(digits)
        raise self.make_error("invalid")


class PoliticalStatusField(fields.String):
    """A status from the GB/T 4762 list, by full or short name; loads the full name."""

    def __init__(self, path: str, **kwargs):
        super().__init__(error_messages=field_messages(path, "intake.hint.political_status"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        status = political_status_by_any_name(super()._deserialize(value, attr, data, **kwargs))
        if status is None:
            raise self.make_error("invalid")
        return status.name


class Postcode(fields.String):
    """Six digits; full-width digits typed by a Chinese input method are taken as the same digits."""

    def __init__(self, path: str, **kwargs):
        super().__init__(error_messages=field_messages(path, "intake.hint.postcode"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = unicodedata.normalize("NFKC", super()._deserialize(value, attr, data, **kwargs)).strip()
        if not POSTCODE.match(text):
            raise self.make_error("invalid")
        return text
