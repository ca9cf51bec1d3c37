-- Ceremonies, exhibitions and panels; subscriptions; reminder preferences; the audit log.

ALTER TABLE users ADD COLUMN class_reminders INTEGER NOT NULL DEFAULT 0
    CHECK (class_reminders IN (0, 1));
ALTER TABLE users ADD COLUMN event_reminders INTEGER NOT NULL DEFAULT 1
    CHECK (event_reminders IN (0, 1));

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('ceremony', 'exhibition', 'panel')),
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at  TEXT NOT NULL,
    place      TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
    course_id  INTEGER REFERENCES courses(id),  -- a ceremony's course
    status     TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    created_by INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((kind = 'ceremony') = (course_id IS NOT NULL))
);
CREATE UNIQUE INDEX events_one_ceremony_per_course
    ON events (course_id) WHERE kind = 'ceremony' AND status = 'scheduled';
CREATE INDEX events_upcoming ON events (status, starts_at);

-- Whom an exhibition or panel concerns; none at all means the whole city.
CREATE TABLE event_districts (
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    district_id INTEGER NOT NULL REFERENCES districts(id),
    PRIMARY KEY (event_id, district_id)
);
CREATE TABLE event_courses (
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses(id),
    PRIMARY KEY (event_id, course_id)
);

-- "Tell me when a course opens": a district, a branch, or both (NULL = any).
CREATE TABLE subscriptions (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    district_id INTEGER REFERENCES districts(id),
    branch      TEXT,
    created_at  TEXT NOT NULL,
    CHECK (district_id IS NOT NULL OR branch IS NOT NULL)
);
CREATE UNIQUE INDEX subscriptions_unique
    ON subscriptions (user_id, coalesce(district_id, 0), coalesce(branch, ''));
CREATE INDEX subscriptions_district ON subscriptions (district_id);

-- Branches as a list to choose from (kept by the course import).
CREATE TABLE branches (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO branches (name) SELECT DISTINCT branch FROM courses;

-- Who did what, when: every staff action.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT '',
    at      TEXT NOT NULL
);

CREATE INDEX due_actions_sending ON due_actions (state) WHERE state = 'sending';
