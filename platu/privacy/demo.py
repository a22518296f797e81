"""The demo's privacy notice (version 1, in Thai), acknowledged by every demo account, and the
controller's details for the record of processing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from platu.privacy.models import NoticeAcceptance, PrivacyNotice, PrivacySettings

TITLE = "ประกาศความเป็นส่วนตัว (Privacy Notice) ระบบจัดการความรู้ปลาทู"
BODY = """ระบบจัดการความรู้ "ปลาทู" ของเครือข่ายหน่วยงานตัวอย่าง เก็บและใช้ข้อมูลส่วนบุคคลของบุคลากรเท่าที่จำเป็นต่อการจัดการความรู้ของหน่วยงาน ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562

ข้อมูลที่เก็บ: ชื่อ-นามสกุล ตำแหน่ง หน่วยงาน อีเมล เบอร์โทรศัพท์ ความเชี่ยวชาญ ความรู้และความคิดเห็นที่ท่านเขียน การเข้าร่วมชุมชนนักปฏิบัติ คำตอบแบบสอบถามที่ไม่ใช่แบบไม่ระบุตัวตน ผลการประเมินสมรรถนะ และบันทึกการใช้งานระบบ

วัตถุประสงค์: เพื่อให้บริการระบบ การจัดการความรู้ตามภารกิจของหน่วยงาน (PMQA/PDMS) การติดตามผลตามแผนการจัดการความรู้ และการรักษาความปลอดภัยของระบบ

ระยะเวลาเก็บ: ตลอดระยะเวลาที่ท่านใช้งาน บันทึกการใช้งานเก็บตามที่ผู้ดูแลระบบกำหนด (ค่าเริ่มต้น 5 ปี)

สิทธิของท่าน: ขอรับสำเนาข้อมูลทั้งหมด แก้ไขข้อมูลให้ถูกต้อง และขอลบข้อมูลได้ที่หน้า "ข้อมูลของฉัน" เมื่อผู้ดูแลระบบอนุมัติการลบ ชื่อของท่านจะถูกแทนด้วยนามแฝง ส่วนความรู้ที่ท่านเขียนยังคงเป็นของหน่วยงาน

ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล: dpo@platu.invalid"""


def build(people: dict[str, Any]) -> None:
    notice = PrivacyNotice.objects.filter(version=1).first() or PrivacyNotice(version=1)
    notice.title, notice.body = TITLE, BODY
    notice.save()
    users = get_user_model().objects.filter(is_active=True)
    NoticeAcceptance.objects.bulk_create(
        [NoticeAcceptance(user=u, notice=notice) for u in users], ignore_conflicts=True
    )
    conf = PrivacySettings.get()
    conf.controller = conf.controller or "สำนักงานเขตพื้นที่การศึกษาตัวอย่าง (ข้อมูลสมมุติ)"
    conf.dpo = conf.dpo or "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (สมมุติ)"
    conf.dpo_contact = conf.dpo_contact or "dpo@platu.invalid"
    conf.save()
