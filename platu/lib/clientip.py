"""The client's IP address, for the audit log and allauth's log-in throttling.

``X-Forwarded-For`` is believed only when the request comes from a trusted proxy
(``PLATU_TRUSTED_PROXIES``: addresses or networks), and then read from the right: each proxy
appends the address it saw, so the first address from the right that is not one of our proxies is
the client. Whatever a client writes into the header itself stays to the left and is never taken.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import checks
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "PLATU_TRUSTED_PROXIES", ())))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.5:4711
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _trusted()
    if not _is_trusted(remote, networks):
        return str(remote)
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:  # garbage: stop at the last address a proxy of ours vouched for
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


@checks.register(checks.Tags.security)
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for entry in getattr(settings, "PLATU_TRUSTED_PROXIES", ()):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"PLATU_TRUSTED_PROXIES: {entry!r} is not an IP address or network.",
                    id="platu.lib.E001",
                )
            )
    return errors
