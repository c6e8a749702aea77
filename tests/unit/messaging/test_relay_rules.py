"""The relay's rules, without a broker: which refusals park a row, and how long it pauses after a fault."""
import pytest
from confluent_kafka import KafkaError

from shared.messaging.relay import BatchOutcome, Relay, is_permanent

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("code", [KafkaError.MSG_SIZE_TOO_LARGE, KafkaError.INVALID_RECORD,
                                  KafkaError._UNKNOWN_TOPIC, KafkaError.UNKNOWN_TOPIC_OR_PART])
def test_is_permanent_for_refusals_no_retry_can_mend(code):
    assert is_permanent(KafkaError(code))


@pytest.mark.parametrize("code", [KafkaError._MSG_TIMED_OUT, KafkaError._TRANSPORT, KafkaError._ALL_BROKERS_DOWN,
                                  KafkaError.NOT_ENOUGH_REPLICAS, KafkaError.REQUEST_TIMED_OUT])
def test_is_permanent_not_for_faults_that_pass(code):
    assert not is_permanent(KafkaError(code))


def test_is_permanent_not_when_the_producer_itself_failed():
    assert not is_permanent(KafkaError(KafkaError.MSG_SIZE_TOO_LARGE, fatal=True))


def test_relay_pause_grows_after_each_fault_up_to_the_limit_and_resets_after_success():
    relay = Relay(engine=None, new_producer=lambda: None, idle=0.1, max_backoff=4.0)
    fault = BatchOutcome(transient="_TRANSPORT: broker away")
    assert [relay.pause_after(fault) for _ in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert relay.pause_after(BatchOutcome(delivered=[1])) == 0.0
    assert relay.pause_after(fault) == 0.5
    assert relay.pause_after(BatchOutcome()) == 0.1
