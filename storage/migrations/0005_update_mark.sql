-- The newest Telegram update the bot finished, so that one re-delivered after a restart is
-- not acted on again (bot/services/update_ledger.py). One row at most.
CREATE TABLE update_mark (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    update_id  INTEGER NOT NULL,
    saved_at   TEXT NOT NULL
);
