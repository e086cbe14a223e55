"""The agent page's form: every field as typed, and saving it.

The form is held here field by field, so the "try it" chat (a substate of this one)
answers with what is on the screen before it is saved.
"""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import agents, page_views
from smarterchat.backend.services.page_views import AgentChannel
from smarterchat.state.agent_detail import AgentDetailState

TEXT_FIELDS = ("name", "persona", "tone", "system_message", "business_facts", "greeting",
               "fallback_message", "model", "handoff_message", "outside_hours_message")
SWITCHES = ("on_request", "cancellation", "negative_sentiment", "hot_lead", "business_hours_only")
WORD_LISTS = ("keywords", "cancellation_exceptions")  # comma-separated words an admin adds

ChannelOption = AgentChannel  # the name the page's components know it by


def _percent(fraction: float) -> int:
    return round(fraction * 100)


class AgentFormState(AgentDetailState):
    saved_name: str = ""
    name: str = ""
    persona: str = ""
    tone: str = ""
    system_message: str = ""
    business_facts: str = ""
    rules: list[str] = []
    new_rule: str = ""
    greeting: str = ""
    fallback_message: str = ""
    on_request: bool = True
    cancellation: bool = True
    negative_sentiment: bool = True
    hot_lead: bool = False
    business_hours_only: bool = False
    keywords: list[str] = []
    cancellation_exceptions: list[str] = []
    rules_not_followed: list[str] = []  # as saved, for the provider now answering
    min_confidence: int = _percent(agents.DEFAULT_MIN_CONFIDENCE)
    max_turns: int = 3
    handoff_message: str = ""
    outside_hours_message: str = ""
    model: str = ""
    temperature: float = 0.3
    is_active: bool = True
    channel_ids: list[str] = []
    channel_options: list[ChannelOption] = []
    dirty: bool = False

    save_busy: bool = False
    save_error: str = ""
    save_field: str = ""
    notice: str = ""

    @rx.var
    def temperature_label(self) -> str:
        return f"{self.temperature:.1f}"

    def _reset_part(self) -> None:
        self.notice = self.save_error = self.save_field = ""

    def _take_page(self, page: page_views.AgentPage) -> None:
        self.channel_options = page.channels
        self.rules_not_followed = list(page.rules_not_followed)
        self._show(page.agent)

    def _show(self, view: agents.AgentView) -> None:
        rules = view.handoff_rules
        self.saved_name = self.name = view.name
        self.persona, self.tone = view.persona, view.tone
        self.system_message, self.business_facts = view.system_message, view.business_facts
        self.rules, self.new_rule = list(view.rules), ""
        self.greeting, self.fallback_message = view.greeting, view.fallback_message
        for switch in SWITCHES:
            setattr(self, switch, bool(rules.get(switch)))
        for words in WORD_LISTS:
            setattr(self, words, [str(w) for w in rules.get(words) or []])
        self.min_confidence = _percent(float(rules.get("min_confidence") or 0))
        self.max_turns = int(rules.get("max_turns_without_progress") or 0)
        self.handoff_message = str(rules.get("handoff_message") or "")
        self.outside_hours_message = str(rules.get("outside_hours_message") or "")
        self.model, self.temperature = view.model, float(view.temperature)
        self.is_active = view.is_active
        self.channel_ids = list(view.channel_ids)
        self.dirty = False

    def _draft(self) -> dict:
        """The form as the service takes it."""
        return {
            "name": self.name, "persona": self.persona, "tone": self.tone,
            "system_message": self.system_message, "business_facts": self.business_facts,
            "rules": list(self.rules), "greeting": self.greeting,
            "fallback_message": self.fallback_message, "model": self.model,
            "temperature": self.temperature, "is_active": self.is_active,
            "handoff_rules": {
                **{switch: getattr(self, switch) for switch in SWITCHES},
                **{words: list(getattr(self, words)) for words in WORD_LISTS},
                "min_confidence": self.min_confidence / 100,
                "max_turns_without_progress": self.max_turns,
                "handoff_message": self.handoff_message,
                "outside_hours_message": self.outside_hours_message,
            },
        }

    # ------------------------------------------------------------ editing

    @rx.event
    def set_text(self, field: str, value: str):
        if field in TEXT_FIELDS:
            setattr(self, field, str(value or ""))
            self._changed()

    @rx.event
    def set_switch(self, field: str, value: bool):
        if field in (*SWITCHES, "is_active"):
            setattr(self, field, bool(value))
            self._changed()

    @rx.event
    def set_min_confidence(self, value: list[float] | float):
        value = (value[0] if value else 0) if isinstance(value, list) else value
        self.min_confidence = min(100, max(0, round(float(value or 0))))
        self._changed()

    @rx.event
    def set_temperature(self, value: list[float] | float):
        value = (value[0] if value else 0) if isinstance(value, list) else value
        self.temperature = round(min(2.0, max(0.0, float(value or 0))), 1)
        self._changed()

    @rx.event
    def set_max_turns(self, value: str):
        try:
            self.max_turns = min(20, max(0, int(float(value))))
        except (TypeError, ValueError):
            return  # a half-typed number: keep the last good one
        self._changed()

    @rx.event
    def toggle_channel(self, channel_id: str, checked: bool):
        if not any(o.id == channel_id for o in self.channel_options):
            return
        chosen = [c for c in self.channel_ids if c != channel_id]
        self.channel_ids = [*chosen, channel_id] if checked else chosen
        self._changed()

    def _changed(self) -> None:
        self.dirty = True
        self.notice = ""

    # rules and scripts, in order

    @rx.event
    def set_new_rule(self, value: str):
        self.new_rule = str(value or "")

    @rx.event
    def add_rule(self):
        text = self.new_rule.strip()
        if text:
            self.rules = [*self.rules, text]
            self.new_rule = ""
            self._changed()

    @rx.event
    def set_rule(self, index: int, value: str):
        if 0 <= index < len(self.rules):
            rules = list(self.rules)
            rules[index] = str(value or "")
            self.rules = rules
            self._changed()

    @rx.event
    def remove_rule(self, index: int):
        if 0 <= index < len(self.rules):
            self.rules = [r for i, r in enumerate(self.rules) if i != index]
            self._changed()

    @rx.event
    def move_rule(self, index: int, step: int):
        target = index + step
        if 0 <= index < len(self.rules) and 0 <= target < len(self.rules):
            rules = list(self.rules)
            rules[index], rules[target] = rules[target], rules[index]
            self.rules = rules
            self._changed()

    # handoff keywords and cancellation exceptions

    @rx.event
    def add_words(self, field: str, form: dict):
        """Add the comma-separated words typed in the form's "word" input, once each."""
        if field not in WORD_LISTS:
            return
        current: list[str] = getattr(self, field)
        known = {w.lower() for w in current}
        fresh = []
        for word in (w.strip() for w in str(form.get("word") or "").split(",")):
            if word and word.lower() not in known:
                known.add(word.lower())
                fresh.append(word)
        if fresh:
            setattr(self, field, [*current, *fresh])
            self._changed()

    @rx.event
    def remove_word(self, field: str, word: str):
        if field in WORD_LISTS:
            setattr(self, field, [w for w in getattr(self, field) if w != word])
            self._changed()

    # ------------------------------------------------------------ saving

    @rx.event
    def save(self):
        self.save_field = self.notice = ""
        return self._action(page_views.save_agent, self.agent_key, self._draft(),
                            list(self.channel_ids), busy="save_busy", error="save_error",
                            explain=self._refusal, then=self._saved)

    def _refusal(self, exc: Exception) -> str:
        """The sentence, and the field it is about (shown next to it)."""
        self.save_field = str(getattr(exc, "params", {}).get("field") or "")
        return self._error(exc)

    def _saved(self, saved: page_views.AgentSaved) -> None:
        self.channel_options = saved.channels
        self.rules_not_followed = list(saved.rules_not_followed)
        self._show(saved.agent)
        self.notice = self._t("common.saved")
