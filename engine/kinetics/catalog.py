"""The reaction-network catalog: classic networks declared as reactions with rates.

Kept apart from the system catalog (:func:`engine.catalog`): a network's rate
equations are derived from its reactions (:attr:`ReactionNetwork.ode`), so
the Brusselator or SIR here is the chemistry, and the flows of the same names
in the system catalog stay the only hand-written equations. The derived
Systems are called "<network> (mass action)" and "<network> (moment closure)"
and are not registered there, so the two catalogs never clash.
"""
from __future__ import annotations

from ..system import Parameter
from ..systems.registry import close_names, name_key
from .network import Reaction, ReactionNetwork

__all__ = ["get_network", "networks", "register_network"]

_NETWORKS: dict[str, ReactionNetwork] = {}


def register_network(network: ReactionNetwork) -> ReactionNetwork:
    """Add ``network`` to the catalog; names are unique ignoring case, spaces and punctuation."""
    key = name_key(network.name)
    if key in _NETWORKS:
        raise ValueError(f"a network called {network.name!r} is already registered")
    _NETWORKS[key] = network
    return network


def networks() -> list[ReactionNetwork]:
    """Every registered network, in declaration order."""
    return list(_NETWORKS.values())


def get_network(name: str | ReactionNetwork) -> ReactionNetwork:
    """The network called ``name`` (ignoring case and punctuation); ``ValueError`` suggesting close names otherwise."""
    if isinstance(name, ReactionNetwork):
        return name
    if not isinstance(name, str):
        raise TypeError(f"a network name must be text, got {type(name).__name__}")
    try:
        return _NETWORKS[name_key(name)]
    except KeyError:
        close = close_names(name, _NETWORKS)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        names = ", ".join(n.name for n in _NETWORKS.values())
        raise ValueError(f"no reaction network called {name!r}{hint} (the networks are {names})") from None


def _rate(name: str, default: float, high: float, doc: str, symbol: str = "") -> Parameter:
    return Parameter(name, default, (0.0, high), high / 1000.0, doc, symbol=symbol)


def _omega(default: float) -> Parameter:
    return Parameter("omega", default, (1.0, 100_000.0), 1.0, "system size: molecules per unit concentration", symbol=r"\Omega")


register_network(
    ReactionNetwork(
        name="Birth-death",
        title="Production and degradation of one species: stationary Poisson with mean k/gamma",
        species=("X",),
        reactions=(Reaction.parse("0 -> X", "k"), Reaction.parse("X -> 0", "gamma")),
        parameters=(_rate("k", 10.0, 100.0, "production rate"), _rate("gamma", 1.0, 10.0, "degradation rate per molecule", r"\gamma")),
        state0=(0.0,),
        omega=_omega(1.0),
        dt=0.05,
        t_end=10.0,
        tags=("linear", "poisson"),
        references=("D. T. Gillespie, Exact stochastic simulation of coupled chemical reactions, J. Phys. Chem. 81 (1977) 2340-2361",),
        reference_values={"stationary_mean": ("k omega / gamma molecules", "standard"), "fano_factor": (1.0, "standard")},
    )
)

register_network(
    ReactionNetwork(
        name="Schlogl",
        title="Schlogl's autocatalytic network: two stable states, noise-driven switching between them",
        species=("X",),
        reactions=(
            Reaction.parse("2X -> 3X", "k1"),
            Reaction.parse("3X -> 2X", "k2"),
            Reaction.parse("0 -> X", "k3"),
            Reaction.parse("X -> 0", "k4"),
        ),
        parameters=(
            _rate("k1", 6.0, 20.0, "autocatalysis A + 2X -> 3X (A buffered)", "k_1"),
            _rate("k2", 1.0, 5.0, "reverse 3X -> A + 2X", "k_2"),
            _rate("k3", 6.0, 20.0, "inflow B -> X (B buffered)", "k_3"),
            _rate("k4", 11.0, 30.0, "outflow X -> B", "k_4"),
        ),
        state0=(2.0,),
        omega=_omega(20.0),
        dt=0.02,
        t_end=20.0,
        tags=("bistable", "autocatalytic"),
        references=(
            "F. Schlogl, Chemical reaction models for non-equilibrium phase transitions, Z. Phys. 253 (1972) 147-161",
            ("M. Vellela, H. Qian, Stochastic dynamics and non-equilibrium thermodynamics of a bistable chemical system: "
            "the Schlogl model revisited, J. R. Soc. Interface 6 (2009) 925-940"),
        ),
        reference_values={"fixed_points": ((1.0, 2.0, 3.0), "-(x-1)(x-2)(x-3): stable 1 and 3, unstable 2, derived")},
    )
)

register_network(
    ReactionNetwork(
        name="Brusselator",
        title="Prigogine and Lefever's autocatalytic oscillator; limit cycle for b > 1 + a^2",
        species=("X", "Y"),
        reactions=(
            Reaction.parse("0 -> X", "a"),
            Reaction.parse("X -> Y", "b"),
            Reaction.parse("2X + Y -> 3X", "c"),
            Reaction.parse("X -> 0", "d"),
        ),
        parameters=(
            _rate("a", 1.0, 5.0, "inflow of X"),
            _rate("b", 3.0, 10.0, "conversion B + X -> Y + D"),
            _rate("c", 1.0, 5.0, "autocatalysis 2X + Y -> 3X"),
            _rate("d", 1.0, 5.0, "outflow of X"),
        ),
        state0=(1.0, 1.0),
        omega=_omega(100.0),
        dt=0.02,
        t_end=30.0,
        tags=("oscillator", "autocatalytic", "hopf"),
        references=("I. Prigogine, R. Lefever, Symmetry breaking instabilities in dissipative systems II, J. Chem. Phys. 48 (1968) 1695-1700",),
        reference_values={"fixed_point": ("(a/d, b d/(c a))", "derived"), "hopf": ("b = 1 + a^2 for c = d = 1", "standard")},
    )
)

