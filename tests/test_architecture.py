"""The floors of the house (STYLE.md): imports between the product's apps only point down.

1. ``foundation``: pure formulas, rounding, formatting, period and date maths;
2. ``workforce``, ``access`` (roles and scoping: who may see what), ``jobs`` (the task queue,
   background jobs, scheduled work) and ``notices`` (emails and who wants them);
3. ``recruitment``, ``leavers`` and ``planning``;
4. ``reporting`` and ``dataio``;
5. ``pages``, ``access.views``, ``scale``, ``config``: the top.

A module may import its own floor or lower, never higher. Imports inside functions count
too: a lazy import from a higher floor is still a dependency on it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOORS = {
    "foundation": 1,
    "workforce": 2,
    "access": 2,
    "jobs": 2,
    "notices": 2,
    "recruitment": 3,
    "leavers": 3,
    "planning": 3,
    "reporting": 4,
    "dataio": 4,
    "pages": 5,
    "scale": 5,
    "config": 5,
}
# Modules that sit above their app's floor: the page views of ``access`` (the home page).
TOP_MODULES = {"access.views": 5, "access.urls": 5}
MAX_MODULE_LINES = 650
# Known exceptions, each to be removed by the change that fixes it; nothing new may join them.
KNOWN_UPWARD: set[str] = set()
KNOWN_LONG: set[str] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _floor(module: str) -> int | None:
    for name, floor in TOP_MODULES.items():
        if module == name or module.startswith(name + "."):
            return floor
    return FLOORS.get(module.split(".")[0])


def _product_modules() -> list[Path]:
    return [
        path
        for app in FLOORS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_imports_only_point_down_the_floors() -> None:
    upward = []
    for path in _product_modules():
        module = _module_name(path)
        own = _floor(module)
        for imported in _imported_modules(path):
            floor = _floor(imported)
            if floor is not None and own is not None and floor > own:
                upward.append(f"{module} (floor {own}) imports {imported} (floor {floor})")
    assert sorted(set(upward) - KNOWN_UPWARD) == []


def test_the_foundation_has_no_models_and_no_queries() -> None:
    for path in (ROOT / "foundation").rglob("*.py"):
        imported = _imported_modules(path)
        assert not any(name.startswith(("django.db", "django.contrib")) for name in imported), path


def test_no_product_module_is_much_over_six_hundred_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _product_modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert set(long) - KNOWN_LONG == set()


# What starts work in another thread. (A ``threading.Lock`` guarding a value kept in memory
# runs nothing in the background, so importing ``threading`` alone is allowed.)
THREADS = ("threading.Thread", "threading.Timer", "_thread", "concurrent.futures", "multiprocessing")
STARTS = ("Thread(", "Timer(", "start_new_thread(", "ThreadPoolExecutor", "ProcessPoolExecutor")


def test_no_product_module_runs_work_in_a_thread() -> None:
    """Background work goes through the task queue (``jobs.queue``), never a thread of the
    web process: a thread dies with its process and no other process can see it."""
    threaded = [
        str(path.relative_to(ROOT))
        for path in _product_modules()
        if any(name.startswith(THREADS) for name in _imported_modules(path))
        or any(start in path.read_text(encoding="utf-8") for start in STARTS)
    ]
    assert threaded == []
