/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabHistory"

#include "config.h"

#include "im/confab-history-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

/* "Conf": tells our file from another program's SQLite database. */
#define CONFAB_HISTORY_APPLICATION_ID 0x436f6e66

/* migrations[i] takes the schema from user_version i to i + 1. Existing
 * entries never change once released: add a new one instead.
 *
 * messages.body is NULL when the body is byte for byte the UTF-8 in
 * messages.text (most chat messages), so text is not stored twice.
 * Timestamps are microseconds since the Unix epoch, UTC. The
 * conversations table is kept by a trigger, so the conversation list
 * does not scan every message; it has no index on last_timestamp, which
 * would cost a page write per message to save sorting a few hundred rows.
 * Every insert writes about ten pages, one transaction each: keep the
 * indexes few. */
static const char *const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE messages ("
  "  id             INTEGER PRIMARY KEY,"
  "  message_id     TEXT NOT NULL,"
  "  conversation   TEXT NOT NULL,"
  "  direction      TEXT NOT NULL,"
  "  sender_uri     TEXT,"
  "  sender_display TEXT,"
  "  content_type   TEXT NOT NULL,"
  "  body           BLOB,"
  "  text           TEXT,"
  "  timestamp      INTEGER NOT NULL,"
  "  state          TEXT NOT NULL,"
  "  error          TEXT,"
  "  unread         INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX messages_by_time ON messages (conversation, timestamp);"
  "CREATE INDEX messages_by_message_id ON messages (message_id);"
  "CREATE INDEX messages_sending ON messages (state) WHERE state = 'sending';"
  "CREATE INDEX messages_unread ON messages (conversation) WHERE unread;"
  "CREATE TABLE conversations ("
  "  uri            TEXT PRIMARY KEY,"
  "  last_id        INTEGER NOT NULL,"
  "  last_timestamp INTEGER NOT NULL,"
  "  unread         INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER messages_summarize AFTER INSERT ON messages BEGIN"
  "  INSERT INTO conversations (uri, last_id, last_timestamp, unread)"
  "  VALUES (new.conversation, new.id, new.timestamp, new.unread)"
  "  ON CONFLICT (uri) DO UPDATE SET"
  "    last_id = CASE WHEN excluded.last_timestamp >= last_timestamp"
  "                   THEN excluded.last_id ELSE last_id END,"
  "    last_timestamp = max (last_timestamp, excluded.last_timestamp),"
  "    unread = unread + excluded.unread;"
  "END;",

  /* 1 → 2: file transfers. size and bytes are guint64 stored bit for bit
   * in SQLite's signed integers. Hashes are looked up ignoring case (hex
   * digits); listing sorts, without an index, as transfers are few and
   * their rows are rewritten on every progress update. */
  "CREATE TABLE transfers ("
  "  id             INTEGER PRIMARY KEY,"
  "  transfer_id    TEXT,"
  "  session_id     TEXT,"
  "  local_uri      TEXT,"
  "  remote_uri     TEXT,"
  "  remote_display TEXT,"
  "  incoming       INTEGER NOT NULL,"
  "  pull           INTEGER NOT NULL,"
  "  name           TEXT,"
  "  content_type   TEXT,"
  "  size           INTEGER NOT NULL,"
  "  hash           TEXT,"
  "  path           TEXT,"
  "  bytes          INTEGER NOT NULL,"
  "  state          TEXT NOT NULL,"
  "  error          TEXT,"
  "  started        INTEGER NOT NULL,"
  "  finished       INTEGER NOT NULL"
  ");"
  "CREATE INDEX transfers_by_hash ON transfers (hash COLLATE NOCASE) WHERE hash IS NOT NULL;",

  /* 2 → 3: chat rooms. recipient_uri is the participant a private message
   * went to or came for (CPIM To other than the room): a row is private
   * exactly when it is not NULL, as ConfabChatMessage has it. status_kind
   * says what a direction = 'status' row is ("room-notice" for a room's
   * notices; NULL on other rows). Both stay NULL on older rows, which had
   * no private or status messages. */
  "ALTER TABLE messages ADD COLUMN recipient_uri TEXT;"
  "ALTER TABLE messages ADD COLUMN status_kind TEXT;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CONFAB_HISTORY_SCHEMA_VERSION);

/* An external-content index over messages.text: substring search with
 * MATCH for needles of three characters or more (without the per-row
 * sizes only ranking needs). Not part of the
 * versioned schema because it depends on how SQLite was built; created
 * (and filled from existing rows) whenever it becomes possible. */
static const char fulltext_schema[] =
  "CREATE VIRTUAL TABLE messages_fts USING fts5 ("
  "  text, content = 'messages', content_rowid = 'id', tokenize = 'trigram',"
  "  columnsize = 0);"
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages"
  "  WHEN new.text IS NOT NULL BEGIN"
  "  INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);"
  "END;"
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages"
  "  WHEN old.text IS NOT NULL BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);"
  "END;"
  "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');";

gboolean
_confab_history_set_error (GError    **error,
                           sqlite3    *db,
                           int         rc,
                           const char *path)
{
  const char *detail = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff) {
  case SQLITE_NOTADB:
  case SQLITE_CORRUPT:
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The chat history “%s” is damaged or is not a Confab history (%s). "
                   "Move the file aside to start a new history."),
                 path, detail);
    break;
  case SQLITE_FULL:
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The chat history “%s” could not be saved: the disk is full. "
                   "Free some space and try again."),
                 path);
    break;
  case SQLITE_CANTOPEN:
  case SQLITE_PERM:
  case SQLITE_READONLY:
  case SQLITE_AUTH:
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The chat history “%s” cannot be opened for writing (%s). "
                   "Check the permissions of the file and its folder."),
                 path, detail);
    break;
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The chat history “%s” is locked by another program (%s). "
                   "Try again in a moment."),
                 path, detail);
    break;
  default:
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The chat history “%s” failed: %s"), path, detail);
  }
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *path,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _confab_history_set_error (error, db, rc, path);
  return TRUE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *path,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK) {
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
      *value = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      *value = 0;
      rc = SQLITE_OK;
    }
  }
  if (rc != SQLITE_OK) {
    _confab_history_set_error (error, db, rc, path);
    sqlite3_finalize (stmt);
    return FALSE;
  }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* confab_casefold(x): Unicode case folding for the search fallback (SQLite's
 * own LIKE and lower() only fold ASCII). */
