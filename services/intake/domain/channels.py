"""A channel as the nomination is put forward, as a message parameter (the rule and the Chinese name:
Channel.name_for in shared.campaign.parts)."""
from shared.campaign.parts import Channel
from shared.i18n import Message, message
from shared.i18n.messages import term

def channel_term(channel: Channel, nominee_kind: str) -> Message:
    """Channel.name_for as a message parameter, translated where the catalog knows the channel."""
    if channel.is_team_self_nomination(nominee_kind):
        return message("intake.channel.self_team")
    return term(f"intake.channel.{channel.code}", channel.name)
