"""The API's documentation page works offline: Swagger UI comes from Platu's own static files."""

import re

from django.test import Client


def test_it_serves_swagger_ui_from_platu_itself(client: Client, db: None) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SwaggerUI" in html or "swagger-ui" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "an external host is referenced"
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html  # no badge fetched from the validator's site
    assets = re.findall(r"""(?:src|href)=["']([^"']+\.(?:js|css))["']""", html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content if served.streaming else [served.content])


def test_the_openapi_schema_it_loads_is_served(client: Client, db: None) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Platu API"
