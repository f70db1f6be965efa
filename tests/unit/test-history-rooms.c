/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "im/confab-history.h"
#include "im/confab-history-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <string.h>

/* Chat rooms in the history (schema version 3): private messages keep
 * their recipient, a room's notices are kept as status lines with their
 * kind, both read back as they were stored; files written by the SQL of
 * versions 1 and 2 (copied here as released) are upgraded in place and
 * keep every row. */

#define ROOM  "sip:room1@conference.example.org"
#define ME    "sip:alice@example.org"
#define DAVE  "sip:dave@example.org"
#define CAROL "sip:carol@example.org"

/* Every test gets a folder of its own under a temporary root, removed at
 * the end (as in test-history.c). */
static char *test_root;

/* The schema of version 1, as released (confab-history-schema.c). */
static const char schema_v1[] =
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
  "END;";

/* What version 2 added. */
static const char schema_v2[] =
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
  "CREATE INDEX transfers_by_hash ON transfers (hash COLLATE NOCASE) WHERE hash IS NOT NULL;";

/* The search index every version made when SQLite had FTS5. */
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

/* Rows as those versions wrote them: a conversation with bob (one
 * message read, one not, one sent), and one in a room. Times are
 * microseconds since 2023-11-14 22:13:20 UTC. */
static const char old_rows[] =
  "INSERT INTO messages (message_id, conversation, direction, sender_uri, sender_display,"
  " content_type, body, text, timestamp, state, error, unread) VALUES"
  " ('m1', 'sip:bob@example.org', 'incoming', 'sip:bob@example.org', 'Bob',"
  "  'text/plain', NULL, 'hello from the old days', 1700000001000000, 'received', NULL, 0),"
  " ('m2', 'sip:bob@example.org', 'outgoing', '" ME "', NULL,"
  "  'text/plain', NULL, 'an answer', 1700000002000000, 'delivered', NULL, 0),"
  " ('m3', 'sip:bob@example.org', 'incoming', 'sip:bob@example.org', 'Bob',"
  "  'text/plain', NULL, 'still there?', 1700000003000000, 'received', NULL, 1),"
  " ('m4', '" ROOM "', 'incoming', '" CAROL "', 'carol',"
  "  'text/plain', NULL, 'hi room', 1700000004000000, 'received', NULL, 1);";

static char *
test_file (const char *name)
{
  g_autofree char *dir = g_build_filename (test_root, g_test_get_path (), NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static ConfabHistory *
open_history (const char *path)
{
  g_autoptr (GError) error = NULL;
  ConfabHistory *history = confab_history_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (history);
  return history;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The text of the first row of @sql, or NULL for SQL NULL. */
static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Whether the messages table has @column. */
static gboolean
has_column (const char *path,
            const char *column)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT count(*) FROM pragma_table_info('messages') WHERE name = '%s'",
                     column);

  return query_int (path, sql) == 1;
}

/* A history file as Confab wrote it at @version (1 or 2), with old_rows. */
static void
write_old_history (const char *path,
                   guint       version)
{
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u;", version);

  g_assert_true (version == 1 || version == 2);
  exec_sql (path, "PRAGMA journal_mode = WAL; BEGIN IMMEDIATE;");
  exec_sql (path, schema_v1);
  if (version >= 2)
    exec_sql (path, schema_v2);
  exec_sql (path, fulltext_schema);
  exec_sql (path, old_rows);
  exec_sql (path, bump);
  exec_sql (path, "PRAGMA application_id = 1131375974;"); /* "Conf" */
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, version);
  g_assert_false (has_column (path, "recipient_uri"));
}

