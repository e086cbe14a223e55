"""Analytics for managers: every figure computed in SQL, in the organisation's time zone.

``dashboard(session, actor, filters)`` returns the whole page's figures; ``export`` turns a
chart or the period's conversations into CSV. The definitions of each figure are in
``clocks`` (and the README's "Analytics" section); the same functions serve the public API.
"""

from smarterchat.backend.services.analytics.dashboard import dashboard
from smarterchat.backend.services.analytics.dto import Dashboard
from smarterchat.backend.services.analytics.scope import Filters

__all__ = ["Dashboard", "Filters", "dashboard"]
