"""Declaration of a reaction network: species, reactions with rate constants, system size.

A :class:`ReactionNetwork` is checked when it is declared and is the only
description of its chemistry: the mass-action rate equations
(:attr:`ReactionNetwork.ode`, a :class:`~engine.system.System` the solvers
and :class:`~engine.stream.Simulation` run), the Gillespie simulation
(:mod:`engine.kinetics.gillespie`) and the moment-closure equations
(:attr:`ReactionNetwork.moments`, also a System) all derive from it.

The compiled right-hand sides of the two Systems are small generated modules
(network arrays as constants plus one line that packs the state tuple), kept
in the kernel cache folder and compiled with numba's disk cache, so a
network is compiled once per machine, not once per process.
"""
from __future__ import annotations

import hashlib
import inspect
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .. import _version
from ..solvers.specialize import _load_module, cache_folder
from ..system import Parameter, System, check_integer, check_number
from . import mass_action
from .mass_action import MAX_ORDER, propensity_scale

__all__ = ["Reaction", "ReactionNetwork"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_TERM = re.compile(r"^\s*(\d*)\s*([A-Za-z][A-Za-z0-9_]*)\s*$")
_NOTHING = {"", "0", "∅"}


def _side(text: str, where: str) -> dict[str, int]:
    """``"2X + Y"`` as ``{"X": 2, "Y": 1}``; ``"0"``, ``"∅"`` or nothing for no molecules."""
    if text.strip() in _NOTHING:
        return {}
    counts: dict[str, int] = {}
    for term in text.split("+"):
        match = _TERM.match(term)
        if match is None:
            raise ValueError(f"{where}: cannot read {term.strip()!r} as '[count] species'")
        count = int(match.group(1) or 1)
        counts[match.group(2)] = counts.get(match.group(2), 0) + count
    return counts


def _format_side(side: Mapping[str, int]) -> str:
    return " + ".join(f"{n if n > 1 else ''}{s}" for s, n in side.items()) or "∅"


@dataclass(frozen=True)
class Reaction:
    """One reaction: molecules consumed, molecules produced, the name of its rate constant.

    Parameters
    ----------
    reactants, products : mapping of str to int
        Species name -> number of molecules (a positive whole number); empty
        for a source (``∅ -> X``) or a sink (``X -> ∅``).
    rate : str
        Name of the network parameter holding the rate constant (concentration units).
    """

    reactants: Mapping[str, int]
    products: Mapping[str, int]
    rate: str

    def __post_init__(self) -> None:
        for label, side in (("reactant", self.reactants), ("product", self.products)):
            if not isinstance(side, Mapping):
                raise TypeError(f"reaction {self.rate!r}: {label}s must map species names to counts, got {side!r}")
            for species, count in side.items():
                if not isinstance(species, str) or not _NAME.match(species):
                    raise ValueError(f"reaction {self.rate!r}: {label} name {species!r} is not an identifier")
                if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
                    raise ValueError(
                        f"reaction {self.rate!r}: {label} {species} has stoichiometric coefficient {count!r}; "
                        "it must be a positive whole number"
                    )
        order = sum(self.reactants.values())
        if order > MAX_ORDER:
            raise ValueError(
                f"reaction {self}: order {order} (molecules consumed); reactions of order above {MAX_ORDER} "
                "are not elementary and are not supported"
            )
        if dict(self.reactants) == dict(self.products):
            raise ValueError(f"reaction {self}: changes nothing")
        if not isinstance(self.rate, str) or not _NAME.match(self.rate):
            raise ValueError(f"reaction rate name {self.rate!r} is not an identifier")
        object.__setattr__(self, "reactants", dict(self.reactants))
        object.__setattr__(self, "products", dict(self.products))

    @classmethod
    def parse(cls, text: str, rate: str) -> Reaction:
        """A reaction from text such as ``"A + 2X -> 3X"`` or ``"0 -> X"`` (``∅`` or ``0`` for nothing)."""
        if not isinstance(text, str) or text.count("->") != 1:
            raise ValueError(f"reaction {text!r} must be written 'reactants -> products'")
        left, right = text.split("->")
        where = f"reaction {text!r}"
        return cls(_side(left, where), _side(right, where), rate)

    @property
    def order(self) -> int:
        """Number of molecules consumed."""
        return sum(self.reactants.values())

    def __str__(self) -> str:
        return f"{_format_side(self.reactants)} -> {_format_side(self.products)}"


@dataclass(frozen=True)
class ReactionNetwork:
    """A chemical reaction network under mass action, with a system size.

    Parameters
    ----------
    name : str
        Name in the kinetics catalog.
    title : str
        One-line description.
    species : sequence of str
        Species names (identifiers), in the order of state vectors.
    reactions : sequence of Reaction
        Each names its rate constant among ``parameters``.
    parameters : sequence of Parameter
        Rate constants in concentration units, non-negative bounds, each used
        by at least one reaction.
    state0 : sequence of float
        Default initial concentrations (non-negative); copy numbers are
        ``round(omega * state0)``.
    omega : Parameter
        System size: molecules per unit concentration, with positive bounds.
    dt : float
        Output interval of the time grid.
    t_end : float
        Length of a default run.
    tags, references : sequence of str
    reference_values : mapping
        Known values with their source.

    Raises
    ------
    ValueError
        For an unknown species or rate name, a duplicate, a negative rate
        bound, a bad initial state or a bad system size.
    """

    name: str
    title: str
    species: Sequence[str]
    reactions: Sequence[Reaction]
    parameters: Sequence[Parameter]
    state0: Sequence[float]
    omega: Parameter
    dt: float
    t_end: float
    tags: Sequence[str] = ()
    references: Sequence[str] = ()
    reference_values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"network {self.name!r}"
        species = tuple(self.species)
        if not species:
            raise ValueError(f"{where}: declare at least one species")
        for s in species:
            if not isinstance(s, str) or not _NAME.match(s) or s == "t":
                raise ValueError(f"{where}: species name {s!r} must be an identifier other than 't'")
        if len(set(species)) != len(species):
            raise ValueError(f"{where}: species names must be distinct, got {species}")
        if not self.reactions:
            raise ValueError(f"{where}: declare at least one reaction")
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"{where}: rate names must be distinct, got {names}")
        for p in self.parameters:
            if not isinstance(p, Parameter):
                raise TypeError(f"{where}: rate constants must be Parameter declarations, got {p!r}")
            if p.bounds[0] < 0:
                raise ValueError(f"{where}: rate {p.name!r} has bounds {p.bounds}; rate constants cannot be negative")
        for reaction in self.reactions:
            if not isinstance(reaction, Reaction):
                raise TypeError(f"{where}: reactions must be Reaction declarations, got {reaction!r}")
            unknown = (set(reaction.reactants) | set(reaction.products)) - set(species)
            if unknown:
                raise ValueError(f"{where}: reaction {reaction} uses unknown species {sorted(unknown)}; the species are {species}")
            if reaction.rate not in names:
                raise ValueError(f"{where}: reaction {reaction} has rate {reaction.rate!r}, which is not among the rates {names}")
        unused = set(names) - {r.rate for r in self.reactions}
        if unused:
            raise ValueError(f"{where}: rates {sorted(unused)} are used by no reaction")
        if not isinstance(self.omega, Parameter) or self.omega.bounds[0] <= 0:
            raise ValueError(f"{where}: the system size omega must be a Parameter with positive bounds")
        if self.omega.name in names:
            raise ValueError(f"{where}: a rate may not be called {self.omega.name!r}, the system size's name")
        object.__setattr__(self, "species", species)
        object.__setattr__(self, "reactions", tuple(self.reactions))
        object.__setattr__(self, "parameters", tuple(self.parameters))
        object.__setattr__(self, "state0", self.check_state(self.state0))
        object.__setattr__(self, "tags", tuple(self.tags))
        for label in ("dt", "t_end"):
            value = check_number(getattr(self, label), f"{where}: {label}")
            if value <= 0:
                raise ValueError(f"{where}: {label} must be positive, got {value:g}")

    # ----------------------------------------------------------------- arrays

    @cached_property
    def reactants(self) -> np.ndarray:
        """``reactants[r, i]``: molecules of species ``i`` reaction ``r`` consumes, shape ``(R, d)``."""
        return self._matrix("reactants")

    @cached_property
    def change(self) -> np.ndarray:
        """``change[r, i]``: net change of species ``i`` when reaction ``r`` fires, shape ``(R, d)``."""
        return self._matrix("products") - self.reactants

    def _matrix(self, side: str) -> np.ndarray:
        matrix = np.zeros((len(self.reactions), len(self.species)), dtype=np.int64)
        for r, reaction in enumerate(self.reactions):
            for s, count in getattr(reaction, side).items():
                matrix[r, self.species.index(s)] = count
        matrix.setflags(write=False)
        return matrix

    # ----------------------------------------------------------------- checked values

    def rate_constants(self, params: Mapping[str, Any] | None = None) -> np.ndarray:
        """Rate constant of every reaction (in reaction order) from parameter values by name, checked."""
        values = dict(zip((p.name for p in self.parameters), self.parameter_array(params)))
        return np.array([values[r.rate] for r in self.reactions])

    def parameter_array(self, params: Mapping[str, Any] | None = None) -> np.ndarray:
        """Parameter values in declaration order; unknown names and values outside the bounds raise ``ValueError``."""
        params = dict(params or {})
        names = [p.name for p in self.parameters]
        unknown = set(params) - set(names)
        if unknown:
            raise ValueError(f"{self.name} has no rate {min(unknown)!r}; its rates are {names}")
        return np.array([p.check(params.get(p.name, p.default)) for p in self.parameters])

    def check_omega(self, omega: Any = None) -> float:
        """The system size, checked against its bounds (default: the declared default)."""
        return self.omega.check(self.omega.default if omega is None else omega)

    def check_state(self, state: Any) -> tuple[float, ...]:
        """Initial concentrations as a tuple of finite non-negative floats, one per species."""
        try:
            values = np.asarray(state, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{self.name}: initial state must be {len(self.species)} concentrations, got {state!r}") from None
        if values.shape != (len(self.species),):
            raise ValueError(f"{self.name}: initial state must be {len(self.species)} concentrations ({', '.join(self.species)}), got {state!r}")
        for name, v in zip(self.species, values):
            if not (np.isfinite(v) and v >= 0):
                raise ValueError(f"{self.name}: initial {name} must be a finite non-negative concentration, got {v}")
        return tuple(float(v) for v in values)

    def initial_counts(self, omega: Any = None, state0: Sequence[float] | None = None) -> np.ndarray:
        """Copy numbers ``round(omega * state0)`` (int64) of the initial state."""
        state = self.state0 if state0 is None else self.check_state(state0)
        counts = np.rint(self.check_omega(omega) * np.array(state))
        check_integer(counts.max(), "initial copy number", (0, 2**53))
        return counts.astype(np.int64)

    def propensity_constants(self, params: Mapping[str, Any] | None = None, omega: Any = None) -> np.ndarray:
        """Stochastic rate constants :math:`c_r = k_r \\Omega^{1 - m_r}` (see :mod:`engine.kinetics.mass_action`)."""
        return propensity_scale(self.rate_constants(params), self.reactants, self.check_omega(omega))

    @property
    def linear(self) -> bool:
        """True when every reaction consumes at most one molecule: the moment equations then close exactly."""
        return all(r.order <= 1 for r in self.reactions)

    # ----------------------------------------------------------------- text

    def rate_law(self, reaction: Reaction) -> str:
        """LaTeX of ``reaction``'s mass-action rate :math:`k \\prod x^\\nu`."""
        p = next(p for p in self.parameters if p.name == reaction.rate)
        factors = [f"{s}^{n}" if n > 1 else s for s, n in reaction.reactants.items()]
        return " ".join([p.symbol, *factors])

    @cached_property
    def equations(self) -> tuple[str, ...]:
        """LaTeX rate equations, one per species, derived from the reactions."""
        lines = []
        for i, s in enumerate(self.species):
            terms = ""
            for r, reaction in enumerate(self.reactions):
                n = int(self.change[r, i])
                if n:
                    coefficient = "" if abs(n) == 1 else f"{abs(n)}\\,"
                    terms += f" {'+' if n > 0 else '-'} {coefficient}{self.rate_law(reaction)}"
            terms = terms.strip()
            terms = terms[2:] if terms.startswith("+ ") else terms or "0"
            lines.append(f"\\dot {{{s}}} = {terms}")
        return tuple(lines)

    # ----------------------------------------------------------------- derived systems

    @cached_property
    def ode(self) -> System:
        """The mass-action rate equations in concentrations, as a flow System (not in the catalog)."""
        module = self._compiled()
        return System(
            name=f"{self.name} (mass action)",
            family="flow",
            title=f"Mass-action rate equations of the {self.name} network",
            equations=self.equations,
            variables=self.species,
            parameters=self.parameters,
            state0=self.state0,
            rhs=module.rhs,
            jacobian=module.jacobian,
            dt=self.dt,
            solver="dopri5",
            tags=("kinetics", "mass action", *self.tags),
            references=self.references,
        )

    @cached_property
    def moment_variables(self) -> tuple[str, ...]:
        """State names of :attr:`moments`: means, then the upper triangle of the covariance row by row."""
        d = len(self.species)
        means = [f"E[{s}]" for s in self.species]
        cov = [f"Var[{self.species[i]}]" if i == j else f"Cov[{self.species[i]},{self.species[j]}]" for i in range(d) for j in range(i, d)]
        return tuple(means + cov)

    @cached_property
    def moments(self) -> System:
        """Second-order moment equations (normal closure) of the concentrations ``n / omega``, as a flow System.

        The state is the mean of every species then the upper triangle of the
        covariance (:attr:`moment_variables`); its parameters are the rates
        then the system size. See :func:`engine.kinetics.mass_action.moment_drift`.
        """
        module = self._compiled()
        d = len(self.species)
        equations = [
            rf"\dot\mu_{{{s}}} = \textstyle\sum_r S_{{{s} r}}\, E[a_r] / \Omega" for s in self.species
        ] + [
            rf"\dot C_{{{self.species[i]}{self.species[j]}}} = \textstyle\sum_r (S_{{{self.species[i]} r}} G_{{r {self.species[j]}}} + S_{{{self.species[j]} r}} G_{{r {self.species[i]}}} + S_{{{self.species[i]} r}} S_{{{self.species[j]} r}} E[a_r]) / \Omega^2"
            for i in range(d)
            for j in range(i, d)
        ]
        return System(
            name=f"{self.name} (moment closure)",
            family="flow",
            title=f"Normal moment closure of the {self.name} network (means and covariances)",
            equations=equations,
            variables=self.moment_variables,
            parameters=(*self.parameters, self.omega),
            state0=(*self.state0, *([0.0] * (d * (d + 1) // 2))),
            rhs=module.moments,
            dt=self.dt,
            solver="dopri5",
            tags=("kinetics", "moment closure", *self.tags),
            references=(
                ("D. Schnoerr, G. Sanguinetti, R. Grima, Comparison of different moment-closure approximations "
                "for stochastic chemical kinetics, J. Chem. Phys. 143 (2015) 185101"),
            ),
        )

    def _compiled(self):
        """The generated module holding ``rhs``, ``jacobian`` and ``moments`` for this network."""
        source = _generated_source(self)
        digest = hashlib.sha256(source.encode())
        digest.update(_version.__version__.encode())
        digest.update(Path(inspect.getsourcefile(mass_action)).read_bytes())
        stem = f"network_{re.sub(r'[^a-z0-9]', '', self.name.lower())}_{digest.hexdigest()[:16]}"
        path = cache_folder() / f"{stem}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as handle:
                handle.write(source)
            os.replace(handle.name, path)  # atomic: concurrent writers produce the same file
        name = f"phasescope_kernel_{stem}"
        return _load_module(path, name)


def _generated_source(network: ReactionNetwork) -> str:
    """Source of the module compiling ``network``'s rate equations and moment equations.

    The arrays become numba constants; each function packs the state tuple
    into an array, calls the shared kernel of :mod:`engine.kinetics.mass_action`
    and unpacks the result into a tuple of the state's length.
    """
    d = len(network.species)
    upper = [(i, j) for i in range(d) for j in range(i, d)]
    state = ", ".join(f"y[{i}]" for i in range(d))
    fill_cov = "\n".join(
        f"    cov[{i}, {j}] = y[{d + u}] * omega * omega\n    cov[{j}, {i}] = cov[{i}, {j}]" for u, (i, j) in enumerate(upper)
    )
    out_mean = ", ".join(f"dmean[{i}] / omega" for i in range(d))
    out_cov = ", ".join(f"dcov[{i}, {j}] / (omega * omega)" for i, j in upper)
    jac_rows = ", ".join("(" + ", ".join(f"jac[{i}, {j}]" for j in range(d)) + ",)" for i in range(d))
    return f'''# Generated by engine.kinetics from the declaration of the {network.name!r} network.
import numpy as np
from numba import njit

from engine.jit import CACHED_JIT
from engine.kinetics.mass_action import drift, drift_jacobian, moment_drift

REACTANTS = np.array({network.reactants.tolist()!r}, dtype=np.int64)
CHANGE = np.array({network.change.tolist()!r}, dtype=np.int64)
ORDERS = REACTANTS.sum(axis=1).astype(np.float64)
RATE_INDEX = np.array({[[p.name for p in network.parameters].index(r.rate) for r in network.reactions]!r}, dtype=np.int64)


@njit(**CACHED_JIT)
def rhs(t, y, p):
    dx = drift(np.array([{state}]), p[RATE_INDEX], REACTANTS, CHANGE)
    return ({", ".join(f"dx[{i}]" for i in range(d))},)


@njit(**CACHED_JIT)
def jacobian(t, y, p):
    jac = drift_jacobian(np.array([{state}]), p[RATE_INDEX], REACTANTS, CHANGE)
    return ({jac_rows},)


@njit(**CACHED_JIT)
def moments(t, y, p):
    omega = p[{len(network.parameters)}]
    c = p[RATE_INDEX] * omega ** (1.0 - ORDERS)
    mean = np.array([{state}]) * omega
    cov = np.empty(({d}, {d}))
{fill_cov}
    dmean, dcov = moment_drift(mean, cov, c, REACTANTS, CHANGE)
    return ({out_mean}, {out_cov},)
'''
