"""Many-body systems: fish schools and synchronizing phase oscillators."""
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
    GrowthFit,
    PhaseRing,
    growth_exponent,
    kpz_coefficients,
)

__all__ = [
    "GROWTH_EXPONENTS",
    "GrowthFit",
    "MeanFieldKuramoto",
    "PhaseRing",
    "critical_coupling",
    "growth_exponent",
    "kpz_coefficients",
    "natural_frequencies",
    "order_parameter_branch",
    "order_parameter_sweep",
    "ott_antonsen_order",
]
