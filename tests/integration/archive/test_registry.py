"""The honouree registry: confirmed honourees recorded once and published as honouree.recorded v2 (a keyed
phone hash, never the phone); earlier campaigns imported from a file after a preview; and, with the archive
and intake both running on the real Kafka, an honouree of one campaign refused by intake in the next: once
from a confirmation published by hand, once from review's own confirmation of its committee's list; and an
earlier campaign's list imported into the archive (intake has no import of its own) refused by intake."""
from __future__ import annotations

import threading
from contextlib import contextmanager
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from services.archive.adapters.orm import event_log, honourees, outbox
from services.archive.entrypoints.consumer import TOPICS, handlers
from services.archive.honourees import main as honourees_main
from services.archive.service_layer.honouree_imports import (ImportRefused, PENDING, confirm_import,
                                                             forget_stale_imports, stage_import)
from services.intake.adapters.orm import honourees as intake_honourees
from services.intake.bootstrap import bootstrap as intake_bootstrap
from services.intake.service_layer import nominations, submission
from services.intake.service_layer.errors import Ineligible
from services.intake.service_layer.incoming import HANDLERS as INTAKE_HANDLERS
from shared.campaign.demo import demo_copy
from shared.campaign.loading import campaign_from_data
from shared.config import Settings
from shared.events import new_event
from shared.events.topics import ARCHIVE, REVIEWS
from shared.messaging.consumer import ConsumerRunner, SourcePosition
from shared.messaging.relay import run_relay
from shared.messaging.producer import make_producer
from shared.nominees import phone_hmac
from tests.builders import complete_self_nomination, form_data, random_name, upload_required_files
from tests.integration.archive.events import record, submitted
from tests.integration.review.committee import own_campaign_review, published_list
from tests.stack import wait_until

pytestmark = pytest.mark.integration
PHONE = "13812345678"  # the phone of tests.builders.PERSON


def confirmed(campaign_id: str, *snapshots: dict):
    return new_event("honourees.confirmed", campaign_id, {"campaign_id": campaign_id, "honourees": [
        {"nomination_id": s["nomination_id"], "nominee_name": s["nominee_name"], "unit": s["person"]["unit"],
         "domain": s["domain"], "media_priority": False} for s in snapshots]}, producer="review")


def apply(archive, event) -> None:
    with archive.sessions.begin() as session:
        session.info["source_position"] = SourcePosition(event.topic, 0, 10_000 + uuid.uuid4().int % 10_000)
        handlers(archive)[event.type](session, event)


def published(archive) -> list[dict]:
    with archive.engine.connect() as conn:
        return [row.envelope for row in conn.execute(sa.select(outbox).where(outbox.c.event_type == "honouree.recorded"))]


def test_confirmed_honourees_are_recorded_once_and_published_with_a_keyed_phone_hash(archive):
    nomination = submitted(nominee_name="王秀兰")
    record(archive, nomination)
    apply(archive, confirmed(archive.campaign.id, nomination.payload))
    apply(archive, confirmed(archive.campaign.id, nomination.payload))  # confirmed again: nothing new
    with archive.engine.connect() as conn:
        (row,) = conn.execute(sa.select(honourees)).all()
    assert (row.name, row.unit, row.campaign_year, row.source) == ("王秀兰", "上海某大学后勤集团", 2022, "confirmed")
    (event,) = published(archive)
    assert (event["type"], event["version"]) == ("honouree.recorded", 2)
    assert event["payload"]["phone_hmac"] == phone_hmac(archive.settings.phone_hash_secret, "13800138000")
    assert "13800138000" not in str(event) and "phone_hash" not in event["payload"]


def test_import_of_an_earlier_campaign_previews_then_records_all_rows_once(archive_env, tmp_path, monkeypatch, capsys):
    for name, value in archive_env.items():
        monkeypatch.setenv(name, value)
    listing = tmp_path / "2021最美后勤人.csv"
    listing.write_bytes(("类型,姓名,单位,业务领域,年度,活动名称,手机\n"
                         "个人,赵建国,示例职业技术学院,物业管理,2021,全国教育后勤系统“2021年度最美后勤人”,13911112222\n"
                         "团队,阳光餐饮团队,示例师范大学,伙食管理,2021,全国教育后勤系统“2021年度最美后勤人”,\n").encode("gbk"))
    assert honourees_main(["preview", str(listing)]) == 0
    assert "将新增 2 条，已有 0 条，问题 0 个" in capsys.readouterr().out
    assert honourees_main(["import", str(listing)]) == 0
    assert honourees_main(["import", str(listing)]) == 0
    assert "已导入 0 条新记录" in capsys.readouterr().out
    assert honourees_main(["preview", str(listing)]) == 0
    assert "已有 2 条" in capsys.readouterr().out


