"""/bildirimler: subscriptions to new courses, and which reminders a citizen wants."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain import Preferences, Subscription, Viewer
from bot.errors import DomainError, NotFound
from bot.i18n import N_
from bot.services.reminders import ReminderService
from bot.services.users import UserService
from bot.textsearch import turkish_order
from storage.courses import CourseRepository
from storage.database import Database
from storage.subscriptions import SubscriptionRepository
from storage.users import UserRepository

MAX_SUBSCRIPTIONS = 20


class PreferenceService:
    """Reads and changes one citizen's notification choices."""

    def __init__(self, db: Database, clock: Clock, reminders: ReminderService,
                 users: UserService) -> None:
        self.db = db
        self.clock = clock
        self.reminders = reminders
        self.users = users

    async def get(self, user_id: int) -> tuple[Preferences, list[Subscription]]:
        async with self.db.reading() as conn:
            user = await UserRepository(conn).get(user_id)
            subscriptions = await SubscriptionRepository(conn).for_user(user_id)
        preferences = Preferences(user.class_reminders if user else False,
                                  user.event_reminders if user else True)
        return preferences, subscriptions

    async def set_reminders(self, user_id: int, *, classes: bool | None = None,
                            events: bool | None = None) -> None:
        async with self.db.transaction() as conn:
            await UserRepository(conn).set_preferences(user_id, class_reminders=classes,
                                                       event_reminders=events)
        self.users.forget_cached(user_id)
        if classes:
            await self.reminders.plan_class_reminders_for(user_id)

    async def branches(self, viewer: Viewer) -> list[tuple[int, str]]:
        """The branches this viewer may subscribe to, in Turkish alphabetical order."""
        async with self.db.reading() as conn:
            found = await SubscriptionRepository(conn).branches(staff=viewer.sees_staff_courses)
        return sorted(found, key=lambda branch: turkish_order(branch[1]))

    async def subscribe(self, user_id: int, district_id: int | None,
                        branch_id: int | None) -> None:
        """Hear of new courses in a district, of a branch, or of a branch in a district."""
        async with self.db.transaction() as conn:
            repo = SubscriptionRepository(conn)
            branch = await repo.branch(branch_id) if branch_id else None
            district = (await CourseRepository(conn).district(district_id)
                        if district_id else None)
            if (branch_id and branch is None) or (district_id and district is None) or (
                    district is None and branch is None):
                raise NotFound(N_("That choice is no longer listed. Open /bildirimler again."))
            if len(await repo.for_user(user_id)) >= MAX_SUBSCRIPTIONS:
                raise DomainError(N_("You can keep at most {limit} subscriptions. Remove one "
                                     "first."), limit=MAX_SUBSCRIPTIONS)
            await repo.add(user_id, district.id if district else None, branch,
                           self.clock.now())

    async def unsubscribe(self, user_id: int, subscription_id: int) -> None:
        async with self.db.transaction() as conn:
            await SubscriptionRepository(conn).remove(user_id, subscription_id)
