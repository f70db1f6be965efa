/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "im/confab-history.h"
#include "im/confab-history-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <string.h>

#define ALICE "sip:alice@example.org"
#define BOB "sip:bob@example.org"
#define HASH "sha-1:3A:F0:9C:27:11:B4:5E:6D:80:CA:DE:01:23:45:67:89:AB:CD:EF:10"
#define RUNNING_STATES { "hashing", "waiting", "transferring", "verifying" }

/* Every test gets a folder of its own under a temporary root, removed at
 * the end (as in test-history.c). */
static char *test_root;

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

static ConfabHistoryTransfer *
new_transfer (const char *name,
              const char *state,
              gint64      started)
{
  ConfabHistoryTransfer *transfer = g_new0 (ConfabHistoryTransfer, 1);

  transfer->local_uri = g_strdup (ALICE);
  transfer->remote_uri = g_strdup (BOB);
  transfer->name = g_strdup (name);
  transfer->content_type = g_strdup ("application/octet-stream");
  transfer->size = 1000;
  transfer->state = g_strdup (state);
  transfer->started = started;
  return transfer;
}

static void
save (ConfabHistory         *history,
      ConfabHistoryTransfer *transfer)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (confab_history_save_transfer (history, transfer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (transfer->row_id, >, 0);
}

/* Saves a new transfer and keeps only its row id. */
static gint64
store (ConfabHistory *history,
       const char    *name,
       const char    *state,
       gint64         started)
{
  g_autoptr (ConfabHistoryTransfer) transfer = new_transfer (name, state, started);

  save (history, transfer);
  return transfer->row_id;
}

static GPtrArray *
list (ConfabHistory *history,
      guint          limit)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *transfers = confab_history_list_transfers (history, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (transfers);
  return transfers;
}

static ConfabHistoryTransfer *
find (ConfabHistory *history,
      const char    *hash)
{
  g_autoptr (GError) error = NULL;
  ConfabHistoryTransfer *transfer = confab_history_find_transfer_by_hash (history, hash, &error);

  g_assert_no_error (error);
  return transfer;
}

static gboolean
has_row (GPtrArray *transfers,
         gint64     row_id)
{
  for (guint i = 0; i < transfers->len; i++) {
    if (((ConfabHistoryTransfer *) g_ptr_array_index (transfers, i))->row_id == row_id)
      return TRUE;
  }
  return FALSE;
}

static ConfabHistoryTransfer *
by_row (GPtrArray *transfers,
        gint64     row_id)
{
  for (guint i = 0; i < transfers->len; i++) {
    ConfabHistoryTransfer *transfer = g_ptr_array_index (transfers, i);

    if (transfer->row_id == row_id)
      return transfer;
  }
  g_assert_not_reached ();
}

static void
assert_transfer_equal (const ConfabHistoryTransfer *a,
                       const ConfabHistoryTransfer *b)
{
  g_assert_cmpint (a->row_id, ==, b->row_id);
  g_assert_cmpstr (a->transfer_id, ==, b->transfer_id);
  g_assert_cmpstr (a->session_id, ==, b->session_id);
  g_assert_cmpstr (a->local_uri, ==, b->local_uri);
  g_assert_cmpstr (a->remote_uri, ==, b->remote_uri);
  g_assert_cmpstr (a->remote_display, ==, b->remote_display);
  g_assert_cmpint (a->incoming, ==, b->incoming);
  g_assert_cmpint (a->pull, ==, b->pull);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->content_type, ==, b->content_type);
  g_assert_cmpuint (a->size, ==, b->size);
  g_assert_cmpstr (a->hash, ==, b->hash);
  g_assert_cmpmem (a->path, a->path ? strlen (a->path) : 0,
                   b->path, b->path ? strlen (b->path) : 0);
  g_assert_true ((a->path == NULL) == (b->path == NULL));
  g_assert_cmpuint (a->bytes, ==, b->bytes);
  g_assert_cmpstr (a->state, ==, b->state);
  g_assert_cmpstr (a->error, ==, b->error);
  g_assert_cmpint (a->started, ==, b->started);
  g_assert_cmpint (a->finished, ==, b->finished);
}

static void
on_transfer_saved (ConfabHistory         *history,
                   ConfabHistoryTransfer *transfer,
                   GPtrArray             *saved)
{
  g_ptr_array_add (saved, confab_history_transfer_copy (transfer));
}

