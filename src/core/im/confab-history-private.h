/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "im/confab-history.h"

#include <sqlite3.h>

G_BEGIN_DECLS

/* PRAGMA user_version of the newest schema this code writes. */
#define CONFAB_HISTORY_SCHEMA_VERSION 3

/* Sets @error from the connection's last error, saying what failed. */
gboolean _confab_history_set_error   (GError     **error,
                                      sqlite3     *db,
                                      int          rc,
                                      const char  *path);
/* Tunes the connection, creates or upgrades the schema to
 * CONFAB_HISTORY_SCHEMA_VERSION and sets up full-text search when SQLite
 * has FTS5 with the trigram tokenizer (*fulltext tells). */
gboolean _confab_history_schema_prepare (sqlite3     *db,
                                         const char  *path,
                                         gboolean    *fulltext,
                                         GError     **error);

/* The prepared statements a ConfabHistory keeps (SQL in confab-history.c). */
typedef enum
{
  CONFAB_HISTORY_STMT_BEGIN,
  CONFAB_HISTORY_STMT_COMMIT,
  CONFAB_HISTORY_STMT_ROLLBACK,
  CONFAB_HISTORY_STMT_INSERT,
  CONFAB_HISTORY_STMT_UPDATE_STATE,
  CONFAB_HISTORY_STMT_FAIL_UNSENT,
  CONFAB_HISTORY_STMT_LOAD_NEWEST,
  CONFAB_HISTORY_STMT_LOAD_BEFORE,
  CONFAB_HISTORY_STMT_FIND,
  CONFAB_HISTORY_STMT_SEARCH_FULLTEXT,
  CONFAB_HISTORY_STMT_SEARCH_FULLTEXT_IN,
  CONFAB_HISTORY_STMT_SEARCH_SCAN,
  CONFAB_HISTORY_STMT_SEARCH_SCAN_IN,
  CONFAB_HISTORY_STMT_CONVERSATIONS,
  CONFAB_HISTORY_STMT_MARK_READ_MESSAGES,
  CONFAB_HISTORY_STMT_MARK_READ_CONVERSATION,
  /* SQL in confab-history-transfers.c: */
  CONFAB_HISTORY_STMT_TRANSFER_INSERT,
  CONFAB_HISTORY_STMT_TRANSFER_UPDATE,
  CONFAB_HISTORY_STMT_TRANSFER_LIST,
  CONFAB_HISTORY_STMT_TRANSFER_BY_HASH,
  CONFAB_HISTORY_STMT_TRANSFER_DELETE,
  CONFAB_HISTORY_STMT_TRANSFER_FAIL_RUNNING,
  CONFAB_HISTORY_N_STATEMENTS
} ConfabHistoryStatement;

/* A cached statement: g_autoptr() resets it and clears its bindings when
 * it goes out of scope, ready for the next use. */
typedef sqlite3_stmt ConfabHistoryCachedStatement;

static inline void
_confab_history_cached_statement_done (ConfabHistoryCachedStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabHistoryCachedStatement, _confab_history_cached_statement_done)

/* For tests: search by scanning, as without FTS5 (the index is still
 * kept up to date). */
void _confab_history_disable_fulltext (ConfabHistory *self);

/* Prepared on first use, kept until the store is closed. */
ConfabHistoryCachedStatement *_confab_history_statement (ConfabHistory          *self,
                                                         ConfabHistoryStatement  which,
                                                         GError                **error);
/* The same for a statement whose SQL lives in another part of the store:
 * prepared from @sql on first use. */
ConfabHistoryCachedStatement *_confab_history_statement_sql (ConfabHistory          *self,
                                                             ConfabHistoryStatement  which,
                                                             const char             *sql,
                                                             GError                **error);
/* Transfers a previous run left running become failed (on open, when no
 * other instance has the file open; see confab-history-transfers.c). */
gboolean   _confab_history_fail_interrupted_transfers (ConfabHistory  *self,
                                                       GError        **error);
/* Steps a query selecting the message columns; the live object for each
 * row (see confab_history_load()). */
GPtrArray *_confab_history_collect_messages (ConfabHistory  *self,
                                             sqlite3_stmt   *stmt,
                                             GError        **error);

G_END_DECLS