def test_import_with_a_bad_row_records_nothing(archive, archive_env, tmp_path, monkeypatch, capsys):
    for name, value in archive_env.items():
        monkeypatch.setenv(name, value)
    listing = tmp_path / "名单.csv"
    listing.write_text("姓名,单位,年度,活动名称\n钱七,某大学,2021,最美后勤人\n孙八,某学院,去年,最美后勤人\n", encoding="utf-8")
    assert honourees_main(["import", str(listing)]) == 1
    assert "第 3 行「年度」" in capsys.readouterr().out
    with archive.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(honourees)).scalar() == 0


def next_campaign(settings: Settings):
    """The campaign after the 2022 one: 2022's honourees are excluded."""
    data = yaml.safe_load(Path(settings.campaign_file).read_text(encoding="utf-8"))
    data.update(id=f"2023-test-{uuid.uuid4().hex[:6]}", year=2023, name="全国教育后勤系统“2023年度最美后勤人”推举活动")
    data["excluded_campaigns"].append({"year": 2022, "honour": "2022年度最美后勤人",
                                       "name": "全国教育后勤系统“2022年度最美后勤人”推举活动"})
    return demo_copy(campaign_from_data(data), datetime.now(timezone.utc))


def test_honouree_of_one_campaign_is_refused_by_intake_in_the_next(archive, stack):
    bootstrap = archive.settings.kafka_bootstrap
    name = random_name("陈")
    nomination = submitted(nominee_name=name)
    nomination.payload["person"].update(name=name, unit="新疆大学", phone=PHONE)
    intake_settings = Settings.from_env("intake", stack)
    with archive_and_intake_running(archive, intake_settings, [archive.engine]):
        publish(bootstrap, nomination)  # weeks before the confirmation, on another topic
        wait_until(lambda: archive_has(archive, nomination.event_id), 60, what="the archive to record the nomination")
        publish(bootstrap, confirmed(archive.campaign.id, nomination.payload))
        wait_until(lambda: intake_knows(intake_settings, name), 120, what="intake to receive the honouree record")
    intake = intake_bootstrap(intake_settings, queue_scan=lambda _id: None, campaign=next_campaign(intake_settings))
    same_unit = complete_self_nomination(intake, name=name)
    other_unit_same_phone = complete_self_nomination(intake, name=name, unit="另一所示例大学")
    for nomination_id in (same_unit, other_unit_same_phone):
        with pytest.raises(Ineligible) as refused:
            submission.send(intake, nomination_id, f"k-{nomination_id}")
        assert "2022年度最美后勤人" in refused.value.message


def test_honouree_imported_into_the_archive_reaches_intake_by_kafka_and_is_refused(archive, stack):
    """The one import of earlier honourees (R9) is the archive's: its relay publishes honouree.recorded, intake's
    consumer keeps it, and intake refuses that person, by name and unit and by phone in another unit."""
    name = random_name("韩")
    listing = ("类型,姓名,单位,业务领域,年度,活动名称,手机\n"
               f"个人,{name},示例职业技术学院,物业管理,2021,全国教育后勤系统“2021年度最美后勤人”,{PHONE}\n")
    token, shown = stage_import(archive, listing.encode("gbk"), "2021最美后勤人.csv")
    assert token is not None and [record.name for record in shown.new_records] == [name]
    assert confirm_import(archive, token) == 1
    intake_settings = Settings.from_env("intake", stack)
    assert not intake_has_honouree(intake_settings, name)
    with archive_and_intake_running(archive, intake_settings, [archive.engine]):
        wait_until(lambda: intake_has_honouree(intake_settings, name), 120, what="intake to receive the imported honouree")
    intake = intake_bootstrap(intake_settings, queue_scan=lambda _id: None, campaign=next_campaign(intake_settings))
    same_unit = complete_self_nomination(intake, name=name, unit="示例职业技术学院")
    other_unit_same_phone = complete_self_nomination(intake, name=name, unit="另一所示例大学")
    for nomination_id in (same_unit, other_unit_same_phone):
        with pytest.raises(Ineligible) as refused:
            submission.send(intake, nomination_id, f"k-{nomination_id}")
        assert "2021年度最美后勤人" in refused.value.message


def intake_has_honouree(settings: Settings, name: str) -> bool:
    engine = sa.create_engine(settings.database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        row = conn.execute(sa.select(intake_honourees).where(intake_honourees.c.name == name)).first()
    engine.dispose()
    return row is not None and row.source == "event" and row.phone_hash is not None


@contextmanager
def archive_and_intake_running(archive, intake_settings: Settings, relayed: list[sa.Engine]):
    """The archive's and intake's consumers (new groups, from the topics' start) and a relay of each of
    `relayed`, in threads, stopped on leaving."""
    bootstrap = archive.settings.kafka_bootstrap
    intake_sessions = intake_bootstrap(intake_settings, queue_scan=lambda _id: None).sessions
    stop = threading.Event()
    runners = [ConsumerRunner(group=f"archive-test-{uuid.uuid4().hex[:6]}", topics=TOPICS, handlers=handlers(archive),
                              sessions=archive.sessions, bootstrap=bootstrap),
               ConsumerRunner(group=f"intake-test-{uuid.uuid4().hex[:6]}", topics=[REVIEWS, ARCHIVE],
                              handlers=INTAKE_HANDLERS, sessions=intake_sessions, bootstrap=bootstrap)]
    threads = [threading.Thread(target=r.run, daemon=True) for r in runners]
    threads += [threading.Thread(target=run_relay, args=(engine, make_producer(bootstrap), stop), daemon=True)
                for engine in relayed]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for runner in runners:
            runner.stop.set()


def publish(bootstrap: str, event) -> None:
    producer = make_producer(bootstrap)
    producer.produce(event.topic, key=event.key, value=event.to_json())
    assert producer.flush(10) == 0


def archive_has(archive, event_id: str) -> bool:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(event_log.c.seq).where(event_log.c.event_id == event_id)).first() is not None