static void
test_transfers_round_trip (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (GPtrArray) saved =
    g_ptr_array_new_with_free_func ((GDestroyNotify) confab_history_transfer_free);
  g_autoptr (ConfabHistoryTransfer) full = g_new0 (ConfabHistoryTransfer, 1);
  g_autoptr (ConfabHistoryTransfer) sparse = g_new0 (ConfabHistoryTransfer, 1);
  g_autoptr (ConfabHistoryTransfer) copy = NULL;
  g_autoptr (GPtrArray) transfers = NULL;
  g_autoptr (GError) error = NULL;
  gint64 full_row;

  g_signal_connect (history, "transfer-saved", G_CALLBACK (on_transfer_saved), saved);

  /* Every field set, sizes beyond 32 bits, a file name that is not UTF-8. */
  full->transfer_id = g_strdup ("f81d4fae7dec");
  full->session_id = g_strdup ("session-7");
  full->local_uri = g_strdup (ALICE);
  full->remote_uri = g_strdup (BOB);
  full->remote_display = g_strdup ("Bob Müller");
  full->incoming = TRUE;
  full->pull = TRUE;
  full->name = g_strdup ("Urlaub „2026“.mkv");
  full->content_type = g_strdup ("video/x-matroska");
  full->size = G_GUINT64_CONSTANT (5000000000);
  full->hash = g_strdup (HASH);
  full->path = g_strdup ("/home/alice/Downloads/K\xf6ln.mkv.part");
  full->bytes = G_GUINT64_CONSTANT (4294967297);
  full->state = g_strdup ("transferring");
  full->error = NULL;
  full->started = G_GINT64_CONSTANT (1700000000123456);
  full->finished = 0;
  save (history, full);
  full_row = full->row_id;
  g_assert_cmpuint (saved->len, ==, 1);
  assert_transfer_equal (g_ptr_array_index (saved, 0), full);

  /* Every string NULL but the state, every number zero or the extremes. */
  sparse->state = g_strdup ("waiting");
  save (history, sparse);
  g_assert_cmpint (sparse->row_id, !=, full_row);

  g_clear_object (&history);
  history = open_history (path);
  g_signal_connect (history, "transfer-saved", G_CALLBACK (on_transfer_saved), saved);
  transfers = list (history, 0);
  g_assert_cmpuint (transfers->len, ==, 2);
  /* Running when the store closed, no other instance open: interrupted. */
  g_free (full->state);
  full->state = g_strdup ("failed");
  full->error = g_strdup ("Interrupted");
  full->finished = by_row (transfers, full_row)->finished;
  g_assert_cmpint (full->finished, >, full->started);
  assert_transfer_equal (by_row (transfers, full_row), full);
  g_clear_pointer (&transfers, g_ptr_array_unref);

  /* Updates: the same row, every field rewritten. */
  g_free (full->state);
  full->state = g_strdup ("completed");
  g_clear_pointer (&full->error, g_free);
  g_clear_pointer (&full->remote_display, g_free);
  g_free (full->path);
  full->path = g_strdup ("/home/alice/Downloads/Köln.mkv");
  full->bytes = full->size;
  full->incoming = FALSE;
  full->pull = FALSE;
  full->finished = full->started + 60 * G_USEC_PER_SEC;
  save (history, full);
  g_assert_cmpint (full->row_id, ==, full_row);

  g_free (sparse->state);
  sparse->state = g_strdup ("cancelled");
  sparse->size = G_MAXUINT64;
  sparse->bytes = G_GUINT64_CONSTANT (1) << 63;
  sparse->started = -1;
  sparse->finished = G_MAXINT64;
  save (history, sparse);
  g_assert_cmpuint (saved->len, ==, 4);
  assert_transfer_equal (g_ptr_array_index (saved, 3), sparse);

  g_clear_object (&history);
  history = open_history (path);
  transfers = list (history, 0);
  g_assert_cmpuint (transfers->len, ==, 2);
  assert_transfer_equal (by_row (transfers, full_row), full);
  assert_transfer_equal (by_row (transfers, sparse->row_id), sparse);
  g_assert_null (by_row (transfers, sparse->row_id)->name);
  g_assert_null (by_row (transfers, sparse->row_id)->hash);

  copy = confab_history_transfer_copy (full);
  assert_transfer_equal (copy, full);
  g_assert_true (copy->name != full->name);

  /* A row deleted meanwhile is not brought back by an update. */
  g_assert_true (confab_history_delete_transfer (history, sparse->row_id, &error));
  g_assert_no_error (error);
  g_assert_false (confab_history_save_transfer (history, sparse, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&transfers, g_ptr_array_unref);
  transfers = list (history, 0);
  g_assert_cmpuint (transfers->len, ==, 1);
  g_assert_cmpuint (saved->len, ==, 4);
}

static void
test_transfers_list_order (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (GPtrArray) transfers = NULL;
  gint64 rows[6];

  transfers = list (history, 0);
  g_assert_cmpuint (transfers->len, ==, 0);
  g_clear_pointer (&transfers, g_ptr_array_unref);

  /* Saved out of order; two started at the same time (the later row
   * first). */
  rows[0] = store (history, "b", "completed", 20);
  rows[1] = store (history, "a", "completed", 10);
  rows[2] = store (history, "d", "failed", 40);
  rows[3] = store (history, "c1", "cancelled", 30);
  rows[4] = store (history, "c2", "completed", 30);
  rows[5] = store (history, "e", "waiting", 50);

  transfers = list (history, 0);
  g_assert_cmpuint (transfers->len, ==, 6);
  {
    const char *expected[] = { "e", "d", "c2", "c1", "b", "a" };

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_cmpstr (((ConfabHistoryTransfer *) g_ptr_array_index (transfers, i))->name, ==,
                       expected[i]);
  }
  g_assert_cmpint (((ConfabHistoryTransfer *) g_ptr_array_index (transfers, 2))->row_id, ==,
                   rows[4]);
  g_clear_pointer (&transfers, g_ptr_array_unref);

  transfers = list (history, 2);
  g_assert_cmpuint (transfers->len, ==, 2);
  g_assert_cmpstr (((ConfabHistoryTransfer *) g_ptr_array_index (transfers, 0))->name, ==, "e");
  g_assert_cmpstr (((ConfabHistoryTransfer *) g_ptr_array_index (transfers, 1))->name, ==, "d");
  g_clear_pointer (&transfers, g_ptr_array_unref);

  transfers = list (history, 100);
  g_assert_cmpuint (transfers->len, ==, 6);
  g_clear_pointer (&transfers, g_ptr_array_unref);

  /* Delete: gone from the list; twice, or a row that never was, is fine. */
  for (guint i = 0; i < 2; i++) {
    g_autoptr (GError) error = NULL;

    g_assert_true (confab_history_delete_transfer (history, rows[2], &error));
    g_assert_no_error (error);
  }
  g_assert_true (confab_history_delete_transfer (history, 99999, NULL));
  transfers = list (history, 0);
  g_assert_cmpuint (transfers->len, ==, 5);
  g_assert_false (has_row (transfers, rows[2]));
  g_assert_cmpstr (((ConfabHistoryTransfer *) g_ptr_array_index (transfers, 1))->name, ==, "c2");
}

static gint64
store_file (ConfabHistory *history,
            const char    *name,
            const char    *hash,
            const char    *path,
            gboolean       incoming,
            const char    *state,
            gint64         started)
{
  g_autoptr (ConfabHistoryTransfer) transfer = new_transfer (name, state, started);

  transfer->hash = g_strdup (hash);
  transfer->path = g_strdup (path);
  transfer->incoming = incoming;
  save (history, transfer);
  return transfer->row_id;
}

static void
write_file (const char *path)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "contents", -1, &error));
  g_assert_no_error (error);
}

