/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "im/confab-history.h"
#include "im/confab-history-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOB "sip:bob@example.org"
#define CAROL "sip:carol@example.org"
#define DAVE "sip:dave@example.org"

/* Every test gets a folder of its own under a temporary root, removed at
 * the end; $XDG_DATA_HOME points into the root. (Not
 * G_TEST_OPTION_ISOLATE_DIRS: GLib 2.74 leaks its strings, which the
 * sanitizer build reports.) */
static char *test_root;

static char *
test_dir (void)
{
  char *dir = g_build_filename (test_root, g_test_get_path (), NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static char *
history_path (const char *name)
{
  g_autofree char *dir = test_dir ();

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

static GDateTime *
time_at (gint64 seconds)
{
  return g_date_time_new_from_unix_utc (1700000000 + seconds);
}

static ConfabChatMessage *
add_text (ConfabHistory       *history,
          const char          *conversation,
          ConfabChatDirection  direction,
          const char          *text,
          gint64               seconds)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr (GDateTime) when = time_at (seconds);
  ConfabChatMessage *message;

  message = confab_chat_message_new (NULL, direction, conversation,
                                     direction == CONFAB_CHAT_DIRECTION_OUTGOING
                                       ? "sip:alice@example.org" : conversation,
                                     NULL, "text/plain;charset=utf-8", body, when);
  g_assert_true (confab_history_add (history, message, &error));
  g_assert_no_error (error);
  g_assert_cmpint (confab_chat_message_get_row_id (message), >, 0);
  return message;
}

static void
store_text (ConfabHistory *history,
            const char    *conversation,
            const char    *text,
            gint64         seconds)
{
  g_autoptr (ConfabChatMessage) message =
    add_text (history, conversation, CONFAB_CHAT_DIRECTION_INCOMING, text, seconds);
}

static GPtrArray *
load (ConfabHistory *history,
      const char    *conversation,
      gint64         before,
      guint          limit)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *page = confab_history_load (history, conversation, before, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

static ConfabChatMessage *
find (ConfabHistory *history,
      const char    *message_id)
{
  g_autoptr (GError) error = NULL;
  ConfabChatMessage *message = confab_history_find (history, message_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static const char *
text_at (GPtrArray *messages,
         guint      index)
{
  return confab_chat_message_get_text (g_ptr_array_index (messages, index));
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

static void
test_history_default_path (void)
{
  g_autoptr (ConfabHistory) history = NULL;
  g_autofree char *expected =
    g_build_filename (test_root, "data", "confab", "history.sqlite3", NULL);
  g_autofree char *folder = g_build_filename (test_root, "data", "confab", NULL);
  GStatBuf st;

  history = open_history (NULL);
  g_assert_cmpstr (confab_history_get_path (history), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  /* Debian's SQLite has FTS5 and the trigram tokenizer. */
  g_assert_true (confab_history_has_fulltext (history));
}

static void
test_history_add_load_pages (void)
{
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GPtrArray) all = NULL;
  gint64 first_row;
  guint pages = 0;
  guint total = 0;
  gint64 before = 0;

  for (guint i = 1; i <= 25; i++) {
    g_autofree char *text = g_strdup_printf ("bob %02u", i);

    store_text (history, BOB, text, i);
    if (i % 5 == 0)
      store_text (history, CAROL, "carol", i);
  }
  /* Arrived late but written earlier: sorted by its timestamp. */
  store_text (history, BOB, "bob 10.5", 10);

  page = load (history, BOB, 0, 10);
  g_assert_cmpuint (page->len, ==, 10);
  g_assert_cmpstr (text_at (page, 0), ==, "bob 16");
  g_assert_cmpstr (text_at (page, 9), ==, "bob 25");

  /* Older pages until the start of the conversation, each oldest first,
   * together every message exactly once. */
  all = g_ptr_array_new_with_free_func (g_object_unref);
  g_clear_pointer (&page, g_ptr_array_unref);
  for (;;) {
    page = load (history, BOB, before, 7);
    if (page->len == 0)
      break;
    for (guint i = page->len; i > 0; i--)
      g_ptr_array_insert (all, 0, g_object_ref (g_ptr_array_index (page, i - 1)));
    before = confab_chat_message_get_row_id (g_ptr_array_index (page, 0));
    total += page->len;
    pages++;
    g_clear_pointer (&page, g_ptr_array_unref);
  }
  g_assert_cmpuint (total, ==, 26);
  g_assert_cmpuint (pages, ==, 4);
  for (guint i = 1; i < all->len; i++) {
    ConfabChatMessage *prev = g_ptr_array_index (all, i - 1);
    ConfabChatMessage *next = g_ptr_array_index (all, i);
    gint order = g_date_time_compare (confab_chat_message_get_timestamp (prev),
                                      confab_chat_message_get_timestamp (next));

    g_assert_cmpint (order, <=, 0);
    if (order == 0)
      g_assert_cmpint (confab_chat_message_get_row_id (prev), <,
                       confab_chat_message_get_row_id (next));
    g_assert_cmpstr (confab_chat_message_get_conversation (next), ==, BOB);
  }
  g_assert_cmpstr (text_at (all, 0), ==, "bob 01");
  g_assert_cmpstr (text_at (all, 10), ==, "bob 10.5");
  g_assert_cmpstr (text_at (all, 25), ==, "bob 25");

  /* Messages with one timestamp: pages split between them by row id. */
  for (guint i = 0; i < 10; i++) {
    g_autofree char *text = g_strdup_printf ("dave %u", i);

    store_text (history, DAVE, text, 5);
  }
  before = 0;
  for (guint expected = 10; expected > 0;) {
    g_clear_pointer (&page, g_ptr_array_unref);
    page = load (history, DAVE, before, 3);
    g_assert_cmpuint (page->len, ==, MIN (expected, 3));
    for (guint i = 0; i < page->len; i++) {
      g_autofree char *text = g_strdup_printf ("dave %u", expected - page->len + i);

      g_assert_cmpstr (text_at (page, i), ==, text);
    }
    expected -= page->len;
    before = confab_chat_message_get_row_id (g_ptr_array_index (page, 0));
  }
  g_clear_pointer (&page, g_ptr_array_unref);
  page = load (history, DAVE, before, 3);
  g_assert_cmpuint (page->len, ==, 0);

  /* limit 0: the whole conversation; an unknown conversation: nothing. */
  g_clear_pointer (&page, g_ptr_array_unref);
  page = load (history, CAROL, 0, 0);
  g_assert_cmpuint (page->len, ==, 5);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = load (history, "sip:nobody@example.org", 0, 10);
  g_assert_cmpuint (page->len, ==, 0);

  /* Loaded after reopening: same fields, byte-exact bodies. */
  first_row = confab_chat_message_get_row_id (g_ptr_array_index (all, 0));
  g_clear_pointer (&all, g_ptr_array_unref);
  g_clear_object (&history);
  history = open_history (path);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = load (history, BOB, 0, 0);
  g_assert_cmpuint (page->len, ==, 26);
  {
    ConfabChatMessage *message = g_ptr_array_index (page, 0);
    g_autoptr (GDateTime) when = time_at (1);

    g_assert_cmpint (confab_chat_message_get_row_id (message), ==, first_row);
    g_assert_cmpstr (confab_chat_message_get_text (message), ==, "bob 01");
    g_assert_cmpstr (confab_chat_message_get_content_type (message), ==,
                     "text/plain;charset=utf-8");
    g_assert_cmpstr (confab_chat_message_get_sender_uri (message), ==, BOB);
    g_assert_cmpint (confab_chat_message_get_direction (message), ==,
                     CONFAB_CHAT_DIRECTION_INCOMING);
    g_assert_cmpint (confab_chat_message_get_state (message), ==, CONFAB_CHAT_STATE_RECEIVED);
    g_assert_true (g_date_time_equal (confab_chat_message_get_timestamp (message), when));
  }
}

static void
test_history_bodies (void)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', 0, 0, 0xff, 0x10 };
  static const char invalid[] = "bad \xff\xfe bytes";
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (1700000000);
  g_autoptr (GDateTime) precise = g_date_time_add (when, 123456);
  struct {
    const char *content_type;
    GBytes *body;
  } cases[] = {
    { "image/png", g_bytes_new_static (png, sizeof png) },
    { "text/plain", g_bytes_new_static (invalid, sizeof invalid - 1) },
    { "text/plain", g_bytes_new_static ("", 0) },
    { "application/octet-stream", g_bytes_new_static ("", 0) },
    { "text/plain; charset=ISO-8859-1", g_bytes_new_static ("K\xf6ln", 4) },
  };
  g_autoptr (GBytes) huge = NULL;
  g_autoptr (ConfabChatMessage) too_big = NULL;
  g_autoptr (ConfabChatMessage) nowhere = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (ConfabChatMessage) message =
      confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_INCOMING, BOB, BOB, "Bob",
                               cases[i].content_type, cases[i].body, precise);

    g_assert_true (confab_history_add (history, message, &error));
    g_assert_no_error (error);
  }
  g_clear_object (&history);

  history = open_history (path);
  page = load (history, BOB, 0, 0);
  g_assert_cmpuint (page->len, ==, G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    ConfabChatMessage *message = g_ptr_array_index (page, i);

    g_assert_cmpstr (confab_chat_message_get_content_type (message), ==, cases[i].content_type);
    g_assert_true (g_bytes_equal (confab_chat_message_get_body (message), cases[i].body));
    g_assert_true (g_date_time_equal (confab_chat_message_get_timestamp (message), precise));
    g_assert_cmpstr (confab_chat_message_get_sender_display (message), ==, "Bob");
    g_bytes_unref (cases[i].body);
  }
  g_assert_true (confab_chat_message_is_image (g_ptr_array_index (page, 0)));
  g_assert_cmpstr (text_at (page, 1), ==, "bad \xef\xbf\xbd\xef\xbf\xbd bytes");
  g_assert_cmpstr (text_at (page, 4), ==, "Köln");

  /* Bounded: one byte over the limit is refused, the limit itself is not. */
  huge = g_bytes_new_take (g_malloc0 (CONFAB_HISTORY_MAX_BODY_SIZE + 1),
                           CONFAB_HISTORY_MAX_BODY_SIZE + 1);
  too_big = confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_INCOMING, BOB, NULL, NULL,
                                     "application/octet-stream", huge, NULL);
  g_assert_false (confab_history_add (history, too_big, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_assert_cmpint (confab_chat_message_get_row_id (too_big), ==, 0);
  g_clear_error (&error);
  g_clear_object (&too_big);
  {
    g_autoptr (GBytes) limit = g_bytes_new_from_bytes (huge, 0, CONFAB_HISTORY_MAX_BODY_SIZE);

    too_big = confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_INCOMING, BOB, NULL, NULL,
                                       "application/octet-stream", limit, NULL);
    g_assert_true (confab_history_add (history, too_big, &error));
    g_assert_no_error (error);
  }

  nowhere = confab_chat_message_new_text (CONFAB_CHAT_DIRECTION_INCOMING, NULL, NULL, "lost");
  g_assert_false (confab_history_add (history, nowhere, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
}

static void
test_history_state_follows_notify (void)
{
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (ConfabHistory) other = NULL;
  g_autoptr (ConfabChatMessage) sent = NULL;
  g_autoptr (ConfabChatMessage) failed = NULL;
  g_autoptr (ConfabChatMessage) reread = NULL;
  g_autoptr (ConfabChatMessage) found = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sent_id = NULL;
  g_autofree char *failed_id = NULL;

  sent = add_text (history, BOB, CONFAB_CHAT_DIRECTION_OUTGOING, "one", 1);
  failed = add_text (history, BOB, CONFAB_CHAT_DIRECTION_OUTGOING, "two", 2);
  sent_id = g_strdup (confab_chat_message_get_id (sent));
  failed_id = g_strdup (confab_chat_message_get_id (failed));
  g_assert_cmpint (confab_chat_message_get_state (sent), ==, CONFAB_CHAT_STATE_SENDING);

  /* Adding again is a no-op; the live object is what find() returns. */
  g_assert_true (confab_history_add (history, sent, &error));
  g_assert_no_error (error);
  found = find (history, sent_id);
  g_assert_true (found == sent);
  g_clear_object (&found);

  confab_chat_message_set_state (sent, CONFAB_CHAT_STATE_SENT);
  confab_chat_message_set_state (sent, CONFAB_CHAT_STATE_DELIVERED);
  confab_chat_message_fail (failed, "408 Request Timeout");

  /* Another instance reads what the first wrote. */
  other = open_history (path);
  reread = find (other, sent_id);
  g_assert_true (reread != sent);
  g_assert_cmpint (confab_chat_message_get_state (reread), ==, CONFAB_CHAT_STATE_DELIVERED);
  g_clear_object (&reread);
  reread = find (other, failed_id);
  g_assert_cmpint (confab_chat_message_get_state (reread), ==, CONFAB_CHAT_STATE_FAILED);
  g_assert_cmpstr (confab_chat_message_get_error (reread), ==, "408 Request Timeout");

  /* A message loaded from the store is followed too: a late delivery
   * report for a message of an earlier run. */
  confab_chat_message_set_error (reread, NULL);
  confab_chat_message_set_state (reread, CONFAB_CHAT_STATE_DISPLAYED);
  g_clear_object (&reread);
  g_clear_object (&other);
  g_clear_object (&failed);
  reread = find (history, failed_id);
  g_assert_cmpint (confab_chat_message_get_state (reread), ==, CONFAB_CHAT_STATE_DISPLAYED);
  g_assert_null (confab_chat_message_get_error (reread));

  g_assert_null (confab_history_find (history, "no-such-id", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND);
}

static void
test_history_weak_references (void)
{
  g_autofree char *path = history_path ("history.sqlite3");
  ConfabHistory *history = open_history (path);
  ConfabChatMessage *outlives;
  ConfabChatMessage *dies;
  gint64 row_id;

  outlives = add_text (history, BOB, CONFAB_CHAT_DIRECTION_OUTGOING, "one", 1);
  dies = add_text (history, BOB, CONFAB_CHAT_DIRECTION_OUTGOING, "two", 2);
  row_id = confab_chat_message_get_row_id (dies);
  g_object_add_weak_pointer (G_OBJECT (dies), (gpointer *) &dies);

  /* The store holds no reference: the message goes when its owner drops it. */
  g_object_unref (dies);
  g_assert_null (dies);
  {
    g_autoptr (GPtrArray) page = load (history, BOB, 0, 0);

    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpint (confab_chat_message_get_row_id (g_ptr_array_index (page, 1)), ==, row_id);
    g_assert_true (g_ptr_array_index (page, 0) == outlives);
  }

  /* The message outlives the store: changes are no longer written, and
   * nothing dangles. */
  g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);
  g_object_unref (history);
  g_assert_null (history);
  confab_chat_message_set_state (outlives, CONFAB_CHAT_STATE_SENT);
  g_object_unref (outlives);
}

static void
test_history_crash_child (void)
{
  const char *path = g_getenv ("CONFAB_TEST_HISTORY");
  ConfabHistory *history = open_history (path);
  ConfabChatMessage *message;

  message = add_text (history, BOB, CONFAB_CHAT_DIRECTION_OUTGOING, "in flight", 1);
  message = add_text (history, BOB, CONFAB_CHAT_DIRECTION_OUTGOING, "went out", 2);
  confab_chat_message_set_state (message, CONFAB_CHAT_STATE_SENT);
  /* Gone without closing anything: the WAL holds the commits. (This
   * process's own empty test root goes first.) */
  remove_tree (test_root);
  _exit (0);
}

static void
test_history_crash_recovery (void)
{
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) history = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_setenv ("CONFAB_TEST_HISTORY", path, TRUE);
  g_test_trap_subprocess ("/history/crash-recovery/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  history = open_history (path);
  page = load (history, BOB, 0, 0);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpint (confab_chat_message_get_state (g_ptr_array_index (page, 0)), ==,
                   CONFAB_CHAT_STATE_FAILED);
  g_assert_cmpstr (confab_chat_message_get_error (g_ptr_array_index (page, 0)), ==,
                   "Confab quit before the message was sent");
  g_assert_cmpint (confab_chat_message_get_state (g_ptr_array_index (page, 1)), ==,
                   CONFAB_CHAT_STATE_SENT);
  g_assert_null (confab_chat_message_get_error (g_ptr_array_index (page, 1)));
}

static void
test_history_concurrent_open (void)
{
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) first = open_history (path);
  g_autoptr (ConfabHistory) second = NULL;
  g_autoptr (ConfabChatMessage) pending = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GHashTable) rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);

  pending = add_text (first, BOB, CONFAB_CHAT_DIRECTION_OUTGOING, "on the wire", 0);

  /* The first instance is alive: its message is still on the wire, not
   * left over from a crash. */
  second = open_history (path);
  page = load (second, BOB, 0, 0);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpint (confab_chat_message_get_state (g_ptr_array_index (page, 0)), ==,
                   CONFAB_CHAT_STATE_SENDING);
  g_clear_pointer (&page, g_ptr_array_unref);
  confab_chat_message_set_state (pending, CONFAB_CHAT_STATE_SENT);

  /* Both write, interleaved: every message lands once. */
  for (guint i = 0; i < 50; i++) {
    g_autofree char *text = g_strdup_printf ("message %u", i);

    g_ptr_array_add (keep, add_text (i % 2 ? first : second, CAROL,
                                     CONFAB_CHAT_DIRECTION_INCOMING, text, i));
  }
  for (guint i = 0; i < keep->len; i++) {
    gint64 *row = g_new (gint64, 1);

    *row = confab_chat_message_get_row_id (g_ptr_array_index (keep, i));
    g_assert_false (g_hash_table_contains (rows, row));
    g_hash_table_add (rows, row);
  }

  page = load (first, CAROL, 0, 0);
  g_assert_cmpuint (page->len, ==, 50);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = load (second, BOB, 0, 0);
  g_assert_cmpint (confab_chat_message_get_state (g_ptr_array_index (page, 0)), ==,
                   CONFAB_CHAT_STATE_SENT);
  g_clear_pointer (&page, g_ptr_array_unref);

  {
    g_autoptr (GPtrArray) conversations = confab_history_list_conversations (second, 0, NULL);

    g_assert_cmpuint (conversations->len, ==, 2);
    g_assert_cmpstr (confab_history_conversation_get_uri (g_ptr_array_index (conversations, 0)),
                     ==, CAROL);
    g_assert_cmpuint (confab_history_conversation_get_unread_count (
                        g_ptr_array_index (conversations, 0)), ==, 50);
  }
}

static void
search_expect (ConfabHistory       *history,
               const char          *needle,
               const char          *conversation,
               const char * const  *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = confab_history_search (history, needle, conversation, 0, &error);
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  g_assert_no_error (error);
  g_assert_nonnull (found);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (texts, (gpointer) text_at (found, i));
  g_ptr_array_add (texts, NULL);
  {
    /* Needles may be invalid UTF-8 on purpose; TAP output must stay UTF-8. */
    g_autofree char *shown = g_utf8_make_valid (needle, -1);

    g_test_message ("search “%s”: %u found", shown, found->len);
  }
  g_assert_cmpstrv ((const char * const *) texts->pdata, expected);
}

#define EXPECT(...) ((const char * const[]) { __VA_ARGS__, NULL })
#define NOTHING ((const char * const[]) { NULL })

static void
test_history_search (gconstpointer data)
{
  gboolean scan = GPOINTER_TO_INT (data);
  static const char *const texts[] = {
    "100% sure",                     /* 1 */
    "under_score and more",          /* 2 */
    "back\\slash",                   /* 3 */
    "she said \"hello\" twice",      /* 4 */
    "it's O'Brien; DROP TABLE messages; --", /* 5 */
    "a*b NEAR(x y) col:on ^start",   /* 6 */
    "Schöne Grüße aus KÖLN",         /* 7 */
    "Привет, мир",                   /* 8 */
    "日本語のテキスト",                  /* 9 */
    "emoji 🎉 party",                 /* 10 */
    "Hello again",                   /* 11 */
  };
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (GBytes) png = g_bytes_new_static ("hello image", 11);
  g_autoptr (ConfabChatMessage) image = NULL;
  g_autoptr (GPtrArray) limited = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    store_text (history, BOB, texts[i], i);
  store_text (history, CAROL, "hello from carol", 100);
  /* Not text: never found, whatever its bytes. */
  image = confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_INCOMING, BOB, NULL, NULL,
                                   "image/png", png, NULL);
  g_assert_true (confab_history_add (history, image, NULL));
  if (scan)
    _confab_history_disable_fulltext (history);

  /* Full-text (three characters and more, unless scanning), newest first,
   * any case. */
  search_expect (history, "HELLO", NULL,
                 EXPECT ("hello from carol", "Hello again", "she said \"hello\" twice"));
  search_expect (history, "hello", BOB, EXPECT ("Hello again", "she said \"hello\" twice"));
  search_expect (history, "hello", DAVE, NOTHING);
  search_expect (history, "xyzzy", NULL, NOTHING);

  /* Metacharacters of LIKE, FTS5 and SQL are literal. */
  search_expect (history, "%", NULL, EXPECT ("100% sure"));
  search_expect (history, "0% s", NULL, EXPECT ("100% sure"));
  search_expect (history, "_", NULL, EXPECT ("under_score and more"));
  search_expect (history, "r_s", NULL, EXPECT ("under_score and more"));
  search_expect (history, "\\", NULL, EXPECT ("back\\slash"));
  search_expect (history, "k\\s", NULL, EXPECT ("back\\slash"));
  search_expect (history, "\"", NULL, EXPECT ("she said \"hello\" twice"));
  search_expect (history, "\"hello\"", NULL, EXPECT ("she said \"hello\" twice"));
  search_expect (history, "'", NULL, EXPECT ("it's O'Brien; DROP TABLE messages; --"));
  search_expect (history, "o'brien; drop", NULL, EXPECT ("it's O'Brien; DROP TABLE messages; --"));
  search_expect (history, "*", NULL, EXPECT ("a*b NEAR(x y) col:on ^start"));
  search_expect (history, "NEAR(x", NULL, EXPECT ("a*b NEAR(x y) col:on ^start"));
  search_expect (history, "col:on ^", NULL, EXPECT ("a*b NEAR(x y) col:on ^start"));
  search_expect (history, "a OR b", NULL, NOTHING);

  /* Non-ASCII, folded both ways, with and without the index. */
  search_expect (history, "köln", NULL, EXPECT ("Schöne Grüße aus KÖLN"));
  search_expect (history, "SCHÖNE", NULL, EXPECT ("Schöne Grüße aus KÖLN"));
  search_expect (history, "Ö", NULL, EXPECT ("Schöne Grüße aus KÖLN"));
  search_expect (history, "ПРИВЕТ", NULL, EXPECT ("Привет, мир"));
  search_expect (history, "ми", NULL, EXPECT ("Привет, мир"));
  search_expect (history, "テキスト", NULL, EXPECT ("日本語のテキスト"));
  search_expect (history, "本", NULL, EXPECT ("日本語のテキスト"));
  search_expect (history, "🎉", NULL, EXPECT ("emoji 🎉 party"));
  search_expect (history, "🎉 party", NULL, EXPECT ("emoji 🎉 party"));

  /* Nothing to look for; invalid UTF-8 in the needle. */
  search_expect (history, "", NULL, NOTHING);
  search_expect (history, "\xff\xfe", NULL, NOTHING);

  limited = confab_history_search (history, "e", NULL, 2, NULL);
  g_assert_cmpuint (limited->len, ==, 2);
  g_assert_cmpstr (text_at (limited, 0), ==, "hello from carol");
}

/* A store made by an SQLite without FTS5 (or before this index existed)
 * gets the index, filled with the old messages, when opened with one. */
static void
test_history_fulltext_added_later (void)
{
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);

  store_text (history, BOB, "written before the index", 1);
  g_clear_object (&history);
  exec_sql (path, "DROP TRIGGER messages_fts_insert; DROP TRIGGER messages_fts_delete;"
                  "DROP TABLE messages_fts;");

  history = open_history (path);
  g_assert_true (confab_history_has_fulltext (history));
  store_text (history, BOB, "written after the index", 2);
  search_expect (history, "WRITTEN", NULL,
                 EXPECT ("written after the index", "written before the index"));
}

