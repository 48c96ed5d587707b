from __future__ import annotations

from django.http import HttpRequest

from .models import DemoLoad


def demo_banner(request: HttpRequest) -> dict[str, bool]:
    """Tell every template whether the database holds generated demo data."""
    return {"is_demo_data": DemoLoad.objects.exists()}
