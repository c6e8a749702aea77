"""What a staff list would change, said before the import: new people, each difference of a changed one
(the role first), and the same ones; nobody outside the file is touched."""
import pytest

from services.review.domain.people import Role, StaffMember
from services.review.domain.staff_import import CHANGED, NEW, SAME, counts, staff_changes

pytestmark = pytest.mark.unit

NOW = {"kc-1": StaffMember("kc-1", "林静", Role.WORKING_GROUP, domains=("伙食管理",), email="lin@x.cn", cap=30),
       "kc-2": StaffMember("kc-2", "马晓东", Role.COMMITTEE, unit="甲大学"),
       "kc-9": StaffMember("kc-9", "不在名单", Role.SECRETARIAT)}


def test_each_person_of_the_file_is_new_changed_or_the_same():
    changes = staff_changes(NOW, [
        StaffMember("kc-3", "新来的", Role.COMMITTEE),
        StaffMember("kc-1", "林静", Role.SECRETARIAT, domains=(), email="lin@y.cn", cap=None, active=False),
        StaffMember("kc-2", "马晓东", Role.COMMITTEE, unit="甲大学")])
    assert [(c.member.subject, c.kind) for c in changes] == [("kc-3", NEW), ("kc-1", CHANGED), ("kc-2", SAME)]
    assert changes[1].differences == ("角色：评审工作组 → 协会秘书处", "业务领域：伙食管理 → 无", "停用",
                                      "邮箱：lin@x.cn → lin@y.cn", "待审上限：30 → 按活动设定")
    assert counts(changes) == {NEW: 1, CHANGED: 1, SAME: 1}


def test_the_order_of_domains_is_no_change_and_an_emptied_field_says_so():
    before = {"kc-1": StaffMember("kc-1", "林静", Role.WORKING_GROUP, domains=("伙食管理", "学生公寓"), unit="乙学院")}
    [change] = staff_changes(before, [StaffMember("kc-1", "林静", Role.WORKING_GROUP, domains=("学生公寓", "伙食管理"))])
    assert change.differences == ("所在单位：乙学院 → （空）",)
