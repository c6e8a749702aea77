"""Intake keeps a past honouree's phone only as the keyed HMAC of `honouree.recorded` v2: revision 0008 drops
the bare SHA-256 (v1) hashes its former own import wrote (past honourees are now imported in the archive's
registry, whose events carry the keyed hash: tests/integration/archive/test_registry.py)."""
from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from alembic import command

from services.intake.adapters.orm import honourees
from shared.db import alembic_config
from shared.nominees import phone_hmac
from tests.builders import PERSON
from tests.integration.test_migrations import empty_database  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration
PHONE = PERSON["phone"]  # the phone the nominations of tests.builders carry
ZUIMEI_2021 = "全国教育后勤系统“2021年度最美后勤人”"


def bare_sha256(phone: str) -> str:
    return hashlib.sha256(f"tuiju:phone:v1:{phone}".encode()).hexdigest()


def stored_hash(engine: sa.Engine, name: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(honourees.c.phone_hash).where(honourees.c.name == name)).scalar_one()


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
