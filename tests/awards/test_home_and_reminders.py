"""Issue 19: the home panel "awards waiting for me" (my scoring to do, nominations to review and
results to announce as the chair) and the daily job (nominations closing on their day, reminders
to the members who have not finished scoring before the deadline)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from platu.awards import actions
from platu.awards.housekeeping import remind
from platu.awards.models import Category, Criterion, Programme
from platu.notify.models import Notification
from tests.awards.conftest import client_for
from tests.awards.test_nominations import STATEMENT


def test_what_waits_for_the_chair_and_the_members(aw: SimpleNamespace, open_programme: Programme) -> None:
    work = Category.objects.get(programme=open_programme, kind="work")
    n = actions.nominate(open_programme, work, "item", aw.item, STATEMENT, acting_user=aw.teacher.user)
    home = client_for(aw.chair).get("/").content.decode()
    assert open_programme.title in home and reverse("awards:programme", args=[open_programme.pk]) in home
    assert open_programme.title not in client_for(aw.judge1).get("/").content.decode()  # nothing to score yet
    actions.review(n, True, acting_user=aw.chair.user)
    actions.close_nominations(open_programme, acting_user=aw.lead.user)
    scores_url = reverse("awards:scores", args=[open_programme.pk])
    assert scores_url in client_for(aw.judge1).get("/").content.decode()
    actions.save_scores(open_programme, {(n.pk, c.pk): 5 for c in Criterion.objects.filter(programme=open_programme)},
                        acting_user=aw.judge1.user)  # fmt: skip
    assert scores_url not in client_for(aw.judge1).get("/").content.decode()  # finished
    assert "#announce" in client_for(aw.chair).get("/").content.decode()
    assert open_programme.title not in client_for(aw.outsider).get("/").content.decode()


def test_the_daily_job_closes_nominations_and_reminds_who_has_not_finished(
    aw: SimpleNamespace, open_programme: Programme
) -> None:
    work = Category.objects.get(programme=open_programme, kind="work")
    n = actions.nominate(open_programme, work, "item", aw.item, STATEMENT, acting_user=aw.teacher.user)
    today = timezone.localdate()
    Programme.objects.filter(pk=open_programme.pk).update(
        nominations_close=today - dt.timedelta(days=1), scoring_deadline=today + dt.timedelta(days=10)
    )
    criteria = Criterion.objects.filter(programme=open_programme)
    assert "1 award programme(s) closed" in remind()
    open_programme.refresh_from_db()
    assert open_programme.state == Programme.State.SCORING
    assert Notification.objects.filter(kind="awards.scoring", recipient=aw.judge1.user).exists()
    assert not Notification.objects.filter(kind="awards.reminder").exists()  # not yet: 10 days to go
    actions.save_scores(open_programme, {(n.pk, c.pk): 3 for c in criteria}, acting_user=aw.judge1.user)
    Programme.objects.filter(pk=open_programme.pk).update(scoring_deadline=today + dt.timedelta(days=3))
    remind()
    reminded = set(
        Notification.objects.filter(kind="awards.reminder").values_list("recipient__username", flat=True)
    )
    assert reminded == {"chair", "judge2"}
    remind()  # once a day
    assert Notification.objects.filter(kind="awards.reminder").count() == 2
