"""The form's fields as a person reads them, by path: the person's fields as the campaign names them
(shared.campaign.form_fields), the rest as only this form has them."""
from shared.campaign.form_fields import PERSON_FIELDS

FIELD_LABELS = {
    "campaign_id": "活动",
    "channel": "推荐渠道",
    "recommender": "推荐单位",
    "nominee_kind": "推荐对象类型",
    "person": "被推荐人信息",
    **PERSON_FIELDS,
    "team": "团队信息",
    "team.name": "团队名称",
    "team.unit": "单位名称",
    "team.department": "部门",
    "team.leader": "团队负责人",
    "team.leader.name": "负责人姓名",
    "team.leader.position": "负责人职务/职称",
    "team.leader.phone": "负责人联系电话",
    "team.leader.email": "负责人邮箱",
    "team.members": "团队成员",
    "team.address": "通讯地址",
    "team.postcode": "邮编",
    "domain": "所属业务领域",
    "deeds": "事迹材料",
    "media_honours": "曾获媒体平台表彰与奖励情况",
    "contact": "联系人",
    "contact.name": "联系人姓名",
    "contact.email": "联系人邮箱",
    "contact.phone": "联系人手机",
}
