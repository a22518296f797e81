"""Demo posts in the community spaces (``platu_demo``): a few Thai posts and replies, one with an
@mention, in the demo communities that ``communities.demo.build`` made. Written with the ORM like
the rest of the demo (no notifications, no audit rows); times follow today's. Idempotent: a
community that has posts already is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from platu.communities.models import Community, Post
from platu.orgs.models import Person

# community name: [(author, hours ago, text, [(author, hours later, reply text)])]
THREADS = {
    "PLC ครูภาษาไทยชั้น ป.1–3": [
        ("natthapong.w", 50, "สรุปจากวงครั้งที่แล้ว: การฝึกบัตรคำแจกลูกวันละ 10 นาทีได้ผลดีกว่าฝึกยาวสัปดาห์ละครั้ง "
         "ใครมีบัตรคำชุดใหม่ช่วยแบ่งปันในวงด้วยนะครับ",
         [("kannika.s", 3, "มีค่ะ ชุดคำที่มีตัวสะกดไม่ตรงมาตรา 40 คำ จะนำมาให้ในวงสัปดาห์หน้า"),
          ("teerapat.n", 20, "ขอบคุณครับ จะลองใช้กับนักเรียน ป.2 แล้วเล่าผลให้ฟัง")]),
        ("pranee.k", 6, "@kannika.s รบกวนเตรียมสาธิตการสอนอ่านด้วยเกมทายคำในวงครั้งถัดไปได้ไหมคะ "
         "สมาชิกอยากเห็นตัวอย่างจริงก่อนนำไปใช้",
         [("kannika.s", 1, "ได้ค่ะ จะเตรียมแผนการสอนและใบงานมาด้วย")]),
    ],
    "เครือข่ายครูภาษาไทย สพป.ศรีนครา เขต 1": [
        ("pimchanok.r", 30, "แบบบันทึกการอ่านรายบุคคลที่เขตพัฒนาขึ้นพร้อมให้ทดลองใช้แล้ว "
         "โรงเรียนใดสนใจแจ้งในโพสต์นี้ได้เลยค่ะ",
         [("duangjai.p", 4, "โรงเรียนบ้านหนองบัวขอร่วมทดลองใช้ค่ะ"),
          ("jakkrit.h", 9, "โรงเรียนอนุบาลขอร่วมด้วยครับ")]),
    ],
    "ชุมชนครูคณิตศาสตร์ร่วมใจ": [
        ("jakkrit.h", 12, "ทดลองใช้ฝาขวดน้ำสอนการจัดกลุ่มและการคูณกับ ป.3 นักเรียนสนุกและเข้าใจเร็วขึ้นมาก",
         [("siriporn.y", 2, "น่าสนใจมากค่ะ ช่วยถ่ายรูปสื่อมาให้ดูในวงครั้งหน้าด้วยนะคะ")]),
    ],
}  # fmt: skip


def build(communities: list[Community], people: dict[str, Person]) -> int:
    """Add the demo threads to those of ``communities`` that have no posts yet; the number of
    posts and replies written."""
    now = timezone.now()
    written = 0
    for community in communities:
        threads = THREADS.get(community.name)
        if not threads or Post.objects.filter(community=community).exists():
            continue
        for username, hours_ago, text, replies in threads:
            at = now - dt.timedelta(hours=hours_ago)
            post = _post(community, people[username], text, at)
            written += 1
            for reply_author, later, reply_text in replies:
                _post(community, people[reply_author], reply_text, min(at + dt.timedelta(hours=later), now),
                      parent=post)  # fmt: skip
                written += 1
    return written


def _post(
    community: Community, person: Person, text: str, at: dt.datetime, parent: Post | None = None
) -> Post:
    post = Post.objects.create(
        community=community, parent=parent, author=person.user, author_name=person.full_name, body=text
    )
    Post.objects.filter(pk=post.pk).update(created_at=at)  # auto_now_add ignores a value given
    post.created_at = at
    return post
