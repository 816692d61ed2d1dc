"""One module per page; :data:`ROUTES` maps URL paths to page factories."""
from . import bifurcation, catalog_page, concentration, explorer, fields, gallery, kinetics, school, sync

__all__ = ["ROUTES"]

ROUTES = {"/": explorer.create, "/catalog": catalog_page.create, "/sync": sync.create, "/fields": fields.create, "/school": school.create, "/concentration": concentration.create, "/bifurcation": bifurcation.create, "/kinetics": kinetics.create, "/gallery": gallery.create}
