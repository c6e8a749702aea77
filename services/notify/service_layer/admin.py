"""The secretariat's use cases: find messages, resend one, release a held send, edit a template."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.notify.adapters.orm import (
    FAILED, HELD, PENDING, SENT, drafts, messages, organisations, recipients, template_overrides,
)
from services.notify.domain.failures import TEMPLATE
from services.notify.domain.model import LANGUAGES
from services.notify.domain.preferences import Preferences, address_problem, email_address, mobile_number
from services.notify.domain.templates import parse_template_name, template_file
from shared.db import on_commit
from shared.reference_numbers import number_part, parse_reference

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

RESENDABLE = (SENT, FAILED)


class AdminRefusal(ValueError):
    """An action the secretariat asked for that cannot be done; the text says why, in Chinese."""


@dataclass(frozen=True)
class MessageFilter:
    state: str = ""
    failure: str = ""  # why a failed message failed (domain/failures.py)
    template: str = ""
    nomination_id: str = ""  # the 申报编号 (2022-00042, or its number alone) or the nomination's id
    recipient: str = ""  # part of an address or a name

    def where(self) -> list:
        conditions = []
        if self.state:
            conditions.append(messages.c.state == self.state)
        if self.failure:
            conditions.append(messages.c.failure == self.failure)
        if self.template:
            conditions.append(messages.c.template == self.template)
        if self.nomination_id:
            conditions.append(_nomination_named(self.nomination_id))
        if self.recipient:
            pattern = f"%{_escape_like(self.recipient.strip())}%"
            conditions.append(sa.or_(messages.c.address.ilike(pattern, escape="\\"),
                                     messages.c.recipient_name.ilike(pattern, escape="\\")))
        return conditions


def _nomination_named(text: str):
    """The messages about the nomination `text` names: its id, its reference (`2022-00042`, or `42`)."""
    number = parse_reference(text)
    if number is not None:
        return messages.c.reference.like(f"%-{number_part(number)}")
    return messages.c.nomination_id == text.strip()


def find_messages(session: Session, filters: MessageFilter, limit: int = 100, offset: int = 0) -> tuple[list, int]:
    """The messages matching `filters`, newest first, and how many match in all."""
    conditions = filters.where()
    total = session.execute(sa.select(sa.func.count()).select_from(messages).where(*conditions)).scalar_one()
    rows = session.execute(sa.select(messages).where(*conditions)
                           .order_by(messages.c.created_at.desc(), messages.c.id).limit(limit).offset(offset)).all()
    return rows, total


def counts_by_state(session: Session) -> dict[str, int]:
    return dict(session.execute(sa.select(messages.c.state, sa.func.count()).group_by(messages.c.state)).all())


def message_with_resends(session: Session, message_id: str):
    """The message, the messages that resent it, and the one it resent (if it is a resend)."""
    message = session.execute(sa.select(messages).where(messages.c.id == message_id)).first()
    if message is None:
        return None, [], None
    resends = session.execute(sa.select(messages).where(messages.c.resend_of == message_id)
                              .order_by(messages.c.created_at)).all()
    original = None
    if message.resend_of:
        original = session.execute(sa.select(messages).where(messages.c.id == message.resend_of)).first()
    return message, resends, original


def resend(session: Session, notify: "Notify", message_id: str) -> str:
    """Send a sent or failed message again as a NEW message (dedup key `resend:<id>:<n>`), so the record
    keeps the first one as it was. Returns the new message's id."""
    original = session.execute(sa.select(messages).where(messages.c.id == message_id).with_for_update()).first()
    if original is None:
        raise AdminRefusal("没有这条消息")
    if original.state not in RESENDABLE:
        raise AdminRefusal("只有“已发送”或“失败”的消息可以重发；待发送或暂缓的消息会按原计划发送")
    earlier = session.execute(sa.select(sa.func.count()).select_from(messages)
                              .where(messages.c.resend_of == message_id)).scalar_one()
    problem = address_problem(original.channel, original.address)
    if problem:
        raise AdminRefusal(f"收件地址无效，重发也无法送达：{problem}")
    copied = {name: getattr(original, name) for name in (
        "cause_event_id", "cause_event_type", "nomination_id", "campaign_id", "recipient_kind", "recipient_name",
        "address", "channel", "template", "lang", "context", "subject", "body")}
    if original.failure == TEMPLATE:
        copied.update(_rendered_again(notify, original))
    new_id = str(uuid.uuid4())
    session.execute(sa.insert(messages).values(
        **copied, id=new_id, dedup_key=f"resend:{message_id}:{earlier + 1}", state=PENDING, resend_of=message_id,
        next_attempt_at=datetime.now(timezone.utc)))
    on_commit(session, lambda: notify.queue_delivery([new_id]))
    return new_id


def _rendered_again(notify: "Notify", original) -> dict:
    """A message whose template failed is rendered anew from its stored values (the template may be mended)."""
    notify.refresh_templates()
    try:
        rendered = notify.templates.render(original.template, original.lang, original.channel, original.context)
    except Exception as error:  # noqa: BLE001 - any failure of the template is the secretariat's to see
        raise AdminRefusal(f"模板仍无法生成，请先修改模板：{type(error).__name__}: {error}"[:500]) from None
    return {"subject": rendered.subject, "body": rendered.body}


