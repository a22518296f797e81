"""Thai names of the models and columns the ROPA and a person's download list, where a model has
no Thai name of its own (Django's and allauth's models, many-to-many tables, plain field names)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

MODELS_TH = {
    "admin.logentry": "บันทึกการดูแลระบบ (หน้าผู้ดูแล Django)",
    "mfa.authenticator": "อุปกรณ์ยืนยันตัวตนสองขั้น (MFA)",
    "line.link": "การเชื่อมบัญชี LINE",
    "line.linknonce": "รหัสชั่วคราวสำหรับเชื่อมบัญชี LINE",
    "line.digest": "ข้อความสรุปรายวันทาง LINE",
    "line.preference": "ช่องทางรับการแจ้งเตือนที่เลือก",
    "privacy.dataexport": "ไฟล์ข้อมูลส่วนบุคคลที่ขอดาวน์โหลด",
    "privacy.erasurerequest": "คำขอลบข้อมูลส่วนบุคคล",
    "privacy.noticeacceptance": "การรับทราบประกาศความเป็นส่วนตัว",
    "privacy.breach": "เหตุละเมิดข้อมูลส่วนบุคคล",
}
FIELDS_TH = {
    "object_repr": "ชื่อรายการที่แก้ไข",
    "change_message": "รายละเอียดการแก้ไข",
    "uid": "รหัสผู้ใช้ที่ผู้ให้บริการยืนยันตัวตน",
    "email": "อีเมล",
    "name": "ชื่อ",
    "extra_data": "ข้อมูลที่ได้จากผู้ให้บริการยืนยันตัวตน",
    "author_name": "ชื่อผู้เขียน",
    "reporter_name": "ชื่อผู้รายงาน",
    "line_user_id": "รหัสผู้ใช้ LINE",
    "data": "ข้อมูล",
    "nonce": "รหัสชั่วคราว",
    "path": "ที่เก็บไฟล์",
    "text": "ข้อความ",
    "comment": "ความเห็น",
    "body": "เนื้อหา",
}


def _thai(value: Any) -> str | None:
    """The Thai text of a lazy name, or None when it has no Thai."""
    with translation.override("th"):
        thai = str(value)
    with translation.override("en"):
        english = str(value)
    return thai if thai != english else None


def model_label(model: Any) -> str:
    meta = model._meta
    if meta.auto_created:  # a many-to-many table: named after the model that holds the field
        return "ความเชื่อมโยงของ" + model_label(meta.auto_created)
    return _thai(meta.verbose_name) or MODELS_TH.get(meta.label_lower, str(meta.verbose_name))


def field_label(model: Any, name: str) -> str:
    field = model._meta.get_field(name)
    verbose = getattr(field, "verbose_name", name)
    return _thai(verbose) or FIELDS_TH.get(name, str(verbose))
