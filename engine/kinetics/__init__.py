"""Reaction networks: mass-action ODE, Gillespie simulation and moment closure from one declaration."""
from .catalog import get_network, networks, register_network
from .network import Reaction, ReactionNetwork

__all__ = ["Reaction", "ReactionNetwork", "get_network", "networks", "register_network"]
