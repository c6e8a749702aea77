"""When a background process may give its nice to its session's autogroup (shared/cpu_priority.py)."""
import pytest

from shared.cpu_priority import Session, autogroup_nice_to_set, group_nice_from


def session(**changes) -> Session:
    fields = dict(own_nice=10, group_nice=0, leads_it=True, led_by_shell_parent=False, has_terminal=False)
    return Session(**{**fields, **changes})


@pytest.mark.parametrize("text, nice", [("/autogroup-25 nice 0\n", 0), ("/autogroup-7 nice 19", 19),
                                        ("/autogroup-7 nice -5", -5), ("", None), ("nonsense", None)])
def test_the_groups_nice_is_read_from_procs_line(text, nice):
    assert group_nice_from(text) == nice


def test_a_niced_session_leader_gives_its_nice_to_the_group():
    assert autogroup_nice_to_set(session()) == 10


def test_a_niced_process_under_a_supervisors_shell_wrapper_does_too():
    assert autogroup_nice_to_set(session(leads_it=False, led_by_shell_parent=True)) == 10


@pytest.mark.parametrize("changes", [
    dict(own_nice=0),  # not a background process
    dict(group_nice=10),  # the group is there already
    dict(group_nice=None),  # no autogroups on this system
    dict(leads_it=False),  # another process leads the session: its processes are not this one's to slow
    dict(has_terminal=True),  # a terminal's session: the user's shell and programs share the group
    dict(leads_it=False, led_by_shell_parent=True, has_terminal=True),
])
def test_the_group_is_left_alone(changes):
    assert autogroup_nice_to_set(session(**changes)) is None
