/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-application.h"
#include "confab-local-address.h"
#include "confab-main-window.h"
#include "confab-preferences-window.h"
#include "confab-session-window.h"
#include "confab-test-desktop.h"
#include "confab-test-peer.h"
#include "confab-test-ui.h"
#include "confab-transfer-row.h"
#include "confab-transfers-window.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <stdio.h>
#include <signal.h>
#include <string.h>

/* File transfer in the app under Xvfb, against real confab-cli peers on
 * loopback:
 *  1. the app sends a 200 MB file (confab_application_send_file(), what
 *     the main window's Send File… does) to `confab-cli listen
 *     --accept-files DIR`: a small window shows just the transfer, its row
 *     says "Computing hash N%" first, then counts bytes, speed and time
 *     left (screenshot transfers-pane.png);
 *  2. the row's Cancel stops it ("Cancelled at …", Retry offered), and
 *     Retry sends it again in a new session, which says "Sent"; the file
 *     is in DIR with the same SHA-1;
 *  3. `confab-cli send-file` pushes a file to the app: a dialog asks
 *     (screenshot transfer-offer.png), the test saves it, and the file
 *     lands in the downloads folder of the preferences with the same
 *     SHA-1; the row's Open button starts the default application for the
 *     file (a stand-in that notes the URI) and Show in Folder asks the
 *     file manager (a stand-in owning org.freedesktop.FileManager1 on the
 *     test's session bus) to show it;
 *  4. a second push is declined in the dialog: no window opens, the peer
 *     hears 603;
 *  5. a third peer pushes the 200 MB file and is killed halfway: the row
 *     says it failed and offers Resume, the .part stays; the Transfers
 *     window (app.transfers) shows this run's transfers, newest first,
 *     above earlier ones from the history (screenshot
 *     transfers-interrupted.png);
 *  6. Resume, pressed in the Transfers window, asks the sender for the
 *     rest where its Contact said it listened, and where a peer sharing
 *     the file now listens: the sender used its local account, whose From
 *     (sip:USER@localhost) names no port and leads nowhere; the new
 *     transfer takes the old one's place and runs, then the file is whole
 *     with the right SHA-1 and no .part;
 *  7. the file goes out once more, and the Transfers window shows it on
 *     its way above finished ones and an earlier download that can be
 *     resumed (screenshot transfers-window.png; one of the download
 *     resuming cannot be had: see check_resuming()); Clear Finished takes
 *     off what is over for good and keeps what can still be resumed, by us
 *     (Resume) or by the other side (an earlier send, which offers Retry);
 *     no file goes, received or partial (screenshot transfers-cleared.png);
 *  8. in a chat with the listening peer, a file dropped on the window
 *     (confab_session_window_send_files()) goes by re-INVITE; the window
 *     switches to the transfers and back to the chat (screenshot
 *     transfers-chat.png);
 *  9. the Files page of the preferences shows the downloads folder
 *     (screenshot preferences-files.png).
 * It needs the core's file transfer to work; it fails, never skips. */

#define DEADLINE_S     180
#define BIG_SIZE       (200 * 1024 * 1024)
#define BIG_NAME       "big-video.mkv"
#define SMALL_SIZE     (3 * 1024 * 1024 + 17)
#define SMALL_NAME     "report.pdf"
#define DECLINED_NAME  "unwanted.iso"
#define CHUNK          (1024 * 1024)
#define POLL_MS        25

/* Earlier transfers, as previous runs would have left them in the history:
 * what Clear Finished takes off, and what it keeps. */
#define OLD_NAME       "holiday-photos.zip"  /* received: goes, the file stays */
#define PART_NAME      "old-download.iso"    /* stopped halfway, .part there: stays */
#define SENT_NAME      "slides.odp"          /* a send that failed halfway: stays, Retry */
#define CANCELLED_NAME "notes.txt"           /* a send we cancelled: goes */
#define LOST_NAME      "lost.bin"            /* stopped, its .part gone: goes */
#define N_EARLIER      5
#define N_KEPT         2

/* Sessions, in the order they come. */
enum {
  SESSION_SEND,
  SESSION_RETRY,
  SESSION_RECEIVE,
  SESSION_DECLINE,
  SESSION_INTERRUPTED,
  SESSION_RESUME,
  SESSION_RESEND,
  SESSION_CHAT,
};

typedef enum {
  STAGE_WAIT_READY,
  STAGE_WAIT_TRANSFERRING,
  STAGE_WAIT_CANCELLED,
  STAGE_WAIT_SENT,
  STAGE_WAIT_OFFER,
  STAGE_WAIT_RECEIVED,
  STAGE_WAIT_OPENED,
  STAGE_WAIT_DECLINE_OFFER,
  STAGE_WAIT_DECLINED,
  STAGE_WAIT_BIG_OFFER,
  STAGE_WAIT_INTERRUPTING,
  STAGE_WAIT_INTERRUPTED,
  STAGE_WAIT_TRANSFERS_WINDOW,
  STAGE_WAIT_RESUMING,
  STAGE_WAIT_RESUMED,
  STAGE_WAIT_RESENDING,
  STAGE_WAIT_RESENT,
  STAGE_WAIT_CLEARED,
  STAGE_WAIT_CHAT,
  STAGE_WAIT_CHAT_FILE,
  STAGE_WAIT_PREFERENCES,
} Stage;

static const char *stage_names[] = {
  "ready", "the transfer running", "the transfer cancelled", "the file sent again and at the peer",
  "the file offer dialog", "the file received", "Open and Show in Folder to reach the desktop",
  "the second offer", "the offer declined", "the big file's offer", "the big file coming in",
  "the big file's transfer interrupted", "the Transfers window and the sharing peer",
  "the resumed transfer running", "the resumed transfer done", "the file sent a third time running",
  "the file sent a third time", "the finished ones cleared",
  "a chat with the peer", "the file sent in the chat", "the Files preferences",
};

typedef ConfabTestPeer Peer;

static ConfabApplication *app;
static ConfabTestDesktop desktop;
static char *artifacts_dir;
static char *work_dir;
static char *peer_dir;       /* where the listening peer saves */
static char *downloads_dir;  /* the app's downloads folder */
static char *big_path;
static char *big_sha1;
static char *small_path;
static char *small_sha1;
static char *declined_path;
static guint sender_port;    /* the interrupted peer's; the sharing peer listens there next */
static gint64 deadline;
static gint64 ready_since;
static gboolean passed;
static Stage stage;
static Peer listener = { .name = "listener" };
static Peer sender = { .name = "sender" };
static Peer declined = { .name = "declined" };
static Peer interrupted = { .name = "interrupted" };
static Peer sharer = { .name = "sharer" };
static GPtrArray *sessions;  /* every ConfabSession, in order */

static void
start_peer (Peer        *peer,
            const char **command)
{
  g_autofree char *peer_data = g_build_filename (work_dir, peer->name, NULL);

  confab_test_peer_start (peer, (const char * const *) command, peer_data);
}

static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *session,
                  gpointer              user_data)
{
  g_ptr_array_add (sessions, g_object_ref (session));
}

