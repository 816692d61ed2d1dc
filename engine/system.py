"""Declarations of dynamical systems: data plus one compiled function.

A :class:`System` holds everything Phasescope needs to know about a system
(equations, variables, parameters with bounds, default state, the compiled
right-hand side or map step, optional Jacobian, references and reference
values). Sliders, equation panels, the catalog, the CLI listing and the
contract tests are all derived from it.

Compiled functions follow one calling convention so that every solver is
generic over systems and compiled once per system:

* flows: ``rhs(t, y, p) -> tuple`` with ``y`` a tuple of floats and ``p`` a
  float64 array of parameter values in declaration order;
* maps: ``step(y, p) -> tuple``;
* stochastic flows: the drift ``rhs`` as above plus a diagonal diffusion
  ``noise(t, y, p) -> tuple`` (Ito sense);
* Jacobians: ``jacobian(t, y, p) -> tuple of rows`` (flows) or
  ``jacobian(y, p)`` (maps).

They are compiled with ``njit(**engine.jit.CACHED_JIT)``, so a division by
zero gives ``inf`` and the solver stops the run as diverged.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

__all__ = ["FAMILIES", "SOLVERS", "Parameter", "System", "check_integer", "check_number"]

FAMILIES = ("flow", "map", "sde")
SOLVERS = ("rk4", "dopri5", "verlet", "euler_maruyama", "map")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a system.

    Parameters
    ----------
    name : str
        Identifier used in code, the CLI (``--param name=value``) and URLs.
    default : float
        Literature default.
    bounds : tuple of float
        Inclusive range a person may choose from.
    step : float
        Slider step.
    doc : str
        One-line meaning.
    unit : str
        Unit, empty when dimensionless.
    symbol : str
        LaTeX symbol, defaults to the name.
    """

    name: str
    default: float
    bounds: tuple[float, float]
    step: float
    doc: str
    unit: str = ""
    symbol: str = ""

    def __post_init__(self) -> None:
        low, high = self.bounds
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"parameter {self.name!r}: bounds {self.bounds} must be finite and increasing")
        if not low <= self.default <= high:
            raise ValueError(f"parameter {self.name!r}: default {self.default} outside bounds {self.bounds}")
        if not 0 < self.step <= high - low:
            raise ValueError(f"parameter {self.name!r}: step {self.step} must be positive and fit the bounds")
        if not self.symbol:
            object.__setattr__(self, "symbol", self.name)

    def check(self, value: Any) -> float:
        """Return ``value`` as a float, or raise ``ValueError`` naming this parameter and its bounds."""
        return check_number(value, self.name, self.bounds)


def check_number(value: Any, name: str, bounds: tuple[float, float] | None = None) -> float:
    """Convert a number given by a person to float, checking type, finiteness and bounds.

    Parameters
    ----------
    value : Any
        A number or its text (surrounding blanks allowed); ``bool`` is refused.
    name : str
        What the value is, for the message (``"rho"``, ``"t_end"``).
    bounds : tuple of float, optional
        Inclusive range the value must lie in.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        With a message naming ``name`` and, where given, the bounds.
    """
    number = _finite(value, name, bounds)
    _check_bounds(number, name, bounds)
    return number


def check_integer(value: Any, name: str, bounds: tuple[int, int] | None = None) -> int:
    """Convert a whole number given by a person to int, checking as :func:`check_number` does.

    A value with a fractional part (``10.5``, ``"2.5"``) is refused, never
    truncated; ``10.0`` and ``"10"`` are accepted. Python and numpy integers
    are taken exactly, beyond the 53 bits of a float.

    Parameters
    ----------
    value : Any
        A number or its text; ``bool`` is refused.
    name : str
        What the value is, for the message (``"steps"``, ``"seed"``).
    bounds : tuple of int, optional
        Inclusive range the value must lie in.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        ``"<name> must be a whole number, got <value>"`` for a fractional value;
        otherwise as :func:`check_number`.
    """
    exact = _exact_integer(value)
    if exact is not None:
        _check_bounds(exact, name, bounds)
        return exact
    number = _finite(value, name, bounds)
    if not number.is_integer():
        raise ValueError(f"{name} must be a whole number, got {value if isinstance(value, str) else number!r}")
    _check_bounds(number, name, bounds)  # reported in short form: the value came as a float
    return int(number)


