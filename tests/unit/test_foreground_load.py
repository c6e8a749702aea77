"""When a background task waits for the forms to leave the CPU (shared/foreground_load.py), with a fake
clock and fake readings of /proc/stat."""
import pytest

from shared.config import ConfigError, Settings
from shared.foreground_load import SAMPLE_SECONDS, CpuTicks, ForegroundGate, foreground_share, ticks_from

LINE = "cpu  1000 500 200 3000 40 0 60 7 0 0"


def test_the_foreground_is_user_system_and_interrupt_time_not_the_niced_or_stolen():
    assert ticks_from(LINE) == CpuTicks(foreground=1000 + 200 + 60, total=1000 + 500 + 200 + 3000 + 40 + 60)


def test_an_old_kernels_short_line_still_reads():
    assert ticks_from("cpu  10 0 5 85") == CpuTicks(foreground=15, total=100)


@pytest.mark.parametrize("before, after, share", [
    (CpuTicks(0, 0), CpuTicks(80, 100), 0.8),
    (CpuTicks(0, 0), CpuTicks(0, 100), 0.0),
    (CpuTicks(5, 5), CpuTicks(5, 5), 0.0),  # no tick passed
])
def test_the_share_between_two_readings(before, after, share):
    assert foreground_share(before, after) == pytest.approx(share)


class Machine:
    """Readings whose foreground share between each two is the next of `shares`; 20 ticks a sample."""

    def __init__(self, shares):
        self.shares, self.now, self.reading, self.sleeps = list(shares), 0.0, CpuTicks(0, 0), []

    def read(self):
        return self.reading

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
        share = self.shares.pop(0) if self.shares else 0.0
        self.reading = CpuTicks(self.reading.foreground + round(20 * share), self.reading.total + 20)

    def run(self, ticks, foreground, seconds=0.2):
        """Time passing outside the gate, as while a scan runs."""
        self.now += seconds
        self.reading = CpuTicks(self.reading.foreground + foreground, self.reading.total + ticks)

    def gate(self, busy=0.6, longest=15.0):
        return ForegroundGate(busy, longest, read=self.read, sleep=self.sleep, clock=lambda: self.now)


def test_a_quiet_machine_costs_one_sample():
    machine = Machine([0.3])
    assert machine.gate().wait() == pytest.approx(SAMPLE_SECONDS)


def test_the_task_waits_while_the_foreground_is_busy_and_goes_when_it_is_not():
    machine = Machine([0.9, 0.95, 0.7, 0.5])
    assert machine.gate().wait() == pytest.approx(4 * SAMPLE_SECONDS)


def test_the_wait_ends_at_its_bound_however_busy_the_machine():
    machine = Machine([1.0] * 1000)
    assert machine.gate(longest=2).wait() == pytest.approx(2, abs=SAMPLE_SECONDS)


def test_a_task_right_after_another_is_judged_over_the_time_since_without_sleeping():
    machine = Machine([0.3])
    gate = machine.gate()
    gate.wait()
    machine.run(ticks=40, foreground=5)  # the scan's 0.2 s
    assert gate.wait() == 0
    machine.run(ticks=40, foreground=38)  # the forms came meanwhile
    assert gate.wait() > 0
    assert len(machine.sleeps) > 1


def test_too_few_ticks_since_the_last_verdict_keep_it():
    machine = Machine([0.3, 1.0, 1.0, 0.2])
    gate = machine.gate()
    gate.wait()
    machine.run(ticks=2, foreground=2)  # a scan of 10 ms: the quiet verdict stands
    assert gate.wait() == 0
    gate_after_busy = machine.gate(longest=0.3)
    assert gate_after_busy.wait() == pytest.approx(0.3, abs=SAMPLE_SECONDS)  # busy until its bound
    machine.run(ticks=2, foreground=2)
    assert gate_after_busy.wait() == pytest.approx(SAMPLE_SECONDS)  # so the next one samples again first


def test_no_wait_when_turned_off_or_when_proc_cannot_be_read():
    assert Machine([1.0] * 10).gate(longest=0).wait() == 0
    assert ForegroundGate(0.75, 15, read=lambda: None, sleep=pytest.fail).wait() == pytest.approx(0, abs=0.01)


def test_the_settings_refuse_a_share_outside_zero_to_one_and_a_negative_wait():
    base = {"TUIJU_ENV": "test"}
    assert Settings.from_env("intake", base).scan_yield_busy == 0.6
    assert Settings.from_env("intake", {**base, "TUIJU_SCAN_YIELD_SECONDS": "0"}).scan_yield_seconds == 0
    for name, value in [("SCAN_YIELD_BUSY", "0"), ("SCAN_YIELD_BUSY", "1.5"), ("SCAN_YIELD_BUSY", "nan"),
                        ("SCAN_YIELD_BUSY", "much"), ("SCAN_YIELD_SECONDS", "-1")]:
        with pytest.raises(ConfigError, match="TUIJU_" + name):
            Settings.from_env("intake", {**base, f"TUIJU_{name}": value})
