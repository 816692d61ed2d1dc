"""Many-body systems: fish schools and synchronizing phase oscillators."""
from .couzin import (
    COUZIN_2002,
    DEWI_KADITA_CASES,
    CouzinParams,
    School,
    nearest_distances,
    neighbours,
    orientation_sweep,
)
from .kuramoto import (
    MeanFieldKuramoto,
    critical_coupling,
    natural_frequencies,
    order_parameter_branch,
    order_parameter_sweep,
    ott_antonsen_order,
)
from .phase_ring import (
    GROWTH_EXPONENTS,
    REGIMES,
    GrowthFit,
    PhaseRing,
    growth_exponent,
    kpz_coefficients,
)

__all__ = [
    "COUZIN_2002",
    "DEWI_KADITA_CASES",
    "GROWTH_EXPONENTS",
    "REGIMES",
    "CouzinParams",
    "GrowthFit",
    "MeanFieldKuramoto",
    "PhaseRing",
    "School",
    "critical_coupling",
    "growth_exponent",
    "kpz_coefficients",
    "natural_frequencies",
    "nearest_distances",
    "neighbours",
    "order_parameter_branch",
    "order_parameter_sweep",
    "orientation_sweep",
    "ott_antonsen_order",
]
