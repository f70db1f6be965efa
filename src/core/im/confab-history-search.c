/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabHistory"

#include "config.h"

#include "im/confab-history.h"
#include "im/confab-history-private.h"

/* Search: needles of three characters or more go through the FTS5
 * trigram index (a MATCH on the needle as one phrase, which is substring
 * matching, case-folded by the tokenizer); shorter ones, and every needle
 * when SQLite lacks FTS5, scan the text with LIKE over Unicode case
 * folding (confab_casefold(), see confab-history-schema.c). */

/* The three characters of a trigram. */
#define FULLTEXT_MIN_CHARS 3

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

/* An FTS5 string: the whole needle as one phrase, '"' doubled. */
static char *
fulltext_phrase (const char *needle)
{
  GString *phrase = g_string_new ("\"");

  for (const char *p = needle; *p; p++) {
    if (*p == '"')
      g_string_append_c (phrase, '"');
    g_string_append_c (phrase, *p);
  }
  g_string_append_c (phrase, '"');
  return g_string_free (phrase, FALSE);
}

/* A LIKE pattern for the folded needle anywhere, its %, _ and \ taken
 * literally (ESCAPE '\'). */
static char *
like_pattern (const char *needle)
{
  g_autofree char *folded = g_utf8_casefold (needle, -1);
  GString *pattern = g_string_new ("%");

  for (const char *p = folded; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '\\')
      g_string_append_c (pattern, '\\');
    g_string_append_c (pattern, *p);
  }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

GPtrArray *
confab_history_search (ConfabHistory  *self,
                       const char     *text,
                       const char     *conversation,
                       guint           limit,
                       GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *query = NULL;
  gboolean fulltext;
  ConfabHistoryStatement which;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Stored text is valid UTF-8, invalid bytes replaced: so is the needle. */
  needle = g_utf8_make_valid (text, -1);
  if (!*needle)
    return g_ptr_array_new_with_free_func (g_object_unref);

  fulltext = confab_history_has_fulltext (self) && g_utf8_strlen (needle, -1) >= FULLTEXT_MIN_CHARS;
  if (fulltext) {
    which = conversation ? CONFAB_HISTORY_STMT_SEARCH_FULLTEXT_IN
                         : CONFAB_HISTORY_STMT_SEARCH_FULLTEXT;
    query = fulltext_phrase (needle);
  } else {
    which = conversation ? CONFAB_HISTORY_STMT_SEARCH_SCAN_IN : CONFAB_HISTORY_STMT_SEARCH_SCAN;
    query = like_pattern (needle);
  }

  stmt = _confab_history_statement (self, which, error);
  if (!stmt)
    return NULL;
  bind_text (stmt, 1, query);
  if (conversation)
    bind_text (stmt, 2, conversation);
  sqlite3_bind_int64 (stmt, 3, limit ? (gint64) limit : -1);
  return _confab_history_collect_messages (self, stmt, error);
}
