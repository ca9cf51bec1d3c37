-- Staff roles granted in the chat, invitation links, and the audit log's before/after.

-- A role granted by an admin (ADMIN_IDS are admins without a row here). Deleting a user's
-- data takes their role with it.
CREATE TABLE staff_roles (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'danisman', 'personel')),
    granted_by INTEGER NOT NULL,
    granted_at TEXT NOT NULL
);

-- `/start davet_<token>` gives the personel role while the link is valid and not used up.
CREATE TABLE invitations (
    id         INTEGER PRIMARY KEY,
    token      TEXT NOT NULL UNIQUE CHECK (length(token) BETWEEN 8 AND 48),
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    max_uses   INTEGER NOT NULL CHECK (max_uses BETWEEN 1 AND 1000),
    uses       INTEGER NOT NULL DEFAULT 0,
    revoked_at TEXT,
    CHECK (uses BETWEEN 0 AND max_uses)
);

-- Who joined through which link (a second tap by the same person is not a second use).
-- Deleting a user's data deletes the row; the link's `uses` count stays.
CREATE TABLE invitation_uses (
    invitation_id INTEGER NOT NULL REFERENCES invitations(id),
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    used_at       TEXT NOT NULL,
    PRIMARY KEY (invitation_id, user_id)
);

ALTER TABLE audit_log ADD COLUMN before TEXT;
ALTER TABLE audit_log ADD COLUMN after TEXT;