static ConfabSession *
session_at (guint index)
{
  return index < sessions->len ? g_ptr_array_index (sessions, index) : NULL;
}

static ConfabSessionWindow *
window_for (ConfabSession *session)
{
  return session ? confab_application_get_session_window (app, session) : NULL;
}

static ConfabTransferRow *
first_row (GtkListBox *list)
{
  GtkListBoxRow *row = list ? gtk_list_box_get_row_at_index (list, 0) : NULL;

  return row && CONFAB_IS_TRANSFER_ROW (row) ? CONFAB_TRANSFER_ROW (row) : NULL;
}

/* Whether the peer said @name reached state @state. */
static gboolean
peer_saw_transfer (Peer       *peer,
                   const char *name,
                   const char *state)
{
  for (guint i = 0; peer->events && i < peer->events->len; i++) {
    JsonObject *event = g_ptr_array_index (peer->events, i);

    if (g_strcmp0 (json_object_get_string_member_with_default (event, "event", ""),
                   "transfer") == 0 &&
        g_strcmp0 (json_object_get_string_member_with_default (event, "name", ""), name) == 0 &&
        g_strcmp0 (json_object_get_string_member_with_default (event, "state", ""), state) == 0)
      return TRUE;
  }
  return FALSE;
}

static ConfabTransferRow *
row_for (ConfabSession *session)
{
  ConfabSessionWindow *window = window_for (session);

  return window ? first_row (confab_session_window_get_transfer_list (window)) : NULL;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n))
    n++;
  return n;
}

/* The Transfers window's row of @stream. */
static ConfabTransferRow *
live_row_for (GtkListBox               *list,
              ConfabFileTransferStream *stream)
{
  GtkListBoxRow *row;

  for (int i = 0; stream && (row = gtk_list_box_get_row_at_index (list, i)); i++) {
    if (CONFAB_IS_TRANSFER_ROW (row) &&
        confab_transfer_row_get_stream (CONFAB_TRANSFER_ROW (row)) == stream)
      return CONFAB_TRANSFER_ROW (row);
  }
  return NULL;
}

/* An earlier transfer's row, by its file's name. */
static GtkWidget *
past_row_named (GtkListBox *list,
                const char *name)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)); i++) {
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
      return GTK_WIDGET (row);
  }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_button (child, action);

    if (found)
      return found;
  }
  return NULL;
}

/* Clicks @button as a user would (a keyboard activation): nothing happens
 * when it is hidden or insensitive. */
static gboolean
press (GtkWidget *button)
{
  if (!button || !gtk_widget_is_drawable (button) || !gtk_widget_is_sensitive (button))
    return FALSE;
  return gtk_widget_activate (button);
}

static char *
sha1_of_file (const char *path)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree guchar *buffer = g_malloc (CHUNK);
  FILE *file = fopen (path, "rb");
  size_t n;

  if (!file)
    return NULL;
  while ((n = fread (buffer, 1, CHUNK, file)) > 0)
    g_checksum_update (checksum, buffer, (gssize) n);
  fclose (file);
  return g_strdup (g_checksum_get_string (checksum));
}

/* Random bytes, varied per MiB so that no two chunks are alike. */
static char *
make_file (const char *name,
           gsize       size)
{
  char *path = g_build_filename (work_dir, name, NULL);
  g_autofree guint32 *buffer = g_malloc (CHUNK);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  FILE *file = fopen (path, "wb");

  g_assert_nonnull (file);
  for (gsize i = 0; i < CHUNK / sizeof (guint32); i++)
    buffer[i] = g_rand_int (rand);
  for (gsize done = 0, chunk = 0; done < size; chunk++) {
    gsize n = MIN ((gsize) CHUNK, size - done);

    buffer[0] = (guint32) chunk;
    g_assert_cmpuint (fwrite (buffer, 1, n, file), ==, n);
    done += n;
  }
  g_assert_cmpint (fclose (file), ==, 0);
  return path;
}

static char *
download_path (const char *name)
{
  return g_build_filename (downloads_dir, name, NULL);
}

