"""Seeds the archive for the demo campaign that `make run` starts: a past honouree in the honouree registry,
imported as the secretariat imports an earlier campaign's list. The archive's relay publishes it as
`honouree.recorded` and intake's consumer keeps it, so intake refuses her (R9) once both run.
`python -m services.archive.seed_demo` (safe to run again: an honouree already recorded is not recorded twice)."""
from __future__ import annotations

from services.archive.bootstrap import bootstrap
from services.archive.service_layer.registry import import_honourees

DEMO_HONOUREES = [{"类型": "个人", "姓名": "陈美丽", "单位": "示例医科大学", "业务领域": "", "年度": "2021",
                   "活动名称": "2021年度最美后勤人", "手机": "13700000001"}]


def seed() -> None:
    new = import_honourees(bootstrap(), DEMO_HONOUREES)
    print(f"demo: past honouree 陈美丽 (示例医科大学, 2021) in the archive's registry ({new} new); "
          "intake refuses her once its consumer has the record")


if __name__ == "__main__":
    seed()
