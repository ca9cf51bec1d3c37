"""build_application: the one composition root."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

import aiosqlite
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken
from telegram.ext import Application, ContextTypes, Defaults, ExtBot
from telegram.request import HTTPXRequest

from bot.clock import Clock, OffsetFileClock, clock_for
from bot.config import SUPPORTED_LOCALES, ConfigError, Settings
from bot.context import BotContext, Services
from bot.domain import DueAction
from bot.flood import FloodGuard
from bot.i18n import load_catalogues
from bot.jobs import DueActionRunner
from bot.logs import log_loop_exception
from bot.polling import WebhookReadFailure
from bot.ratelimit import RetryAfterLimiter
from bot.screen_bot import ScreenBot
from bot.services.appointments import AppointmentService
from bot.services.audit import AuditService
from bot.services.broadcast_dialogue import BROADCAST_FLOW
from bot.services.broadcasts import BroadcastService
from bot.services.catalogue import Catalogue
from bot.services.course_dialogue import COURSE_FLOW
from bot.services.course_life import CourseLifeService
from bot.services.course_publishing import CoursePublishing
from bot.services.courses import CourseService
from bot.services.dialogues import DialogueService
from bot.services.events import EventService
from bot.services.invitations import InvitationService
from bot.services.mobile import MobilePointService
from bot.services.preferences import PreferenceService
from bot.services.privacy import PrivacyService
from bot.services.registration_dialogue import registration_flow
from bot.services.registrations import OFFER_EXPIRY, RegistrationService
from bot.services.reminders import PLAN_EVERY, ReminderService
from bot.services.retention import RetentionService
from bot.services.roles import RoleService
from bot.services.search import SearchService
from bot.services.staff_courses import StaffCourseService
from bot.services.statistics import StatisticsService
from bot.services.timer import TimerService
from bot.services.update_ledger import SAVE_EVERY, UpdateLedger
from bot.services.users import UserService
from bot.updates import PerChatUpdateProcessor
from handlers import (
    appointments,
    counselling,
    courses,
    dialogue,
    errors,
    events,
    fallback,
    language,
    mine,
    mobile,
    notifications,
    preferences,
    preprocess,
    privacy,
    registration,
    staff_broadcast,
    staff_commands,
    staff_course_add,
    staff_course_file,
    staff_courses,
    staff_events,
    staff_menu,
    staff_reports,
    staff_roles,
    start,
)
from handlers import (
    search as search_handlers,
)
from handlers.callback_data import ButtonRouter
from handlers.commands import CITIZEN_COMMANDS
from storage.database import Database

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
# How often the course life sweep looks for ended courses and new ones to announce.
SWEEP_EVERY = timedelta(minutes=1)
RETENTION_EVERY = 86400  # seconds: the data retention job runs daily
DIALOGUE_SWEEP = 600  # at most this many seconds between deletions of expired dialogues

# Connections to the Bot API kept open for replies. PTB's default allows 256, and httpcore's
# pool does work for every open connection on every request and response: as many as the
# updates served at once (bot/updates.py TURNS) suffice, since a call to Telegram takes
# milliseconds; fewer made requests queue for a connection (bench/throughput.py: about half
# the steps per second with 4). A request waits up to POOL_TIMEOUT for one (PTB's default
# second would turn a burst, or a wave of 429 retries, into lost replies).
CONNECTION_POOL = 8
POOL_TIMEOUT = 30.0



def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    """Create the long-lived services (the database is opened in post_init)."""
    clock = clock or clock_for(settings.test_clock_file)
    db = Database(settings.database_path)
    runner = DueActionRunner()
    catalogue = Catalogue(db, clock, settings.timezone)
    reminders = ReminderService(db, clock, settings, runner.wake)
    registrations = RegistrationService(db, clock, settings, runner.wake, reminders,
                                        catalogue.invalidate)
    users = UserService(db, clock)
    dialogues = DialogueService(db, clock, settings.dialogue_ttl)
    privacy = PrivacyService(db, clock, registrations, users, dialogues)
    dialogues.define(registration_flow(
        lambda: clock.now().astimezone(settings.timezone).date()))
    dialogues.define(staff_events.DRAFT_FLOW)
    dialogues.define(staff_events.CEREMONY_FLOW)
    roles = RoleService(db, clock, settings.admin_ids)
    appointments = AppointmentService(db, clock, settings, reminders, runner.wake)
    dialogues.define(COURSE_FLOW)
    dialogues.define(BROADCAST_FLOW)
    course_service = CourseService(db, clock, settings.timezone, catalogue, reminders)
    course_life = CourseLifeService(db, clock, settings, runner.wake, catalogue.invalidate)
    return Services(
        settings=settings,
        db=db,
        clock=clock,
        catalogues=load_catalogues(),
        users=users,
        courses=course_service,
        registrations=registrations,
        reminders=reminders,
        events=EventService(db, clock, settings, reminders, runner.wake),
        preferences=PreferenceService(db, clock, reminders, users),
        privacy=privacy,
        dialogues=dialogues,
        timer=TimerService(db, clock),
        runner=runner,
        ledger=UpdateLedger(db, clock),
        flood=FloodGuard(),
        course_life=course_life,
        roles=roles,
        invitations=InvitationService(db, clock, roles),
        audit=AuditService(db, settings.admin_ids),
        statistics=StatisticsService(db, clock, settings.timezone, settings.admin_ids),
        staff_courses=StaffCourseService(db, clock, settings.timezone, settings.admin_ids,
                                         catalogue.invalidate),
        search=SearchService(catalogue),
        retention=RetentionService(db, clock, settings, privacy, runner.wake),
        appointments=appointments,
        mobile=MobilePointService(db, clock, settings, appointments, runner.wake),
        # A course published in the chat is announced at once, not at the next sweep.
        publishing=CoursePublishing(db, clock, course_service, registrations,
                                    settings.admin_ids, announce=course_life.announce_new),
        broadcasts=BroadcastService(db, clock, runner.wake, settings.admin_ids),
    )


async def _register_commands(app: AnyApp, services: Services) -> None:
    for locale in SUPPORTED_LOCALES:
        t = services.translator(locale)
        commands = [BotCommand(name, t.label(description))
                    for name, description in CITIZEN_COMMANDS]
        await app.bot.set_my_commands(commands, language_code=locale)
        if locale == services.settings.default_locale:
            await app.bot.set_my_commands(commands)


async def _expire_offer(services: Services, conn: aiosqlite.Connection, action: DueAction,
                        now: datetime) -> None:
    """The durable timer's one database-only action: an unanswered seat offer lapses."""
    await services.registrations.expire_offer(conn, action.ref_id or 0, now)


