"""The typed callback context: services, translator and viewer for the current update."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel.support import Translations
from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.domain import Dialogue, Viewer
from bot.flood import FloodGuard
from bot.i18n import Translator
from bot.jobs import DueActionRunner
from bot.services.appointments import AppointmentService
from bot.services.audit import AuditService
from bot.services.broadcasts import BroadcastService
from bot.services.course_life import CourseLifeService
from bot.services.course_publishing import CoursePublishing
from bot.services.courses import CourseService
from bot.services.dialogues import DialogueService
from bot.services.events import EventService
from bot.services.invitations import InvitationService
from bot.services.mobile import MobilePointService
from bot.services.preferences import PreferenceService
from bot.services.privacy import PrivacyService
from bot.services.registrations import RegistrationService
from bot.services.reminders import ReminderService
from bot.services.retention import RetentionService
from bot.services.roles import RoleService
from bot.services.search import SearchService
from bot.services.staff_courses import StaffCourseService
from bot.services.statistics import StatisticsService
from bot.services.timer import TimerService
from bot.services.update_ledger import UpdateLedger
from bot.services.users import UserService
from storage.database import Database


@dataclass
class Services:
    """Everything long-lived the handlers use, created once at start-up."""

    settings: Settings
    db: Database
    clock: Clock
    catalogues: dict[str, Translations]
    users: UserService
    courses: CourseService
    registrations: RegistrationService
    reminders: ReminderService
    events: EventService
    preferences: PreferenceService
    privacy: PrivacyService
    dialogues: DialogueService
    timer: TimerService
    runner: DueActionRunner
    course_life: CourseLifeService
    roles: RoleService
    invitations: InvitationService
    audit: AuditService
    statistics: StatisticsService
    staff_courses: StaffCourseService
    search: SearchService
    retention: RetentionService
    appointments: AppointmentService
    mobile: MobilePointService
    publishing: CoursePublishing
    broadcasts: BroadcastService
    ledger: UpdateLedger
    flood: FloodGuard
    translators: dict[str, Translator] = field(default_factory=dict)

    def translator(self, locale: str) -> Translator:
        """The translator for a locale: one per locale, shared by every update."""
        found = self.translators.get(locale)
        if found is None:
            found = Translator(self.catalogues[locale], locale, self.settings.timezone)
            self.translators[locale] = found
        return found


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with `.services`, and `.t`, `.viewer` and `.dialogue` (the dialogue the
    user is in, if any) set by the preprocess handler."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self._t: Translator | None = None
        self._viewer: Viewer | None = None
        self.dialogue: Dialogue | None = None
        self.left: Dialogue | None = None  # the dialogue this update left, if any

    @property
    def services(self) -> Services:
        services: Services = self.application.bot_data["services"]
        return services

    @property
    def t(self) -> Translator:
        if self._t is None:
            self._t = self.services.translator(self.services.settings.default_locale)
        return self._t

    @t.setter
    def t(self, translator: Translator) -> None:
        self._t = translator

    @property
    def viewer(self) -> Viewer:
        if self._viewer is None:
            raise RuntimeError("viewer is set by the preprocess handler")
        return self._viewer

    @viewer.setter
    def viewer(self, viewer: Viewer) -> None:
        self._viewer = viewer
