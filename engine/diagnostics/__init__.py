"""Diagnostics of trajectories, ensembles and distributions (numba kernels).

Entropies of distributions and series (:mod:`.entropy`), order parameters of
collectives (:mod:`.order`), Lyapunov exponents (:mod:`.lyapunov`, kernels in
:mod:`.lyapunov_kernels`), the correlation dimension (:mod:`.dimension`) and the
dominant period (:mod:`.period`). Each has an online form where a live monitor
needs one; :mod:`.monitor` gathers those a live phase portrait shows. Concentration indices of share vectors live in
:mod:`engine.concentration`.
"""
from .dimension import CorrelationDimension, correlation_dimension, correlation_sum
from .entropy import (
    OrdinalPatterns,
    RunningHistogram,
    RunningSpectrum,
    permutation_entropy,
    renyi,
    sample_entropy,
    shannon,
    spectral_entropy,
    tsallis,
)
from .lyapunov import (
    LyapunovRun,
    RosensteinResult,
    RunningLyapunov,
    kaplan_yorke_dimension,
    lyapunov_grid,
    lyapunov_kernel,
    lyapunov_spectrum,
    max_lyapunov_from_series,
    rosenstein_divergence,
)
from .order import interface_width, kuramoto_order, milling, polarization
from .period import dominant_period

__all__ = [
    "CorrelationDimension",
    "LyapunovRun",
    "OrdinalPatterns",
    "RosensteinResult",
    "RunningHistogram",
    "RunningLyapunov",
    "RunningSpectrum",
    "correlation_dimension",
    "correlation_sum",
    "dominant_period",
    "interface_width",
    "kaplan_yorke_dimension",
    "kuramoto_order",
    "lyapunov_grid",
    "lyapunov_kernel",
    "lyapunov_spectrum",
    "max_lyapunov_from_series",
    "milling",
    "permutation_entropy",
    "polarization",
    "renyi",
    "rosenstein_divergence",
    "sample_entropy",
    "shannon",
    "spectral_entropy",
    "tsallis",
]
