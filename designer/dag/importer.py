"""Python -> graph: ``code_to_graph`` reads an SDK script (what ``export.graph_to_code`` writes,
or a hand-written variant) with ``ast`` alone. User code is never executed: only literals are
evaluated (``ast.literal_eval``), and each component call is replayed through the SDK's own
``Pipeline.add_node``, so the script and its import build the same graph, with the same errors.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass
from typing import Any

from components.sdk.registry import Registry, UnknownComponent
from designer.dag.model import GraphSpec
from designer.sdk.handles import NodeHandle, Output
from designer.sdk.pipeline import Pipeline

ALLOWED = (
    "allowed are: a docstring; `from designer.sdk import Pipeline`; "
    "`from designer.sdk.components import <category>, ...`; one `with Pipeline() as pipeline:` "
    "block of `name = category.component(...)` calls; `pipeline.layout({...})`; literal "
    'constants (`NAME = 0.3`); and an `if __name__ == "__main__":` block (not imported)'
)


class CodeImportError(ValueError):
    """The script uses something outside the importable subset; ``line`` says where."""

    def __init__(self, message: str, line: int | None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class _Namespace:
    category: str


@dataclass(frozen=True)
class _Function:
    component_id: str


class _PipelineClass:
    pass


class _Constant:
    def __init__(self, value: Any) -> None:
        self.value = value


def code_to_graph(source: str, registry: Registry) -> GraphSpec:
    """The graph that running ``source`` would build, without running it (normalized)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise CodeImportError(f"not valid Python: {exc.msg}", exc.lineno) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise CodeImportError(f"cannot parse this code: {exc}", None) from None
    return _Importer(registry).module(tree)


