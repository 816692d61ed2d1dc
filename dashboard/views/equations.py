"""The equations and parameters of a system, from its declaration."""
from __future__ import annotations

import html

from engine.system import System

__all__ = ["equations_latex", "parameter_table_html", "references_html"]


def equations_latex(system: System) -> str:
    """The equations as one LaTeX block for KaTeX."""
    return r"$$\begin{aligned}" + r" \\ ".join(system.equations) + r"\end{aligned}$$"


def parameter_table_html(system: System) -> str:
    """An HTML table of the parameters: symbol, default, bounds, meaning (text escaped)."""
    rows = "".join(
        f"<tr><td>{html.escape(p.name)}</td><td>{p.default:g}</td><td>[{p.bounds[0]:g}, {p.bounds[1]:g}]</td>"
        f"<td>{html.escape(p.doc)}{' (' + html.escape(p.unit) + ')' if p.unit else ''}</td></tr>"
        for p in system.parameters
    )
    return (
        "<table class='ps-params'><thead><tr><th>parameter</th><th>default</th><th>bounds</th><th>meaning</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def references_html(system: System) -> str:
    """The references as an HTML list (text escaped)."""
    items = "".join(f"<li>{html.escape(r)}</li>" for r in system.references)
    return f"<ul class='ps-refs'>{items}</ul>"
