"""The test suite's own rules, read from its source: shared helpers come from support
modules, fixtures from conftest, and no assertion is true whatever the code does."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MODULES = sorted(path for path in TESTS.rglob("*.py") if path.name != "conftest.py")
# Its signed_in/fire helpers (no fixtures) are shared by the other state tests; they move to
# a support module once the page-state restructuring has settled those tests.
SHARED_TESTS = {"test_ui_state"}


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(TESTS.parent)}:{line}"


def test_no_module_imports_conftest_or_another_test_module():
    # pytest imports conftest.py itself; a second import under another name runs its set-up
    # again (a second data folder mid-run). A test module imported by another registers its
    # fixtures a second time (a second app build for a "session" fixture).
    offenders = []
    for path in MODULES:
        for line, module in _imported_modules(ast.parse(path.read_text())):
            last = module.rsplit(".", 1)[-1]
            if last == "conftest" or (last.startswith("test_") and last not in SHARED_TESTS):
                offenders.append(f"{_where(path, line)} imports {module}")
    assert offenders == []


def _always_true(test: ast.expr) -> str | None:
    """Why an asserted expression cannot be false, or None."""
    if isinstance(test, ast.Constant):
        return "a constant"
    if isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.Or) and any(isinstance(v, ast.Constant) and v.value
                                               for v in test.values):
            return "'or' with a true constant"
        for value in test.values:
            if isinstance(test.op, ast.And) and (why := _always_true(value)):
                return why
        return None
    if not isinstance(test, ast.Compare):
        return None
    left = test.left
    for op, right in zip(test.ops, test.comparators, strict=True):
        has_call = any(isinstance(n, ast.Call) for n in ast.walk(left))
        if (ast.dump(left) == ast.dump(right) and not has_call
                and isinstance(op, ast.Eq | ast.GtE | ast.LtE | ast.Is)):
            return "a value compared with itself"
        if isinstance(op, ast.GtE) and isinstance(right, ast.Constant) and right.value == 0:
            # Counts, lengths, sizes and parsed hex are never negative: say what they must be.
            return "a count checked to be >= 0"
        if isinstance(right, ast.Dict | ast.List | ast.Tuple):
            # {"ms": body["ms"]} on the right of body == ...: the part compared with itself
            for part in ast.walk(right):
                base = part
                while isinstance(base, ast.Subscript | ast.Attribute):
                    base = base.value
                    if ast.dump(base) == ast.dump(left):
                        return "a value compared with a part of itself"
        left = right
    return None


def test_no_assertion_is_true_whatever_the_code_does():
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assert) and (why := _always_true(node.test)):
                found.append(f"{_where(path, node.lineno)}: {why}")
    assert found == []


def test_the_checker_catches_what_it_looks_for():
    def check(source: str) -> str | None:
        return _always_true(ast.parse(source, mode="eval").body)

    assert check("x == x") == "a value compared with itself"
    assert check("len(rows) >= 0") == "a count checked to be >= 0"
    assert check("body['queue']['pending'] >= 0") == "a count checked to be >= 0"
    assert check("ok or True") == "'or' with a true constant"
    assert check("body['r'] == {'ok': True, 'ms': body['r']['ms']}") == (
        "a value compared with a part of itself")
    assert check("a == 1 and b == b") == "a value compared with itself"
    assert check("row == {'id': row['id']}") == "a value compared with a part of itself"
    # Real checks pass: two calls may differ (random nonces), counts move by a known amount.
    assert check("encrypt('same') != encrypt('same')") is None
    assert check("encrypt('a') == encrypt('a')") is None
    assert check("count() == before + 1") is None
    assert check("len(rows) >= 1") is None
