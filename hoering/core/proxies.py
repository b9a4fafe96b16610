"""Which address is the client's. With ``TRUSTED_PROXY_COUNT`` 0 (the default everywhere)
it is the socket's, and ``X-Forwarded-For`` is ignored: anyone can send that header, and
believing it would let a client choose the address that login throttling, rate limits and
the audit trail see. Behind N reverse proxies that each overwrite (or append to) the
header, set the count to N (README, Production); create_app then applies Werkzeug's
ProxyFix. A request that carries the header while no proxy is trusted is logged once per
process, as a hint to a deployment behind a proxy that has forgotten the setting."""

from __future__ import annotations

import logging
import threading

from flask import request

logger = logging.getLogger(__name__)
_warned = False
_lock = threading.Lock()


def warn_if_forwarded_for_ignored(trusted_proxy_count: int) -> None:
    """For every request: the first that has ``X-Forwarded-For`` while
    ``trusted_proxy_count`` is 0 logs a warning (once per process)."""
    global _warned
    if _warned or trusted_proxy_count or "X-Forwarded-For" not in request.headers:
        return
    with _lock:
        if _warned:
            return
        _warned = True
    logger.warning(
        "A request carries X-Forwarded-For, but TRUSTED_PROXY_COUNT is 0: the header is "
        "ignored and the client is the socket address %s. Behind N reverse proxies that "
        "overwrite X-Forwarded-For, set TRUSTED_PROXY_COUNT=N (README, Production). "
        "This is logged once per process.", request.remote_addr,
    )
