"""The chaos gallery: dysts' chaotic flows in Phasescope's catalog (the ``gallery`` extra).

When dysts is installed (``pip install phasescope[gallery]``) every flow of its
database whose right-hand side dysts compiles with numba (``@staticjit``, in
scalar form ``_rhs(x, y, z, t, *parameters)``) is registered here as a
:class:`GallerySystem`, with dysts' published values (Lyapunov spectrum,
Kaplan-Yorke and correlation dimensions, period) as reference values.

Importing dysts costs seconds (pandas, scipy, gluonts), so Phasescope does
not: it reads dysts' metadata file and the source of ``dysts/flows.py`` and
writes one module into the kernel cache folder holding each right-hand side,
compiled by numba exactly as dysts compiles it, plus one dispatcher per state
dimension, ``gallery_rhs_<d>(t, y, p)``. A gallery flow's number travels as
the last entry of its parameter array (see :meth:`GallerySystem.parameter_array`),
so every gallery flow of a dimension shares one right-hand side, hence one
compiled solver kernel and one Lyapunov kernel: the 100-odd flows cost a
handful of compiles, not a hundred (the dispatcher is a balanced tree of
comparisons, seven deep for the 3-D flows).
"""
from __future__ import annotations

import ast
import builtins
import copy
import dataclasses
import hashlib
import importlib.util
import json
import logging
import math
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .. import _version
from ..solvers.specialize import cache_folder
from ..system import Parameter, System
from .registry import register

__all__ = [
    "GALLERY_TAG",
    "INSTALL_HINT",
    "GalleryEntry",
    "GallerySystem",
    "dysts_available",
    "gallery_entries",
    "gallery_systems",
]

GALLERY_TAG = "dysts"
"""Tag carried by every gallery flow (``engine.catalog(tag="dysts")``)."""
INSTALL_HINT = "pip install phasescope[gallery]"
"""What a person runs to add the gallery."""
DT_FACTOR = 10.0
"""A gallery flow steps by this many times dysts' sampling interval (dysts samples a period
about 5000 times; RK4 follows these flows with a tenth of that)."""

_log = logging.getLogger(__name__)
_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
    "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
    "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}
_ALIASES = {"eps": "epsilon", "lam": "lambda", "om": "omega"}
_FUNCTIONS = {
    "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "tanh": r"\tanh", "cosh": r"\cosh", "sinh": r"\sinh",
    "exp": r"\exp", "log": r"\ln", "arctan": r"\arctan",
}


class GalleryEntry(NamedTuple):
    """One flow of dysts' database, registered or not."""

    name: str
    """dysts' class name (``"Lorenz"``)."""
    description: str
    system: GallerySystem | None
    """The registered catalog system, or None."""
    reason: str
    """Why it is not registered (empty when it is)."""


@dataclasses.dataclass(frozen=True)
class GallerySystem(System):
    """A flow of dysts' database running on Phasescope's solvers.

    Parameters
    ----------
    number : int
        Its branch in the compiled dispatcher ``gallery_rhs_<dimension>``.
    dysts_name : str
        dysts' class name.
    """

    number: int = -1
    dysts_name: str = ""

    def parameter_array(self, params: Mapping[str, Any] | None = None) -> np.ndarray:
        """The validated parameter values followed by :attr:`number`, which selects this
        flow's branch of the shared dispatcher (callers pass the array through unchanged)."""
        return np.append(super().parameter_array(params), float(self.number))


def dysts_available() -> bool:
    """Whether dysts is installed (without importing it)."""
    return importlib.util.find_spec("dysts") is not None


# --------------------------------------------------------------------------- equations as LaTeX


def _symbol(name: str) -> str:
    """``sigma`` -> ``\\sigma``, ``a1`` -> ``a_{1}``, ``x_dot`` -> ``x_{dot}``."""
    head, _, tail = name.partition("_")
    digits = len(head) - len(head.rstrip("0123456789"))
    if not tail and digits and digits < len(head):
        head, tail = head[:-digits], head[-digits:]
    head = _ALIASES.get(head, head)
    base = f"\\{head}" if head in _GREEK else head if len(head) == 1 else rf"\mathrm{{{head}}}"
    return f"{base}_{{{tail}}}" if tail else base


_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Mod: 2, ast.Pow: 4}
_ATOM = 5
_CONSTANTS = {"pi": r"\pi", "e": "e"}


class _Latex(NamedTuple):
    text: str
    precedence: int
    """How tightly it binds: 1 sum, 2 product, 3 sign, 4 power, 5 atom."""

    def within(self, needed: int) -> str:
        return rf"\left({self.text}\right)" if self.precedence < needed else self.text


