"""The citizen's own data: everything we keep, and deleting it for real (KVKK)."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.domain import RegistrationStatus
from bot.services.dialogues import DialogueService
from bot.services.registrations import RegistrationService
from bot.services.users import UserService
from storage.appointments import AppointmentRepository
from storage.courses import CourseRepository
from storage.database import Database
from storage.dialogues import DialogueRepository
from storage.profiles import ProfileRepository
from storage.registrations import RegistrationRepository
from storage.users import UserRepository

CONSENT_VERSION = "2026-12"  # the version of the KVKK notice; consent is asked once per version


class PrivacyService:
    """Export and deletion of one citizen's personal data."""

    def __init__(self, db: Database, clock: Clock, registrations: RegistrationService,
                 users: UserService, dialogues: DialogueService) -> None:
        self.db = db
        self.clock = clock
        self.registrations = registrations
        self.users = users
        self.dialogues = dialogues

    async def export(self, user_id: int) -> dict[str, Any]:
        """Everything stored about the user, as plain JSON-ready data."""
        async with self.db.reading() as conn:
            user = await UserRepository(conn).get(user_id)
            profile = await ProfileRepository(conn).get(user_id)
            consent_text = await ProfileRepository(conn).consent_text(user_id)
            dialogue = await DialogueRepository(conn).get(user_id)
            appointments = [{
                "at": a.slot.starts_at.isoformat(), "place": a.slot.place, "topic": a.topic.value,
                "status": a.status.value, "outcome": a.outcome.value if a.outcome else None,
                "name_given": a.contact_name,
            } for a in await AppointmentRepository(conn).for_user(user_id)]
            courses = CourseRepository(conn)
            registrations = []
            for r in await RegistrationRepository(conn).for_user(user_id):
                course = await courses.by_id(r.course_id)
                registrations.append({
                    "code": r.code, "course_code": course.code if course else None,
                    "course": course.name if course else None, "status": r.status.value,
                    "waiting_position": r.position, "created_at": r.created_at.isoformat(),
                    "offer_expires_at": r.offer_expires_at.isoformat()
                    if r.offer_expires_at else None,
                })
        return {
            "telegram_user_id": user_id,
            "language": user.locale if user else None,
            "telegram_language": user.telegram_language if user else None,
            "first_seen": user.first_seen.isoformat() if user else None,
            "last_seen": user.last_seen.isoformat() if user else None,
            "full_name": profile.full_name if profile else None,
            "phone": profile.phone if profile else None,
            "birth_year": profile.birth_year if profile else None,
            "consent": {
                "version": profile.consent_version if profile else None,
                "given_at": profile.consent_at.isoformat()
                if profile and profile.consent_at else None,
                "text": consent_text,
            },
            "registrations": registrations,
            "appointments": appointments,
            "dialogue_in_progress": {
                "kind": dialogue.kind, "step": dialogue.step, "data": dialogue.data,
                "deleted_at": (dialogue.updated_at + self.dialogues.ttl).isoformat()
                if dialogue.updated_at else None,
            } if dialogue and not self.dialogues.expired(dialogue) else None,
        }

    async def forget(self, user_id: int) -> int:
        """Cancel the user's seats (the waiting lists move), then delete all personal data.

        Registrations stay as anonymous rows (no user) so that the programme's counts hold.
        Returns how many active registrations were cancelled.
        """
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = RegistrationRepository(conn)
            active = await repo.active_for_user(user_id)
            for registration in active:
                await repo.set_status(registration.id, RegistrationStatus.CANCELLED, now,
                                      reason="data_deleted")
            # Coming appointments free their slots (their reminders go with the user row).
            await AppointmentRepository(conn).forget_user(user_id, now)
            await ProfileRepository(conn).forget_user(user_id)
            for course_id in {r.course_id for r in active}:
                await self.registrations.fill_seats(conn, course_id, now)
        self.registrations.seats_changed()
        self.users.forget_cached(user_id)
        self.dialogues.forget_cached(user_id)
        await self.db.purge_deleted_bytes()
        return len(active)