def held_sends(session: Session) -> list:
    """The held messages, one row per event (or reminder run) that planned them."""
    occasion = sa.func.coalesce(messages.c.cause_event_id, messages.c.cause_event_type)
    return session.execute(
        sa.select(occasion.label("occasion"), messages.c.cause_event_type, sa.func.count().label("count"),
                  sa.func.min(messages.c.created_at).label("created_at"),
                  sa.func.array_agg(sa.distinct(messages.c.template)).label("templates"),
                  sa.func.array_agg(sa.distinct(messages.c.channel)).label("channels"))
        .where(messages.c.state == HELD).group_by(occasion, messages.c.cause_event_type)
        .order_by(sa.func.min(messages.c.created_at))
    ).all()


def release_held(session: Session, notify: "Notify", occasion: str, released_by: str) -> list[str]:
    """Release the held messages of one event (or reminder run) for delivery; returns their ids."""
    occasion_of = sa.func.coalesce(messages.c.cause_event_id, messages.c.cause_event_type)
    ids = session.execute(sa.update(messages).where(messages.c.state == HELD, occasion_of == occasion)
                          .values(state=PENDING, released_by=released_by, next_attempt_at=sa.func.now())
                          .returning(messages.c.id)).scalars().all()
    if not ids:
        raise AdminRefusal("没有待放行的消息（可能已被他人放行）")
    on_commit(session, lambda: notify.queue_delivery(list(ids)))
    return list(ids)


def template_overrides_by_file(session: Session) -> dict[str, object]:
    rows = session.execute(sa.select(template_overrides)).all()
    return {template_file(row.name, row.lang, row.channel): row for row in rows}


def save_template(session: Session, notify: "Notify", file_name: str, source: str, updated_by: str) -> None:
    """Keep the secretariat's edit of a template file, after the check (TemplateError names every
    problem, such as an unknown placeholder)."""
    source = source.replace("\r\n", "\n")
    notify.templates.check(file_name, source)
    message, lang, channel = parse_template_name(file_name)
    values = dict(name=message, lang=lang, channel=channel, source=source, updated_by=updated_by)
    statement = pg_insert(template_overrides).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=[template_overrides.c.name, template_overrides.c.lang, template_overrides.c.channel],
        set_={"source": statement.excluded.source, "updated_by": statement.excluded.updated_by,
              "updated_at": sa.func.now()}))


def reset_template(session: Session, file_name: str) -> None:
    """Drop the secretariat's edit: the shipped file serves again."""
    message, lang, channel = parse_template_name(file_name)
    session.execute(sa.delete(template_overrides).where(template_overrides.c.name == message,
                                                        template_overrides.c.lang == lang,
                                                        template_overrides.c.channel == channel))


def recipients_at(session: Session, address: str) -> list:
    """Every stored recipient reached at `address`, an e-mail or a mobile: one per nomination and role,
    each unsubmitted draft's contact and each invited organisation (with no nomination id)."""
    email, mobile = email_address(address), mobile_number(address)
    if not (email or mobile):
        return []
    found = []
    for table in _PEOPLE:
        if mobile and "phone" not in table.c:
            continue
        rows = session.execute(_people_in(table).where(_reached_at(table, email, mobile))).all()
        found += [row for row in rows if email or mobile_number(row.phone) == mobile]
    return found


def set_preferences(session: Session, address: str, preferences: Preferences, lang: str) -> int:
    """The person's choices and language, for every nomination, draft and organisation they are stored
    for (a person is known by address). Returns how many rows changed; later messages and reminders
    follow them."""
    if lang not in LANGUAGES:
        raise AdminRefusal("语言只能是中文（zh）或英文（en）")
    people = recipients_at(session, address)
    if not people:
        raise AdminRefusal(f"没有以 {address} 为地址的收件人")
    for table, (key, *_) in _PEOPLE.items():
        keys = [row.key for row in people if row.source == table.name]
        if keys:
            session.execute(sa.update(table).where(key.in_(keys)).values(prefs=preferences.as_dict(), lang=lang))
    return len(people)


# Where people are stored: (key, nomination id, kind, name, phone) of each, read alike by the page.
_PEOPLE = {
    recipients: (recipients.c.id, recipients.c.nomination_id, recipients.c.kind, recipients.c.name,
                 recipients.c.phone),
    drafts: (drafts.c.nomination_id, drafts.c.nomination_id, sa.literal("contact"), drafts.c.contact_name,
             drafts.c.phone),
    organisations: (organisations.c.organisation_id, sa.null(), sa.literal("recommender"),
                    sa.func.coalesce(sa.func.nullif(organisations.c.contact_name, ""), organisations.c.name),
                    sa.null()),
}


def _people_in(table: sa.Table) -> sa.Select:
    key, nomination_id, kind, name, phone = _PEOPLE[table]
    return sa.select(sa.literal(table.name).label("source"), key.label("key"), nomination_id.label("nomination_id"),
                     kind.label("kind"), name.label("name"), table.c.email, phone.label("phone"), table.c.prefs,
                     table.c.lang).order_by(key)


def _reached_at(table: sa.Table, email: str | None, mobile: str | None):
    if email:
        return sa.func.lower(sa.func.trim(table.c.email)) == email
    return sa.func.right(sa.func.regexp_replace(table.c.phone, "[^0-9]", "", "g"), 11) == mobile


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