static guint
unread_of (GPtrArray  *conversations,
           const char *uri)
{
  for (guint i = 0; i < conversations->len; i++) {
    ConfabHistoryConversation *conversation = g_ptr_array_index (conversations, i);

    if (g_strcmp0 (confab_history_conversation_get_uri (conversation), uri) == 0)
      return confab_history_conversation_get_unread_count (conversation);
  }
  g_assert_not_reached ();
}

static void
on_conversation_changed (ConfabHistory *history,
                         const char    *conversation,
                         GPtrArray     *changes)
{
  g_ptr_array_add (changes, g_strdup (conversation));
}

static void
test_history_conversations (void)
{
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) history = open_history (path);
  g_autoptr (GPtrArray) conversations = NULL;
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GBytes) jpeg = g_bytes_new_static ("\xff\xd8\xff", 3);
  g_autoptr (GDateTime) late = time_at (50);
  g_autoptr (ConfabChatMessage) image = NULL;
  g_autoptr (ConfabChatMessage) mine = NULL;
  g_autoptr (GError) error = NULL;
  ConfabHistoryConversation *top;

  conversations = confab_history_list_conversations (history, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversations->len, ==, 0);
  g_clear_pointer (&conversations, g_ptr_array_unref);

  g_signal_connect (history, "conversation-changed", G_CALLBACK (on_conversation_changed), changes);
  store_text (history, BOB, "bob 1", 1);
  store_text (history, BOB, "bob 2", 2);
  store_text (history, BOB, "bob 3", 30);
  mine = add_text (history, CAROL, CONFAB_CHAT_DIRECTION_OUTGOING, "to carol", 40);
  image = confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_INCOMING, DAVE, DAVE, NULL,
                                   "image/jpeg", jpeg, late);
  g_assert_true (confab_history_add (history, image, NULL));
  /* Late, with an old timestamp: not the last message of Bob's. */
  store_text (history, BOB, "bob 0", 0);
  g_assert_cmpuint (changes->len, ==, 6);
  g_assert_cmpstr (g_ptr_array_index (changes, 3), ==, CAROL);

  conversations = confab_history_list_conversations (history, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversations->len, ==, 3);

  top = g_ptr_array_index (conversations, 0);
  g_assert_cmpstr (confab_history_conversation_get_uri (top), ==, DAVE);
  g_assert_null (confab_history_conversation_get_last_text (top));
  g_assert_cmpstr (confab_history_conversation_get_last_content_type (top), ==, "image/jpeg");
  g_assert_true (g_date_time_equal (confab_history_conversation_get_last_timestamp (top), late));
  g_assert_cmpuint (confab_history_conversation_get_unread_count (top), ==, 1);

  top = g_ptr_array_index (conversations, 1);
  g_assert_cmpstr (confab_history_conversation_get_uri (top), ==, CAROL);
  g_assert_cmpstr (confab_history_conversation_get_last_text (top), ==, "to carol");
  g_assert_cmpint (confab_history_conversation_get_last_direction (top), ==,
                   CONFAB_CHAT_DIRECTION_OUTGOING);
  g_assert_cmpuint (confab_history_conversation_get_unread_count (top), ==, 0);

  top = g_ptr_array_index (conversations, 2);
  g_assert_cmpstr (confab_history_conversation_get_uri (top), ==, BOB);
  g_assert_cmpstr (confab_history_conversation_get_last_text (top), ==, "bob 3");
  g_assert_cmpuint (confab_history_conversation_get_unread_count (top), ==, 4);
  g_clear_pointer (&conversations, g_ptr_array_unref);

  g_assert_true (confab_history_mark_read (history, BOB, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (changes, changes->len - 1), ==, BOB);
  store_text (history, BOB, "bob 4", 60);

  /* Reopened: the counts were stored. */
  g_clear_object (&history);
  history = open_history (path);
  conversations = confab_history_list_conversations (history, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (confab_history_conversation_get_uri (g_ptr_array_index (conversations, 0)),
                   ==, BOB);
  g_assert_cmpuint (unread_of (conversations, BOB), ==, 1);
  g_assert_cmpuint (unread_of (conversations, DAVE), ==, 1);
  g_assert_cmpuint (unread_of (conversations, CAROL), ==, 0);
  g_clear_pointer (&conversations, g_ptr_array_unref);

  conversations = confab_history_list_conversations (history, 2, &error);
  g_assert_cmpuint (conversations->len, ==, 2);

  /* Marking a conversation that does not exist is harmless. */
  g_assert_true (confab_history_mark_read (history, "sip:nobody@example.org", &error));
  g_assert_no_error (error);
}

static void
expect_open_error (const char *path,
                   gint        code,
                   const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabHistory) history = confab_history_open (path, &error);

  g_assert_null (history);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (code >= 0)
    g_assert_error (error, CONFAB_ERROR, code);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_history_bad_files (void)
{
  g_autofree char *text_file = history_path ("notes.txt");
  g_autofree char *other_app = history_path ("other.sqlite3");
  g_autofree char *newer = history_path ("newer.sqlite3");
  g_autofree char *folder = history_path ("a-folder");
  g_autofree char *damaged = history_path ("damaged.sqlite3");
  g_autofree char *garbage = NULL;
  g_autoptr (GError) error = NULL;

  /* Not a database at all: a clear error naming the file. */
  garbage = g_strnfill (8192, 'x');
  g_assert_true (g_file_set_contents (text_file, garbage, -1, &error));
  expect_open_error (text_file, CONFAB_ERROR_INVALID, text_file);
  expect_open_error (text_file, CONFAB_ERROR_INVALID, "Move the file aside");

  /* Another program's SQLite database is left alone. */
  exec_sql (other_app, "CREATE TABLE bookmarks (url TEXT)");
  expect_open_error (other_app, CONFAB_ERROR_INVALID, "not a Confab chat history");

  /* Written by a newer Confab. */
  {
    g_autoptr (ConfabHistory) history = open_history (newer);
  }
  exec_sql (newer, "PRAGMA user_version = 99");
  expect_open_error (newer, CONFAB_ERROR_INVALID, "newer version");

  /* A folder where the file should be. */
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  expect_open_error (folder, -1, folder);

  /* Damaged pages: open or read fails with an error, never a crash. */
  {
    g_autoptr (ConfabHistory) history = open_history (damaged);
    g_autofree char *contents = NULL;
    gsize length = 0;

    for (guint i = 0; i < 500; i++)
      store_text (history, BOB, "some text to fill a few pages of the database file", i);
    g_clear_object (&history);

    g_assert_true (g_file_get_contents (damaged, &contents, &length, &error));
    g_assert_cmpuint (length, >, 8192);
    memset (contents + 4096, 0xa5, length - 4096);
    g_assert_true (g_file_set_contents (damaged, contents, length, &error));

    history = confab_history_open (damaged, &error);
    if (history) {
      g_autoptr (GPtrArray) page = confab_history_load (history, BOB, 0, 0, &error);

      g_assert_null (page);
    }
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  }
}

/* Every operation on a file with one damaged page either works or fails
 * with a GError: never a crash (the sanitizer build checks the "never"). */
static void
test_history_damaged_pages (void)
{
  g_autofree char *good = history_path ("good.sqlite3");
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  guint page_size = 4096;
  guint failures = 0;

  {
    g_autoptr (ConfabHistory) history = open_history (good);

    for (guint i = 0; i < 300; i++) {
      g_autofree char *text = g_strdup_printf ("message %u with some words to search", i);

      store_text (history, i % 3 ? BOB : CAROL, text, i);
    }
  }
  g_assert_true (g_file_get_contents (good, &contents, &length, &error));
  g_assert_cmpuint (length % page_size, ==, 0);

  for (gsize page = 0; page < length / page_size; page++) {
    g_autofree char *name = g_strdup_printf ("damaged-%" G_GSIZE_FORMAT ".sqlite3", page);
    g_autofree char *path = history_path (name);
    g_autofree char *damaged = g_memdup2 (contents, length);
    g_autoptr (ConfabHistory) history = NULL;
    g_autoptr (GPtrArray) result = NULL;
    g_autoptr (ConfabChatMessage) message = NULL;
    gboolean ok;

    /* Keep the 100-byte file header of page 0, scramble the rest. */
    for (gsize i = page ? 0 : 100; i < page_size; i++)
      damaged[page * page_size + i] ^= (char) (0x5a + i * 7);
    g_assert_true (g_file_set_contents (path, damaged, length, &error));

    history = confab_history_open (path, &error);
    if (!history) {
      g_assert_nonnull (error);
      g_clear_error (&error);
      failures++;
      continue;
    }
    result = confab_history_load (history, BOB, 0, 0, &error);
    g_assert_true ((result != NULL) == (error == NULL));
    g_clear_error (&error);
    g_clear_pointer (&result, g_ptr_array_unref);
    result = confab_history_search (history, "some words", NULL, 0, &error);
    g_assert_true ((result != NULL) == (error == NULL));
    g_clear_error (&error);
    g_clear_pointer (&result, g_ptr_array_unref);
    result = confab_history_search (history, "me", CAROL, 0, &error);
    g_assert_true ((result != NULL) == (error == NULL));
    g_clear_error (&error);
    g_clear_pointer (&result, g_ptr_array_unref);
    result = confab_history_list_conversations (history, 0, &error);
    g_assert_true ((result != NULL) == (error == NULL));
    g_clear_error (&error);
    message = confab_history_find (history, "x", &error);
    g_assert_null (message);
    g_assert_nonnull (error);
    g_clear_error (&error);
    message = confab_chat_message_new_text (CONFAB_CHAT_DIRECTION_OUTGOING, BOB, NULL, "new");
    ok = confab_history_add (history, message, &error);
    g_assert_true (ok == (error == NULL));
    if (!ok)
      failures++;
    g_clear_error (&error);
    ok = confab_history_mark_read (history, BOB, &error);
    g_assert_true (ok == (error == NULL));
    g_clear_error (&error);
  }
  g_test_message ("%u of %" G_GSIZE_FORMAT " damaged pages noticed", failures,
                  length / page_size);
  g_assert_cmpuint (failures, >, 0);
}

static void
test_history_migration (void)
{
  g_autofree char *path = history_path ("history.sqlite3");
  g_autoptr (ConfabHistory) history = NULL;

  /* An empty SQLite file (user_version 0) becomes a history. */
  exec_sql (path, "PRAGMA user_version = 0");
  history = open_history (path);
  store_text (history, BOB, "hello", 1);
  g_clear_object (&history);

  /* Reopening a current file changes nothing. */
  history = open_history (path);
  {
    g_autoptr (GPtrArray) page = load (history, BOB, 0, 0);

    g_assert_cmpuint (page->len, ==, 1);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_home = NULL;
  int status;

  test_root = g_dir_make_tmp ("confab-test-history-XXXXXX", NULL);
  g_assert_nonnull (test_root);
  /* Before anything reads it: GLib caches the user folders. */
  data_home = g_build_filename (test_root, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/default-path", test_history_default_path);
  g_test_add_func ("/history/add-load-pages", test_history_add_load_pages);
  g_test_add_func ("/history/bodies", test_history_bodies);
  g_test_add_func ("/history/state-follows-notify", test_history_state_follows_notify);
  g_test_add_func ("/history/weak-references", test_history_weak_references);
  g_test_add_func ("/history/crash-recovery", test_history_crash_recovery);
  g_test_add_func ("/history/crash-recovery/subprocess", test_history_crash_child);
  g_test_add_func ("/history/concurrent-open", test_history_concurrent_open);
  g_test_add_data_func ("/history/search/fulltext", GINT_TO_POINTER (FALSE), test_history_search);
  g_test_add_data_func ("/history/search/scan", GINT_TO_POINTER (TRUE), test_history_search);
  g_test_add_func ("/history/fulltext-added-later", test_history_fulltext_added_later);
  g_test_add_func ("/history/conversations", test_history_conversations);
  g_test_add_func ("/history/bad-files", test_history_bad_files);
  g_test_add_func ("/history/damaged-pages", test_history_damaged_pages);
  g_test_add_func ("/history/migration", test_history_migration);
  status = g_test_run ();

  remove_tree (test_root);
  g_free (test_root);
  return status;
}
