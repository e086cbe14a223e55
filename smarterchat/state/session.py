"""The signed-in session every page builds on.

The access token lives only on the server (a backend var); the refresh token lives in
the browser's localStorage, so a reload or a new tab can restore the session by
rotating it. The state holds it only sealed (AES-GCM with the server's key,
``auth.seal``), so neither a state file in ``.states/`` nor Redis holds a live refresh
token, and freshly shown recovery codes are never written there (ProfileState).
Every handler that touches data resolves the actor again from the access
token (``auth.actor_from_access_token`` re-reads the user and membership), so role
and organisation shown in the page are for display only and never trusted.

Every page handler is a few lines around one of the shapes here: ``_action`` (busy flag,
yield, the service as the actor, /login on a lost session, the translated refusal),
``_load`` (a page's on_load), ``_reread`` (a quiet refresh after an action) and
``_background`` (a slow call from a background event). The sessions themselves are
opened by ``services.runner``. Over 300 lines for a reason: the session's token
handling and the shapes built on it are one piece (each shape resolves the actor
through ``_as_actor``); apart, either half would need the other's private names.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import quote

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import auth, users
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.auth import TokenPair
from smarterchat.backend.services.errors import ServiceError
from smarterchat.backend.services.runner import TokenProblem, call, call_as
from smarterchat.i18n import DEFAULT_LOCALE, LOCALES, error_message, normalise_locale, translate

log = logging.getLogger(__name__)
T = TypeVar("T")

# Token problems that a refresh can cure; anything else ends the session.
_RECOVERABLE = {"token_expired", "token_invalid"}


class SignedOut(Exception):
    """No usable session: the caller sends the browser to /login."""


def _whoami(_session, actor: Actor) -> Actor:
    return actor


def safe_next(path: str | None) -> str:
    """Only local paths: never send someone to another site after login."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path \
            and not path.startswith("/login") and not path.startswith("/signup"):
        return path
    return ""


