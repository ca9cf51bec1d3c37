-- Pre-registration, personal data, dialogues and the durable timer.

-- Personal data of a citizen, kept apart so that deleting it is one row.
CREATE TABLE profiles (
    user_id         INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    full_name       TEXT CHECK (full_name IS NULL OR length(full_name) BETWEEN 3 AND 100),
    phone           TEXT CHECK (phone IS NULL OR phone GLOB '+[1-9]*'),  -- E.164
    birth_year      INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
    consent_version TEXT,
    consent_at      TEXT,
    consent_text    TEXT
);

-- A seat request. Seats taken = 'registered' + 'offered'; never more than capacity.
-- user_id becomes NULL when the citizen deletes their data (the row stays as a count).
CREATE TABLE registrations (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    course_id        INTEGER NOT NULL REFERENCES courses(id),
    user_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status           TEXT NOT NULL
                     CHECK (status IN ('registered', 'waiting', 'offered', 'cancelled')),
    offer_expires_at TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    ended_reason     TEXT,
    CHECK ((status = 'offered') = (offer_expires_at IS NOT NULL))
);
CREATE UNIQUE INDEX registrations_one_per_course
    ON registrations (course_id, user_id) WHERE status != 'cancelled' AND user_id IS NOT NULL;
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

-- Where a citizen is in a multi-step dialogue, so a restart loses nothing.
CREATE TABLE dialogues (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    step       TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);

-- The durable timer: things to do at a time, each done once.
--   pending → running → done            (database-only actions, one transaction)
--   pending → sending → done | failed   (a message to Telegram)
--   sending at start-up → in_doubt      (a crash during the call: never sent again)
--   pending, too late at start-up → skipped
CREATE TABLE due_actions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
    ref_id     INTEGER,
    payload    TEXT NOT NULL DEFAULT '{}',
    due_at     TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending'
               CHECK (state IN ('pending', 'running', 'sending', 'done', 'failed', 'skipped',
                                'in_doubt', 'cancelled')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    dedup_key  TEXT UNIQUE,
    updated_at TEXT NOT NULL
);
CREATE INDEX due_actions_pending ON due_actions (due_at) WHERE state = 'pending';
CREATE INDEX due_actions_ref ON due_actions (kind, ref_id);
