/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabHistory"

#include "config.h"

#include "im/confab-history.h"
#include "im/confab-history-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* File transfers in the history: one row per transfer (the transfers
 * table, schema version 2), rewritten as it progresses. The caller owns
 * the ConfabHistoryTransfer structs; unlike messages, nothing is
 * followed. */

#define TRANSFER_COLUMNS \
  "id, transfer_id, session_id, local_uri, remote_uri, remote_display, incoming, pull, " \
  "name, content_type, size, hash, path, bytes, state, error, started, finished"
#define NEWEST_FIRST " ORDER BY started DESC, id DESC"
#define RUNNING_STATES "'hashing', 'waiting', 'transferring', 'verifying'"

/* INSERT and UPDATE take the fields as the same parameters, ?2 to ?18
 * (UPDATE's ?1 is the row id). */
static const char *const transfer_sql[CONFAB_HISTORY_N_STATEMENTS] = {
  [CONFAB_HISTORY_STMT_TRANSFER_INSERT] =
    "INSERT INTO transfers (transfer_id, session_id, local_uri, remote_uri, remote_display,"
    " incoming, pull, name, content_type, size, hash, path, bytes, state, error, started,"
    " finished)"
    " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
  [CONFAB_HISTORY_STMT_TRANSFER_UPDATE] =
    "UPDATE transfers SET transfer_id = ?2, session_id = ?3, local_uri = ?4, remote_uri = ?5,"
    " remote_display = ?6, incoming = ?7, pull = ?8, name = ?9, content_type = ?10,"
    " size = ?11, hash = ?12, path = ?13, bytes = ?14, state = ?15, error = ?16,"
    " started = ?17, finished = ?18"
    " WHERE id = ?1",
  [CONFAB_HISTORY_STMT_TRANSFER_LIST] =
    "SELECT " TRANSFER_COLUMNS " FROM transfers" NEWEST_FIRST " LIMIT ?1",
  /* A received file is only whole once completed; a sent one is its
   * source, whatever became of the transfer. */
  [CONFAB_HISTORY_STMT_TRANSFER_BY_HASH] =
    "SELECT " TRANSFER_COLUMNS " FROM transfers"
    " WHERE hash = ?1 COLLATE NOCASE AND path IS NOT NULL"
    " AND (NOT incoming OR state = 'completed')"
    NEWEST_FIRST,
  [CONFAB_HISTORY_STMT_TRANSFER_DELETE] =
    "DELETE FROM transfers WHERE id = ?1",
  [CONFAB_HISTORY_STMT_TRANSFER_FAIL_RUNNING] =
    "UPDATE transfers SET state = 'failed', error = ?1, finished = ?2"
    " WHERE state IN (" RUNNING_STATES ")",
};

static const char *const known_states[] = {
  "hashing", "waiting", "transferring", "verifying", "completed", "failed", "cancelled",
};

static gboolean
is_known_state (const char *state)
{
  for (guint i = 0; state && i < G_N_ELEMENTS (known_states); i++) {
    if (strcmp (state, known_states[i]) == 0)
      return TRUE;
  }
  return FALSE;
}

static ConfabHistoryCachedStatement *
statement (ConfabHistory           *self,
           ConfabHistoryStatement   which,
           GError                 **error)
{
  return _confab_history_statement_sql (self, which, transfer_sql[which], error);
}

static gboolean
fail_sql (ConfabHistory  *self,
          sqlite3_stmt   *stmt,
          int             rc,
          GError        **error)
{
  return _confab_history_set_error (error, sqlite3_db_handle (stmt), rc,
                                    confab_history_get_path (self));
}

