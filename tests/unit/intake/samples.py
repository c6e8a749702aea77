"""Sample registration data the intake unit tests share."""

PERSON = {
    "name": "阿依古丽·买买提",
    "gender": "女",
    "ethnic_group": "维吾尔族",
    "age": 45,
    "political_status": "中共党员",
    "phone": "13812345678",
    "email": "ayguli@example.com",
    "unit": "新疆大学",
    "department": "后勤保障部",
    "position": "餐饮中心主任",
    "address": "新疆乌鲁木齐市天山区胜利路666号",
    "postcode": "830046",
}
TEAM = {
    "name": "“暖心”宿管服务团队",
    "unit": "武汉大学",
    "department": "后勤服务集团",
    "leader": {"name": "王芳", "position": "宿管中心主任", "phone": "027-68752114", "email": "wf@example.com"},
    "members": [{"name": "李娜", "role": "宿管员"}, {"name": "赵强", "role": "维修工"}],
    "address": "湖北省武汉市武昌区八一路299号",
    "postcode": "430072",
}
HONOUR = {"title": "最美后勤服务明星", "level": "省部级", "issuer": "新疆日报", "date": "2022-05-01"}