static GPtrArray *
load (ConfabHistory *history,
      const char    *conversation)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *page = confab_history_load (history, conversation, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

static GDateTime *
time_at (gint64 seconds)
{
  return g_date_time_new_from_unix_utc (1700000000 + seconds);
}

static ConfabChatMessage *
new_message (ConfabChatDirection  direction,
             const char          *sender_uri,
             const char          *sender_display,
             const char          *text,
             gint64               seconds)
{
  g_autoptr (GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr (GDateTime) when = time_at (seconds);

  return confab_chat_message_new (NULL, direction, ROOM, sender_uri, sender_display,
                                  "text/plain", body, when);
}

static void
add (ConfabHistory     *history,
     ConfabChatMessage *message)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (confab_history_add (history, message, &error));
  g_assert_no_error (error);
  g_assert_cmpint (confab_chat_message_get_row_id (message), >, 0);
}

/* What a room's chat puts in the history: our private message to dave,
 * carol's to us, a public one, the room's notice and one of Confab's own
 * status lines (which the session manager does not store; the store
 * itself keeps what it is given). */
static void
add_room_messages (ConfabHistory *history)
{
  g_autoptr (ConfabChatMessage) to_dave = new_message (CONFAB_CHAT_DIRECTION_OUTGOING, ME,
                                                       "Alice", "only for dave", 10);
  g_autoptr (ConfabChatMessage) from_carol = new_message (CONFAB_CHAT_DIRECTION_INCOMING, CAROL,
                                                          "carol", "only for alice", 11);
  g_autoptr (ConfabChatMessage) public = new_message (CONFAB_CHAT_DIRECTION_INCOMING, DAVE,
                                                      "dave", "for everyone", 12);
  g_autoptr (ConfabChatMessage) notice = new_message (CONFAB_CHAT_DIRECTION_STATUS, ROOM,
                                                      "Conference Room",
                                                      "erin has joined the room", 13);
  g_autoptr (ConfabChatMessage) local = new_message (CONFAB_CHAT_DIRECTION_STATUS, NULL, NULL,
                                                     "An image was too large to show", 14);

  confab_chat_message_set_recipient_uri (to_dave, DAVE);
  confab_chat_message_set_recipient_uri (from_carol, ME);
  confab_chat_message_set_status_kind (notice, CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);
  g_assert_true (confab_chat_message_is_private (to_dave));
  add (history, to_dave);
  add (history, from_carol);
  add (history, public);
  add (history, notice);
  add (history, local);
}

/* The five messages of add_room_messages(), as read back. */
static void
check_room_messages (GPtrArray *page,
                     guint      first)
{
  ConfabChatMessage *to_dave;
  ConfabChatMessage *from_carol;
  ConfabChatMessage *public;
  ConfabChatMessage *notice;
  ConfabChatMessage *local;

  g_assert_cmpuint (page->len, ==, first + 5);
  to_dave = g_ptr_array_index (page, first);
  from_carol = g_ptr_array_index (page, first + 1);
  public = g_ptr_array_index (page, first + 2);
  notice = g_ptr_array_index (page, first + 3);
  local = g_ptr_array_index (page, first + 4);

  g_assert_cmpstr (confab_chat_message_get_text (to_dave), ==, "only for dave");
  g_assert_cmpint (confab_chat_message_get_direction (to_dave), ==,
                   CONFAB_CHAT_DIRECTION_OUTGOING);
  g_assert_true (confab_chat_message_is_private (to_dave));
  g_assert_cmpstr (confab_chat_message_get_recipient_uri (to_dave), ==, DAVE);
  g_assert_cmpint (confab_chat_message_get_status_kind (to_dave), ==,
                   CONFAB_CHAT_STATUS_KIND_NONE);

  g_assert_cmpstr (confab_chat_message_get_text (from_carol), ==, "only for alice");
  g_assert_cmpint (confab_chat_message_get_direction (from_carol), ==,
                   CONFAB_CHAT_DIRECTION_INCOMING);
  g_assert_true (confab_chat_message_is_private (from_carol));
  g_assert_cmpstr (confab_chat_message_get_recipient_uri (from_carol), ==, ME);
  g_assert_cmpstr (confab_chat_message_get_sender_uri (from_carol), ==, CAROL);

  g_assert_cmpstr (confab_chat_message_get_text (public), ==, "for everyone");
  g_assert_false (confab_chat_message_is_private (public));
  g_assert_null (confab_chat_message_get_recipient_uri (public));
  g_assert_cmpint (confab_chat_message_get_status_kind (public), ==,
                   CONFAB_CHAT_STATUS_KIND_NONE);

  g_assert_cmpstr (confab_chat_message_get_text (notice), ==, "erin has joined the room");
  g_assert_cmpint (confab_chat_message_get_direction (notice), ==, CONFAB_CHAT_DIRECTION_STATUS);
  g_assert_cmpint (confab_chat_message_get_status_kind (notice), ==,
                   CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);
  g_assert_cmpstr (confab_chat_message_get_sender_uri (notice), ==, ROOM);
  g_assert_cmpstr (confab_chat_message_get_sender_display (notice), ==, "Conference Room");
  g_assert_false (confab_chat_message_is_private (notice));

  g_assert_cmpint (confab_chat_message_get_direction (local), ==, CONFAB_CHAT_DIRECTION_STATUS);
  g_assert_cmpint (confab_chat_message_get_status_kind (local), ==,
                   CONFAB_CHAT_STATUS_KIND_LOCAL);
  g_assert_null (confab_chat_message_get_sender_uri (local));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The kind a status line has, and that other messages have none. */
static void
test_rooms_status_kind (void)
{
  g_autoptr (ConfabChatMessage) status = new_message (CONFAB_CHAT_DIRECTION_STATUS, NULL, NULL,
                                                      "line", 1);
  g_autoptr (ConfabChatMessage) message = new_message (CONFAB_CHAT_DIRECTION_INCOMING, DAVE,
                                                       NULL, "text", 2);
  ConfabChatStatusKind kind = CONFAB_CHAT_STATUS_KIND_NONE;
  guint notified = 0;

  g_assert_cmpint (confab_chat_message_get_status_kind (status), ==,
                   CONFAB_CHAT_STATUS_KIND_LOCAL);
  g_signal_connect (status, "notify::status-kind", G_CALLBACK (count_notify), &notified);
  confab_chat_message_set_status_kind (status, CONFAB_CHAT_STATUS_KIND_LOCAL);
  g_assert_cmpuint (notified, ==, 0); /* it was LOCAL already */
  confab_chat_message_set_status_kind (status, CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (status, "status-kind", &kind, NULL);
  g_assert_cmpint (kind, ==, CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);

  /* Only status lines have a kind. */
  confab_chat_message_set_status_kind (message, CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);
  g_assert_cmpint (confab_chat_message_get_status_kind (message), ==,
                   CONFAB_CHAT_STATUS_KIND_NONE);

  g_assert_null (confab_chat_status_kind_to_string (CONFAB_CHAT_STATUS_KIND_NONE));
  for (ConfabChatStatusKind k = CONFAB_CHAT_STATUS_KIND_LOCAL;
       k <= CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE; k++)
    g_assert_cmpint (confab_chat_status_kind_from_string (confab_chat_status_kind_to_string (k)),
                     ==, k);
  g_assert_cmpint (confab_chat_status_kind_from_string (NULL), ==, CONFAB_CHAT_STATUS_KIND_NONE);
  g_assert_cmpint (confab_chat_status_kind_from_string ("shouting"), ==,
                   CONFAB_CHAT_STATUS_KIND_NONE);
}

/* Stored and read back by another ConfabHistory (new objects from the
 * rows), by a reopened file, by Message-ID and by search. */
static void
test_rooms_round_trip (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (ConfabHistory) other = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (ConfabChatMessage) by_id = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *recipient = NULL;

  add_room_messages (history);

  /* As the columns have them. */
  kind = query_text (path, "SELECT status_kind FROM messages WHERE text LIKE 'erin%'");
  g_assert_cmpstr (kind, ==, "room-notice");
  g_clear_pointer (&kind, g_free);
  kind = query_text (path, "SELECT status_kind FROM messages WHERE text LIKE 'An image%'");
  g_assert_cmpstr (kind, ==, "local");
  g_clear_pointer (&kind, g_free);
  kind = query_text (path, "SELECT status_kind FROM messages WHERE text = 'for everyone'");
  g_assert_null (kind);
  recipient = query_text (path, "SELECT recipient_uri FROM messages WHERE text = 'only for dave'");
  g_assert_cmpstr (recipient, ==, DAVE);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM messages WHERE recipient_uri IS NULL"),
                   ==, 3);
  /* Notices are not unread; carol's private message is. */
  g_assert_cmpint (query_int (path, "SELECT unread FROM conversations"), ==, 2);

  /* Another instance has no live objects: it makes them from the rows. */
  other = open_history (path);
  page = load (other, ROOM);
  check_room_messages (page, 0);
  g_clear_pointer (&page, g_ptr_array_unref);

  page = load (history, ROOM);
  by_id = confab_history_find (other, confab_chat_message_get_id (g_ptr_array_index (page, 0)),
                               &error);
  g_clear_pointer (&page, g_ptr_array_unref);
  g_assert_no_error (error);
  g_assert_cmpstr (confab_chat_message_get_recipient_uri (by_id), ==, DAVE);

  found = confab_history_search (other, "joined the room", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (confab_chat_message_get_status_kind (g_ptr_array_index (found, 0)), ==,
                   CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);
  g_clear_object (&by_id);
  g_clear_object (&other);
  g_clear_object (&history);

  /* And once the file was closed. */
  history = open_history (path);
  page = load (history, ROOM);
  check_room_messages (page, 0);
}

/* A file as version 2 wrote it (messages, transfers, the search index)
 * gains the columns, keeps every row and its search, and takes room
 * messages from then on; reopening it changes nothing more. */
static void
test_rooms_migration_from_v2 (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) history = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GPtrArray) conversations = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (CONFAB_HISTORY_SCHEMA_VERSION, ==, 3);
  write_old_history (path, 2);

  history = open_history (path);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 3);
  g_assert_true (has_column (path, "recipient_uri"));
  g_assert_true (has_column (path, "status_kind"));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM messages"), ==, 4);
  g_assert_cmpint (query_int (path, "PRAGMA application_id"), ==, 1131375974);

  /* The old rows, as they were: nothing private, no kind. */
  page = load (history, "sip:bob@example.org");
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (confab_chat_message_get_text (g_ptr_array_index (page, 0)), ==,
                   "hello from the old days");
  g_assert_cmpstr (confab_chat_message_get_sender_display (g_ptr_array_index (page, 0)), ==,
                   "Bob");
  g_assert_cmpint (confab_chat_message_get_state (g_ptr_array_index (page, 1)), ==,
                   CONFAB_CHAT_STATE_DELIVERED);
  for (guint i = 0; i < page->len; i++) {
    g_assert_false (confab_chat_message_is_private (g_ptr_array_index (page, i)));
    g_assert_cmpint (confab_chat_message_get_status_kind (g_ptr_array_index (page, i)), ==,
                     CONFAB_CHAT_STATUS_KIND_NONE);
  }
  g_clear_pointer (&page, g_ptr_array_unref);
  found = confab_history_search (history, "old days", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  conversations = confab_history_list_conversations (history, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversations->len, ==, 2);
  g_assert_cmpuint (confab_history_conversation_get_unread_count (
                      g_ptr_array_index (conversations, 1)), ==, 1);

  /* New room messages next to the old one in the room. */
  add_room_messages (history);
  page = load (history, ROOM);
  g_assert_cmpstr (confab_chat_message_get_text (g_ptr_array_index (page, 0)), ==, "hi room");
  g_assert_false (confab_chat_message_is_private (g_ptr_array_index (page, 0)));
  check_room_messages (page, 1);
  g_clear_pointer (&page, g_ptr_array_unref);
  g_clear_object (&history);

  /* Reopened: the same version, the same rows. */
  history = open_history (path);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 3);
  page = load (history, ROOM);
  check_room_messages (page, 1);
}