register_network(
    ReactionNetwork(
        name="Sel'kov",
        title="Sel'kov glycolysis oscillator as reactions (Strogatz form); limit cycle for 0.3464 < b < 0.8485 at a = 0.08",
        species=("X", "Y"),
        reactions=(
            Reaction.parse("X -> 0", "d"),
            Reaction.parse("Y -> X", "a"),
            Reaction.parse("2X + Y -> 3X", "c"),
            Reaction.parse("0 -> Y", "b"),
        ),
        parameters=(
            _rate("a", 0.08, 1.0, "conversion Y -> X"),
            _rate("b", 0.6, 2.0, "inflow of Y"),
            _rate("c", 1.0, 5.0, "autocatalysis 2X + Y -> 3X"),
            _rate("d", 1.0, 5.0, "outflow of X"),
        ),
        state0=(0.6, 1.4),
        omega=_omega(200.0),
        dt=0.05,
        t_end=60.0,
        tags=("oscillator", "glycolysis", "hopf"),
        references=(
            "E. E. Sel'kov, Self-oscillations in glycolysis. 1. A simple kinetic model, Eur. J. Biochem. 4 (1968) 79-86",
            "S. H. Strogatz, Nonlinear Dynamics and Chaos, 2nd ed., Westview (2015), ex. 7.3.2",
        ),
        reference_values={"limit_cycle": ("0.3464 < b < 0.8485 at a = 0.08, c = d = 1", "MODELS.md M4, checked numerically")},
    )
)

register_network(
    ReactionNetwork(
        name="Lotka-Volterra",
        title="Lotka-Volterra as reactions with prey crowding: the rate equations spiral in, the paths keep cycling",
        species=("X", "Y"),
        reactions=(
            Reaction.parse("X -> 2X", "alpha"),
            Reaction.parse("X + Y -> 2Y", "beta"),
            Reaction.parse("Y -> 0", "gamma"),
            Reaction.parse("2X -> X", "delta"),
        ),
        parameters=(
            _rate("alpha", 1.0, 5.0, "prey birth", r"\alpha"),
            _rate("beta", 1.0, 5.0, "predation (converted into a predator)", r"\beta"),
            _rate("gamma", 1.0, 5.0, "predator death", r"\gamma"),
            _rate("delta", 0.1, 2.0, "prey crowding 2X -> X", r"\delta"),
        ),
        state0=(1.5, 0.5),
        omega=_omega(200.0),
        dt=0.02,
        t_end=20.0,
        tags=("population", "oscillator", "conservative"),
        references=("A. J. McKane, T. J. Newman, Predator-prey cycles from resonant amplification of demographic stochasticity, Phys. Rev. Lett. 94 (2005) 218102",),
    )
)

register_network(
    ReactionNetwork(
        name="SIR",
        title="Epidemic as reactions: infection S + I -> 2I, recovery I -> R; omega is the population",
        species=("S", "I", "R"),
        reactions=(Reaction.parse("S + I -> 2I", "beta"), Reaction.parse("I -> R", "gamma")),
        parameters=(
            _rate("beta", 2.0, 10.0, "infection rate", r"\beta"),
            _rate("gamma", 1.0, 5.0, "recovery rate", r"\gamma"),
        ),
        state0=(0.98, 0.02, 0.0),
        omega=_omega(500.0),
        dt=0.02,
        t_end=15.0,
        tags=("epidemic", "population"),
        references=("W. O. Kermack, A. G. McKendrick, A contribution to the mathematical theory of epidemics, Proc. R. Soc. A 115 (1927) 700-721",),
        reference_values={"early_extinction": ("(gamma/beta)^I0 for I0 initial infected, branching-process limit", "standard")},
    )
)

register_network(
    ReactionNetwork(
        name="Michaelis-Menten",
        title="Enzyme kinetics: binding, unbinding and catalysis E + S <-> C -> E + P",
        species=("E", "S", "C", "P"),
        reactions=(
            Reaction.parse("E + S -> C", "k1"),
            Reaction.parse("C -> E + S", "km1"),
            Reaction.parse("C -> E + P", "k2"),
        ),
        parameters=(
            _rate("k1", 1.0, 10.0, "binding", "k_1"),
            _rate("km1", 0.5, 10.0, "unbinding", "k_{-1}"),
            _rate("k2", 0.5, 10.0, "catalysis", "k_2"),
        ),
        state0=(0.2, 1.0, 0.0, 0.0),
        omega=_omega(200.0),
        dt=0.05,
        t_end=40.0,
        tags=("enzyme", "conservation"),
        references=(
            "L. Michaelis, M. L. Menten, Die Kinetik der Invertinwirkung, Biochem. Z. 49 (1913) 333-369",
            "R. Grima, A study of the accuracy of moment-closure approximations for stochastic chemical kinetics, J. Chem. Phys. 136 (2012) 154105",
        ),
        reference_values={"conserved": ("E + C and S + C + P", "stoichiometry")},
    )
)