def _exact_integer(value: Any) -> int | None:
    """``value`` as an int when it is one exactly (an int, or text of digits), else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _finite(value: Any, name: str, bounds: tuple[float, float] | None) -> float:
    """``value`` as a finite float, or ``ValueError`` naming ``name`` (and ``bounds`` when given)."""
    where = f" in {_interval(bounds)}" if bounds is not None else ""
    wrong = ValueError(f"{name} must be a finite number{where}, got {value!r}")
    if isinstance(value, (bool, np.bool_)):
        raise wrong
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError, OverflowError):
        raise wrong from None
    if not math.isfinite(number):
        raise wrong
    return number


def _check_bounds(number: float, name: str, bounds: tuple[float, float] | None) -> None:
    if bounds is not None and not bounds[0] <= number <= bounds[1]:
        raise ValueError(f"{name} = {_show(number)} is outside its bounds {_interval(bounds)}")


def _show(number: float) -> str:
    """A float in short form; an int exactly (a count of 5,000,001 must not print as 5e+06)."""
    return str(number) if isinstance(number, (int, np.integer)) else f"{number:g}"


def _interval(bounds: tuple[float, float]) -> str:
    return f"[{_show(bounds[0])}, {_show(bounds[1])}]"


@dataclass(frozen=True)
class System:
    """Declaration of one dynamical system.

    Parameters
    ----------
    name : str
        Catalog name, unique case-insensitively (e.g. ``"Lorenz"``).
    family : {"flow", "map", "sde"}
        Continuous flow, discrete map or stochastic differential equation.
    title : str
        One-line description.
    equations : sequence of str
        LaTeX lines, one per state variable.
    variables : sequence of str
        State variable names, in the order of the state tuple.
    parameters : sequence of Parameter
        In the order of the parameter array passed to compiled functions.
    state0 : sequence of float
        Default initial state.
    rhs : compiled function
        Right-hand side (flows, drift of SDEs) or map step.
    dt : float
        Default step (output interval for adaptive solvers); 1 for maps.
    solver : str
        Default solver, one of :data:`SOLVERS`.
    jacobian : compiled function, optional
        Analytic Jacobian.
    noise : compiled function, optional
        Diagonal diffusion of an SDE.
    energy : callable, optional
        Conserved quantity ``energy(y: ndarray (..., d), p: ndarray) -> ndarray``
        (vectorised numpy) for conservative systems.
    separable : bool
        Hamiltonian with ``y = (q, p)``, ``dq/dt`` depending on momenta only and
        ``dp/dt`` on positions only, so Stormer-Verlet applies.
    nonautonomous : bool
        The right-hand side (or noise) depends explicitly on time, as in a
        forced oscillator; the contract suite checks the flag against the
        functions. Always False for maps.
    tags : sequence of str
        Search keywords (``"chaotic"``, ``"oscillator"``, ...).
    references : sequence of str
        Literature for the equations and defaults.
    reference_values : mapping
        Published values (Lyapunov spectrum, Hopf points, ...) with their source.
    plot : tuple of str
        The two variables shown by default in the phase portrait; a
        one-variable system repeats its variable (the portrait then shows
        the return map or the time series).
    bound : float
        Magnitude beyond which a trajectory counts as diverged.
    """

    name: str
    family: str
    title: str
    equations: Sequence[str]
    variables: Sequence[str]
    parameters: Sequence[Parameter]
    state0: Sequence[float]
    rhs: Callable
    dt: float
    solver: str
    jacobian: Callable | None = None
    noise: Callable | None = None
    energy: Callable | None = None
    separable: bool = False
    nonautonomous: bool = False
    tags: Sequence[str] = ()
    references: Sequence[str] = ()
    reference_values: Mapping[str, Any] = field(default_factory=dict)
    plot: tuple[str, str] = ()
    bound: float = 1e8

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"{self.name}: family {self.family!r} not in {FAMILIES}")
        if self.solver not in self.solvers:
            raise ValueError(f"{self.name}: solver {self.solver!r} not usable; choose from {self.solvers}")
        if len(self.state0) != len(self.variables) or len(self.equations) != len(self.variables):
            raise ValueError(f"{self.name}: state0, equations and variables must have the same length")
        if len(set(self.variables)) != len(self.variables):
            raise ValueError(f"{self.name}: variable names must be distinct")
        if any(v == "t" or v.endswith("'") for v in self.variables):
            raise ValueError(f"{self.name}: 't' and names ending in ' are kept for time and next iterates")
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: parameter names must be distinct")
        if self.family == "sde" and self.noise is None:
            raise ValueError(f"{self.name}: an SDE needs a noise function")
        if self.separable and len(self.variables) % 2:
            raise ValueError(f"{self.name}: a separable Hamiltonian system has an even number of variables")
        plot = tuple(self.plot) or (tuple(self.variables[:2]) if len(self.variables) > 1 else (self.variables[0],) * 2)
        if len(plot) != 2 or not set(plot) <= set(self.variables):
            raise ValueError(f"{self.name}: plot must name two variables")
        object.__setattr__(self, "plot", plot)
        object.__setattr__(self, "state0", tuple(float(v) for v in self.state0))
        object.__setattr__(self, "variables", tuple(self.variables))
        object.__setattr__(self, "parameters", tuple(self.parameters))
        object.__setattr__(self, "tags", tuple(self.tags))

    @property
    def dimension(self) -> int:
        """Number of state variables."""
        return len(self.variables)

    @property
    def solvers(self) -> tuple[str, ...]:
        """Solvers that apply to this system, the default first."""
        if self.family == "map":
            usable = ("map",)
        elif self.family == "sde":
            usable = ("euler_maruyama",)
        else:
            usable = ("rk4", "dopri5") + (("verlet",) if self.separable else ())
        return (self.solver,) + tuple(s for s in usable if s != self.solver) if self.solver in usable else usable

    @property
    def defaults(self) -> dict[str, float]:
        """Default parameter values by name."""
        return {p.name: p.default for p in self.parameters}

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; ``KeyError`` listing the valid names otherwise."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no parameter {name!r}; its parameters are {[p.name for p in self.parameters]}")

    def parameter_array(self, params: Mapping[str, Any] | None = None) -> np.ndarray:
        """Validated parameter values as the float64 array compiled functions take.

        Unknown names and values that are not finite numbers inside the bounds
        raise ``ValueError`` naming the parameter and its bounds.
        """
        params = dict(params or {})
        unknown = set(params) - {p.name for p in self.parameters}
        if unknown:
            raise ValueError(
                f"{self.name} has no parameter {sorted(unknown)[0]!r}; its parameters are {[p.name for p in self.parameters]}"
            )
        return np.array([p.check(params.get(p.name, p.default)) for p in self.parameters], dtype=np.float64)

    def check_state(self, state: Any) -> tuple[float, ...]:
        """Validated initial state as a tuple of finite floats of the right length.

        ``state`` is a sequence of numbers or text of numbers separated by
        commas or spaces (as typed in a page or on the command line).
        """
        given = state
        if isinstance(state, str):
            state = state.replace(",", " ").split()
        expected = f"{self.dimension} numbers ({', '.join(self.variables)})"
        try:
            values = np.asarray(state, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{self.name}: initial state must be {expected}, got {given!r}") from None
        if values.shape != (self.dimension,):
            count = values.size if values.ndim == 1 else f"an array of shape {values.shape}"
            raise ValueError(f"{self.name}: initial state must be {expected}, got {count}: {given!r}")
        for name, v in zip(self.variables, values):
            if not math.isfinite(v):
                raise ValueError(f"{self.name}: initial {name} must be finite, got {v}")
            if abs(v) > self.bound:
                raise ValueError(f"{self.name}: initial {name} = {v:g} exceeds the divergence bound {self.bound:g}")
        return tuple(float(v) for v in values)