class AppState(rx.State):
    """Who is signed in, in which language. Feature states inherit from this."""

    locale: str = rx.LocalStorage(DEFAULT_LOCALE, name="sc_locale", sync=True)
    refresh_token: str = rx.LocalStorage("", name="sc_refresh", sync=True)
    _access_token: str = ""

    # Display copies of the actor, refreshed on every resolution; never used to decide.
    signed_in: bool = False
    me_name: str = ""
    me_email: str = ""
    org_name: str = ""
    role: str = ""
    is_superadmin: bool = False
    menu_open: bool = False

    @rx.var
    def lang(self) -> str:
        return normalise_locale(self.locale)

    @rx.var
    def initials(self) -> str:
        parts = [p for p in self.me_name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    @rx.var
    def has_org(self) -> bool:
        return self.signed_in and self.org_name != ""

    @rx.var
    def show_users(self) -> bool:
        return self.role in ("admin", "manager")

    @rx.var
    def show_analytics(self) -> bool:
        # Consultants see their own figures there; managers and admins the organisation's.
        return self.role in ("admin", "manager", "consultant")

    # ------------------------------------------------------------ helpers (not events)

    def _t(self, key: str, **params: Any) -> str:
        return translate(key, self.locale, **params)

    def _message(self, exc: BaseException) -> str:
        if isinstance(exc, ServiceError):
            return error_message(exc.code, self.locale, exc.params)
        log.exception("unexpected error in a page handler", exc_info=exc)
        return error_message("generic", self.locale)

    def _client(self) -> dict[str, str | None]:
        ip = self.router.session.client_ip or None
        agent = self.router.headers.user_agent or None
        return {"ip": ip, "user_agent": agent}

    def _remember(self, actor: Actor) -> None:
        self.signed_in = True
        self.me_name = actor.name
        self.me_email = actor.email
        self.org_name = actor.organization_name
        self.role = actor.role or ""
        self.is_superadmin = actor.is_superadmin

    def _store(self, pair: TokenPair) -> None:
        self._access_token = pair.access_token
        self.refresh_token = auth.seal(pair.refresh_token)
        self._remember(pair.actor)

    def _forget(self) -> None:
        self._access_token = ""
        self.refresh_token = ""
        self.signed_in = False
        self.me_name = self.me_email = self.org_name = self.role = ""
        self.is_superadmin = False
        self.menu_open = False

    def _login_redirect(self) -> EventSpec:
        path = safe_next(self.router.url.path)
        return rx.redirect(f"/login?next={quote(path)}" if path and path != "/" else "/login")

    @staticmethod
    def _home_for(actor: Actor) -> str:
        return "/admin/organizations" if actor.organization_id is None else "/"

    async def _refresh(self) -> bool:
        """Rotate the refresh token once; False (and signed out) when it is refused."""
        token = self.refresh_token
        if not token:
            self._forget()
            return False
        try:
            pair = await call(auth.refresh, refresh_token=auth.unseal(token), **self._client())
        except ServiceError as exc:
            log.info("session not restored: %s", exc.code)
            self._forget()
            return False
        self._store(pair)
        return True

    async def _as_actor(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """Run ``fn(session, actor, ...)`` as the signed-in user.

        Raises SignedOut when there is no session (after one refresh attempt), and
        the service's own errors unchanged.
        """
        # Another tab logged out: the cleared refresh token was synced here.
        if self._access_token and not self.refresh_token:
            self._forget()
            raise SignedOut
        for attempt in (1, 2):
            if not self._access_token and not await self._refresh():
                raise SignedOut
            try:
                actor, result = await call_as(self._access_token, fn, *args, **kw)
            except TokenProblem as problem:
                if problem.code in _RECOVERABLE and attempt == 1:
                    self._access_token = ""
                    continue
                self._forget()
                raise SignedOut from problem
            self._remember(actor)
            return result
        raise SignedOut

    async def _unlocked(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """From a background event, a slow call without holding this tab's state lock."""
        async with self:
            token = self._access_token
        try:
            return (await call_as(token, fn, *args, **kw))[1]
        except TokenProblem:
            async with self:  # the access token expired: refresh it, then call
                return await self._as_actor(fn, *args, **kw)

    async def _actor(self) -> Actor | None:
        try:
            return await self._as_actor(_whoami)
        except SignedOut:
            return None

    async def _action(self, fn: Callable[..., T], *args: Any, busy: str = "",
                      error: str = "error", then: Callable[[T], Any] | None = None,
                      explain: Callable[[Exception], str] | None = None,
                      signed_in: bool = True, **kw: Any
                      ) -> AsyncIterator[EventSpec | list | None]:
        """The one shape of a page action; a handler returns it (Reflex runs the generator).

        Sets the ``busy`` flag and empties the ``error`` var, yields so the page shows the
        flag, calls ``fn`` as the signed-in actor (``signed_in=False``: anonymously, for
        sign-in and sign-up), then clears busy. A lost session sends the browser to
        /login; a refusal puts its translated sentence (``explain`` picks a page's own
        wording) in ``error``; a success calls ``then(result)``, which may be async and
        may return events for the browser.
        """
        if busy:
            setattr(self, busy, True)
        setattr(self, error, "")
        yield None
        follow: Any = None
        try:
            result = await (self._as_actor(fn, *args, **kw) if signed_in
                            else call(fn, *args, **kw))
        except SignedOut:
            follow = self._login_redirect()
        except Exception as exc:  # noqa: BLE001 - shown as a sentence, unexpected ones logged
            setattr(self, error, (explain or self._message)(exc))
        else:
            follow = then(result) if then is not None else None
            if inspect.isawaitable(follow):
                follow = await follow
        finally:
            if busy:
                setattr(self, busy, False)
        if follow is not None:
            yield follow

    async def _background(self, fn: Callable[..., T], *, busy: str,
                          start: Callable[[], tuple | None], then: Callable[[T], None],
                          fail: Callable[[Exception], None]) -> AsyncIterator[EventSpec]:
        """The one shape of a slow action run from a background event (``async for`` it).

        Under the lock: nothing when ``busy`` is already set or ``start()`` (which resets
        what the page shows) returns None instead of the call's arguments; else busy is
        set. The call runs without the lock; then, under it again, busy is cleared and
        ``then(result)`` or ``fail(exc)`` runs, or the browser goes to
        /login.
        """
        async with self:
            args = None if getattr(self, busy) else start()
            if args is None:
                return
            setattr(self, busy, True)
        try:
            result = await self._unlocked(fn, *args)
        except SignedOut:
            async with self:
                setattr(self, busy, False)
                redirect = self._login_redirect()
            yield redirect
            return
        except Exception as exc:  # noqa: BLE001 - shown as a sentence, unexpected ones logged
            async with self:
                setattr(self, busy, False)
                fail(exc)
            return
        async with self:
            setattr(self, busy, False)
            then(result)

    # ------------------------------------------------------------ events

    @rx.event
    def toggle_menu(self, value: bool | None = None):
        self.menu_open = (not self.menu_open) if value is None else bool(value)

    @rx.event
    async def set_locale(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        if value not in LOCALES:
            return
        self.locale = value
        if self.signed_in:
            try:
                await self._as_actor(users.update_profile, locale=value)
            except (SignedOut, ServiceError):
                pass  # the browser keeps the choice even if the profile cannot

    @rx.event
    async def logout(self):
        token = self.refresh_token
        if token:
            try:
                await call(auth.logout, refresh_token=auth.unseal(token),
                           access_token=self._access_token or None)
            except Exception:  # noqa: BLE001 - the browser forgets the session anyway
                log.exception("logout could not revoke the session")
        # Data a feature page loaded must not outlive the session in this tab.
        pending = list(type(self).get_substates())
        while pending:
            cls = pending.pop()
            pending.extend(cls.get_substates())
            substate = await self.get_state(cls)
            for name, field in cls.__fields__.items():
                if field._owner is cls and not name.startswith("router"):
                    setattr(substate, name, field.default_value())
        self._forget()
        # Emptying refresh_token empties localStorage (and other tabs, synced).
        # rx.remove_local_storage would re-hydrate the page being left and race the redirect.
        return rx.redirect("/login?bye=1")


class Leave(Exception):
    """Raised inside a page handler to navigate away instead (signed out, wrong area)."""

    def __init__(self, event: EventSpec):
        super().__init__("leave")
        self.event = event


class PageState(AppState):
    """Base of the signed-in pages: flags every page shows, and the guarded call."""

    loaded: bool = False
    forbidden: bool = False
    error: str = ""

    async def _guarded(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T | None:
        """Call a service as the actor for a page's data.

        A missing session raises Leave(to /login); a refused role sets ``forbidden``;
        a super admin without organisation is sent to the platform pages; any other
        error becomes a translated ``error``. Returns None in those cases.
        """
        self.error = ""
        try:
            result = await self._as_actor(fn, *args, **kw)
        except SignedOut as exc:
            raise Leave(self._login_redirect()) from exc
        except ServiceError as exc:
            # A platform account has no organisation pages: its home is the platform list.
            if exc.code in ("no_organization", "forbidden") and self.is_superadmin \
                    and not self.org_name:
                raise Leave(rx.redirect("/admin/organizations")) from exc
            if exc.code == "forbidden":
                self.forbidden = True
            else:
                self.error = self._message(exc)
            return None
        except Exception as exc:  # noqa: BLE001 - shown as a sentence, logged with its trace
            self.error = self._message(exc)
            return None
        self.forbidden = False
        return result

    async def _load(self, fn: Callable[..., T], *args: Any, then: Callable[[T], Any],
                    **kw: Any) -> Any:
        """The one shape of a page's load: read through ``_guarded``, hand what came back
        to ``then`` (which may be async and may return an event to chain), mark the page
        loaded. A lost session returns the redirect instead."""
        try:
            data = await self._guarded(fn, *args, **kw)
            follow = then(data) if data is not None else None
            if inspect.isawaitable(follow):
                follow = await follow
        except Leave as leave:
            return leave.event
        self.loaded = True
        return follow

    async def _reread(self, fn: Callable[..., T], *args: Any, then: Callable[[T], Any],
                      **kw: Any) -> None:
        """A quiet re-read after an action: shown when it works, else left as it was (a
        lost session is caught by the next action or load)."""
        try:
            data = await self._guarded(fn, *args, **kw)
        except Leave:
            return
        if data is not None:
            then(data)
