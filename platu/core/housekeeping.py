"""Daily work for cron (`platu_housekeeping`): each module registers its jobs in its own
`housekeeping.py`, as it registers home panels and search indexes; the shell imports none."""

from __future__ import annotations

from collections.abc import Callable

Job = Callable[[], str]  # does its work and says what it did, in a line
_jobs: list[tuple[str, Job]] = []


def register(name: str) -> Callable[[Job], Job]:
    def add(job: Job) -> Job:
        if all(n != name for n, _j in _jobs):
            _jobs.append((name, job))
        return job

    return add


def jobs() -> list[tuple[str, Job]]:
    return list(_jobs)
