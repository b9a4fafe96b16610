"""Code shape: no function or method in hoering/ is longer than MAX_LINES lines,
measured from its ``def`` line to its last line. Touches no database."""

from __future__ import annotations

import ast
from pathlib import Path

MAX_LINES = 60
PACKAGE = Path(__file__).resolve().parent.parent / "hoering"


def long_functions(root: Path = PACKAGE, limit: int = MAX_LINES) -> list[str]:
    """``file:line name length`` for every function in ``root`` over ``limit`` lines."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    where = path.relative_to(root.parent).as_posix()
                    found.append(f"{where}:{node.lineno} {node.name} {length}")
    return found


def test_the_package_has_python_files():
    assert any(PACKAGE.rglob("*.py"))


def test_no_function_is_longer_than_the_limit():
    too_long = long_functions()
    assert not too_long, f"functions over {MAX_LINES} lines:\n" + "\n".join(too_long)


def test_the_measure_counts_from_def_to_last_line(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(3))
    (package / "m.py").write_text(f"def short():\n{body}\n", encoding="utf-8")
    assert long_functions(package, limit=4) == []
    assert long_functions(package, limit=3) == ["pkg/m.py:1 short 4"]
