"""One view per kind of picture: phase portrait, time series, equations."""
from .equations import equations_latex, parameter_table_html, references_html
from .phase_portrait import PhasePortrait
from .time_series import TimeSeries

__all__ = ["PhasePortrait", "TimeSeries", "equations_latex", "parameter_table_html", "references_html"]