def _latex(node: ast.AST, bound: Mapping[str, _Latex]) -> _Latex:
    """LaTeX of a numeric Python expression (names, numbers, arithmetic, numpy functions);
    names in ``bound`` (assigned earlier in the function) stand for their expressions."""
    if isinstance(node, ast.Name):
        return bound.get(node.id) or _Latex(_symbol(node.id), _ATOM)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return _Latex(f"{node.value:g}", _ATOM)
    if isinstance(node, ast.Attribute) and node.attr in _CONSTANTS and ast.unparse(node.value) in ("np", "math"):
        return _Latex(_CONSTANTS[node.attr], _ATOM)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        return _Latex(sign + _latex(node.operand, bound).within(2), 3)
    if isinstance(node, ast.BinOp):
        op = type(node.op)
        left, right = _latex(node.left, bound), _latex(node.right, bound)
        if op is ast.Div:
            return _Latex(rf"\frac{{{left.text}}}{{{right.text}}}", _ATOM)
        if op is ast.Pow:
            return _Latex(f"{{{left.within(_ATOM)}}}^{{{right.text}}}", 4)
        if op is ast.Mult:
            factor = right.within(3)
            joiner = r" \cdot " if isinstance(node.right, ast.Constant) or factor.startswith("-") else " "
            return _Latex(left.within(2) + joiner + factor, 2)
        symbol = {ast.Add: "+", ast.Sub: "-"}.get(op, r"\bmod")
        return _Latex(f"{left.within(_PRECEDENCE[op])} {symbol} {right.within(_PRECEDENCE[op] + 1)}", _PRECEDENCE[op])
    if isinstance(node, ast.Call) and not node.keywords:
        name = ast.unparse(node.func).removeprefix("np.").removeprefix("math.")
        arguments = ", ".join(_latex(a, bound).text for a in node.args)
        if name == "sqrt":
            return _Latex(rf"\sqrt{{{arguments}}}", _ATOM)
        if name in ("abs", "fabs"):
            return _Latex(rf"\left|{arguments}\right|", _ATOM)
        function = _FUNCTIONS.get(name, rf"\operatorname{{{name}}}")
        return _Latex(rf"{function}\left({arguments}\right)", _ATOM)
    raise ValueError(f"no LaTeX for {ast.unparse(node)!r}")


def _equations(function: ast.FunctionDef, variables: list[str]) -> tuple[str, ...]:
    """One LaTeX line ``\\dot x = ...`` per variable, from the assignments and the return of ``function``."""
    bound: dict[str, _Latex] = {}
    returned: list[_Latex] = []
    for statement in function.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            bound[statement.targets[0].id] = _latex(statement.value, bound)
        elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
            name = statement.target.id
            bound[name] = _latex(ast.BinOp(ast.Name(name, ast.Load()), statement.op, statement.value), bound)
        elif isinstance(statement, ast.Return) and isinstance(statement.value, ast.Tuple):
            returned = [_latex(element, bound) for element in statement.value.elts]
        elif not isinstance(statement, ast.Expr):  # docstrings aside, only straight-line code
            raise ValueError(f"statement {ast.unparse(statement)!r}")
    if len(returned) != len(variables):
        raise ValueError("the return value does not list one derivative per variable")
    return tuple(rf"\dot{{{_symbol(v)}}} = {e.text}" for v, e in zip(variables, returned))


# --------------------------------------------------------------------------- reading dysts without importing it


def _dysts_files() -> tuple[Path, Path]:
    root = Path(importlib.util.find_spec("dysts").origin).parent
    return root / "flows.py", root / "data" / "chaotic_attractors.json"


class _Flow(NamedTuple):
    name: str
    function: ast.FunctionDef
    variables: list[str]
    parameters: list[str]
    metadata: dict
    equations: tuple[str, ...]
    uses_time: bool


