-- DATA_RETENTION: when a citizen was told that their data will be deleted for lack of use.
-- A warning counts only while it is newer than the citizen's last message (last_seen).
ALTER TABLE users ADD COLUMN retention_warned_at TEXT;
CREATE INDEX users_last_seen ON users (last_seen);
