"""The catalog page: every system with its equations, parameters and references."""
from __future__ import annotations

import html
from urllib.parse import quote

import panel as pn

import engine

from ..page_layout import navigation_bar
from ..style import html_pane
from ..views.equations import equations_latex, parameter_table_html, references_html

__all__ = ["create"]


def _card(system: engine.System) -> pn.Card:
    header = (
        f"<b>{html.escape(system.name)}</b> · {html.escape(system.family)} · {html.escape(system.title)} · "
        f"<a href='./?system={quote(system.name)}'>open in the explorer</a>"
    )
    tags = " ".join(f"<span class='ps-tag'>{html.escape(t)}</span>" for t in system.tags)
    return pn.Card(
        html_pane(f"<p>{tags}</p>"),
        pn.pane.LaTeX(equations_latex(system), renderer="katex"),
        html_pane(parameter_table_html(system) + references_html(system)),
        header=html_pane(header),
        collapsed=True,
        sizing_mode="stretch_width",
    )


def create() -> pn.viewable.Viewable:
    """The catalog, grouped by family, with a text filter."""
    systems = engine.catalog()
    cards = {s.name: _card(s) for s in systems}
    listing = pn.Column(*cards.values(), sizing_mode="stretch_width")
    search = pn.widgets.TextInput(label="Filter", placeholder="name, family or tag")
    count = pn.pane.Markdown(f"{len(systems)} systems")

    def _filter(event) -> None:
        found = engine.search(event.new) if event.new.strip() else systems
        listing[:] = [cards[s.name] for s in found]
        count.object = f"{len(found)} of {len(systems)} systems"

    search.param.watch(_filter, "value")
    return pn.Column(
        navigation_bar("/catalog"),
        pn.Row(search, count),
        listing,
        sizing_mode="stretch_width",
    )
