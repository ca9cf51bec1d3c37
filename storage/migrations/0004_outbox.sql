-- One outbox: due actions that send a message gain a lane, their rendering and part-by-part
-- progress; broadcasts are rows of their own, their recipients due actions in the bulk lane.

-- 0 = personal and time-bound (a seat offer, a reminder due now), 1 = bulk (a broadcast).
ALTER TABLE due_actions ADD COLUMN lane INTEGER NOT NULL DEFAULT 0 CHECK (lane IN (0, 1));
-- The message as rendered when it was first taken (JSON list of parts), so a retry or a
-- restart sends what was rendered then, and only the parts not yet sent; cleared once the
-- action is finished.
ALTER TABLE due_actions ADD COLUMN rendered TEXT;
ALTER TABLE due_actions ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
-- Why an action ended failed or skipped: blocked, refused, gave_up, inactive, stopped…
ALTER TABLE due_actions ADD COLUMN reason TEXT;

CREATE INDEX due_actions_lane ON due_actions (lane, due_at) WHERE state = 'pending';

CREATE TABLE broadcasts (
    id           INTEGER PRIMARY KEY,
    text         TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4096),
    audience     TEXT NOT NULL,          -- e.g. "all", "district:3", "branch:Muhasebe", "course:7"
    created_by   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    total        INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'stopped')),
    -- The staff member's progress message, edited as the broadcast goes (set by the console).
    report_chat_id    INTEGER,
    report_message_id INTEGER
);
