"""Which module may import which (issue 16, part 24): organisations and the shell import no
module built on them; the demo network lives in the one app that depends on everything."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLATU = Path(__file__).resolve().parents[1] / "platu"
ABOVE = {"knowledge", "planning", "demo"}  # search and exports are services every module joins


def imports(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((str(path.relative_to(PLATU)), node.module))
            elif isinstance(node, ast.Import):
                found += [(str(path.relative_to(PLATU)), a.name) for a in node.names]
    return found


@pytest.mark.parametrize("app", ["orgs", "core", "accounts", "audit", "notify", "lib"])
def test_a_lower_module_imports_no_module_built_on_it(app: str) -> None:
    offenders = [
        f"{path}: {name}"
        for path, name in imports(PLATU / app)
        if any(name == f"platu.{up}" or name.startswith(f"platu.{up}.") for up in ABOVE)
    ]
    assert offenders == []


def test_the_demo_command_lives_in_the_demo_app() -> None:
    from django.core.management import get_commands

    assert get_commands()["platu_demo"] == "platu.demo"