def _urls(settings: Settings) -> dict[str, str]:
    """The Bot API's base URLs when TELEGRAM_API_BASE_URL is set (PTB's defaults otherwise)."""
    if not settings.api_base_url:
        return {}
    base = settings.api_base_url.rstrip("/")
    return {"base_url": base, "base_file_url": base.removesuffix("/bot") + "/file/bot"}


def _sender_bot(settings: Settings, defaults: Defaults | None) -> ExtBot[None]:
    """The outbox sender's own client: its own connection, so bulk sending never waits for a
    connection that replies hold (and the other way round), and no automatic retry of 429s
    (the sender decides what a failure means)."""
    urls = _urls(settings)
    request = HTTPXRequest(connection_pool_size=1)
    if urls:
        return ExtBot(settings.token, base_url=urls["base_url"],
                      base_file_url=urls["base_file_url"], defaults=defaults, request=request)
    return ExtBot(settings.token, defaults=defaults, request=request)


def _make_bot(settings: Settings) -> ScreenBot:
    """The bot: HTML by default, 429s waited out, a small pool, updates read one by one."""
    urls = _urls(settings)
    return ScreenBot(
        settings.token,
        base_url=urls.get("base_url", "https://api.telegram.org/bot"),
        base_file_url=urls.get("base_file_url", "https://api.telegram.org/file/bot"),
        defaults=Defaults(parse_mode=ParseMode.HTML,
                          link_preview_options=LinkPreviewOptions(is_disabled=True)),
        rate_limiter=RetryAfterLimiter(),
        request=HTTPXRequest(connection_pool_size=CONNECTION_POOL, pool_timeout=POOL_TIMEOUT),
        # On stop, PTB calls getUpdates once more to confirm the last updates; with one
        # connection that call can find it still held by the cancelled long poll (PoolTimeout,
        # an ERROR with a traceback at such a shutdown). A second connection is free for it.
        get_updates_request=HTTPXRequest(connection_pool_size=2),
    )


Work = Callable[[], Awaitable[object]]


def _periodic(name: str, work: Work) -> Callable[[object], Coroutine[Any, Any, None]]:
    """A repeating job's callback. A stop cancels a job that is running (APScheduler's
    executor does); its transaction rolls back and it runs again after the next start, so
    that is said in one line, not as a traceback."""

    async def job(_: object) -> None:
        try:
            await work()
        except asyncio.CancelledError:
            log.info("The periodic job %s was stopped by the shutdown; it runs again at the "
                     "next start", name)

    return job


