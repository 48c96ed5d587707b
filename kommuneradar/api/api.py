"""The one ninja API object; each app contributes a router from its own api.py."""

from __future__ import annotations

from ninja import NinjaAPI

from kommuneradar.benefits.api import router as benefits_router
from kommuneradar.cases.api import router as cases_router
from kommuneradar.network.api import router as network_router
from kommuneradar.outlook.api import router as outlook_router
from kommuneradar.radar.api import router as radar_router
from kommuneradar.surveys.api import router as surveys_router

api = NinjaAPI(
    title="Kommuneradar API",
    version="1",
    description="Open data: published radar editions, technologies and municipalities.",
    urls_namespace="api",
)
api.add_router("/radar/", radar_router)
api.add_router("/cases/", cases_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/benefits/", benefits_router)
api.add_router("/network/", network_router)
api.add_router("/outlook/", outlook_router)
