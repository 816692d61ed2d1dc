"""One module per page; :data:`ROUTES` maps URL paths to page factories."""
from . import bifurcation, catalog_page, concentration, explorer, fields, gallery, kinetics, school, sync

__all__ = ["ROUTES"]

ROUTES = {
    "/": explorer.create,
    "/catalog": catalog_page.create,
    "/bifurcation": bifurcation.create,
    "/gallery": gallery.create,
    "/school": school.create,
    "/sync": sync.create,
    "/fields": fields.create,
    "/concentration": concentration.create,
    "/kinetics": kinetics.create,
}
