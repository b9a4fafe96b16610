"""The import graph has no circles: not between modules, and not between the packages
of hoering (hoering.core, hoering.audit, …), counting imports inside functions too.
The layer order itself is import-linter's contract in pyproject.toml (`lint-imports`)."""

from __future__ import annotations

from collections import defaultdict
from graphlib import CycleError, TopologicalSorter

import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("hoering", exclude_type_checking_imports=True)


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def first_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    try:
        TopologicalSorter(edges).prepare()
    except CycleError as error:
        return list(error.args[1])
    return None


def test_no_module_imports_itself_in_a_circle(graph):
    edges = {module: set(graph.find_modules_directly_imported_by(module))
             for module in graph.modules}
    assert first_cycle(edges) is None


def test_no_circle_between_packages(graph):
    edges: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if package_of(module) != package_of(imported):
                edges[package_of(module)].add(package_of(imported))
    assert first_cycle(edges) is None


def test_an_import_inside_a_function_counts(graph):
    """The check sees imports that run late, e.g. inside a CLI command's body."""
    assert "hoering.demo.loader" in graph.find_modules_directly_imported_by("hoering.cli")


def test_the_check_finds_a_circle():
    assert first_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