def _scalar_rhs(cls: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> ast.FunctionDef | None:
    """The ``_rhs`` a class defines or inherits from another class of the module."""
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "_rhs":
            return item
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            return _scalar_rhs(classes[base.id], classes)
    return None


def _delay(cls: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> bool:
    names = [b.id for b in cls.bases if isinstance(b, ast.Name)]
    return any("Delay" in n or (n in classes and _delay(classes[n], classes)) for n in names)


def _read_flows(source: str, metadata: dict) -> tuple[list[_Flow], list[GalleryEntry]]:
    """The flows dysts compiles in scalar form, and the others with the reason they are left out."""
    classes = {node.name: node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)}
    flows, skipped = [], []
    known = set(dir(builtins)) | {"np", "staticjit"}
    for name, meta in metadata.items():
        description = str(meta.get("description", "")).strip()

        def skip(reason: str, name: str = name, description: str = description) -> None:
            skipped.append(GalleryEntry(name, description, None, reason))

        cls = classes.get(name)
        function = _scalar_rhs(cls, classes) if cls is not None else None
        if cls is None or function is None:
            skip("its right-hand side is a Python method on the state array, not compiled by dysts")
            continue
        if _delay(cls, classes):
            skip("a delay equation: it needs a history solver")
            continue
        if [ast.unparse(d) for d in function.decorator_list] != ["staticjit"]:
            skip("dysts does not compile its right-hand side with numba")
            continue
        arguments = [a.arg for a in function.args.args]
        dimension = len(meta.get("initial_conditions", []))
        parameters = meta.get("parameters", {})
        if len(arguments) != dimension + 1 + len(parameters) or arguments[dimension] != "t":
            skip("its right-hand side takes the state as an array")
            continue
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in parameters.values()):
            skip("a parameter is an array")
            continue
        names = [node for node in ast.walk(function) if isinstance(node, ast.Name)]
        assigned = {n.id for n in names if isinstance(n.ctx, ast.Store)}
        loaded = {n.id for n in names if isinstance(n.ctx, ast.Load)}
        if loaded - set(arguments) - assigned - known:
            skip("its right-hand side uses other definitions of dysts")
            continue
        try:
            equations = _equations(function, arguments[:dimension])
        except ValueError as error:
            skip(f"its equations cannot be read: {error}")
            continue
        variables, parameters = arguments[:dimension], arguments[dimension + 1:]
        flows.append(_Flow(name, function, variables, parameters, meta, equations, "t" in loaded))
    return flows, skipped


# --------------------------------------------------------------------------- the compiled module


def _tree(numbers: list[int], counts: list[int], dimension: int, indent: str) -> list[str]:
    """Nested comparisons on ``which`` reaching each flow's call (``counts[n]`` parameters) in log2(n) steps."""
    if len(numbers) == 1:
        n = numbers[0]
        parameters = "".join(f", p[{j}]" for j in range(counts[n]))
        return [
            f"{indent}r = _flow_{n}({', '.join(f'y[{j}]' for j in range(dimension))}, t{parameters})",
            f"{indent}return ({', '.join(f'float(r[{j}])' for j in range(dimension))},)",
        ]
    middle = len(numbers) // 2
    return (
        [f"{indent}if which < {numbers[middle]}:"]
        + _tree(numbers[:middle], counts, dimension, indent + "    ")
        + [f"{indent}else:"]
        + _tree(numbers[middle:], counts, dimension, indent + "    ")
    )


def _module_source(flows: list[_Flow], cache: bool) -> str:
    """Source of the module: the flows compiled as callees (numba's cache keeps them inside
    the dispatchers that call them, so only those are cached)."""
    inner = "nogil=True, error_model='numpy'"
    options = f"cache={cache}, {inner}"
    lines = [
        "# Generated by engine.systems.gallery from dysts' flows module: its right-hand sides, compiled by numba",
        "# as dysts compiles them, and one dispatcher per dimension selecting a flow by the last parameter.",
        "import numpy as np",
        "from numba import njit",
        "",
    ]
    for n, flow in enumerate(flows):
        function = copy.copy(flow.function)  # shallow: only the name and decorators change
        function.name = f"_flow_{n}"
        function.decorator_list = []
        lines += [f"# dysts.flows.{flow.name}._rhs", f"@njit({inner})", ast.unparse(function), ""]
    counts = [len(flow.parameters) for flow in flows]
    dimensions = sorted({len(flow.variables) for flow in flows})
    for dimension in dimensions:
        numbers = [n for n, flow in enumerate(flows) if len(flow.variables) == dimension]
        lines += [
            f"@njit({options})",
            f"def gallery_rhs_{dimension}(t, y, p):",
            "    which = p[p.shape[0] - 1]",
            *_tree(numbers, counts, dimension, "    "),
            "",
        ]
    return "\n".join(lines)


def _load_module(flows: list[_Flow], inputs: tuple[bytes, ...]):
    """Write (once) and import the compiled module, named by a hash of what it is generated
    from (``inputs``: dysts' files; this module's source; the package version); in memory
    without numba's disk cache when the cache folder cannot be written."""
    digest = hashlib.sha256(b"\0".join((*inputs, Path(__file__).read_bytes(), _version.__version__.encode())))
    name = f"phasescope_gallery_{digest.hexdigest()[:20]}"
    if name in sys.modules:
        return sys.modules[name]
    path = cache_folder() / f"{name}.py"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as handle:
                handle.write(_module_source(flows, cache=True))
            os.replace(handle.name, path)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # numba and the solver kernels import it by name
        spec.loader.exec_module(module)
    except OSError as error:
        _log.warning("gallery kernels compiled without the disk cache: %s", error)
        module = type(sys)(name)
        sys.modules[name] = module
        exec(compile(_module_source(flows, cache=False), name, "exec"), module.__dict__)  # noqa: S102 (dysts' own source)
    return module


