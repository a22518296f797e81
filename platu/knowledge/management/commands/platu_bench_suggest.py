"""How fast suggestions come while typing, on the demo data, through the whole request.

python manage.py platu_bench_suggest --out var/bench/suggest.json   (on a scratch database)
python manage.py platu_bench_suggest --report var/bench/suggest.json

Loads the demo network, logs in as a demo teacher, and types every title, person's name and tag
the teacher can see, one request per keystroke from the second character (what htmx sends, less
its debounce), timing the GET /search/suggest/ response: middleware, session, the three
lookups and the template.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse

from platu.knowledge.models import Item, Tag
from platu.orgs.models import Person

USERNAME = "pranee.k"
TARGET_MS = 150


def typed(texts: list[str], longest: int = 24) -> list[str]:
    """What the box holds after each keystroke, from the second character."""
    out: list[str] = []
    for text in texts:
        text = text.strip()[:longest]
        out.extend(text[:n] for n in range(2, len(text) + 1) if not text[n - 1].isspace())
    return out


class Command(BaseCommand):
    help = "Time suggestions while typing on the demo data; --report renders the results."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out")
        parser.add_argument("--limit", type=int, default=0, help="at most this many requests (0: all)")
        parser.add_argument("--report")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["report"]:
            path = Path(options["report"])
            if path.exists():
                self.stdout.write(render(json.loads(path.read_text())))
            return
        from platu.lib.benchmarks import machine, percentile

        call_command("platu_demo", stdout=StringIO())
        user = Person.objects.select_related("user").get(user__username=USERNAME).user
        assert user is not None  # found by its username
        visible = Item.objects.visible_to(user).filter(state__in=Item.LIVE_STATES)
        texts = (
            list(visible.values_list("title", flat=True))
            + [p.full_name for p in Person.objects.for_user(user)]
            + list(Tag.objects.filter(items__in=visible).distinct().values_list("name", flat=True))
        )
        queries = typed(texts)
        if options["limit"]:
            queries = queries[: options["limit"]]
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = reverse("search_suggest")
        client.get(url, {"q": "ครู"})  # warm: dictionary, templates, session
        times, answered = [], 0
        for q in queries:
            started = time.perf_counter()
            response = client.get(url, {"q": q}, HTTP_HX_REQUEST="true")
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{q!r}: HTTP {response.status_code}")
            answered += b"<a" in response.content
        result = {
            "machine": machine(),
            "date": dt.date.today().isoformat(),
            "vendor": connection.vendor,
            "user": USERNAME,
            "requests": len(times),
            "texts": len(texts),
            "with_suggestions": answered / len(times),
            "p50": statistics.median(times),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
            "max": max(times),
        }
        self.stderr.write(str(result))
        if options["out"]:
            Path(options["out"]).write_text(json.dumps(result, indent=1))


def render(result: dict[str, Any]) -> str:
    return (
        "\n".join(
            [
                "",
                "## Suggestions while typing: the demo data",
                "",
                f"{result['date']} · {result['machine']} · {result['vendor']} · `make bench` "
                f"(`platu_bench_suggest`), one process. Logged in as the demo teacher `{result['user']}`, "
                f"every title, name and tag she may see ({result['texts']}) typed one character at a time "
                f"from the second: {result['requests']:,} requests of `GET /search/suggest/` through the "
                "whole stack (middleware, session, titles + people + tags, template). Target: "
                f"{TARGET_MS} ms.",
                "",
                "| requests | with suggestions | p50 ms | p95 ms | p99 ms | slowest ms |",
                "|---:|---:|---:|---:|---:|---:|",
                f"| {result['requests']:,} | {result['with_suggestions']:.0%} | {result['p50']:.1f} | "
                f"{result['p95']:.1f} | {result['p99']:.1f} | {result['max']:.1f} |",
            ]
        )
        + "\n"
    )