/* A file from version 1 (before file transfers) takes both steps. */
static void
test_rooms_migration_from_v1 (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) history = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GPtrArray) transfers = NULL;
  g_autoptr (GError) error = NULL;

  write_old_history (path, 1);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_schema"
                                    " WHERE name = 'transfers'"), ==, 0);

  history = open_history (path);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 3);
  g_assert_true (has_column (path, "recipient_uri"));
  g_assert_true (has_column (path, "status_kind"));
  transfers = confab_history_list_transfers (history, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (transfers->len, ==, 0);
  page = load (history, "sip:bob@example.org");
  g_assert_cmpuint (page->len, ==, 3);
  g_clear_pointer (&page, g_ptr_array_unref);
  add_room_messages (history);
  page = load (history, ROOM);
  check_room_messages (page, 1);
}

/* An upgrade that cannot finish leaves the file as it was: the old
 * version, its rows, no half-added column. */
static void
test_rooms_migration_rolls_back (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) history = NULL;
  g_autoptr (GError) error = NULL;

  write_old_history (path, 2);
  /* A column of that name already there makes the step's second ALTER
   * fail after its first one worked. */
  exec_sql (path, "ALTER TABLE messages ADD COLUMN status_kind TEXT;");
  history = confab_history_open (path, &error);
  g_assert_null (history);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 2);
  g_assert_false (has_column (path, "recipient_uri"));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM messages"), ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_home = NULL;
  int status;

  test_root = g_dir_make_tmp ("confab-test-history-rooms-XXXXXX", NULL);
  g_assert_nonnull (test_root);
  data_home = g_build_filename (test_root, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/rooms/status-kind", test_rooms_status_kind);
  g_test_add_func ("/history/rooms/round-trip", test_rooms_round_trip);
  g_test_add_func ("/history/rooms/migration-from-v2", test_rooms_migration_from_v2);
  g_test_add_func ("/history/rooms/migration-from-v1", test_rooms_migration_from_v1);
  g_test_add_func ("/history/rooms/migration-rolls-back", test_rooms_migration_rolls_back);
  status = g_test_run ();

  remove_tree (test_root);
  g_free (test_root);
  return status;
}