static void
test_transfers_find_by_hash (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autofree char *sent = test_file ("sent.txt");
  g_autofree char *received = test_file ("received.txt");
  g_autofree char *partial = test_file ("partial.txt.part");
  g_autofree char *newer = test_file ("newer.txt");
  g_autofree char *folder = test_file ("a-folder");
  g_autofree char *lower = g_ascii_strdown (HASH, -1);
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (ConfabHistoryTransfer) found = NULL;
  gint64 sent_row, received_row, newer_row;

  write_file (sent);
  write_file (received);
  write_file (partial);
  write_file (newer);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);

  g_assert_null (find (history, HASH));

  sent_row = store_file (history, "sent.txt", HASH, sent, FALSE, "failed", 10);
  received_row = store_file (history, "received.txt", lower, received, TRUE, "completed", 20);
  /* Newer, but none a whole file to send: no path, a folder, a file
   * still being received, one that failed half way, another hash. */
  store_file (history, "no-path", HASH, NULL, FALSE, "completed", 30);
  store_file (history, "a-folder", HASH, folder, FALSE, "completed", 31);
  store_file (history, "partial", HASH, partial, TRUE, "transferring", 32);
  store_file (history, "partial", HASH, partial, TRUE, "failed", 33);
  store_file (history, "newer.txt", "sha-1:00:11", newer, FALSE, "completed", 34);
  store_file (history, "no-hash", NULL, newer, FALSE, "completed", 35);

  /* Any direction, newest first, hashes compared ignoring case. */
  found = find (history, HASH);
  g_assert_nonnull (found);
  g_assert_cmpint (found->row_id, ==, received_row);
  g_assert_cmpstr (found->path, ==, received);
  g_assert_true (found->incoming);
  g_clear_pointer (&found, confab_history_transfer_free);

  /* The received file is gone: the older sent one answers. */
  g_assert_cmpint (g_unlink (received), ==, 0);
  found = find (history, lower);
  g_assert_nonnull (found);
  g_assert_cmpint (found->row_id, ==, sent_row);
  g_assert_false (found->incoming);
  g_clear_pointer (&found, confab_history_transfer_free);

  /* Nothing left on disk. */
  g_assert_cmpint (g_unlink (sent), ==, 0);
  g_assert_null (find (history, HASH));

  /* Files come back; a newer transfer of the same file wins. */
  write_file (sent);
  newer_row = store_file (history, "again.txt", HASH, newer, FALSE, "completed", 40);
  found = find (history, "SHA-1:3a:f0:9c:27:11:b4:5e:6d:80:ca:de:01:23:45:67:89:ab:cd:ef:10");
  g_assert_nonnull (found);
  g_assert_cmpint (found->row_id, ==, newer_row);
  g_clear_pointer (&found, confab_history_transfer_free);

  g_assert_true (confab_history_delete_transfer (history, newer_row, NULL));
  found = find (history, HASH);
  g_assert_nonnull (found);
  g_assert_cmpint (found->row_id, ==, sent_row);
  g_clear_pointer (&found, confab_history_transfer_free);

  /* Not a prefix match; unknown hashes. */
  g_assert_null (find (history, "sha-1:3A"));
  g_assert_null (find (history, ""));
  g_assert_null (find (history, "sha-1:ff:ff"));
}

