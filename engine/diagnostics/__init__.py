"""Diagnostics of trajectories, ensembles and distributions (numba kernels).

Entropies of distributions and series (:mod:`.entropy`), order parameters of
collectives (:mod:`.order`). Each has an online form where a live monitor
needs one. Concentration indices of share vectors live in
:mod:`engine.concentration`.
"""
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
from .order import interface_width, kuramoto_order, milling, polarization

__all__ = [
    "OrdinalPatterns",
    "RunningHistogram",
    "RunningSpectrum",
    "interface_width",
    "kuramoto_order",
    "milling",
    "permutation_entropy",
    "polarization",
    "renyi",
    "sample_entropy",
    "shannon",
    "spectral_entropy",
    "tsallis",
]
