-- A course's life: registrations complete, offers remember their message, ceremonies their
-- own map pin, and each published course is announced once.

-- 'completed': the course has ended; the registration is the trainee's history.
-- offer_message_id: the seat offer's message, edited when the offer closes.
-- position_told: the waiting-list position the citizen last heard, so a move is told once.
CREATE TABLE registrations_next (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    course_id        INTEGER NOT NULL REFERENCES courses(id),
    user_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status           TEXT NOT NULL
                     CHECK (status IN ('registered', 'waiting', 'offered', 'cancelled',
                                       'completed')),
    offer_expires_at TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    ended_reason     TEXT,
    offer_message_id INTEGER,
    position_told    INTEGER,
    CHECK ((status = 'offered') = (offer_expires_at IS NOT NULL))
);
INSERT INTO registrations_next (id, code, course_id, user_id, status, offer_expires_at,
                                created_at, updated_at, ended_reason)
    SELECT id, code, course_id, user_id, status, offer_expires_at, created_at, updated_at,
           ended_reason FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_next RENAME TO registrations;

CREATE UNIQUE INDEX registrations_one_per_course
    ON registrations (course_id, user_id)
    WHERE status NOT IN ('cancelled', 'completed') AND user_id IS NOT NULL;
CREATE INDEX registrations_course ON registrations (course_id, status, id);
CREATE INDEX registrations_user ON registrations (user_id, status);

CREATE TRIGGER registrations_capacity_insert
BEFORE INSERT ON registrations WHEN NEW.status IN ('registered', 'offered')
BEGIN
    SELECT RAISE(ABORT, 'course is full')
    WHERE (SELECT count(*) FROM registrations
           WHERE course_id = NEW.course_id AND status IN ('registered', 'offered'))
          >= (SELECT capacity FROM courses WHERE id = NEW.course_id);
END;

CREATE TRIGGER registrations_capacity_update
BEFORE UPDATE OF status ON registrations
WHEN NEW.status IN ('registered', 'offered') AND OLD.status NOT IN ('registered', 'offered')
BEGIN
    SELECT RAISE(ABORT, 'course is full')
    WHERE (SELECT count(*) FROM registrations
           WHERE course_id = NEW.course_id AND status IN ('registered', 'offered'))
          >= (SELECT capacity FROM courses WHERE id = NEW.course_id);
END;

-- The ceremony's own map pin (a known centre's, or one staff shared), or none.
ALTER TABLE events ADD COLUMN latitude REAL CHECK (latitude BETWEEN -90 AND 90);
ALTER TABLE events ADD COLUMN longitude REAL CHECK (longitude BETWEEN -180 AND 180);

-- Courses whose publication was announced to subscribers: each once. Courses that existed
-- before this table are taken as announced (their subscribers were never promised them).
CREATE TABLE course_announcements (
    course_id    INTEGER PRIMARY KEY REFERENCES courses(id),
    announced_at TEXT NOT NULL
);
INSERT INTO course_announcements (course_id, announced_at)
    SELECT id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') FROM courses;