static gboolean
download_exists (const char *name)
{
  g_autofree char *path = download_path (name);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static void
set_stage (Stage next)
{
  stage = next;
  ready_since = 0;
}

/* Whether @ready has held for a while: rows and windows have settled
 * before a screenshot. */
static gboolean
settled (gboolean ready)
{
  if (!ready) {
    ready_since = 0;
    return FALSE;
  }
  if (!ready_since)
    ready_since = g_get_monotonic_time ();
  return g_get_monotonic_time () - ready_since >= 500 * 1000;
}

static void
finish (gboolean ok)
{
  passed = ok;
  g_application_quit (G_APPLICATION (app));
}

static gboolean
fail (const char *message)
{
  g_printerr ("not ok - %s\n", message);
  if (listener.process)
    g_subprocess_send_signal (listener.process, SIGCONT); /* see check_transferring () */
  finish (FALSE);
  return G_SOURCE_REMOVE;
}

/* A widget renders what it drew last, and a window whose rows just
 * changed has nothing until its next frame: screenshots are taken right
 * after one, while @still holds (a transfer still running, say). */
static struct
{
  GtkWidget     *widget;
  char          *name;
  gboolean     (*still) (void);
  GdkFrameClock *clock;
  gulong         handler;
  gboolean       taken;
  gboolean       missed;
} shot;

static void
clear_screenshot (void)
{
  if (shot.handler)
    g_clear_signal_handler (&shot.handler, shot.clock);
  g_clear_object (&shot.clock);
  g_clear_object (&shot.widget);
  g_clear_pointer (&shot.name, g_free);
  shot.still = NULL;
  shot.taken = FALSE;
  shot.missed = FALSE;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (shot.taken || shot.missed)
    return;
  if (shot.still && !shot.still ()) {
    shot.missed = TRUE;
    return;
  }
  shot.taken = confab_test_ui_save_screenshot (shot.widget, artifacts_dir, shot.name);
}

static gboolean
screenshot_asked (const char *name)
{
  return g_strcmp0 (shot.name, name) == 0;
}

/* Whether the screenshot of @widget was taken; the first call asks for it
 * and later ones wait for it (or shot.missed). */
static gboolean
screenshot_when (GtkWidget   *widget,
                 const char  *name,
                 gboolean   (*still) (void))
{
  if (shot.widget == widget && screenshot_asked (name)) {
    if (!shot.taken)
      return FALSE;
    clear_screenshot ();
    return TRUE;
  }
  clear_screenshot ();
  shot.widget = g_object_ref (widget);
  shot.name = g_strdup (name);
  shot.still = still;
  shot.clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  shot.handler = g_signal_connect (shot.clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (widget);
  return FALSE;
}

static gboolean
screenshot (GtkWidget  *widget,
            const char *name)
{
  return screenshot_when (widget, name, NULL);
}

static ConfabFileTransferStream *
transfer_of (ConfabSession *session)
{
  ConfabStream *stream = session ? confab_session_find_stream (session,
                                                               CONFAB_TYPE_FILE_TRANSFER_STREAM)
                                 : NULL;

  return stream ? CONFAB_FILE_TRANSFER_STREAM (stream) : NULL;
}

static gboolean
is_stopped (ConfabFileTransferStream *stream)
{
  ConfabFileTransferState state = confab_file_transfer_stream_get_transfer_state (stream);

  return state == CONFAB_FILE_TRANSFER_STATE_FAILED ||
         state == CONFAB_FILE_TRANSFER_STATE_CANCELLED;
}

/* An earlier transfer, as a previous run would have left in the history;
 * @path in the downloads folder. */
static void
add_earlier (const char *name,
             gboolean    incoming,
             const char *state,
             const char *error_text,
             guint64     bytes,
             const char *path,
             int         hours_ago)
{
  ConfabHistory *history = confab_application_get_history (app);
  g_autoptr (ConfabHistoryTransfer) old = g_new0 (ConfabHistoryTransfer, 1);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (history);
  old->transfer_id = g_strdup_printf ("old-%s", name);
  old->session_id = g_strdup_printf ("old-session-%s", name);
  old->local_uri = g_strdup ("sip:me@127.0.0.1");
  old->remote_uri = g_strdup ("sip:carol@192.0.2.7");
  old->remote_display = g_strdup ("Carol");
  old->incoming = incoming;
  old->name = g_strdup (name);
  old->content_type = g_content_type_guess (name, NULL, 0, NULL);
  old->size = 48 * 1024 * 1024;
  old->bytes = bytes;
  old->hash = g_strdup ("sha-1:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E");
  old->path = path ? download_path (path) : NULL;
  old->state = g_strdup (state);
  old->error = g_strdup (error_text);
  old->started = g_get_real_time () - (gint64) hours_ago * 3600 * G_USEC_PER_SEC;
  old->finished = old->started + 30 * G_USEC_PER_SEC;
  g_assert_true (confab_history_save_transfer (history, old, &error));
  g_assert_no_error (error);
}

static void
add_earlier_transfers (void)
{
  g_autofree char *received = download_path (OLD_NAME);
  g_autofree char *part = download_path (PART_NAME ".part");
  g_autofree char *sent = download_path (SENT_NAME);

  g_assert_true (g_file_set_contents (received, "PK", 2, NULL));
  g_assert_true (g_file_set_contents (part, "partial", 7, NULL));
  g_assert_true (g_file_set_contents (sent, "PK", 2, NULL));
  add_earlier (OLD_NAME, TRUE, "completed", NULL, 48 * 1024 * 1024, OLD_NAME, 26);
  add_earlier (PART_NAME, TRUE, "failed", "Interrupted", 20 * 1024 * 1024, PART_NAME ".part", 27);
  add_earlier (SENT_NAME, FALSE, "failed", "The connection was lost", 9 * 1024 * 1024, SENT_NAME,
               28);
  add_earlier (CANCELLED_NAME, FALSE, "cancelled", "Cancelled", 1024 * 1024, NULL, 29);
  add_earlier (LOST_NAME, TRUE, "failed", "Interrupted", 1024 * 1024, LOST_NAME ".part", 30);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names of the history's transfers, sorted, joined by spaces. */
static char *
dup_history_names (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = confab_history_list_transfers (confab_application_get_history (app),
                                                             0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    g_ptr_array_add (names, ((ConfabHistoryTransfer *) g_ptr_array_index (all, i))->name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
dump_state (void)
{
  for (guint i = 0; i < sessions->len; i++) {
    ConfabSession *s = sessions->pdata[i];
    ConfabFileTransferStream *t = transfer_of (s);

    g_printerr ("# session %u: %s, transfer %s (%s), %" G_GUINT64_FORMAT " of %"
                G_GUINT64_FORMAT " bytes\n", i,
                confab_session_state_to_string (confab_session_get_state (s)),
                t ? confab_file_transfer_state_to_string (
                      confab_file_transfer_stream_get_transfer_state (t))
                  : "none",
                t && confab_file_transfer_stream_get_error_message (t)
                  ? confab_file_transfer_stream_get_error_message (t) : "",
                t ? confab_file_transfer_stream_get_bytes (t) : 0,
                t ? confab_file_transfer_stream_get_size (t) : 0);
    if (row_for (s))
      g_printerr ("#   row: \"%s\" — \"%s\"\n", confab_transfer_row_get_name (row_for (s)),
                  confab_transfer_row_get_status_text (row_for (s)));
  }
}

static gboolean
is_transferring (guint index)
{
  ConfabFileTransferStream *stream = transfer_of (session_at (index));

  return stream && confab_file_transfer_stream_get_transfer_state (stream) ==
                     CONFAB_FILE_TRANSFER_STATE_TRANSFERRING;
}

static gboolean
first_send_runs (void)
{
  return is_transferring (SESSION_SEND);
}

static gboolean
resend_runs (void)
{
  return is_transferring (SESSION_RESEND);
}

/* Stage 1: the first transfer runs. The row says how the hashing goes
 * before it, then how far it got, how fast, and how long it will take. */
static gboolean
check_transferring (void)
{
  ConfabSession *session = session_at (SESSION_SEND);
  ConfabSessionWindow *window = window_for (session);
  ConfabFileTransferStream *stream = transfer_of (session);
  ConfabTransferRow *row = row_for (session);
  ConfabFileTransferState state;
  double fraction;
  const char *status;

  static char *last_status;

  if (!window || !stream || !row || !gtk_widget_get_mapped (GTK_WIDGET (row)))
    return G_SOURCE_CONTINUE;
  state = confab_file_transfer_stream_get_transfer_state (stream);
  fraction = gtk_progress_bar_get_fraction (confab_transfer_row_get_progress_bar (row));
  status = confab_transfer_row_get_status_text (row);
  if (screenshot_asked ("transfers-pane.png")) {
    if (shot.missed)
      return fail ("the 200 MB file went before its screenshot");
    if (!screenshot_when (GTK_WIDGET (window), "transfers-pane.png", first_send_runs))
      return G_SOURCE_CONTINUE;
    if (!press (confab_transfer_row_get_button (row, "cancel")))
      return fail ("the Cancel button cannot be pressed");
    g_subprocess_send_signal (listener.process, SIGCONT);
    set_stage (STAGE_WAIT_CANCELLED);
    return G_SOURCE_CONTINUE;
  }
  if (state < CONFAB_FILE_TRANSFER_STATE_TRANSFERRING && g_strcmp0 (status, last_status) != 0) {
    g_printerr ("# before the transfer: \"%s\"\n", status);
    g_free (last_status);
    last_status = g_strdup (status);
    if (state == CONFAB_FILE_TRANSFER_STATE_HASHING &&
        (!g_str_has_prefix (status, "Computing hash ") || !g_str_has_suffix (status, "%") ||
         !gtk_widget_get_visible (GTK_WIDGET (confab_transfer_row_get_progress_bar (row)))))
      return fail ("while hashing, the row does not say \"Computing hash N%\" with a progress bar");
  }
  if (state < CONFAB_FILE_TRANSFER_STATE_TRANSFERRING ||
      (state == CONFAB_FILE_TRANSFER_STATE_TRANSFERRING && fraction <= 0))
    return G_SOURCE_CONTINUE;
  if (state != CONFAB_FILE_TRANSFER_STATE_TRANSFERRING)
    return fail ("the 200 MB file went before it could be cancelled");
  if (g_strcmp0 (gtk_stack_get_visible_child_name (confab_session_window_get_content (window)),
                 "files") != 0)
    return fail ("a session of one file does not show the files page");
  if (g_strcmp0 (confab_transfer_row_get_name (row), BIG_NAME) != 0)
    return fail ("the row does not name the file sent");
  /* "12.3 MB of 209.7 MB — 10.1 MB/s, 2 s left" */
  if (!strstr (status, " of ") || !confab_transfer_row_can (row, "cancel"))
    return fail ("a running transfer's row shows no progress or no Cancel");
  g_printerr ("ok - mid-transfer: \"%s\" (%.0f%%), window \"%s\"\n", status, fraction * 100,
              confab_session_window_get_status_text (window));
  /* On loopback 200 MB take well under a second: the receiving peer stops
   * reading until Cancel is pressed, so the transfer is still running. */
  g_subprocess_send_signal (listener.process, SIGSTOP);
  screenshot_when (GTK_WIDGET (window), "transfers-pane.png", first_send_runs);
  return G_SOURCE_CONTINUE;
}

/* Stage 3: the file received. Open and Show in Folder hand it to the
 * desktop's stand-ins. */
static gboolean
check_received (ConfabAccount *local)
{
  ConfabSession *session = session_at (SESSION_RECEIVE);
  ConfabFileTransferStream *stream = transfer_of (session);
  ConfabTransferRow *row = row_for (session);
  g_autofree char *saved = download_path (SMALL_NAME);
  g_autofree char *sha1 = NULL;
  g_autofree char *path = NULL;

  if (!row || !stream)
    return G_SOURCE_CONTINUE;
  if (confab_file_transfer_stream_get_transfer_state (stream) >
      CONFAB_FILE_TRANSFER_STATE_COMPLETED) {
    g_autofree char *message = g_strdup_printf ("receiving failed: %s",
                                                confab_transfer_row_get_status_text (row));

    return fail (message);
  }
  if (confab_file_transfer_stream_get_transfer_state (stream) !=
        CONFAB_FILE_TRANSFER_STATE_COMPLETED ||
      !sender.exited || !confab_transfer_row_can (row, "open") || !desktop.file_manager_ready)
    return G_SOURCE_CONTINUE;
  if (!sender.exit_ok)
    return fail ("the sending peer did not exit 0");
  sha1 = sha1_of_file (saved);
  path = g_file_get_path (confab_file_transfer_stream_get_file (stream));
  if (g_strcmp0 (path, saved) != 0 || g_strcmp0 (sha1, small_sha1) != 0)
    return fail ("the file received is not in the downloads folder, or differs");
  if (!confab_transfer_row_can (row, "show-in-folder") ||
      !g_str_has_prefix (confab_transfer_row_get_status_text (row), "Received"))
    return fail ("a received file's row does not offer Show in Folder or say Received");
  g_printerr ("ok - received: row \"%s\"; saved as %s, SHA-1 %s\n",
              confab_transfer_row_get_status_text (row), saved, sha1);
  if (!press (confab_transfer_row_get_button (row, "open")) ||
      !press (confab_transfer_row_get_button (row, "show-in-folder")))
    return fail ("the Open or Show in Folder button cannot be pressed");
  set_stage (STAGE_WAIT_OPENED);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_opened (ConfabAccount *local)
{
  g_autofree char *saved = download_path (SMALL_NAME);
  g_autofree char *uri = g_filename_to_uri (saved, NULL, NULL);
  const char *command[] = { "send-file", confab_account_get_contact (local), declined_path, NULL };

  if (desktop.file_manager_lost)
    return fail ("another file manager owns org.freedesktop.FileManager1 on the test's bus");
  if (!confab_test_desktop_opened (&desktop, uri) || !confab_test_desktop_shown (&desktop, uri))
    return G_SOURCE_CONTINUE;
  g_printerr ("ok - Open started the default application with %s, Show in Folder asked the "
              "file manager to show it\n", uri);
  start_peer (&declined, command);
  set_stage (STAGE_WAIT_DECLINE_OFFER);
  return G_SOURCE_CONTINUE;
}

/* Stage 5: the big file comes in from a peer that is killed halfway. */
static gboolean
check_interrupting (void)
{
  ConfabSession *session = session_at (SESSION_INTERRUPTED);
  ConfabFileTransferStream *stream = transfer_of (session);

  if (!stream)
    return G_SOURCE_CONTINUE;
  if (confab_file_transfer_stream_get_transfer_state (stream) >=
      CONFAB_FILE_TRANSFER_STATE_VERIFYING)
    return fail ("the big file came in whole before its sender could be stopped");
  if (confab_file_transfer_stream_get_transfer_state (stream) !=
        CONFAB_FILE_TRANSFER_STATE_TRANSFERRING ||
      confab_file_transfer_stream_get_bytes (stream) == 0)
    return G_SOURCE_CONTINUE;
  g_printerr ("ok - %" G_GUINT64_FORMAT " bytes of the big file in: killing its sender\n",
              confab_file_transfer_stream_get_bytes (stream));
  g_subprocess_force_exit (interrupted.process);
  set_stage (STAGE_WAIT_INTERRUPTED);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_interrupted (void)
{
  ConfabSession *session = session_at (SESSION_INTERRUPTED);
  ConfabFileTransferStream *stream = transfer_of (session);
  ConfabTransferRow *row = row_for (session);
  g_autofree char *port = g_strdup_printf ("%u", sender_port);
  const char *command[] = { "--local-port", port, "listen", "--share-files", work_dir, NULL };

  if (!stream || !row || !is_stopped (stream) || !interrupted.exited)
    return G_SOURCE_CONTINUE;
  if (!download_exists (BIG_NAME ".part") || download_exists (BIG_NAME))
    return fail ("the interrupted download left no .part, or a file under its final name");
  if (!confab_transfer_row_can (row, "resume") || confab_transfer_row_can (row, "open") ||
      !gtk_widget_has_css_class (
        GTK_WIDGET (gtk_widget_get_next_sibling (
          GTK_WIDGET (confab_transfer_row_get_progress_bar (row)))), "error"))
    return fail ("the interrupted download's row does not offer Resume or does not show the "
                 "failure as one");
  g_printerr ("ok - interrupted at %" G_GUINT64_FORMAT " bytes: row \"%s\"\n",
              confab_file_transfer_stream_get_bytes (stream),
              confab_transfer_row_get_status_text (row));
  {
    /* From names no port; the way back is the sender's Contact, on the
     * port the sharing peer takes now. */
    const char *from = confab_session_get_remote_uri (session);
    const char *back = confab_session_get_callback_uri (session);
    g_autofree char *expected = g_strdup_printf ("@127.0.0.1:%u", sender_port);

    if (!from || !g_str_has_suffix (from, "@localhost") || !back || !strstr (back, expected))
      return fail ("the sender is not reached back at its Contact");
    g_printerr ("ok - the sender's From is %s, and it is reached back at %s\n", from, back);
  }
  start_peer (&sharer, command);
  g_action_group_activate_action (G_ACTION_GROUP (app), "transfers", NULL);
  /* Tall enough for the screenshots to show the earlier ones too. */
  gtk_window_set_default_size (confab_application_show_transfers (app), 600, 820);
  set_stage (STAGE_WAIT_TRANSFERS_WINDOW);
  return G_SOURCE_CONTINUE;
}

/* Stage 5, continued: this run's four transfers (the declined offer too;
 * the cancelled send gave its place to the one that went again), newest
 * first, above the earlier ones. Resume goes to the sharing peer. */
static gboolean
check_transfers_window (void)
{
  GtkWindow *transfers = confab_application_show_transfers (app);
  GtkListBox *live = confab_transfers_window_get_live_list (CONFAB_TRANSFERS_WINDOW (transfers));
  GtkListBox *past = confab_transfers_window_get_past_list (CONFAB_TRANSFERS_WINDOW (transfers));
  ConfabFileTransferStream *stream = transfer_of (session_at (SESSION_INTERRUPTED));
  ConfabTransferRow *row = live_row_for (live, stream);
  ConfabTransferRow *second;
  GtkWidget *old;
  g_autofree char *expected = g_strdup_printf (":%u", sender_port);

  if (!settled (gtk_widget_get_mapped (GTK_WIDGET (transfers)) && count_rows (live) == 4 &&
                count_rows (past) == N_EARLIER && sharer.contact))
    return G_SOURCE_CONTINUE;
  if (!g_str_has_suffix (sharer.contact, expected))
    return fail ("the sharing peer did not get the port of the sender's address");
  second = CONFAB_TRANSFER_ROW (gtk_list_box_get_row_at_index (live, 1));
  if (first_row (live) != row || !confab_transfer_row_can (row, "resume") ||
      g_strcmp0 (confab_transfer_row_get_name (second), DECLINED_NAME) != 0 ||
      !g_str_has_prefix (confab_transfer_row_get_status_text (second), "Declined") ||
      confab_transfer_row_can (second, "resume"))
    return fail ("the Transfers window does not list the newest transfer first with Resume, "
                 "or the declined one not as declined");
  old = past_row_named (past, OLD_NAME);
  if (!old || !find_button (old, "transfers.open") ||
      !find_button (past_row_named (past, PART_NAME), "transfers.resume") ||
      find_button (past_row_named (past, LOST_NAME), "transfers.resume") ||
      !find_button (past_row_named (past, SENT_NAME), "transfers.retry"))
    return fail ("the Transfers window does not list the earlier transfers from the history, "
                 "with Open for a file there, Resume for a .part there, Retry for a send");
  if (!screenshot (GTK_WIDGET (transfers), "transfers-interrupted.png"))
    return G_SOURCE_CONTINUE;
  g_printerr ("ok - Transfers window: %u of this run, %u earlier (\"%s\": \"%s\"); \"%s\": "
              "\"%s\"\n", count_rows (live), count_rows (past), OLD_NAME,
              adw_action_row_get_subtitle (ADW_ACTION_ROW (old)), BIG_NAME,
              confab_transfer_row_get_status_text (row));
  if (!press (confab_transfer_row_get_button (row, "resume")))
    return fail ("the Resume button cannot be pressed");
  set_stage (STAGE_WAIT_RESUMING);
  return G_SOURCE_CONTINUE;
}

/* Stage 6: the new transfer runs in the old one's place. While the app
 * receives as fast as loopback goes, its windows do not redraw (the MSRP
 * input starves GTK's frame clock): the screenshot of a running transfer
 * is of a send, below. */
static gboolean
check_resuming (void)
{
  GtkWindow *transfers = confab_application_show_transfers (app);
  GtkListBox *live = confab_transfers_window_get_live_list (CONFAB_TRANSFERS_WINDOW (transfers));
  GtkListBox *past = confab_transfers_window_get_past_list (CONFAB_TRANSFERS_WINDOW (transfers));
  ConfabFileTransferStream *stream = transfer_of (session_at (SESSION_RESUME));
  ConfabTransferRow *row = live_row_for (live, stream);
  ConfabFileTransferState state;

  if (!row)
    return G_SOURCE_CONTINUE;
  state = confab_file_transfer_stream_get_transfer_state (stream);
  if (state > CONFAB_FILE_TRANSFER_STATE_COMPLETED) {
    g_autofree char *message = g_strdup_printf ("resuming failed: %s",
                                                confab_transfer_row_get_status_text (row));

    return fail (message);
  }
  if (state >= CONFAB_FILE_TRANSFER_STATE_VERIFYING)
    return fail ("the resumed transfer was over before it could be seen running");
  if (state != CONFAB_FILE_TRANSFER_STATE_TRANSFERRING ||
      gtk_progress_bar_get_fraction (confab_transfer_row_get_progress_bar (row)) <= 0)
    return G_SOURCE_CONTINUE;
  if (first_row (live) != row ||
      live_row_for (live, transfer_of (session_at (SESSION_INTERRUPTED))) ||
      count_rows (live) != 4 || count_rows (past) != N_EARLIER ||
      !confab_transfer_row_can (row, "cancel") ||
      !strstr (confab_transfer_row_get_status_text (row), " of "))
    return fail ("the resumed transfer does not take the interrupted one's place, or shows no "
                 "progress");
  g_printerr ("ok - resuming from %" G_GUINT64_FORMAT " bytes: \"%s\"\n",
              confab_file_transfer_stream_get_resumed_from (stream),
              confab_transfer_row_get_status_text (row));
  set_stage (STAGE_WAIT_RESUMED);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_resumed (void)
{
  GtkWindow *transfers = confab_application_show_transfers (app);
  GtkListBox *live = confab_transfers_window_get_live_list (CONFAB_TRANSFERS_WINDOW (transfers));
  GtkListBox *past = confab_transfers_window_get_past_list (CONFAB_TRANSFERS_WINDOW (transfers));
  ConfabFileTransferStream *stream = transfer_of (session_at (SESSION_RESUME));
  ConfabTransferRow *row = live_row_for (live, stream);
  ConfabTransferRow *old_row;
  g_autofree char *saved = download_path (BIG_NAME);
  g_autofree char *sha1 = NULL;

  if (!row)
    return fail ("the resumed transfer left the Transfers window");
  if (confab_file_transfer_stream_get_transfer_state (stream) >
      CONFAB_FILE_TRANSFER_STATE_COMPLETED) {
    g_autofree char *message = g_strdup_printf ("resuming failed: %s",
                                                confab_transfer_row_get_status_text (row));

    return fail (message);
  }
  if (!settled (confab_file_transfer_stream_get_transfer_state (stream) ==
                CONFAB_FILE_TRANSFER_STATE_COMPLETED && confab_transfer_row_can (row, "open")))
    return G_SOURCE_CONTINUE;
  sha1 = sha1_of_file (saved);
  if (g_strcmp0 (sha1, big_sha1) != 0)
    return fail ("the resumed file is missing or differs from the one sent");
  if (download_exists (BIG_NAME ".part"))
    return fail ("the resumed download left its .part");
  if (confab_file_transfer_stream_get_resumed_from (stream) == 0)
    return fail ("the transfer started over instead of resuming");
  if (!g_str_has_prefix (confab_transfer_row_get_status_text (row), "Received") ||
      confab_transfer_row_can (row, "resume") || count_rows (past) != N_EARLIER)
    return fail ("the resumed transfer's row does not say Received, or the interrupted one "
                 "shows among the earlier ones");
  /* Its session's window, if it kept one, offers no second Resume. */
  old_row = row_for (session_at (SESSION_INTERRUPTED));
  if (old_row && confab_transfer_row_can (old_row, "resume"))
    return fail ("the interrupted transfer's own row still offers Resume");
  g_printerr ("ok - resumed from %" G_GUINT64_FORMAT " bytes: row \"%s\"; %s, SHA-1 %s, no "
              ".part; %s\n", confab_file_transfer_stream_get_resumed_from (stream),
              confab_transfer_row_get_status_text (row), saved, sha1,
              old_row ? "the interrupted one's window no longer offers Resume"
                      : "the interrupted one's window went to the new transfer");
  {
    g_autoptr (GFile) file = g_file_new_for_path (big_path);
    g_autoptr (GError) error = NULL;

    if (!confab_application_send_file (app, listener.contact, file, &error))
      return fail (error->message);
  }
  set_stage (STAGE_WAIT_RESENDING);
  return G_SOURCE_CONTINUE;
}

/* The Transfers window with a transfer running, finished ones, and an
 * earlier download that can be resumed. */
static gboolean
check_resending (void)
{
  GtkWindow *transfers = confab_application_show_transfers (app);
  GtkListBox *live = confab_transfers_window_get_live_list (CONFAB_TRANSFERS_WINDOW (transfers));
  GtkListBox *past = confab_transfers_window_get_past_list (CONFAB_TRANSFERS_WINDOW (transfers));
  ConfabFileTransferStream *stream = transfer_of (session_at (SESSION_RESEND));
  ConfabTransferRow *row = live_row_for (live, stream);

  if (!row)
    return G_SOURCE_CONTINUE;
  if (screenshot_asked ("transfers-window.png")) {
    if (shot.missed)
      return fail ("the file went before the screenshot of it on its way");
    if (!screenshot_when (GTK_WIDGET (transfers), "transfers-window.png", resend_runs))
      return G_SOURCE_CONTINUE;
    set_stage (STAGE_WAIT_RESENT);
    return G_SOURCE_CONTINUE;
  }
  if (confab_file_transfer_stream_get_transfer_state (stream) >
      CONFAB_FILE_TRANSFER_STATE_TRANSFERRING)
    return fail ("the file went before it could be seen on its way");
  if (!resend_runs () ||
      gtk_progress_bar_get_fraction (confab_transfer_row_get_progress_bar (row)) <= 0)
    return G_SOURCE_CONTINUE;
  if (first_row (live) != row || count_rows (live) != 5 || count_rows (past) != N_EARLIER)
    return fail ("the Transfers window does not show the new transfer above the others");
  g_printerr ("ok - sending a third time: \"%s\"\n", confab_transfer_row_get_status_text (row));
  screenshot_when (GTK_WIDGET (transfers), "transfers-window.png", resend_runs);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_resent (void)
{
  GtkWindow *transfers = confab_application_show_transfers (app);
  ConfabFileTransferStream *stream = transfer_of (session_at (SESSION_RESEND));
  ConfabFileTransferState state = confab_file_transfer_stream_get_transfer_state (stream);

  if (state > CONFAB_FILE_TRANSFER_STATE_COMPLETED)
    return fail ("sending a third time failed");
  if (state != CONFAB_FILE_TRANSFER_STATE_COMPLETED)
    return G_SOURCE_CONTINUE;
  gtk_widget_activate_action (GTK_WIDGET (transfers), "transfers.clear-finished", NULL);
  set_stage (STAGE_WAIT_CLEARED);
  return G_SOURCE_CONTINUE;
}

/* Stage 7: what Clear Finished took off, and what it kept. */
static gboolean
check_cleared (void)
{
  GtkWindow *transfers = confab_application_show_transfers (app);
  GtkListBox *live = confab_transfers_window_get_live_list (CONFAB_TRANSFERS_WINDOW (transfers));
  GtkListBox *past = confab_transfers_window_get_past_list (CONFAB_TRANSFERS_WINDOW (transfers));
  const char *files[] = { SMALL_NAME, BIG_NAME, OLD_NAME, PART_NAME ".part", SENT_NAME };
  g_autofree char *names = NULL;
  g_autoptr (GError) error = NULL;

  if (!settled (TRUE))
    return G_SOURCE_CONTINUE;
  names = dup_history_names ();
  if (count_rows (live) != 0 || gtk_widget_get_visible (GTK_WIDGET (live)) ||
      count_rows (past) != N_KEPT || !past_row_named (past, PART_NAME) ||
      !past_row_named (past, SENT_NAME) ||
      !find_button (past_row_named (past, PART_NAME), "transfers.resume")) {
    g_printerr ("# %u of this run, %u earlier left\n", count_rows (live), count_rows (past));
    return fail ("Clear Finished did not take off exactly what is over for good");
  }
  if (g_strcmp0 (names, PART_NAME " " SENT_NAME) != 0) {
    g_printerr ("# the history keeps: %s\n", names);
    return fail ("Clear Finished did not leave in the history just what can still be resumed");
  }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    if (!download_exists (files[i])) {
      g_autofree char *message = g_strdup_printf ("Clear Finished deleted %s", files[i]);

      return fail (message);
    }
  }
  if (!screenshot (GTK_WIDGET (transfers), "transfers-cleared.png"))
    return G_SOURCE_CONTINUE;
  g_printerr ("ok - cleared: the history keeps %s; the files received and the .part stay\n",
              names);
  gtk_window_close (transfers);
  if (!confab_application_chat (app, listener.contact, &error))
    return fail (error->message);
  set_stage (STAGE_WAIT_CHAT);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_ui (gpointer user_data)
{
  ConfabMainWindow *main_window = confab_application_get_main_window (app);
  ConfabAccount *local = confab_account_manager_get_local_account (
    confab_application_get_account_manager (app));
  ConfabSession *session;
  ConfabSessionWindow *window;
  ConfabFileTransferStream *stream;
  ConfabTransferRow *row;

  if (g_get_monotonic_time () > deadline) {
    g_autofree char *message = g_strdup_printf ("timed out waiting for: %s", stage_names[stage]);

    dump_state ();
    return fail (message);
  }

  switch (stage) {
  case STAGE_WAIT_READY:
    if (!listener.contact || !local || !confab_account_get_contact (local) ||
        !gtk_widget_get_mapped (GTK_WIDGET (main_window)))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - app reachable at %s, peer listening at %s\n",
                confab_account_get_contact (local), listener.contact);
    {
      g_autoptr (GFile) file = g_file_new_for_path (big_path);
      g_autoptr (GError) error = NULL;

      confab_main_window_set_dial_address (main_window, listener.contact);
      if (!confab_application_send_file (app, listener.contact, file, &error))
        return fail (error->message);
    }
    set_stage (STAGE_WAIT_TRANSFERRING);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_TRANSFERRING:
    return check_transferring ();

  case STAGE_WAIT_CANCELLED:
    session = session_at (SESSION_SEND);
    row = row_for (session);
    /* Once the session ended, Retry's new session takes over its window. */
    if (!row || confab_session_get_state (session) != CONFAB_SESSION_STATE_TERMINATED ||
        !confab_transfer_row_can (row, "retry"))
      return G_SOURCE_CONTINUE;
    if (!g_str_has_prefix (confab_transfer_row_get_status_text (row), "Cancelled") ||
        confab_transfer_row_can (row, "cancel"))
      return fail ("a cancelled transfer's row does not say so, or still offers Cancel");
    g_printerr ("ok - cancelled: row \"%s\", window \"%s\"\n",
                confab_transfer_row_get_status_text (row),
                confab_session_window_get_status_text (window_for (session)));
    if (!press (confab_transfer_row_get_button (row, "retry")))
      return fail ("the Retry button cannot be pressed");
    set_stage (STAGE_WAIT_SENT);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_SENT:
    session = session_at (SESSION_RETRY);
    stream = transfer_of (session);
    row = row_for (session);
    if (!stream || !row)
      return G_SOURCE_CONTINUE;
    if (confab_file_transfer_stream_get_transfer_state (stream) >
        CONFAB_FILE_TRANSFER_STATE_COMPLETED) {
      g_autofree char *message = g_strdup_printf ("sending failed: %s",
                                                  confab_transfer_row_get_status_text (row));

      return fail (message);
    }
    if (confab_file_transfer_stream_get_transfer_state (stream) !=
          CONFAB_FILE_TRANSFER_STATE_COMPLETED ||
        !confab_test_peer_saw (&listener, "transfer", "state", "done") ||
        !g_str_has_prefix (confab_transfer_row_get_status_text (row), "Sent"))
      return G_SOURCE_CONTINUE;
    {
      g_autofree char *received = g_build_filename (peer_dir, BIG_NAME, NULL);
      g_autofree char *sha1 = sha1_of_file (received);

      if (g_strcmp0 (sha1, big_sha1) != 0)
        return fail ("the file at the peer is missing or differs from the one sent");
      if (confab_transfer_row_can (row, "cancel") || confab_transfer_row_can (row, "retry"))
        return fail ("a sent file's row still offers Cancel or Retry");
      g_printerr ("ok - sent again: row \"%s\"; %s at the peer, SHA-1 %s%s\n",
                  confab_transfer_row_get_status_text (row), received, sha1,
                  !window_for (session_at (SESSION_SEND))
                    ? "; it took over the cancelled one's window" : "; in a window of its own");
    }
    {
      const char *command[] = { "send-file", confab_account_get_contact (local), small_path,
                                NULL };

      start_peer (&sender, command);
    }
    set_stage (STAGE_WAIT_OFFER);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_OFFER:
    session = session_at (SESSION_RECEIVE);
    if (!session)
      return G_SOURCE_CONTINUE;
    {
      GtkWindow *dialog = confab_application_get_file_offer_dialog (app, session);
      const char *body;

      if (!dialog || !settled (gtk_widget_get_mapped (GTK_WIDGET (dialog))))
        return G_SOURCE_CONTINUE;
      if (window_for (session) || confab_application_is_ringing (app))
        return fail ("a file offer opened a window or rings before it was accepted");
      body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
      if (!strstr (body, "“" SMALL_NAME "”") || !strstr (body, "MB"))
        return fail ("the offer dialog does not name the file and its size");
      if (!screenshot (GTK_WIDGET (dialog), "transfer-offer.png"))
        return G_SOURCE_CONTINUE;
      g_printerr ("ok - offer: \"%s\" \"%s\"\n",
                  adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), body);
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
    }
    set_stage (STAGE_WAIT_RECEIVED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_RECEIVED:
    return check_received (local);

  case STAGE_WAIT_OPENED:
    return check_opened (local);

  case STAGE_WAIT_DECLINE_OFFER:
    session = session_at (SESSION_DECLINE);
    if (!session)
      return G_SOURCE_CONTINUE;
    {
      GtkWindow *dialog = confab_application_get_file_offer_dialog (app, session);

      if (!dialog || !gtk_widget_get_mapped (GTK_WIDGET (dialog)))
        return G_SOURCE_CONTINUE;
      if (!strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), DECLINED_NAME))
        return fail ("the second offer's dialog does not name its file");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "decline");
    }
    set_stage (STAGE_WAIT_DECLINED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DECLINED:
    session = session_at (SESSION_DECLINE);
    if (confab_session_get_state (session) != CONFAB_SESSION_STATE_TERMINATED || !declined.exited)
      return G_SOURCE_CONTINUE;
    if (declined.exit_ok || window_for (session) ||
        confab_application_get_file_offer_dialog (app, session))
      return fail ("declining: the peer exited 0, or a window or the dialog stayed");
    g_printerr ("ok - declined: the peer gave up (\"%s\"), no window opened\n",
                confab_test_peer_saw (&declined, "transfer", "state", "declined")
                  ? "declined" : "other");
    {
      /* Its local account: From sip:USER@localhost, and its Contact on
       * the port. */
      g_autofree char *port = g_strdup_printf ("%u", sender_port);
      const char *command[] = { "--local-port", port, "send-file",
                                confab_account_get_contact (local), big_path, NULL };

      start_peer (&interrupted, command);
    }
    set_stage (STAGE_WAIT_BIG_OFFER);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_BIG_OFFER:
    session = session_at (SESSION_INTERRUPTED);
    if (!session)
      return G_SOURCE_CONTINUE;
    {
      GtkWindow *dialog = confab_application_get_file_offer_dialog (app, session);

      if (!dialog || !gtk_widget_get_mapped (GTK_WIDGET (dialog)))
        return G_SOURCE_CONTINUE;
      if (!strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), BIG_NAME))
        return fail ("the big file's offer does not name it");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
    }
    set_stage (STAGE_WAIT_INTERRUPTING);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INTERRUPTING:
    return check_interrupting ();

  case STAGE_WAIT_INTERRUPTED:
    return check_interrupted ();

  case STAGE_WAIT_TRANSFERS_WINDOW:
    return check_transfers_window ();

  case STAGE_WAIT_RESUMING:
    return check_resuming ();

  case STAGE_WAIT_RESUMED:
    return check_resumed ();

  case STAGE_WAIT_RESENDING:
    return check_resending ();

  case STAGE_WAIT_RESENT:
    return check_resent ();

  case STAGE_WAIT_CLEARED:
    return check_cleared ();

  case STAGE_WAIT_CHAT:
    session = session_at (SESSION_CHAT);
    window = window_for (session);
    if (!window || confab_session_get_state (session) != CONFAB_SESSION_STATE_ESTABLISHED ||
        g_strcmp0 (gtk_stack_get_visible_child_name (confab_session_window_get_content (window)),
                   "chat") != 0 || !settled (TRUE))
      return G_SOURCE_CONTINUE;
    {
      g_autoptr (GFile) file = g_file_new_for_path (small_path);
      GSList files = { file, NULL };

      g_printerr ("ok - chat with the peer; dropping %s on its window\n", SMALL_NAME);
      confab_session_window_send_files (window, &files);
    }
    set_stage (STAGE_WAIT_CHAT_FILE);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CHAT_FILE:
    session = session_at (SESSION_CHAT);
    window = window_for (session);
    row = row_for (session);
    stream = transfer_of (session);
    if (!row || !stream)
      return G_SOURCE_CONTINUE;
    if (confab_file_transfer_stream_get_transfer_state (stream) >
        CONFAB_FILE_TRANSFER_STATE_COMPLETED) {
      g_autofree char *message = g_strdup_printf ("sending in the chat failed: %s",
                                                  confab_transfer_row_get_status_text (row));

      return fail (message);
    }
    if (!settled (confab_file_transfer_stream_get_transfer_state (stream) ==
                    CONFAB_FILE_TRANSFER_STATE_COMPLETED &&
                  peer_saw_transfer (&listener, SMALL_NAME, "done")))
      return G_SOURCE_CONTINUE;
    if (g_strcmp0 (gtk_stack_get_visible_child_name (confab_session_window_get_content (window)),
                   "files") != 0)
      return fail ("a file sent in a chat does not show the transfers");
    /* confab-cli hangs up once it has a file, even in a chat: not asserted. */
    if (!screenshot (GTK_WIDGET (window), "transfers-chat.png"))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - file sent in the chat: row \"%s\", the window shows the transfers "
                "(chat session %s)\n", confab_transfer_row_get_status_text (row),
                confab_session_state_to_string (confab_session_get_state (session)));
    /* The Transfers toggle goes back to the chat. */
    gtk_widget_activate_action (GTK_WIDGET (window), "session.show-files", NULL);
    if (g_strcmp0 (gtk_stack_get_visible_child_name (confab_session_window_get_content (window)),
                   "chat") != 0)
      return fail ("the Transfers toggle does not go back to the chat");
    confab_preferences_window_show_page (
      CONFAB_PREFERENCES_WINDOW (confab_application_show_preferences (app)), "files");
    set_stage (STAGE_WAIT_PREFERENCES);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_PREFERENCES:
    {
      GtkWindow *preferences = confab_application_get_preferences_window (app);

      if (!settled (preferences && gtk_widget_get_mapped (GTK_WIDGET (preferences))))
        return G_SOURCE_CONTINUE;
      if (!screenshot (GTK_WIDGET (preferences), "preferences-files.png"))
        return G_SOURCE_CONTINUE;
    }
    finish (TRUE);
    return G_SOURCE_REMOVE;

  default:
    g_assert_not_reached ();
  }
}

static void
on_activate (GApplication *application)
{
  static gboolean started;
  ConfabSessionManager *manager;

  if (started)
    return;
  started = TRUE;
  manager = confab_application_get_session_manager (app);
  if (!manager) {
    fail ("the app has no session manager (the SIP engine did not start)");
    return;
  }
  {
    g_autofree char *folder = manager && confab_session_manager_get_download_directory (manager)
                                ? g_file_get_path (confab_session_manager_get_download_directory (manager))
                                : NULL;

    if (g_strcmp0 (folder, downloads_dir) != 0) {
      fail ("the downloads folder of the settings did not reach the session manager");
      return;
    }
  }
  add_earlier_transfers ();
  g_signal_connect (manager, "session-added", G_CALLBACK (on_session_added), NULL);
  /* Often enough to see the 200 MB file on its way, even at 500 MB/s. */
  g_timeout_add (POLL_MS, check_ui, NULL);
}


int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *config = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *config_dir = NULL;
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  const char *opened_types[] = { "application/pdf", "application/octet-stream", NULL };

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("CONFAB_BIND_ADDRESS", "127.0.0.1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);

  work_dir = g_dir_make_tmp ("confab-ui-files-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (work_dir, "data", NULL);
  g_mkdir_with_parents (data_dir, 0700);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  /* The default application for the file received: the test's. */
  config_dir = g_build_filename (work_dir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  confab_test_desktop_install_opener (&desktop, data_dir, config_dir, work_dir, opened_types);
  peer_dir = g_build_filename (work_dir, "peer-received", NULL);
  g_mkdir_with_parents (peer_dir, 0700);
  downloads_dir = g_build_filename (work_dir, "downloads", NULL);
  g_mkdir_with_parents (downloads_dir, 0700);
  artifacts_dir = g_build_filename (builddir ? builddir : ".", "artifacts", NULL);
  g_mkdir_with_parents (artifacts_dir, 0755);

  big_path = make_file (BIG_NAME, BIG_SIZE);
  big_sha1 = sha1_of_file (big_path);
  small_path = make_file (SMALL_NAME, SMALL_SIZE);
  small_sha1 = sha1_of_file (small_path);
  declined_path = make_file (DECLINED_NAME, 4096);
  g_printerr ("# %s: SHA-1 %s; %s: SHA-1 %s\n", big_path, big_sha1, small_path, small_sha1);
  sender_port = confab_local_address_find_free_port ("127.0.0.1");
  g_assert_cmpuint (sender_port, >, 0);

  config = g_build_filename (work_dir, "accounts.json", NULL);
  g_assert_true (g_file_set_contents (config, "{\"version\":1,\"accounts\":[]}", -1, NULL));
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_int (settings, "local-port", 0);
  g_settings_set_string (settings, "download-folder", downloads_dir);
  sessions = g_ptr_array_new_with_free_func (g_object_unref);

  {
    const char *listen[] = { "listen", "--accept-files", peer_dir, NULL };

    start_peer (&listener, listen);
  }
  confab_test_desktop_own_file_manager (&desktop);
  confab_test_desktop_own_notifications (&desktop);

  app = confab_application_new_for_testing (NULL, config);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  {
    char *app_argv[] = { argv[0], NULL };

    g_application_run (G_APPLICATION (app), 1, app_argv);
  }
  clear_screenshot ();
  g_clear_pointer (&sessions, g_ptr_array_unref);
  g_clear_object (&app);

  confab_test_peer_stop (&listener);
  confab_test_peer_stop (&sender);
  confab_test_peer_stop (&declined);
  confab_test_peer_stop (&interrupted);
  confab_test_peer_stop (&sharer);
  confab_test_desktop_clear (&desktop);
  {
    g_autoptr (GFile) work = g_file_new_for_path (work_dir);

    confab_test_ui_remove_tree (work);
  }
  g_free (work_dir);
  g_free (peer_dir);
  g_free (downloads_dir);
  g_free (big_path);
  g_free (big_sha1);
  g_free (small_path);
  g_free (small_sha1);
  g_free (declined_path);
  g_free (artifacts_dir);
  g_printerr (passed ? "UI files test passed\n" : "UI files test FAILED\n");
  return passed ? 0 : 1;
}
