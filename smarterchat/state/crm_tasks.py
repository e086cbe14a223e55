"""The consultant's follow-up tasks on the home page: due today or overdue, and a live
notice when one falls due while the page is open."""

from __future__ import annotations

import contextlib
import logging

import reflex as rx

from smarterchat.backend.services.crm import tasks
from smarterchat.backend.services.errors import ServiceError
from smarterchat.state import inbox_live
from smarterchat.state.crm import given_to
from smarterchat.state.crm_lead import TaskItem, task_items
from smarterchat.state.session import PageState, SignedOut

log = logging.getLogger(__name__)


class HomeTasksState(PageState):
    due: list[TaskItem] = []
    _org: str = ""
    _me: str = ""

    @rx.event
    async def load(self):
        await self._reread(tasks.my_due_tasks, then=self._take)
        return HomeTasksState.follow

    def _take(self, found: list) -> None:
        self.due = task_items(found)

    @rx.event
    async def done(self, task_id: str):
        async for step in self._action(tasks.complete_task, task_id, True, then=self._reload):
            yield step

    async def _reload(self, _result: object = None) -> None:
        await self._reread(tasks.my_due_tasks, then=self._take)

    @rx.event(background=True, supersedes=True)
    async def follow(self):
        """A task of mine fell due: a notice, and the list again."""
        try:
            org, me = await self._unlocked(tasks.whoami)
        except (SignedOut, ServiceError):
            return
        async with self:
            token = self.router.session.client_token
        async with contextlib.aclosing(inbox_live.batches(org)) as stream:
            async for notices in stream:
                if not await inbox_live.connected(token):
                    return
                if given_to(notices, me):
                    yield rx.toast.info(self._t("crm.lead_given_to_you"))
                mine = [n for n in notices if n.get("type") == "task_due"
                        and n.get("user_id") == me]
                if not mine:
                    continue
                try:
                    found = await self._unlocked(tasks.my_due_tasks)
                except (SignedOut, ServiceError):
                    return
                async with self:
                    if self.router.url.path.rstrip("/") not in ("", "/"):
                        return
                    self._take(found)
                for notice in mine:
                    yield rx.toast.info(self._t("home.task_due_now", title=notice["title"]))
