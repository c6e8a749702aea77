"""The honouree registry: confirmed honourees recorded once and published as honouree.recorded v2 (a keyed
phone hash, never the phone); earlier campaigns imported from a file after a preview; and, with the archive
and intake both running on the real Kafka, an honouree of one campaign refused by intake in the next."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from services.archive.adapters.orm import event_log, honourees, outbox
from services.archive.entrypoints.consumer import TOPICS, handlers
from services.archive.honourees import main as honourees_main
from services.intake.adapters.orm import honourees as intake_honourees
from services.intake.bootstrap import bootstrap as intake_bootstrap
from services.intake.service_layer import submission
from services.intake.service_layer.errors import Ineligible
from services.intake.service_layer.incoming import HANDLERS as INTAKE_HANDLERS
from shared.campaign.model import campaign_from_data, demo_copy
from shared.config import Settings
from shared.events import new_event
from shared.events.topics import ARCHIVE, REVIEWS
from shared.messaging.consumer import ConsumerRunner, SourcePosition
from shared.messaging.relay import run_relay
from shared.messaging.producer import make_producer
from shared.nominees import phone_hmac
from tests.builders import complete_self_nomination, random_name
from tests.integration.archive.events import record, submitted
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
    intake_sessions = intake_bootstrap(intake_settings, queue_scan=lambda _id: None).sessions
    stop = threading.Event()
    runners = [ConsumerRunner(group=f"archive-test-{uuid.uuid4().hex[:6]}", topics=TOPICS, handlers=handlers(archive),
                              sessions=archive.sessions, bootstrap=bootstrap),
               ConsumerRunner(group=f"intake-test-{uuid.uuid4().hex[:6]}", topics=[REVIEWS, ARCHIVE],
                              handlers=INTAKE_HANDLERS, sessions=intake_sessions, bootstrap=bootstrap)]
    threads = [threading.Thread(target=r.run, daemon=True) for r in runners]
    threads.append(threading.Thread(target=run_relay, args=(archive.engine, make_producer(bootstrap), stop), daemon=True))
    for thread in threads:
        thread.start()
    try:
        publish(bootstrap, nomination)  # weeks before the confirmation, on another topic
        wait_until(lambda: archive_has(archive, nomination.event_id), 60, what="the archive to record the nomination")
        publish(bootstrap, confirmed(archive.campaign.id, nomination.payload))
        wait_until(lambda: intake_knows(intake_settings, name), 120, what="intake to receive the honouree record")
    finally:
        stop.set()
        for runner in runners:
            runner.stop.set()
    intake = intake_bootstrap(intake_settings, queue_scan=lambda _id: None, campaign=next_campaign(intake_settings))
    same_unit = complete_self_nomination(intake, name=name)
    other_unit_same_phone = complete_self_nomination(intake, name=name, unit="另一所示例大学")
    for nomination_id in (same_unit, other_unit_same_phone):
        with pytest.raises(Ineligible) as refused:
            submission.send(intake, nomination_id, f"k-{nomination_id}")
        assert "2022年度最美后勤人" in refused.value.message


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
