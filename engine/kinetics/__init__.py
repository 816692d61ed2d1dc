"""Reaction networks: mass-action ODE, Gillespie simulation and moment closure from one declaration."""