static void
test_transfers_interrupted (void)
{
  static const char *const running[] = RUNNING_STATES;
  static const char *const finished[] = { "completed", "failed", "cancelled" };
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) first = open_history (path);
  g_autoptr (ConfabHistory) second = NULL;
  g_autoptr (GPtrArray) transfers = NULL;
  gint64 rows[G_N_ELEMENTS (running) + G_N_ELEMENTS (finished)];
  gint64 before;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (running); i++)
    rows[n++] = store (first, running[i], running[i], i);
  for (guint i = 0; i < G_N_ELEMENTS (finished); i++) {
    g_autoptr (ConfabHistoryTransfer) transfer = new_transfer (finished[i], finished[i], 10 + i);

    transfer->finished = 100 + i;
    if (strcmp (finished[i], "failed") == 0)
      transfer->error = g_strdup ("The peer hung up");
    save (first, transfer);
    rows[n++] = transfer->row_id;
  }

  /* Another instance is alive: its transfers are still going. */
  second = open_history (path);
  transfers = list (second, 0);
  for (guint i = 0; i < G_N_ELEMENTS (running); i++) {
    ConfabHistoryTransfer *transfer = by_row (transfers, rows[i]);

    g_assert_cmpstr (transfer->state, ==, running[i]);
    g_assert_null (transfer->error);
    g_assert_cmpint (transfer->finished, ==, 0);
  }
  g_clear_pointer (&transfers, g_ptr_array_unref);
  g_clear_object (&second);
  g_clear_object (&first);

  /* The next run alone: every running one failed, the rest untouched. */
  before = g_get_real_time ();
  first = open_history (path);
  transfers = list (first, 0);
  g_assert_cmpuint (transfers->len, ==, n);
  for (guint i = 0; i < G_N_ELEMENTS (running); i++) {
    ConfabHistoryTransfer *transfer = by_row (transfers, rows[i]);

    g_assert_cmpstr (transfer->state, ==, "failed");
    g_assert_cmpstr (transfer->error, ==, "Interrupted");
    g_assert_cmpint (transfer->finished, >=, before);
    g_assert_cmpint (transfer->finished, <=, g_get_real_time ());
    g_assert_cmpstr (transfer->name, ==, running[i]);
  }
  for (guint i = 0; i < G_N_ELEMENTS (finished); i++) {
    ConfabHistoryTransfer *transfer = by_row (transfers, rows[G_N_ELEMENTS (running) + i]);

    g_assert_cmpstr (transfer->state, ==, finished[i]);
    g_assert_cmpint (transfer->finished, ==, 100 + i);
    if (strcmp (finished[i], "failed") == 0)
      g_assert_cmpstr (transfer->error, ==, "The peer hung up");
    else
      g_assert_null (transfer->error);
  }
}

