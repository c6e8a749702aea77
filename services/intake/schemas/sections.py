"""The parts of the form: the person, the team (its leader and members), a media honour, the contact."""
import datetime as dt
from zoneinfo import ZoneInfo

from marshmallow import fields, validates

from services.intake.domain.priority import MEDIA_HONOUR_LEVELS
from services.intake.field_messages import field_messages, field_problem, refused
from services.intake.schemas.base import FormSchema, list_messages, nested_messages
from services.intake.schemas.field_types import (PERSON_NAME, TEAM_NAME, Choice, EmailAddress, PhoneNumber,
                                            PoliticalStatusField, Postcode, Text, WholeNumber)
from shared.reference import ethnic_group_names


def _unit_field(section: str) -> Text:
    return Text(f"{section}.unit", 4, 100, hint="intake.hint.unit", required=True)


def _department_field(section: str) -> Text:
    return Text(f"{section}.department", 2, 50, hint="intake.hint.department", required=True)


def _postcode_field(section: str) -> Postcode:
    return Postcode(f"{section}.postcode", required=True)


def _person_name(path: str) -> Text:
    return Text(path, 2, 30, hint="intake.hint.person_name", rule=PERSON_NAME, required=True)


class PersonSchema(FormSchema):
    name = _person_name("person.name")
    gender = Choice("person.gender", ("男", "女"), "intake.hint.gender", required=True)
    ethnic_group = Choice("person.ethnic_group", ethnic_group_names(), "intake.hint.ethnic_group", required=True)
    age = WholeNumber("person.age", "intake.hint.whole_number", required=True)
    political_status = PoliticalStatusField("person.political_status", required=True)
    phone = PhoneNumber("person.phone", landline=True, required=True)
    email = EmailAddress("person.email", required=True)
    unit = _unit_field("person")
    department = _department_field("person")
    position = Text("person.position", 1, 50, required=True)
    address = Text("person.address", 5, 200, required=True)
    postcode = _postcode_field("person")

    @validates("age")
    def age_in_campaign_range(self, value: int, **kwargs) -> None:
        rules = self.campaign_rules()
        if not rules.age_min <= value <= rules.age_max:
            raise refused(field_problem("person.age", "intake.hint.age_range", min=rules.age_min, max=rules.age_max))


class TeamLeaderSchema(FormSchema):
    name = _person_name("team.leader.name")
    position = Text("team.leader.position", 1, 50, required=True)
    phone = PhoneNumber("team.leader.phone", landline=True, required=True)
    email = EmailAddress("team.leader.email", required=True)


class TeamMemberSchema(FormSchema):
    name = _person_name("team.members.name")
    role = Text("team.members.role", 1, 30, required=True)


class TeamSchema(FormSchema):
    name = Text("team.name", 2, 50, hint="intake.hint.team_name", rule=TEAM_NAME, required=True)
    unit = _unit_field("team")
    department = _department_field("team")
    leader = fields.Nested(TeamLeaderSchema, required=True, error_messages=nested_messages("team.leader"))
    members = fields.List(
        fields.Nested(TeamMemberSchema, error_messages=nested_messages("team.members")),
        required=True,
        error_messages=list_messages("team.members"),
    )
    address = Text("team.address", 5, 200, required=True)
    postcode = _postcode_field("team")

    @validates("members")
    def members_within_limits(self, value: list, **kwargs) -> None:
        rules = self.campaign_rules()
        if not rules.team_members_min <= len(value) <= rules.team_members_max:
            raise refused(field_problem("team.members", "intake.hint.members_range", min=rules.team_members_min,
                                        max=rules.team_members_max, count=len(value)))


class MediaHonourSchema(FormSchema):
    title = Text("media_honours.title", 2, 100, required=True)
    level = Choice("media_honours.level", MEDIA_HONOUR_LEVELS, "intake.hint.honour_level", required=True)
    issuer = Text("media_honours.issuer", 2, 100, required=True)
    date = fields.Date(required=True, error_messages=field_messages("media_honours.date", "intake.hint.date"))

    @validates("date")
    def date_not_in_future(self, value: dt.date, **kwargs) -> None:
        today = dt.datetime.now(ZoneInfo(self.campaign_rules().time_zone)).date()
        if value > today:
            raise refused(field_problem("media_honours.date", "intake.hint.not_after_today"))


class ContactSchema(FormSchema):
    """Who is told about the nomination's progress (by e-mail and SMS)."""

    name = _person_name("contact.name")
    email = EmailAddress("contact.email", required=True)
    phone = PhoneNumber("contact.phone", landline=False, required=True)
