"""Nonlinear fields in 1+1 dimensions on periodic grids."""
