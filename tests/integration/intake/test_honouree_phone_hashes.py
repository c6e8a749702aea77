"""Intake keeps a past honouree's phone only as the keyed HMAC of `honouree.recorded` v2: its own import
writes it, a nominee with the same name and phone in another unit is refused by it, revision 0008 drops the
bare SHA-256 (v1) hashes older imports wrote, and importing the list again brings the phone back."""
from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from alembic import command

from services.intake.adapters.orm import honourees
from services.intake.domain.honourees import HonoureeRow
from services.intake.service_layer import submission
from services.intake.service_layer.errors import Ineligible
from services.intake.service_layer.honourees import import_rows
from shared.db import alembic_config
from shared.nominees import phone_hmac
from tests.builders import PERSON, complete_self_nomination, random_name
from tests.integration.test_migrations import empty_database  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration
PHONE = PERSON["phone"]  # the phone the nominations of tests.builders carry
ZUIMEI_2021 = "全国教育后勤系统“2021年度最美后勤人”"


def bare_sha256(phone: str) -> str:
    return hashlib.sha256(f"tuiju:phone:v1:{phone}".encode()).hexdigest()


def stored_hash(engine: sa.Engine, name: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(honourees.c.phone_hash).where(honourees.c.name == name)).scalar_one()


def test_an_imported_honourees_phone_is_kept_as_the_keyed_hash_and_refuses_the_same_phone_elsewhere(intake):
    name = random_name("韩")
    assert import_rows(intake, [HonoureeRow(name, "示例职业技术学院", "138 1234 5678", ZUIMEI_2021, 2021, "person")]) == 1
    stored = stored_hash(intake.engine, name)
    assert stored == phone_hmac(intake.settings.phone_hash_secret, PHONE) != bare_sha256(PHONE)
    elsewhere = complete_self_nomination(intake, name=name, unit="另一所示例大学")
    with pytest.raises(Ineligible) as refused:
        submission.send(intake, elsewhere, f"k-{elsewhere}")
    assert "2021年度最美后勤人" in refused.value.message


def test_importing_the_list_again_brings_back_a_dropped_phone_hash_and_counts_nothing_new(intake):
    name = random_name("韩")
    row = HonoureeRow(name, "示例职业技术学院", PHONE, ZUIMEI_2021, 2021, "person")
    assert import_rows(intake, [HonoureeRow(name, row.unit, "", ZUIMEI_2021, 2021, "person")]) == 1
    assert stored_hash(intake.engine, name) is None
    assert import_rows(intake, [row]) == 0
    assert stored_hash(intake.engine, name) == phone_hmac(intake.settings.phone_hash_secret, PHONE)
    assert import_rows(intake, [HonoureeRow(name, row.unit, "13900000000", ZUIMEI_2021, 2021, "person")]) == 0
    assert stored_hash(intake.engine, name) == phone_hmac(intake.settings.phone_hash_secret, PHONE)


def test_revision_0008_drops_the_bare_phone_hashes_of_imported_honourees_and_keeps_the_events_keyed_ones(
        empty_database):
    config = alembic_config("intake", empty_database)
    command.upgrade(config, "0007_campaign_stages")
    engine = sa.create_engine(empty_database, poolclass=sa.pool.NullPool)
    keyed = phone_hmac("secret", PHONE)
    with engine.begin() as conn:
        conn.execute(sa.insert(honourees), [
            {"person_key": "a@u", "kind": "person", "name": "甲", "unit": "u", "phone_hash": bare_sha256(PHONE),
             "campaign_year": 2021, "campaign_name": ZUIMEI_2021, "source": "import"},
            {"person_key": "b@u", "kind": "person", "name": "乙", "unit": "u", "phone_hash": keyed,
             "campaign_year": 2021, "campaign_name": ZUIMEI_2021, "source": "event"}])
    command.upgrade(config, "head")
    assert (stored_hash(engine, "甲"), stored_hash(engine, "乙")) == (None, keyed)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(honourees)).scalar() == 2
