"""What a client may write: the sections the applicant fills in, never the fields the server sets."""
from collections.abc import Mapping

from services.intake.domain.errors import IntakeRefusal
from services.intake.domain.nomination import field_names

# What the applicant fills in; the rest of a nomination's data (its campaign, channel, recommending
# organisation and kind of nominee) is set by the server when it starts and never written by a client.
CLIENT_SECTIONS = ("person", "team", "domain", "deeds", "media_honours", "contact")
SERVER_OWNED = ("campaign_id", "channel", "recommender", "nominee_kind")


class NotClientWritable(IntakeRefusal):
    def __init__(self, fields: list[str], labels: Mapping[str, str]):
        owned = [field for field in fields if field in SERVER_OWNED]
        if owned:
            super().__init__("intake.server_owned", fields=field_names(owned, labels))
        else:
            super().__init__("intake.not_in_form", fields=list(fields))
        self.fields = tuple(fields)


def check_client_fields(changes: Mapping, labels: Mapping[str, str]) -> None:
    """Refuses a change to anything but the sections the applicant fills in."""
    refused = [key for key in changes if key not in CLIENT_SECTIONS]
    if refused:
        raise NotClientWritable(refused, labels)


def with_server_fields(data: Mapping, *, campaign_id: str, channel: str, nominee_kind: str) -> dict:
    """The data with the server's own values of the fields no client writes."""
    return {**data, "campaign_id": campaign_id, "channel": channel, "nominee_kind": nominee_kind}
