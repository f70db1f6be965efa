/* SPDX-License-Identifier: GPL-3.0-or-later */
/* History store benchmark: prints figures, it is not a pass/fail test.
 *
 *   bench-history [--count 100000] [--page 200] [--keep]
 *
 * In a fresh temporary folder: stores --count text messages in one
 * conversation, one confab_history_add() each (each its own transaction,
 * as in the app), then reopens the file and loads the whole conversation
 * in pages of --page the way the chat view scrolls up, keeping every
 * message object in a GListStore. Memory is the process's resident set
 * (VmRSS) and its peak (VmHWM) from /proc/self/status. Then searches:
 * through the full-text index, and by scanning (needles under three
 * characters). */
#include "config.h"

#include "im/confab-history.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <stdio.h>
#include <string.h>

#define CONVERSATION "sip:bob@example.org"

typedef struct
{
  gint64 rss_kib;
  gint64 hwm_kib;
} Memory;

static const char *const words[] = {
  "meeting", "tomorrow", "coffee", "project", "release", "Köln", "Grüße", "build",
  "review", "lunch", "deadline", "call", "weekend", "server", "привет", "ok",
};

static Memory
read_memory (void)
{
  Memory memory = { -1, -1 };
  g_autofree char *status = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return memory;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "VmRSS:"))
      memory.rss_kib = g_ascii_strtoll (lines[i] + 6, NULL, 10);
    else if (g_str_has_prefix (lines[i], "VmHWM:"))
      memory.hwm_kib = g_ascii_strtoll (lines[i] + 6, NULL, 10);
  }
  return memory;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static char *
message_text (guint i)
{
  /* About 60 bytes: varied words, a rare token every 1000 messages. */
  return g_strdup_printf ("Message %u: %s %s %s, see you at %u:%02u%s", i,
                          words[i % G_N_ELEMENTS (words)],
                          words[(i / 7) % G_N_ELEMENTS (words)],
                          words[(i / 13) % G_N_ELEMENTS (words)],
                          8 + i % 10, i % 60, i % 1000 == 0 ? " zebracorn" : "");
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static void
remove_store (const char *folder)
{
  static const char *const names[] = {
    "history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm", "history.sqlite3-lock",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (folder, names[i], NULL);

    g_unlink (path);
  }
  g_rmdir (folder);
}

static void
print_memory_row (const char *what,
                  Memory      memory)
{
  printf ("  %-40s %8.1f MiB rss %8.1f MiB peak\n", what, memory.rss_kib / 1024.0,
          memory.hwm_kib / 1024.0);
}

static void
time_search (ConfabHistory *history,
             const char    *label,
             const char    *needle,
             const char    *conversation,
             guint          limit)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  found = confab_history_search (history, needle, conversation, limit, &error);
  seconds = seconds_since (start);
  if (!found)
    g_error ("search: %s", error->message);
  printf ("  %-40s %8.1f ms  %6u found\n", label, seconds * 1000, found->len);
}