# --------------------------------------------------------------------------- declarations


def _bounds(value: float) -> tuple[tuple[float, float], float]:
    """Slider range and step for a published value: from 0 to twice it (dysts gives no ranges)."""
    if value == 0.0:
        return (-1.0, 1.0), 0.01
    low, high = sorted((0.0, 2.0 * value))
    return (low, high), abs(value) / 100.0


def _plot(flow: _Flow) -> tuple[str, str]:
    """The two variables that vary most on the attractor (dysts' standard deviations), bounded ones first."""
    spread = flow.metadata.get("std") or [1.0] * len(flow.variables)
    unbounded = set(flow.metadata.get("unbounded_indices") or [])
    order = sorted(range(len(flow.variables)), key=lambda j: (j in unbounded, -spread[j], j))
    return flow.variables[order[0]], flow.variables[order[1]]


def _reference_values(meta: dict) -> dict[str, Any]:
    source = "dysts estimate (loose: use as a +-25 % band)"
    values: dict[str, Any] = {}
    for key, field in (
        ("lyapunov_spectrum", "lyapunov_spectrum_estimated"),
        ("maximum_lyapunov", "maximum_lyapunov_estimated"),
        ("kaplan_yorke_dimension", "kaplan_yorke_dimension"),
        ("correlation_dimension", "correlation_dimension"),
        ("period", "period"),
    ):
        value = meta.get(field)
        if isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value):
            values[key] = (tuple(float(v) for v in value), source)
        elif isinstance(value, (int, float)) and math.isfinite(value):
            values[key] = (float(value), source)
    return values


_YEAR = re.compile(r"\b(1[6-9]|20)\d\d\b")
_GILPIN = (
    "W. Gilpin, Chaos as an interpretable benchmark for forecasting and data-driven modelling, "
    "NeurIPS Datasets and Benchmarks (2021)"
)


def _declare(flow: _Flow, number: int, rhs) -> GallerySystem:
    meta = flow.metadata
    citation = str(meta.get("citation", "")).strip()
    title = str(meta.get("description", "")).strip().split(". ")[0].rstrip(".") or f"{flow.name} flow"
    parameters = []
    for name in flow.parameters:
        value = float(meta["parameters"][name])
        bounds, step = _bounds(value)
        parameters.append(Parameter(name, value, bounds, step, f"{flow.name} parameter {name} (dysts)", symbol=_symbol(name)))
    tags = ["chaotic", GALLERY_TAG, "gallery", f"{len(flow.variables)}d"]
    if meta.get("hamiltonian"):
        tags.append("conservative")
    if flow.uses_time:
        tags.append("nonautonomous")
    return GallerySystem(
        name=f"{flow.name} (dysts)",
        family="flow",
        title=title,
        equations=flow.equations,
        variables=flow.variables,
        parameters=tuple(parameters),
        state0=tuple(float(v) for v in meta["initial_conditions"]),
        rhs=rhs,
        dt=DT_FACTOR * float(meta["dt"]),
        solver="rk4",
        nonautonomous=flow.uses_time,
        tags=tuple(tags),
        references=tuple(r for r in (citation, _GILPIN) if _YEAR.search(r)),
        reference_values=_reference_values(meta),
        plot=_plot(flow),
        number=number,
        dysts_name=flow.name,
    )


_ENTRIES: list[GalleryEntry] = []


def gallery_entries() -> list[GalleryEntry]:
    """Every flow of dysts' database in its order, registered or with the reason it is not
    (empty without dysts)."""
    return list(_ENTRIES)


def gallery_systems() -> list[GallerySystem]:
    """The registered gallery flows."""
    return [entry.system for entry in _ENTRIES if entry.system is not None]


def _register_all() -> None:
    source, raw = (path.read_bytes() for path in _dysts_files())
    metadata = json.loads(raw)
    flows, skipped = _read_flows(source.decode(), metadata)
    module = _load_module(flows, (source, raw))
    entries = {entry.name: entry for entry in skipped}
    for number, flow in enumerate(flows):
        system = register(_declare(flow, number, getattr(module, f"gallery_rhs_{len(flow.variables)}")))
        entries[flow.name] = GalleryEntry(flow.name, str(flow.metadata.get("description", "")).strip(), system, "")
    _ENTRIES[:] = [entries[name] for name in metadata if name in entries]


if dysts_available():
    _register_all()
