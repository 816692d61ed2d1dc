"""Diagnostics of trajectories, ensembles and distributions (numba kernels)."""
