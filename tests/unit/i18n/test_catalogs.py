"""The message catalogs: every code in Chinese and English with the same parameters, every code the source
uses has its messages, and the catalogs' words for states, actions, fields and the 2022 campaign's names
are those the code and the campaign file use."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import datetime as dt
import re
from pathlib import Path

import pytest

from shared.campaign.errors import CODE, Refusal
from shared.i18n import LocalTime, Message, message
from shared.i18n.catalogs import SOURCE_LOCALE, catalog_directories, codes, render
from services.intake.domain.nomination import ACTION_NAMES, STATE_NAMES
from services.intake.schemas.labels import FIELD_LABELS

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [*(ROOT / "shared").rglob("*.py"), *(ROOT / "services/intake").rglob("*.py")]
TEMPLATES = [*(ROOT / "services/intake/entrypoints/templates").glob("*.html")]
TEMPLATE_CODE = re.compile(r"""\b(?:_|say)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Codes whose languages format their parameters differently (a date: 2023年2月28日 / 2023-02-28).
OWN_FORMAT = {"shared.time_beijing", "shared.time_in_zone"}
# Codes whose languages count differently (万像素 / megapixels): each takes some of the same parameters.
OWN_UNITS = {"scan.image_too_large": {"megapixels", "ten_thousands"},
             "scan.image_too_large_sized": {"width", "height", "megapixels", "ten_thousands"}}