/* A store of schema version 1 (messages only, before transfers) gains
 * the transfers table and keeps its messages. Version 2 only added the
 * transfers objects and version 3 two columns of messages, so a current
 * file without them is a version 1 file (test-history-rooms.c upgrades
 * files written by the version 1 and 2 SQL itself). */
static void
test_transfers_migration (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (ConfabChatMessage) message =
    confab_chat_message_new_text (CONFAB_CHAT_DIRECTION_INCOMING, BOB, NULL, "from version 1");
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GPtrArray) transfers = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (CONFAB_HISTORY_SCHEMA_VERSION, ==, 3);
  g_assert_true (confab_history_add (history, message, &error));
  g_assert_no_error (error);
  g_clear_object (&history);

  exec_sql (path, "DROP TABLE transfers;"
                  "ALTER TABLE messages DROP COLUMN recipient_uri;"
                  "ALTER TABLE messages DROP COLUMN status_kind;"
                  "PRAGMA user_version = 1;");
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_schema"
                                    " WHERE name LIKE '%transfer%'"), ==, 0);

  history = open_history (path);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, CONFAB_HISTORY_SCHEMA_VERSION);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_schema"
                                    " WHERE name IN ('transfers', 'transfers_by_hash')"), ==, 2);
  page = confab_history_load (history, BOB, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (confab_chat_message_get_text (g_ptr_array_index (page, 0)), ==,
                   "from version 1");

  transfers = list (history, 0);
  g_assert_cmpuint (transfers->len, ==, 0);
  g_clear_pointer (&transfers, g_ptr_array_unref);
  store (history, "after the upgrade", "completed", 1);
  g_clear_object (&history);

  /* Reopening an upgraded file changes nothing. */
  history = open_history (path);
  transfers = list (history, 0);
  g_assert_cmpuint (transfers->len, ==, 1);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, CONFAB_HISTORY_SCHEMA_VERSION);
}

/* The lookup by hash uses its index rather than reading every row. */
static void
test_transfers_hash_index (void)
{
  g_autofree char *path = test_file ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GString) plan = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "EXPLAIN QUERY PLAN SELECT id FROM transfers"
                                       " WHERE hash = ?1 COLLATE NOCASE AND path IS NOT NULL"
                                       " AND (NOT incoming OR state = 'completed')"
                                       " ORDER BY started DESC, id DESC",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "transfers_by_hash"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_home = NULL;
  int status;

  test_root = g_dir_make_tmp ("confab-test-history-transfers-XXXXXX", NULL);
  g_assert_nonnull (test_root);
  data_home = g_build_filename (test_root, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/transfers/round-trip", test_transfers_round_trip);
  g_test_add_func ("/history/transfers/list-order", test_transfers_list_order);
  g_test_add_func ("/history/transfers/find-by-hash", test_transfers_find_by_hash);
  g_test_add_func ("/history/transfers/interrupted", test_transfers_interrupted);
  g_test_add_func ("/history/transfers/migration", test_transfers_migration);
  g_test_add_func ("/history/transfers/hash-index", test_transfers_hash_index);
  status = g_test_run ();

  remove_tree (test_root);
  g_free (test_root);
  return status;
}