class _Importer:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.names: dict[str, Any] = {}
        self.pipeline: Pipeline | None = None
        self.components: dict[str, dict[str, str]] = {}  # category -> name -> id
        for spec in registry.latest():
            self.components.setdefault(spec.namespace, {})[spec.name] = spec.id

    # statements ------------------------------------------------------------------------------
    def module(self, tree: ast.Module) -> GraphSpec:
        for stmt in tree.body:
            self.statement(stmt, inside=False)
        if self.pipeline is None:
            raise CodeImportError("no `with Pipeline() as pipeline:` block found; " + ALLOWED, 1)
        return self.pipeline.graph()

    def statement(self, stmt: ast.stmt, *, inside: bool) -> None:
        if isinstance(stmt, ast.Pass) or _is_docstring(stmt):
            return
        if isinstance(stmt, ast.ImportFrom) and not inside:
            return self.import_from(stmt)
        if isinstance(stmt, ast.With) and not inside:
            return self.with_block(stmt)
        if isinstance(stmt, ast.If) and not inside and _is_main_guard(stmt.test):
            return  # what runs the script; not part of the graph
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self.call(stmt.value, inside=inside)
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if not isinstance(target, ast.Name):
                raise CodeImportError("assign to one plain name, e.g. `split = ...`", stmt.lineno)
            self.names[target.id] = self.assigned_value(stmt.value, inside=inside)
            return
        what = type(stmt).__name__
        if isinstance(stmt, ast.Import):
            what = "`import ...`"
        raise CodeImportError(f"{what} statements cannot be imported; {ALLOWED}", stmt.lineno)

    def import_from(self, stmt: ast.ImportFrom) -> None:
        module = stmt.module or ""
        for alias in stmt.names:
            name = alias.asname or alias.name
            if module == "__future__":
                continue
            if stmt.level == 0 and module == "designer.sdk" and alias.name == "Pipeline":
                self.names[name] = _PipelineClass()
            elif stmt.level == 0 and module == "designer.sdk.components":
                self.names[name] = _Namespace(self.category(alias.name, stmt.lineno))
            elif stmt.level == 0 and module.startswith("designer.sdk.components."):
                category = self.category(module.rsplit(".", 1)[1], stmt.lineno)
                self.names[name] = _Function(self.component_id(category, alias.name, stmt.lineno))
            else:
                raise CodeImportError(
                    f"`from {'.' * stmt.level}{module} import {alias.name}` cannot be imported; "
                    + ALLOWED,
                    stmt.lineno,
                )

    def bound(self, expr: ast.expr | None, kind: type | tuple[type, ...]) -> Any:
        """What the plain name ``expr`` is bound to, when that is a ``kind``; else None."""
        value = self.names.get(expr.id) if isinstance(expr, ast.Name) else None
        return value if isinstance(value, kind) else None

    def new_pipeline(self, expr: ast.expr, line: int) -> Pipeline | None:
        """The pipeline ``expr`` creates (``Pipeline()``) or names; None if it is neither."""
        if self.bound(expr, Pipeline) is not None:
            return self.pipeline
        if not isinstance(expr, ast.Call) or expr.args or expr.keywords:
            return None
        if self.bound(expr.func, _PipelineClass) is None:
            return None
        if self.pipeline is not None:
            raise CodeImportError("only one `Pipeline()` per file", line)
        self.pipeline = Pipeline(self.registry)
        return self.pipeline

    def with_block(self, stmt: ast.With) -> None:
        item = stmt.items[0] if len(stmt.items) == 1 else None
        target = item.optional_vars if item else None
        pipeline = self.new_pipeline(item.context_expr, stmt.lineno) if item else None
        if pipeline is None or not (target is None or isinstance(target, ast.Name)):
            raise CodeImportError(
                "the block must read `with Pipeline() as pipeline:` (any name instead of "
                "pipeline); " + ALLOWED,
                stmt.lineno,
            )
        if isinstance(target, ast.Name):
            self.names[target.id] = pipeline
        with pipeline:
            for inner in stmt.body:
                self.statement(inner, inside=True)

    # expressions -----------------------------------------------------------------------------
    def assigned_value(self, value: ast.expr, *, inside: bool) -> Any:
        pipeline = None if inside else self.new_pipeline(value, value.lineno)
        if pipeline is not None:
            return pipeline  # `pipeline = Pipeline()`, used later as `with pipeline:`
        if isinstance(value, ast.Call):
            handle = self.call(value, inside=inside)
            if handle is None:
                raise CodeImportError("`pipeline.layout(...)` returns nothing", value.lineno)
            return handle
        if (
            isinstance(value, (ast.Attribute, ast.Subscript))
            or self.bound(value, (NodeHandle, Output)) is not None
        ):
            return self.reference(value)
        return _Constant(self.literal(value, "a constant"))

    def call(self, call: ast.Call, *, inside: bool) -> NodeHandle | None:
        func = call.func
        owner = func.value if isinstance(func, ast.Attribute) else None
        if self.bound(owner, Pipeline) is not None and getattr(func, "attr", "") == "layout":
            self.layout(call)
            return None
        component_id = self.called_component(func)
        if not inside:
            raise CodeImportError(
                f"{component_id}(...) must be called inside the `with Pipeline() as pipeline:` "
                "block",
                call.lineno,
            )
        return self.node(call, component_id)

    def called_component(self, func: ast.expr) -> str:
        function = self.bound(func, _Function)
        if function is not None:
            return str(function.component_id)
        owner = func.value if isinstance(func, ast.Attribute) else None
        namespace = self.bound(owner, _Namespace)
        if namespace is not None:
            return self.component_id(namespace.category, func.attr, func.lineno)  # type: ignore[attr-defined]
        if self.bound(owner, Pipeline) is not None:
            raise CodeImportError(
                f"`{ast.unparse(func)}(...)` is not part of a graph; only `.layout(...)` is. Put "
                'runs under `if __name__ == "__main__":`',
                func.lineno,
            )
        raise CodeImportError(
            f"`{ast.unparse(func)}(...)` is not a component call; call components as "
            f"`category.component(...)`; {ALLOWED}",
            func.lineno,
        )

    def node(self, call: ast.Call, component_id: str) -> NodeHandle:
        assert self.pipeline is not None
        version_expr = next((k.value for k in call.keywords if k.arg == "version"), None)
        version = None if version_expr is None else self.literal(version_expr, "version=")
        try:
            spec = self.registry.get(component_id, version if type(version) is int else None)
        except UnknownComponent as exc:
            raise CodeImportError(str(exc), call.lineno) from None
        inputs = {p.name for p in spec.inputs}
        args = []
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                raise CodeImportError("`*args` cannot be imported; name each input", arg.lineno)
            args.append(self.reference(arg))
        kwargs: dict[str, Any] = {}
        for kw in call.keywords:
            if kw.arg is None:
                raise CodeImportError("`**kwargs` cannot be imported; name each one", kw.lineno)
            if kw.arg in inputs:
                kwargs[kw.arg] = self.reference(kw.value)
            else:
                kwargs[kw.arg] = self.literal(kw.value, f"{kw.arg}=")
        try:
            return self.pipeline.add_node(component_id, *args, **kwargs)
        except (TypeError, ValueError, LookupError) as exc:
            raise CodeImportError(str(exc), call.lineno) from None

    def reference(self, expr: ast.expr) -> Any:
        """An input: ``node``, ``node.port``, ``node["port"]`` or a list of them."""
        if isinstance(expr, (ast.List, ast.Tuple)):
            return [self.reference(e) for e in expr.elts]
        base, port = expr, None
        if isinstance(expr, ast.Attribute):
            base, port = expr.value, expr.attr
        elif isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
            base, port = expr.value, expr.slice.value
        value = self.names.get(base.id) if isinstance(base, ast.Name) else None
        if isinstance(value, NodeHandle):
            if port is None:
                return value
            try:
                return value.output(str(port))
            except AttributeError as exc:
                raise CodeImportError(str(exc), expr.lineno) from None
        if isinstance(value, Output) and port is None:
            return value
        raise CodeImportError(
            f"`{ast.unparse(expr)}` is not an output of a node defined above; inputs take "
            "`node.port` (e.g. `split.train`), a single-output node, or a list of them",
            expr.lineno,
        )

    def literal(self, expr: ast.expr, what: str) -> Any:
        constant = self.bound(expr, _Constant)
        if constant is not None:
            return constant.value
        try:
            return ast.literal_eval(expr)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise CodeImportError(
                f"{what} must be a literal (number, string, True/False/None, list or dict) or a "
                f"constant defined above, not `{ast.unparse(expr)[:60]}`",
                expr.lineno,
            ) from None

    def layout(self, call: ast.Call) -> None:
        assert self.pipeline is not None
        if len(call.args) != 1 or call.keywords or not isinstance(call.args[0], ast.Dict):
            raise CodeImportError(
                'layout takes one dict literal: pipeline.layout({"node_id": (x, y), ...})',
                call.lineno,
            )
        positions: dict[Any, Any] = {}
        for key, value in zip(call.args[0].keys, call.args[0].values, strict=True):
            if key is None:
                raise CodeImportError("`**` cannot be imported in layout", value.lineno)
            node = self.reference(key) if isinstance(key, ast.Name) else self.literal(key, "a key")
            positions[node] = self.literal(value, "a position")
        try:
            self.pipeline.layout(positions)
        except (TypeError, ValueError) as exc:
            raise CodeImportError(str(exc), call.lineno) from None

    # names -----------------------------------------------------------------------------------
    def category(self, name: str, line: int) -> str:
        if name not in self.components:
            raise CodeImportError(
                f"designer.sdk.components has no category {name!r}; it has: "
                f"{', '.join(sorted(self.components))}",
                line,
            )
        return name

    def component_id(self, category: str, name: str, line: int) -> str:
        known = self.components[category]
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"it has: {', '.join(sorted(known))}"
            raise CodeImportError(f"{category} has no component {name!r}; {hint}", line)
        return known[name]


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _is_main_guard(test: ast.expr) -> bool:
    return ast.unparse(test) == "__name__ == '__main__'"