def _catalog(locale: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for directory in catalog_directories():
        merged.update(codes(directory, locale))
    return merged


CHINESE, ENGLISH = _catalog(SOURCE_LOCALE), _catalog("en")


def _subclasses(cls) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def _message_makers() -> set[str]:
    """What takes a code first: the message helpers and every refusal (their __init__ passes it on)."""
    for package in ("services.intake.domain", "services.intake.service_layer"):  # every refusal class defined
        for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
            importlib.import_module(f"{package}.{module.name}")
    return {"message", "Message", "term", "said", "Refusal", "IntakeRefusal", "__init__", "_about",
            *(c.__name__ for c in _subclasses(Refusal))}


def _codes_in_source() -> set[str]:
    """Every code the source passes to a message maker, or keeps in a `…_REFUSAL` constant, and every code
    a template translates."""
    makers, found = _message_makers(), set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in makers:
                found.update(arg.value for arg in node.args[:2] if _is_code(arg))
            elif isinstance(node, ast.Assign) and _is_code(node.value) and any(
                    getattr(target, "id", "").endswith("_REFUSAL") for target in node.targets):
                found.add(node.value.value)
    for template in TEMPLATES:
        found.update(TEMPLATE_CODE.findall(template.read_text(encoding="utf-8")))
    return found


def _code_constants() -> set[str]:
    """Every string in the source that is written as a code, wherever it stands (a field's hint, a table of
    codes): a code written nowhere is unused."""
    return {node.value for path in SOURCES for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if _is_code(node)}


# Families whose codes are passed around before a message maker gets them (a field's hint).
PASSED_ON = ("intake.hint.",)


def _is_code(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value) is not None


def test_every_catalog_has_the_same_codes():
    assert set(CHINESE) == set(ENGLISH)


def test_every_message_is_written_in_both_languages():
    assert [code for code in CHINESE if not CHINESE[code].strip() or not ENGLISH[code].strip()] == []


def test_both_languages_take_the_same_parameters():
    differing = [code for code in CHINESE if code not in OWN_FORMAT | set(OWN_UNITS)
                 and set(PLACEHOLDER.findall(CHINESE[code])) != set(PLACEHOLDER.findall(ENGLISH[code]))]
    assert differing == []


def test_codes_counting_in_their_own_units_take_only_their_parameters():
    for code, params in OWN_UNITS.items():
        assert set(PLACEHOLDER.findall(CHINESE[code])) <= params and set(PLACEHOLDER.findall(ENGLISH[code])) <= params


def test_every_code_the_source_names_has_its_messages():
    used = _codes_in_source()
    assert used, "no codes found: the scan of the source is broken"
    assert sorted(code for code in used if code not in CHINESE) == []


def test_every_passed_on_code_of_the_source_has_its_messages():
    passed_on = {code for code in _code_constants() if code.startswith(PASSED_ON)}
    assert passed_on, "no hints found: the scan of the source is broken"
    assert sorted(passed_on - set(CHINESE)) == []


# Families of codes a rule composes from a value (f"intake.state.{state}"), and the renderer's own.
COMPOSED = ("intake.field.", "intake.state.", "intake.action.", "intake.upload.", "intake.channel.", "intake.thing.",
            "intake.review_stage.", "shared.list_separator", "shared.time_", "scan.detected.", "scan.type_hint.",
            "scan.payload.", "scan.active.")


def test_every_message_of_the_catalogs_is_used():
    used = _codes_in_source() | _code_constants()
    assert sorted(set(CHINESE) - used - {c for c in CHINESE if c.startswith(COMPOSED)}) == []


def test_state_and_action_words_are_those_of_the_rules():
    assert {state: CHINESE[f"intake.state.{state}"] for state in STATE_NAMES} == dict(STATE_NAMES)
    assert {action: CHINESE[f"intake.action.{action}"] for action in ACTION_NAMES} == dict(ACTION_NAMES)


def test_field_labels_are_those_of_the_form():
    assert {path: CHINESE[f"intake.field.{path}"] for path in FIELD_LABELS} == FIELD_LABELS


def test_upload_and_channel_words_are_those_of_the_campaign(campaign):
    assert {u.kind: CHINESE[f"intake.upload.{u.kind}"] for u in campaign.uploads} == \
        {u.kind: u.name for u in campaign.uploads}
    assert {c.code: CHINESE[f"intake.channel.{c.code}"] for c in campaign.channels} == \
        {c.code: c.name for c in campaign.channels}


def test_a_message_renders_its_parameters_in_each_language():
    quota = message("intake.quota_exceeded", quota=3, used=3)
    assert render(quota, "zh_Hans") == "贵单位本次活动的推荐名额为 3 名，已用 3 名，不能再推荐；如需更换人选，请先撤回一条推荐"
    assert render(quota, "en").startswith("Your organisation may nominate 3 in this campaign and has used 3")


def test_nested_messages_and_lists_render_in_the_language():
    refused = message("intake.transition_refused_allowed", state=message("intake.state.submitted"),
                      action=message("intake.action.submit"),
                      allowed=[message("intake.action.withdraw"), message("intake.action.resubmit")])
    assert render(refused, "zh_Hans") == "推荐当前状态为“已提交”，不能提交；当前可进行的操作：撤回、重新提交"
    assert render(refused, "en") == ('The nomination is "submitted", so it cannot "submit"; what can be done now: '
                                     "withdraw, resubmit")


def test_a_name_from_data_shows_as_written_in_chinese_and_from_the_catalog_elsewhere():
    renamed = Message("intake.upload.photo", {}, "两寸照片")
    unknown = Message("intake.upload.video", {}, "视频")
    assert render(renamed, "zh_Hans") == "两寸照片"
    assert render(renamed, "en") == "1-inch bareheaded photo"
    assert render(unknown, "en") == "视频"


def test_a_local_time_renders_as_each_language_writes_dates():
    instant = dt.datetime(2023, 2, 28, 15, 59, 59, tzinfo=dt.timezone.utc)
    assert render(LocalTime(instant, "Asia/Shanghai"), "zh_Hans") == "北京时间 2023年2月28日 23:59:59"
    assert render(LocalTime(instant, "Asia/Shanghai"), "en") == "2023-02-28 23:59:59 Beijing time"
    assert render(LocalTime(instant, "Europe/Paris"), "en") == "2023-02-28 16:59:59 (Europe/Paris)"


def test_an_unknown_locale_reads_chinese():
    assert render(message("intake.sign_in_failed"), "fr") == "邮箱或密码不正确"


def test_a_refusal_by_code_has_its_chinese_message_and_a_sentence_stays_as_written():
    assert Refusal("intake.sign_in_failed").message == "邮箱或密码不正确"
    assert Refusal("没有这份推荐").message == "没有这份推荐"
    assert str(Refusal("intake.password_too_short", min=8)) == "密码：至少 8 位"


def test_every_word_of_the_scans_has_its_messages():
    from shared.scans import pdf_content, pipeline
    from shared.scans.sniff import REFUSED_TYPES

    words = {*(f"scan.detected.{kind}" for kind in REFUSED_TYPES),
             *(f"scan.type_hint.{hint}" for hint in pipeline.TYPE_HINTS.values()),
             *(f"scan.payload.{kind}" for kind in pipeline.PAYLOADS),
             *(f"scan.active.{kind}" for kind in pdf_content.ACTIVE_CONTENT.values())}
    assert sorted(words - set(CHINESE)) == []
    assert sorted({c for c in CHINESE if c.startswith(("scan.detected.", "scan.type_hint.", "scan.payload.",
                                                        "scan.active."))} - words) == []
