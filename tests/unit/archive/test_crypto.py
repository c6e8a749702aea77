import pytest
from Crypto.Cipher import AES  # noqa: F401 - the library the adapter uses

from services.archive.adapters import crypto

pytestmark = pytest.mark.unit


def test_sealed_text_opens_with_its_key_and_event_id():
    key = crypto.new_data_key()
    sealed = crypto.seal(key, "电话 13800138000".encode(), "event-1")
    assert "13800138000" not in sealed
    assert crypto.open_sealed(key, sealed, "event-1").decode() == "电话 13800138000"


def test_sealed_text_refuses_another_key_or_another_event_id():
    key = crypto.new_data_key()
    sealed = crypto.seal(key, b"secret", "event-1")
    with pytest.raises(ValueError):
        crypto.open_sealed(crypto.new_data_key(), sealed, "event-1")
    with pytest.raises(ValueError):
        crypto.open_sealed(key, sealed, "event-2")


def test_wrapped_key_unwraps_only_for_its_campaign_and_secret():
    kek = crypto.key_encryption_key("secret-a")
    data_key = crypto.new_data_key()
    wrapped = crypto.wrap(kek, data_key, "2022-zuimei-houqin")
    assert crypto.unwrap(kek, wrapped, "2022-zuimei-houqin") == data_key
    with pytest.raises(ValueError):
        crypto.unwrap(crypto.key_encryption_key("secret-b"), wrapped, "2022-zuimei-houqin")
    with pytest.raises(ValueError):
        crypto.unwrap(kek, wrapped, "2023-other")
