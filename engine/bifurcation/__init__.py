"""Orbit diagrams, fixed points, continuation and parameter maps."""
