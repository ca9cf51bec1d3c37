-- Districts, course centres, courses and the people who talk to the bot.
-- Timestamps are UTC ISO-8601 strings; course dates and hours are local (BOT_TIMEZONE).

CREATE TABLE districts (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    search_key TEXT NOT NULL
);

CREATE TABLE centres (
    id            INTEGER PRIMARY KEY,
    district_id   INTEGER NOT NULL REFERENCES districts(id),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    neighbourhood TEXT,
    address       TEXT,
    latitude      REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude     REAL CHECK (longitude BETWEEN -180 AND 180),
    UNIQUE (district_id, name),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

CREATE TABLE courses (
    id                    INTEGER PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    branch                TEXT NOT NULL CHECK (length(branch) BETWEEN 1 AND 100),
    centre_id             INTEGER REFERENCES centres(id),
    start_date            TEXT NOT NULL,
    end_date              TEXT NOT NULL,
    weekdays              INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
    start_time            TEXT NOT NULL,
    end_time              TEXT NOT NULL,
    capacity              INTEGER NOT NULL CHECK (capacity > 0),
    instructor            TEXT,
    description           TEXT,
    min_age               INTEGER CHECK (min_age IS NULL OR min_age BETWEEN 1 AND 120),
    registration_opens_at TEXT,
    audience              TEXT NOT NULL DEFAULT 'halk' CHECK (audience IN ('halk', 'personel')),
    format                TEXT NOT NULL DEFAULT 'yuz_yuze'
                          CHECK (format IN ('yuz_yuze', 'cevrimici')),
    link                  TEXT,
    status                TEXT NOT NULL DEFAULT 'open'
                          CHECK (status IN ('open', 'closed', 'finished')),
    search_key            TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK (end_date >= start_date),
    CHECK (end_time > start_time),
    CHECK (format = 'cevrimici' AND link IS NOT NULL OR format = 'yuz_yuze' AND centre_id IS NOT NULL)
);
CREATE INDEX courses_centre ON courses (centre_id);
CREATE INDEX courses_status ON courses (status, end_date);

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,  -- the Telegram user id
    locale            TEXT CHECK (locale IN ('tr', 'en')),
    telegram_language TEXT,
    first_seen        TEXT NOT NULL,
    last_seen         TEXT NOT NULL,
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