int
main (int    argc,
      char **argv)
{
  int count = 100000;
  int page_size = 200;
  gboolean keep = FALSE;
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Messages to store", "N" },
    { "page", 0, 0, G_OPTION_ARG_INT, &page_size, "Messages per page when loading", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the database file", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- history store benchmark");
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabHistory) history = NULL;
  g_autoptr (GListStore) store = NULL;
  g_autoptr (GDateTime) start_time = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  Memory at_start, after_insert, before_load, after_load;
  double insert_s, open_s, load_s, list_s;
  gint64 before = 0;
  guint pages = 0;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || count <= 0 || page_size <= 0) {
    g_printerr ("%s\n", error ? error->message : "--count and --page must be positive");
    return 2;
  }

  folder = g_dir_make_tmp ("confab-bench-history-XXXXXX", &error);
  if (!folder)
    g_error ("%s", error->message);
  path = g_build_filename (folder, "history.sqlite3", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  at_start = read_memory ();

  /* 1. Insert, one message at a time, each dropped once stored. */
  history = confab_history_open (path, &error);
  if (!history)
    g_error ("%s", error->message);
  start_time = g_date_time_new_now_utc ();
  start = g_get_monotonic_time ();
  for (int i = 0; i < count; i++) {
    char *text = message_text (i);
    gsize length = strlen (text);
    g_autoptr (GBytes) body = g_bytes_new_take (text, length);
    g_autoptr (GDateTime) when = g_date_time_add_seconds (start_time, i);
    gboolean outgoing = i % 2;
    g_autoptr (ConfabChatMessage) message =
      confab_chat_message_new (NULL,
                               outgoing ? CONFAB_CHAT_DIRECTION_OUTGOING
                                        : CONFAB_CHAT_DIRECTION_INCOMING,
                               CONVERSATION,
                               outgoing ? "sip:alice@example.org" : CONVERSATION,
                               outgoing ? "Alice" : "Bob", "text/plain", body, when);

    if (outgoing)
      confab_chat_message_set_state (message, CONFAB_CHAT_STATE_DELIVERED);
    if (!confab_history_add (history, message, &error))
      g_error ("add: %s", error->message);
  }
  insert_s = seconds_since (start);
  after_insert = read_memory ();
  g_clear_object (&history);

  /* 2. Reopen (a new process would see the same), page through it all. */
  start = g_get_monotonic_time ();
  history = confab_history_open (path, &error);
  if (!history)
    g_error ("%s", error->message);
  open_s = seconds_since (start);

  before_load = read_memory ();
  store = g_list_store_new (CONFAB_TYPE_CHAT_MESSAGE);
  start = g_get_monotonic_time ();
  for (;;) {
    g_autoptr (GPtrArray) page =
      confab_history_load (history, CONVERSATION, before, page_size, &error);

    if (!page)
      g_error ("load: %s", error->message);
    if (page->len == 0)
      break;
    /* Older pages go on top, as when the user scrolls up. */
    g_list_store_splice (store, 0, 0, page->pdata, page->len);
    before = confab_chat_message_get_row_id (g_ptr_array_index (page, 0));
    pages++;
  }
  load_s = seconds_since (start);
  after_load = read_memory ();
  if (g_list_model_get_n_items (G_LIST_MODEL (store)) != (guint) count)
    g_error ("loaded %u messages of %d", g_list_model_get_n_items (G_LIST_MODEL (store)), count);

  printf ("\nConfab history benchmark: %d messages in one conversation, SQLite %s%s\n\n",
          count, sqlite3_libversion (),
          confab_history_has_fulltext (history) ? ", FTS5 trigram index" : ", no FTS5");
  printf ("  %-40s %8.2f s  %8.0f messages/s\n", "insert (one transaction each)", insert_s,
          count / insert_s);
  printf ("  %-40s %8.1f ms\n", "reopen", open_s * 1000);
  printf ("  %-40s %8.2f s  %8.0f messages/s  (%u pages of %d, %.2f ms/page)\n",
          "load all, newest page first", load_s, count / load_s, pages, page_size,
          load_s * 1000 / pages);
  printf ("  %-40s %8.1f MiB  (+ %.1f MiB WAL)\n", "database file",
          file_size (path) / 1048576.0, file_size (wal) / 1048576.0);
  printf ("\n");
  print_memory_row ("at start", at_start);
  print_memory_row ("after inserting", after_insert);
  print_memory_row ("reopened, before loading", before_load);
  print_memory_row ("holding all messages in a GListStore", after_load);
  printf ("  %-40s %8.0f bytes/message (rss growth)\n", "",
          (after_load.rss_kib - before_load.rss_kib) * 1024.0 / count);
  printf ("\n");

  time_search (history, "search rare word (index)", "zebracorn", NULL, 0);
  time_search (history, "search common word (index, first 50)", "coffee", NULL, 50);
  time_search (history, "search common word (index, all)", "coffee", NULL, 0);
  time_search (history, "search in conversation (index, all)", "KÖLN", CONVERSATION, 0);
  time_search (history, "search no match (index)", "xylophone", NULL, 0);
  time_search (history, "search 2 chars (scan, first 50)", "ok", NULL, 50);
  time_search (history, "search 2 chars, no match (full scan)", "qz", NULL, 0);

  start = g_get_monotonic_time ();
  {
    g_autoptr (GPtrArray) conversations = confab_history_list_conversations (history, 0, &error);

    if (!conversations)
      g_error ("list: %s", error->message);
  }
  list_s = seconds_since (start);
  printf ("  %-40s %8.2f ms\n\n", "list conversations", list_s * 1000);

  g_clear_object (&store);
  g_clear_object (&history);
  if (keep)
    printf ("Kept %s\n", path);
  else
    remove_store (folder);
  return 0;
}