static void
sql_casefold (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  int length = sqlite3_value_bytes (argv[0]);
  char *folded;

  if (!text) {
    sqlite3_result_null (context);
    return;
  }
  folded = g_utf8_casefold (text, length);
  sqlite3_result_text (context, folded, -1, g_free);
}

static gboolean
migrate (sqlite3     *db,
         const char  *path,
         GError     **error)
{
  gint64 version = 0;
  gint64 application_id = 0;
  gint64 objects = 0;

  if (!query_int (db, path, "PRAGMA user_version", &version, error) ||
      !query_int (db, path, "PRAGMA application_id", &application_id, error) ||
      !query_int (db, path, "SELECT count(*) FROM sqlite_schema", &objects, error))
    return FALSE;

  if (version == 0 && objects > 0 && application_id != CONFAB_HISTORY_APPLICATION_ID) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The file “%s” is another program’s database, not a Confab chat history. "
                   "Choose another file."),
                 path);
    return FALSE;
  }
  if (version > CONFAB_HISTORY_SCHEMA_VERSION) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The chat history “%s” was written by a newer version of Confab. "
                   "Update Confab to open it."),
                 path);
    return FALSE;
  }

  for (gint64 v = version; v < CONFAB_HISTORY_SCHEMA_VERSION; v++) {
    g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, v + 1);

    g_debug ("Upgrading the history schema of %s from version %" G_GINT64_FORMAT, path, v);
    if (!exec (db, path, migrations[v], error) || !exec (db, path, bump, error))
      return FALSE;
  }
  if (version == 0) {
    g_autofree char *set_id =
      g_strdup_printf ("PRAGMA application_id = %d", CONFAB_HISTORY_APPLICATION_ID);

    if (!exec (db, path, set_id, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
prepare_fulltext (sqlite3     *db,
                  const char  *path,
                  gboolean    *fulltext,
                  GError     **error)
{
  gint64 present = 0;
  int rc;

  if (!query_int (db, path,
                  "SELECT count(*) FROM sqlite_schema WHERE name = 'messages_fts'",
                  &present, error))
    return FALSE;

  if (!present) {
    rc = sqlite3_exec (db, "SAVEPOINT fulltext", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
      return _confab_history_set_error (error, db, rc, path);
    rc = sqlite3_exec (db, fulltext_schema, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
      /* Most likely an SQLite without FTS5 or without the trigram
       * tokenizer (before 3.34): search scans instead. */
      g_info ("No full-text index for %s: %s", path, sqlite3_errmsg (db));
      sqlite3_exec (db, "ROLLBACK TO fulltext", NULL, NULL, NULL);
    }
    if (!exec (db, path, "RELEASE fulltext", error))
      return FALSE;
    *fulltext = rc == SQLITE_OK;
    return TRUE;
  }

  /* Made by an SQLite with FTS5: this one needs it too, as the triggers
   * write to the index on every insert. */
  rc = sqlite3_exec (db, "SELECT rowid FROM messages_fts WHERE 0", NULL, NULL, NULL);
  if (rc != SQLITE_OK && sqlite3_compileoption_used ("ENABLE_FTS5")) {
    /* FTS5 is there, so the index's own tables are damaged. */
    return _confab_history_set_error (error, db, SQLITE_CORRUPT, path);
  } else if (rc != SQLITE_OK) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The chat history “%s” has a search index this build of SQLite "
                   "cannot use (%s)."),
                 path, sqlite3_errmsg (db));
    return FALSE;
  }
  *fulltext = TRUE;
  return TRUE;
}

gboolean
_confab_history_schema_prepare (sqlite3     *db,
                                const char  *path,
                                gboolean    *fulltext,
                                GError     **error)
{
  gint64 ignored = 0;
  int rc;

  g_assert (db != NULL);
  g_assert (fulltext != NULL);

  sqlite3_extended_result_codes (db, TRUE);
  /* Another instance may be writing (WAL allows one writer): wait for it. */
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_create_function_v2 (db, "confab_casefold", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, sql_casefold, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return _confab_history_set_error (error, db, rc, path);

  /* The first statement that reads the file: a file that is not a
   * database fails here with SQLITE_NOTADB. WAL lets readers and the
   * writer proceed together; with WAL, synchronous=NORMAL is still
   * consistent after a crash (the last commits may be lost on power
   * loss, never the file). */
  if (!query_int (db, path, "PRAGMA journal_mode = WAL", &ignored, error) ||
      !exec (db, path, "PRAGMA synchronous = NORMAL", error))
    return FALSE;

  /* IMMEDIATE: two instances opening at once upgrade the schema once. */
  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!migrate (db, path, error) ||
      !prepare_fulltext (db, path, fulltext, error) ||
      !exec (db, path, "COMMIT", error)) {
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    return FALSE;
  }
  return TRUE;
}