def _schedule_jobs(app: AnyApp, services: Services) -> None:
    """The periodic jobs, each on PTB's JobQueue (APScheduler) with no misfire grace."""
    settings = services.settings

    async def expire_dialogues() -> None:
        while await services.dialogues.expire() > 0:
            pass

    dialogue_sweep = min(DIALOGUE_SWEEP,
                         max(1, int(settings.dialogue_ttl.total_seconds() / 2)))
    jobs: list[tuple[str, Work, float | timedelta, float | timedelta]] = [
        ("plan_class_reminders", services.reminders.plan_class_reminders, PLAN_EVERY, 1),
        ("save_update_mark", services.ledger.save, SAVE_EVERY, SAVE_EVERY),
        ("retention", services.retention.run, RETENTION_EVERY, 60),
        ("expire_dialogues", expire_dialogues, dialogue_sweep, 5),
        ("course_life", services.course_life.sweep, SWEEP_EVERY, 0.5),
    ]
    clock = services.clock
    if isinstance(clock, OffsetFileClock):
        log.warning("TEST_CLOCK_FILE is set: the clock is moved by a test")

        async def follow_test_clock() -> None:
            if clock.refresh():
                services.runner.clock_jumped()
                await services.course_life.sweep()
                await services.reminders.plan_class_reminders()

        jobs.append(("follow_test_clock", follow_test_clock, 0.2, 0.2))
    assert app.job_queue is not None
    for name, work, interval, first in jobs:
        app.job_queue.run_repeating(_periodic(name, work), interval=interval, first=first,
                                    name=name, job_kwargs={"misfire_grace_time": None})


def build_application(settings: Settings, clock: Clock | None = None) -> AnyApp:
    """Wire settings, services and handlers into a python-telegram-bot Application."""
    services = build_services(settings, clock)
    sender: ExtBot[None] | None = None

    async def post_init(app: AnyApp) -> None:
        asyncio.get_running_loop().set_exception_handler(log_loop_exception)
        await services.db.open()
        await services.db.migrate()
        await services.dialogues.load()
        await services.ledger.load()
        await _register_commands(app, services)
        notifications.register(services.runner)
        appointments.register(services.runner)
        mobile.register(services.runner)
        staff_broadcast.register(services.runner, app.bot, services)
        services.runner.on_database(OFFER_EXPIRY, _expire_offer)
        nonlocal sender
        sender = _sender_bot(settings, app.bot.defaults)
        await sender.initialize()
        await services.runner.start(sender, services)

        _schedule_jobs(app, services)
        # What start-up built (catalogues, the search index, PTB's handlers) lives as long as
        # the process: out of the collector's reach, a full collection no longer walks it,
        # which otherwise showed as the slowest steps (a pause of tens of milliseconds).
        gc.collect()
        gc.freeze()
        log.info("Meslek Kapısı is up as @%s", app.bot.username)

    async def post_shutdown(app: AnyApp) -> None:
        await services.ledger.save()
        await services.runner.stop()
        if sender is not None:
            await sender.shutdown()
        await services.db.close()

    def in_dialogue(update: Update) -> bool:
        user = update.effective_user
        return (update.message is not None and user is not None
                and services.dialogues.may_be_open(user.id))

    builder = (
        Application.builder()
        .bot(_make_bot(settings))
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerChatUpdateProcessor(services.ledger, services.flood, in_dialogue))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    app = builder.build()
    logging.getLogger("telegram.ext.Updater").addFilter(WebhookReadFailure())
    app.bot_data["services"] = services
    app.bot_data[staff_commands.KEY] = staff_commands.StaffCommandMenus()
    app.add_handler(preprocess.preprocess_handler, group=-1)
    app.add_handler(dialogue.answer_handler, group=0)
    app.add_handler(staff_events.ceremony_location_handler(settings.admin_ids), group=1)
    journeys = (start, courses, registration, mine, events, preferences, privacy,
                staff_events, staff_menu, staff_roles, staff_courses, staff_course_add,
                staff_course_file, staff_broadcast, language,
                search_handlers, appointments, counselling, mobile)
    routes = [route for module in (*journeys, dialogue) for route in module.buttons()]
    app.add_handler(ButtonRouter(routes, fallback=fallback.stale_button).handler(), group=1)
    for module in (*journeys, staff_reports, fallback):
        app.add_handlers(module.handlers(), group=1)
    app.add_error_handler(errors.on_error)
    return app


def run(settings: Settings) -> None:
    """Run until stopped: long polling, or a webhook when WEBHOOK_URL is set.

    Raises ConfigError when Telegram rejects the token (getMe answers 401 or 404): python-
    telegram-bot's own message would print the token.
    """
    app = build_application(settings)
    try:
        if settings.webhook_url:
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        raise ConfigError("TELEGRAM_BOT_TOKEN: rejected by Telegram (getMe refused it); "
                          "check the token with @BotFather") from None