/* Runs a statement without result rows. */
static gboolean
run (ConfabHistory  *self,
     sqlite3_stmt   *stmt,
     GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return fail_sql (self, stmt, rc, error);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

static void
bind_fields (sqlite3_stmt                *stmt,
             const ConfabHistoryTransfer *transfer)
{
  bind_text (stmt, 2, transfer->transfer_id);
  bind_text (stmt, 3, transfer->session_id);
  bind_text (stmt, 4, transfer->local_uri);
  bind_text (stmt, 5, transfer->remote_uri);
  bind_text (stmt, 6, transfer->remote_display);
  sqlite3_bind_int (stmt, 7, transfer->incoming ? 1 : 0);
  sqlite3_bind_int (stmt, 8, transfer->pull ? 1 : 0);
  bind_text (stmt, 9, transfer->name);
  bind_text (stmt, 10, transfer->content_type);
  /* Bit for bit: sizes from 2^63 up read back as they were. */
  sqlite3_bind_int64 (stmt, 11, (sqlite3_int64) transfer->size);
  bind_text (stmt, 12, transfer->hash);
  bind_text (stmt, 13, transfer->path);
  sqlite3_bind_int64 (stmt, 14, (sqlite3_int64) transfer->bytes);
  bind_text (stmt, 15, transfer->state);
  bind_text (stmt, 16, transfer->error);
  sqlite3_bind_int64 (stmt, 17, transfer->started);
  sqlite3_bind_int64 (stmt, 18, transfer->finished);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* The current row of a TRANSFER_COLUMNS query. */
static ConfabHistoryTransfer *
transfer_from_row (sqlite3_stmt *stmt)
{
  ConfabHistoryTransfer *transfer = g_new0 (ConfabHistoryTransfer, 1);

  transfer->row_id = sqlite3_column_int64 (stmt, 0);
  transfer->transfer_id = column_dup (stmt, 1);
  transfer->session_id = column_dup (stmt, 2);
  transfer->local_uri = column_dup (stmt, 3);
  transfer->remote_uri = column_dup (stmt, 4);
  transfer->remote_display = column_dup (stmt, 5);
  transfer->incoming = sqlite3_column_int (stmt, 6) != 0;
  transfer->pull = sqlite3_column_int (stmt, 7) != 0;
  transfer->name = column_dup (stmt, 8);
  transfer->content_type = column_dup (stmt, 9);
  transfer->size = (guint64) sqlite3_column_int64 (stmt, 10);
  transfer->hash = column_dup (stmt, 11);
  transfer->path = column_dup (stmt, 12);
  transfer->bytes = (guint64) sqlite3_column_int64 (stmt, 13);
  transfer->state = column_dup (stmt, 14);
  transfer->error = column_dup (stmt, 15);
  transfer->started = sqlite3_column_int64 (stmt, 16);
  transfer->finished = sqlite3_column_int64 (stmt, 17);
  return transfer;
}

gboolean
_confab_history_fail_interrupted_transfers (ConfabHistory  *self,
                                            GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt =
    statement (self, CONFAB_HISTORY_STMT_TRANSFER_FAIL_RUNNING, error);
  int changes;

  if (!stmt)
    return FALSE;
  bind_text (stmt, 1, _("Interrupted"));
  /* When it was noticed: the run that left it ended some time before. */
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (!run (self, stmt, error))
    return FALSE;
  changes = sqlite3_changes (sqlite3_db_handle (stmt));
  if (changes > 0)
    g_debug ("%d transfers left running by the last run marked failed", changes);
  return TRUE;
}

void
confab_history_transfer_free (ConfabHistoryTransfer *transfer)
{
  if (!transfer)
    return;
  g_free (transfer->transfer_id);
  g_free (transfer->session_id);
  g_free (transfer->local_uri);
  g_free (transfer->remote_uri);
  g_free (transfer->remote_display);
  g_free (transfer->name);
  g_free (transfer->content_type);
  g_free (transfer->hash);
  g_free (transfer->path);
  g_free (transfer->state);
  g_free (transfer->error);
  g_free (transfer);
}

ConfabHistoryTransfer *
confab_history_transfer_copy (const ConfabHistoryTransfer *transfer)
{
  ConfabHistoryTransfer *copy;

  g_return_val_if_fail (transfer != NULL, NULL);

  copy = g_memdup2 (transfer, sizeof *transfer);
  copy->transfer_id = g_strdup (transfer->transfer_id);
  copy->session_id = g_strdup (transfer->session_id);
  copy->local_uri = g_strdup (transfer->local_uri);
  copy->remote_uri = g_strdup (transfer->remote_uri);
  copy->remote_display = g_strdup (transfer->remote_display);
  copy->name = g_strdup (transfer->name);
  copy->content_type = g_strdup (transfer->content_type);
  copy->hash = g_strdup (transfer->hash);
  copy->path = g_strdup (transfer->path);
  copy->state = g_strdup (transfer->state);
  copy->error = g_strdup (transfer->error);
  return copy;
}

gboolean
confab_history_save_transfer (ConfabHistory          *self,
                              ConfabHistoryTransfer  *transfer,
                              GError                **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  gboolean insert;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (transfer != NULL, FALSE);
  g_return_val_if_fail (transfer->row_id >= 0, FALSE);
  g_return_val_if_fail (is_known_state (transfer->state), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  insert = transfer->row_id == 0;
  stmt = statement (self,
                    insert ? CONFAB_HISTORY_STMT_TRANSFER_INSERT
                           : CONFAB_HISTORY_STMT_TRANSFER_UPDATE,
                    error);
  if (!stmt)
    return FALSE;
  if (!insert)
    sqlite3_bind_int64 (stmt, 1, transfer->row_id);
  bind_fields (stmt, transfer);
  if (!run (self, stmt, error))
    return FALSE;

  if (insert) {
    transfer->row_id = sqlite3_last_insert_rowid (sqlite3_db_handle (stmt));
  } else if (sqlite3_changes (sqlite3_db_handle (stmt)) == 0) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND,
                 _("The file transfer was deleted from the history and cannot be updated."));
    return FALSE;
  }
  g_signal_emit_by_name (self, "transfer-saved", transfer);
  return TRUE;
}

GPtrArray *
confab_history_list_transfers (ConfabHistory  *self,
                               guint           limit,
                               GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  g_autoptr (GPtrArray) transfers = NULL;
  int rc;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = statement (self, CONFAB_HISTORY_STMT_TRANSFER_LIST, error);
  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit ? (gint64) limit : -1);

  transfers = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_history_transfer_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (transfers, transfer_from_row (stmt));
  if (rc != SQLITE_DONE) {
    fail_sql (self, stmt, rc, error);
    return NULL;
  }
  return g_steal_pointer (&transfers);
}

ConfabHistoryTransfer *
confab_history_find_transfer_by_hash (ConfabHistory  *self,
                                      const char     *hash,
                                      GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (hash != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = statement (self, CONFAB_HISTORY_STMT_TRANSFER_BY_HASH, error);
  if (!stmt)
    return NULL;
  bind_text (stmt, 1, hash);

  /* Files are moved and deleted behind our back: the newest still there. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    const char *path = (const char *) sqlite3_column_text (stmt, 12);

    if (path && g_file_test (path, G_FILE_TEST_IS_REGULAR))
      return transfer_from_row (stmt);
  }
  if (rc != SQLITE_DONE)
    fail_sql (self, stmt, rc, error);
  return NULL;
}

gboolean
confab_history_delete_transfer (ConfabHistory  *self,
                                gint64          row_id,
                                GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (row_id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = statement (self, CONFAB_HISTORY_STMT_TRANSFER_DELETE, error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row_id);
  return run (self, stmt, error);
}