def intake_knows(settings: Settings, name: str) -> bool:
    engine = sa.create_engine(settings.database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        row = conn.execute(sa.select(intake_honourees).where(intake_honourees.c.name == name)).first()
    return row is not None and row.phone_hash is not None and row.campaign_year == 2022


def test_honourees_confirmed_by_review_reach_the_registry_and_are_refused_by_intake_in_the_next_campaign(archive, stack):
    """Review's committee list confirmed by review's own use case, published by review's relay; the archive's
    consumer records the honouree and its relay publishes honouree.recorded v2; intake's consumer keeps it."""
    from services.review.adapters.orm import candidate_lists, nominations as review_nominations
    from services.review.service_layer.candidates import confirm_honourees

    review = own_campaign_review(stack, candidates=1)
    names = [random_name("柳"), random_name("柳")]  # names intake accepts (no digits)
    found = published_list(review, 2, name_of=names.__getitem__)
    honoured = found["ids"][0]
    with review.engine.begin() as conn:  # the seven days of the notice pass
        conn.execute(sa.update(candidate_lists).where(candidate_lists.c.campaign_id == review.campaign.id)
                     .values(notice_closes_at=review.clock() - timedelta(seconds=1)))
        person = conn.execute(sa.select(review_nominations.c.snapshot)
                              .where(review_nominations.c.nomination_id == honoured)).scalar_one()["person"]
    intake_settings = Settings.from_env("intake", stack)
    try:
        with archive_and_intake_running(archive, intake_settings, [review.engine, archive.engine]):
            wait_until(lambda: archive_has_snapshot(archive, honoured), 120, what="the archive to record the nomination")
            assert confirm_honourees(review, found["secretariat"]) == [honoured]
            wait_until(lambda: intake_knows(intake_settings, person["name"]), 120,
                       what="intake to receive the honouree record")
    finally:
        review.engine.dispose()
    with archive.engine.connect() as conn:
        (row,) = conn.execute(sa.select(honourees).where(honourees.c.nomination_id == honoured)).all()
    assert (row.name, row.unit, row.campaign_year, row.source) == (person["name"], person["unit"], 2022, "confirmed")
    assert row.phone_hmac == phone_hmac(archive.settings.phone_hash_secret, person["phone"])
    intake = intake_bootstrap(intake_settings, queue_scan=lambda _id: None, campaign=next_campaign(intake_settings))
    same_unit = nomination_of(intake, person["name"], person["unit"], "13800000000")
    other_unit_same_phone = nomination_of(intake, person["name"], "另一所示例大学", person["phone"])
    other_person = nomination_of(intake, random_name("陈"), person["unit"], person["phone"])
    for nomination_id in (same_unit, other_unit_same_phone):
        with pytest.raises(Ineligible) as refused:
            submission.send(intake, nomination_id, f"k-{nomination_id}")
        assert "2022年度最美后勤人" in refused.value.message
    assert submission.send(intake, other_person, f"k-{other_person}") == "submitted"


def nomination_of(intake, name: str, unit: str, phone: str) -> str:
    form = form_data(name=name, unit=unit)
    form["person"]["phone"] = phone
    nomination_id = nominations.start_nomination(intake, channel="self", nominee_kind="person")
    nominations.save_draft(intake, nomination_id, form)
    upload_required_files(intake, nomination_id)
    return nomination_id


def archive_has_snapshot(archive, nomination_id: str) -> bool:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(event_log.c.seq).where(
            event_log.c.key == nomination_id, event_log.c.event_type == "nomination.submitted")).first() is not None


def test_a_preview_never_confirmed_is_removed_after_a_day(archive):
    from datetime import datetime, timedelta, timezone

    listing = f"类型,姓名,单位,业务领域,年度,活动名称,手机\n个人,{random_name('韩')},示例学院,物业管理,2021,2021年度最美后勤人,\n"
    token, _ = stage_import(archive, listing.encode("gbk"), "名单.csv")
    now = datetime.now(timezone.utc)
    forget_stale_imports(archive, now)
    assert archive.store.exists(PENDING + token), "within its day it stays"
    assert forget_stale_imports(archive, now + timedelta(days=1, minutes=1)) >= 1
    assert not archive.store.exists(PENDING + token)
    with pytest.raises(ImportRefused, match="预览已失效"):
        confirm_import(archive, token)
