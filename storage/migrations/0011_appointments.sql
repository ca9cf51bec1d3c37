-- Career counselling: the mobile employment point's visits, counsellors' working windows,
-- their slots, and appointments. Instants are UTC ISO-8601; `day` is the local date.

CREATE TABLE mobile_visits (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts(id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    place       TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
    latitude    REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude   REAL CHECK (longitude BETWEEN -180 AND 180),
    status      TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX mobile_visits_upcoming ON mobile_visits (status, starts_at);

-- A counsellor's working window, cut into slots of `slot_minutes`; at a centre or place, or
-- on a mobile point's visit.
CREATE TABLE counselling_windows (
    id              INTEGER PRIMARY KEY,
    counsellor_id   INTEGER NOT NULL,
    day             TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    slot_minutes    INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
    place           TEXT CHECK (place IS NULL OR length(place) BETWEEN 1 AND 200),
    latitude        REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude       REAL CHECK (longitude BETWEEN -180 AND 180),
    mobile_visit_id INTEGER REFERENCES mobile_visits(id),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at      TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX counselling_windows_counsellor ON counselling_windows (counsellor_id, day);

CREATE TABLE slots (
    id        INTEGER PRIMARY KEY,
    window_id INTEGER NOT NULL REFERENCES counselling_windows(id),
    starts_at TEXT NOT NULL,
    ends_at   TEXT NOT NULL,
    status    TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    UNIQUE (window_id, starts_at),
    CHECK (ends_at > starts_at)
);
CREATE INDEX slots_upcoming ON slots (status, starts_at);

-- `holds` = 1 while the appointment is the citizen's one active appointment (booked, not yet
-- marked, cancelled or past). user_id becomes NULL when the citizen deletes their data.
CREATE TABLE appointments (
    id           INTEGER PRIMARY KEY,
    slot_id      INTEGER NOT NULL REFERENCES slots(id),
    user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    topic        TEXT NOT NULL CHECK (topic IN ('job_search', 'cv', 'interview', 'career')),
    contact_name TEXT CHECK (contact_name IS NULL OR length(contact_name) <= 130),
    status       TEXT NOT NULL DEFAULT 'booked'
                 CHECK (status IN ('booked', 'cancelled', 'attended', 'no_show')),
    outcome      TEXT CHECK (outcome IS NULL OR outcome IN ('referred', 'placed')),
    holds        INTEGER NOT NULL DEFAULT 1 CHECK (holds IN (0, 1)),
    ended_reason TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (holds = 0 OR status = 'booked'),
    CHECK (outcome IS NULL OR status = 'attended')
);
-- A slot is booked by at most one citizen; a citizen holds at most one appointment.
CREATE UNIQUE INDEX appointments_one_per_slot ON appointments (slot_id)
    WHERE status != 'cancelled';
CREATE UNIQUE INDEX appointments_one_per_citizen ON appointments (user_id)
    WHERE holds = 1 AND user_id IS NOT NULL;
CREATE INDEX appointments_user ON appointments (user_id, status);
