/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-application.h"
#include "confab-chat-pane.h"
#include "confab-chat-row.h"
#include "confab-main-window.h"
#include "confab-session-window.h"
#include "confab-test-audio.h"
#include "confab-test-peer.h"
#include "confab-test-ui.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <string.h>

/* Chat in the app under Xvfb, against real confab-cli peers on loopback:
 *  1. a chat started from the main window with `confab-cli listen --echo`:
 *     typing reaches the peer as is-composing, a text (with a link and
 *     markup that must stay text) and a PNG go out and come back; the rows
 *     show sender, day, ticks, text and the image (screenshot chat-pane.png);
 *  2. a second chat with the same peer reuses the window and shows the
 *     first chat's messages from the history above the new ones;
 *  3. `confab-cli chat` calls the app: the chat-only session opens without
 *     ringing, "is typing…" shows, the message arrives (counted unread while
 *     another window is active), the reply reaches the peer, and the window
 *     stays open when the peer ends the chat;
 *  4. an audio call gets a chat added by re-INVITE (session.add-chat), the
 *     window shows it over the call, and session.remove-chat takes it away
 *     while the call goes on (screenshot chat-pane-call.png).
 * It needs the core's chat (MSRP) to work; it fails, never skips. */

#define DEADLINE_S  90
#define APP_TEXT    "Hello from Confab, see https://example.org/chat?a=1&b=2 and <b>no markup</b>"
#define APP_TEXT_2  "Second chat, same peer"
#define PEER_TEXT   "Hi from the peer"
#define APP_REPLY   "Reply from the app"
#define IMAGE_W     96
#define IMAGE_H     64
#define N_OLD       120   /* older messages put in the history: pages of 50 */
#define CALL_TEXT   "Chat during the call"
#define TONE_S      20

typedef enum {
  STAGE_WAIT_READY,
  STAGE_WAIT_CONNECTED,
  STAGE_WAIT_COMPOSING,
  STAGE_WAIT_ECHO,
  STAGE_WAIT_FIRST_END,
  STAGE_WAIT_SECOND_CONNECTED,
  STAGE_WAIT_HISTORY_PAGES,
  STAGE_WAIT_SECOND_ECHO,
  STAGE_WAIT_SECOND_END,
  STAGE_WAIT_INCOMING_TYPING,
  STAGE_WAIT_INCOMING_MESSAGE,
  STAGE_WAIT_REPLY_AT_PEER,
  STAGE_WAIT_INCOMING_END,
  STAGE_WAIT_CALL,
  STAGE_WAIT_CALL_CHAT,
  STAGE_WAIT_CALL_ECHO,
  STAGE_WAIT_CALL_CHAT_REMOVED,
  STAGE_WAIT_CALL_END,
} Stage;

static const char *stage_names[] = {
  "ready", "chat connected", "is-composing at the peer", "echo of text and image",
  "first chat ended", "second chat connected", "older pages while scrolling up", "second echo",
  "second chat ended",
  "incoming chat typing", "incoming message", "reply at the peer", "incoming chat ended",
  "call established", "chat added to the call", "echo during the call", "chat removed from the call",
  "call ended",
};

typedef ConfabTestPeer Peer;

static ConfabApplication *app;
static char *artifacts_dir;
static char *work_dir;
static gint64 deadline;
static gint64 stage_started;
static gint64 ready_since;
static gboolean passed;
static Stage stage;
static Peer listener = { .name = "listener" };
static Peer chatter = { .name = "chatter" };
static Peer callee = { .name = "callee" };
static char *tone_wav;
static char *peer_record;
static GPtrArray *sessions;  /* every ConfabSession, in order */
static gpointer first_window; /* weak */

/* The peers keep their own history, not in the app's. */
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

static ConfabChatPane *
pane_for (ConfabSession *session)
{
  ConfabSessionWindow *window = window_for (session);

  return window ? CONFAB_CHAT_PANE (confab_session_window_get_chat_pane (window)) : NULL;
}

static ConfabChatStream *
chat_of (ConfabSession *session)
{
  ConfabStream *stream = session ? confab_session_find_stream (session, CONFAB_TYPE_CHAT_STREAM)
                                 : NULL;

  return stream ? CONFAB_CHAT_STREAM (stream) : NULL;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (CONFAB_IS_CHAT_ROW (widget)) {
    if (gtk_widget_get_mapped (widget) && confab_chat_row_get_message (CONFAB_CHAT_ROW (widget)))
      g_ptr_array_add (rows, widget);
    return;
  }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* The rows on screen, top to bottom. */
static GPtrArray *
shown_rows (ConfabChatPane *pane)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (confab_chat_pane_get_list_view (pane)), rows);
  return rows;
}

static ConfabChatRow *
find_row (GPtrArray           *rows,
          ConfabChatDirection  direction,
          const char          *text,
          gboolean             image)
{
  for (guint i = 0; i < rows->len; i++) {
    ConfabChatRow *row = rows->pdata[i];
    ConfabChatMessage *message = confab_chat_row_get_message (row);

    if (confab_chat_message_get_direction (message) != direction)
      continue;
    if (image ? confab_chat_row_shows_image (row)
              : g_strcmp0 (confab_chat_row_get_text (row), text) == 0)
      return row;
  }
  return NULL;
}

static void
type_and_send (ConfabChatPane *pane,
               const char     *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (confab_chat_pane_get_text_view (pane));

  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_widget_activate_action (GTK_WIDGET (pane), "chat.send", NULL);
}

static GBytes *
make_png (void)
{
  guchar *pixels = g_malloc (IMAGE_W * IMAGE_H * 4);
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  for (int y = 0; y < IMAGE_H; y++) {
    for (int x = 0; x < IMAGE_W; x++) {
      guchar *p = pixels + (y * IMAGE_W + x) * 4;

      p[0] = (guchar) (x * 255 / IMAGE_W);
      p[1] = (guchar) (y * 255 / IMAGE_H);
      p[2] = 200;
      p[3] = 255;
    }
  }
  data = g_bytes_new_take (pixels, IMAGE_W * IMAGE_H * 4);
  texture = gdk_memory_texture_new (IMAGE_W, IMAGE_H, GDK_MEMORY_R8G8B8A8, data, IMAGE_W * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

/* Hours and days of older messages with @conversation, as a previous run
 * would have left in the history. */
static void
add_old_messages (const char *conversation)
{
  ConfabHistory *history = confab_application_get_history (app);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  g_assert_nonnull (history);
  for (guint i = 0; i < N_OLD; i++) {
    g_autofree char *id = g_strdup_printf ("old-%u", i);
    g_autofree char *text = g_strdup_printf ("Old message %u", i);
    g_autoptr (GBytes) body = g_bytes_new (text, strlen (text));
    g_autoptr (GDateTime) when = g_date_time_add_hours (now, -(int) (N_OLD + 1 - i));
    gboolean ours = i % 3 == 0;
    ConfabChatDirection direction = ours ? CONFAB_CHAT_DIRECTION_OUTGOING
                                         : CONFAB_CHAT_DIRECTION_INCOMING;
    g_autoptr (ConfabChatMessage) message =
      confab_chat_message_new (id, direction, conversation,
                               ours ? "sip:me@127.0.0.1" : conversation, NULL, "text/plain", body,
                               when);
    g_autoptr (GError) error = NULL;

    confab_chat_message_set_state (message, ours ? CONFAB_CHAT_STATE_DELIVERED
                                                 : CONFAB_CHAT_STATE_RECEIVED);
    g_assert_true (confab_history_add (history, message, &error));
    g_assert_no_error (error);
  }
}

static void
set_stage (Stage next)
{
  stage = next;
  stage_started = g_get_monotonic_time ();
  ready_since = 0;
}

/* Whether @ready has held for a while: revealers and scrolling have
 * finished moving before a screenshot. */
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

static gboolean
stage_elapsed_ms (int ms)
{
  return g_get_monotonic_time () - stage_started >= ms * 1000;
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
  finish (FALSE);
  return G_SOURCE_REMOVE;
}

/* The first chat's rows: our text (escaped, sender "You", delivered or
 * sent), its echo, and both images; "Today" above the first row only. */
static gboolean
check_first_chat_rows (ConfabChatPane *pane)
{
  g_autoptr (GPtrArray) rows = shown_rows (pane);
  ConfabChatRow *ours = find_row (rows, CONFAB_CHAT_DIRECTION_OUTGOING, APP_TEXT, FALSE);
  ConfabChatRow *echo = find_row (rows, CONFAB_CHAT_DIRECTION_INCOMING, APP_TEXT, FALSE);
  ConfabChatRow *our_image = find_row (rows, CONFAB_CHAT_DIRECTION_OUTGOING, NULL, TRUE);
  ConfabChatRow *their_image = find_row (rows, CONFAB_CHAT_DIRECTION_INCOMING, NULL, TRUE);
  const char *state;

  if (!ours || !echo || !our_image || !their_image || rows->len < 4)
    return FALSE;
  state = confab_chat_row_get_state_text (ours);
  if (g_strcmp0 (state, "Sent") != 0 && g_strcmp0 (state, "Delivered") != 0)
    return FALSE;
  g_assert_cmpstr (confab_chat_row_get_sender (ours), ==, "You");
  g_assert_null (confab_chat_row_get_state_text (echo));
  g_assert_cmpstr (confab_chat_row_get_day (rows->pdata[0]), ==, "Today");
  for (guint i = 1; i < rows->len; i++)
    g_assert_null (confab_chat_row_get_day (rows->pdata[i]));
  g_printerr ("ok - rows: \"%s\" from %s (%s), its echo from %s, and the image both ways; "
              "\"Today\" above the first row only\n",
              confab_chat_row_get_text (ours), confab_chat_row_get_sender (ours), state,
              confab_chat_row_get_sender (echo));
  return TRUE;
}

static gboolean
check_ui (gpointer user_data)
{
  ConfabMainWindow *main_window = confab_application_get_main_window (app);
  ConfabAccount *local = confab_account_manager_get_local_account (
    confab_application_get_account_manager (app));
  ConfabSession *session;
  ConfabSessionWindow *window;
  ConfabChatPane *pane;
  ConfabChatStream *chat;

  if (g_get_monotonic_time () > deadline) {
    g_autofree char *message = g_strdup_printf ("timed out waiting for: %s", stage_names[stage]);

    for (guint i = 0; i < sessions->len; i++) {
      ConfabSession *s = sessions->pdata[i];

      g_printerr ("# session %u: %s, chat %s\n", i,
                  confab_session_state_to_string (confab_session_get_state (s)),
                  !chat_of (s) ? "none"
                  : confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (chat_of (s)))
                    ? "connected"
                    : "not connected");
    }
    return fail (message);
  }

  switch (stage) {
  case STAGE_WAIT_READY:
    if (!listener.contact || !local || !confab_account_get_contact (local) ||
        !gtk_widget_get_mapped (GTK_WIDGET (main_window)))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - app reachable at %s, peer listening at %s\n",
                confab_account_get_contact (local), listener.contact);
    confab_main_window_set_dial_address (main_window, listener.contact);
    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.chat", NULL);
    set_stage (STAGE_WAIT_CONNECTED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CONNECTED:
    session = session_at (0);
    window = window_for (session);
    chat = chat_of (session);
    if (!window || !gtk_widget_get_mapped (GTK_WIDGET (window)) || !chat ||
        !confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (chat)))
      return G_SOURCE_CONTINUE;
    pane = pane_for (session);
    if (g_strcmp0 (gtk_stack_get_visible_child_name (confab_session_window_get_content (window)),
                   "chat") != 0 || confab_chat_pane_get_hint_text (pane))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - chat-only session connected, its window shows the chat (\"%s\")\n",
                confab_session_window_get_status_text (window));
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (confab_chat_pane_get_text_view (pane)),
                              "Hel", -1);
    set_stage (STAGE_WAIT_COMPOSING);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_COMPOSING:
    if (!confab_test_peer_saw (&listener, "composing", "state", "active"))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - typing in the entry: the peer sees is-composing active\n");
    session = session_at (0);
    pane = pane_for (session);
    type_and_send (pane, APP_TEXT);
    {
      g_autoptr (GBytes) png = make_png ();
      g_autoptr (GError) error = NULL;

      if (!confab_chat_stream_send_message (chat_of (session), "image/png", png, &error))
        return fail (error->message);
    }
    set_stage (STAGE_WAIT_ECHO);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_ECHO:
    session = session_at (0);
    pane = pane_for (session);
    if (!settled (g_list_model_get_n_items (confab_chat_pane_get_messages (pane)) >= 4 &&
                  confab_test_peer_saw (&listener, "message", "text", APP_TEXT) &&
                  confab_chat_pane_is_at_bottom (pane)) ||
        !check_first_chat_rows (pane))
      return G_SOURCE_CONTINUE;
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (confab_chat_pane_get_text_view (pane));

      g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
    }
    if (!confab_test_ui_save_screenshot (GTK_WIDGET (window_for (session)), artifacts_dir,
                                         "chat-pane.png"))
      return G_SOURCE_CONTINUE;
    /* Closing the chat of a chat-only session ends the session. */
    g_set_weak_pointer (&first_window, window_for (session));
    gtk_widget_activate_action (GTK_WIDGET (window_for (session)), "session.remove-chat", NULL);
    set_stage (STAGE_WAIT_FIRST_END);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_FIRST_END:
    session = session_at (0);
    window = window_for (session);
    if (confab_session_get_state (session) != CONFAB_SESSION_STATE_TERMINATED ||
        !stage_elapsed_ms (3500))
      return G_SOURCE_CONTINUE;
    /* Calls close their window 3 s after the end; chats stay to be read. */
    if (!window || !gtk_widget_get_visible (GTK_WIDGET (window)))
      return fail ("the chat window closed by itself after the chat ended");
    if (!confab_chat_pane_get_hint_text (pane_for (session)))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - chat closed: \"%s\"; the window stays open: \"%s\"\n",
                confab_session_window_get_status_text (window),
                confab_chat_pane_get_hint_text (pane_for (session)));
    add_old_messages (confab_session_get_remote_uri (session));
    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.chat", NULL);
    set_stage (STAGE_WAIT_SECOND_CONNECTED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_SECOND_CONNECTED:
    session = session_at (1);
    chat = chat_of (session);
    if (!chat || !confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (chat)))
      return G_SOURCE_CONTINUE;
    if (!window_for (session) || window_for (session) != first_window)
      return fail ("the second chat with the same peer did not reuse the first one's window");
    pane = pane_for (session);
    /* One page from the history: the first chat's four messages last. */
    {
      GListModel *items = confab_chat_pane_get_messages (pane);
      guint n = g_list_model_get_n_items (items);
      g_autoptr (ConfabChatMessage) fourth_last = n >= 4 ? g_list_model_get_item (items, n - 4)
                                                          : NULL;

      if (n != CONFAB_CHAT_PANE_PAGE_SIZE || !fourth_last ||
          g_strcmp0 (confab_chat_message_get_text (fourth_last), APP_TEXT) != 0)
        return fail ("the reused window does not show a page of the history, the first chat "
                     "last");
    }
    g_printerr ("ok - a new chat with the same peer reuses the window, with a page of %u "
                "messages from the history, the first chat's last\n",
                CONFAB_CHAT_PANE_PAGE_SIZE);
    set_stage (STAGE_WAIT_HISTORY_PAGES);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_HISTORY_PAGES:
    session = session_at (1);
    pane = pane_for (session);
    {
      GListModel *items = confab_chat_pane_get_messages (pane);
      GtkAdjustment *adjustment =
        gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (confab_chat_pane_get_list_view (pane)));
      g_autoptr (ConfabChatMessage) oldest = g_list_model_get_item (items, 0);
      g_autoptr (GPtrArray) rows = NULL;
      const char *day;

      /* Scrolled to the top, the pane loads the next older page. */
      if (g_list_model_get_n_items (items) < N_OLD + 4 ||
          gtk_adjustment_get_value (adjustment) > 0) {
        gtk_adjustment_set_value (adjustment, 0);
        return G_SOURCE_CONTINUE;
      }
      if (!settled (TRUE))
        return G_SOURCE_CONTINUE;
      rows = shown_rows (pane);
      day = rows->len ? confab_chat_row_get_day (rows->pdata[0]) : NULL;
      if (g_list_model_get_n_items (items) != N_OLD + 4 ||
          g_strcmp0 (confab_chat_message_get_text (oldest), "Old message 0") != 0 || !day ||
          g_str_equal (day, "Today"))
        return fail ("scrolling up did not load the whole history, oldest first, with its day");
      g_printerr ("ok - scrolling to the top loaded older pages: %u messages, the first "
                  "under \"%s\"\n", g_list_model_get_n_items (items), day);
      confab_test_ui_save_screenshot (GTK_WIDGET (window_for (session)), artifacts_dir,
                                      "chat-pane-older.png");
    }
    type_and_send (pane, APP_TEXT_2);
    set_stage (STAGE_WAIT_SECOND_ECHO);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_SECOND_ECHO:
    session = session_at (1);
    pane = pane_for (session);
    {
      g_autoptr (GPtrArray) rows = shown_rows (pane);

      if (!settled (g_list_model_get_n_items (confab_chat_pane_get_messages (pane)) >= N_OLD + 6 &&
                    find_row (rows, CONFAB_CHAT_DIRECTION_INCOMING, APP_TEXT_2, FALSE) &&
                    confab_chat_pane_is_at_bottom (pane) &&
                    !confab_chat_pane_get_hint_text (pane)))
        return G_SOURCE_CONTINUE;
    }
    g_printerr ("ok - second chat: echo shown below the history, list at the bottom\n");
    confab_test_ui_save_screenshot (GTK_WIDGET (window_for (session)), artifacts_dir,
                                    "chat-pane-history.png");
    gtk_widget_activate_action (GTK_WIDGET (window_for (session)), "session.close", NULL);
    set_stage (STAGE_WAIT_SECOND_END);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_SECOND_END:
    if (confab_session_get_state (session_at (1)) != CONFAB_SESSION_STATE_TERMINATED ||
        !listener.exited)
      return G_SOURCE_CONTINUE;
    if (!listener.exit_ok)
      return fail ("the listening peer did not exit 0");
    g_printerr ("ok - closing the window ended the chat; the peer exited 0\n");
    {
      /* Long enough to see "typing" even when the window opens slowly
       * (the sanitizer build). */
      const char *command[] = { "chat", confab_account_get_contact (local), "--typing-delay",
                                "10000", "--expect", "1", NULL };

      start_peer (&chatter, command);
      confab_test_peer_write (&chatter, PEER_TEXT);
    }
    set_stage (STAGE_WAIT_INCOMING_TYPING);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INCOMING_TYPING:
    session = session_at (2);
    pane = pane_for (session);
    if (!pane || !confab_chat_pane_get_typing_text (pane))
      return G_SOURCE_CONTINUE;
    if (!confab_session_is_incoming (session) || confab_application_is_ringing (app))
      return fail ("the incoming chat is not an incoming session, or it rings");
    g_printerr ("ok - incoming chat accepted without ringing; \"%s\"\n",
                confab_chat_pane_get_typing_text (pane));
    /* Away from the chat: what arrives now is unread. */
    gtk_window_present (GTK_WINDOW (main_window));
    set_stage (STAGE_WAIT_INCOMING_MESSAGE);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INCOMING_MESSAGE:
    session = session_at (2);
    pane = pane_for (session);
    window = window_for (session);
    {
      g_autoptr (GPtrArray) rows = shown_rows (pane);
      guint unread = confab_chat_pane_get_unread_count (pane);
      gboolean active = gtk_window_is_active (GTK_WINDOW (window));

      if (!settled (find_row (rows, CONFAB_CHAT_DIRECTION_INCOMING, PEER_TEXT, FALSE) &&
                    !confab_chat_pane_get_typing_text (pane)))
        return G_SOURCE_CONTINUE;
      /* Unread counts only while the window is not the active one. */
      if (active ? unread != 0
                 : unread != 1 || !g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)),
                                                      "(1) "))
        return fail ("the unread count does not match whether the window is active");
      g_printerr ("ok - \"%s\" arrived, \"is typing…\" gone; window %s, unread %u, "
                  "title \"%s\"\n",
                  PEER_TEXT, active ? "active" : "not active", unread,
                  gtk_window_get_title (GTK_WINDOW (window)));
      confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir,
                                      "chat-pane-incoming.png");
      gtk_window_present (GTK_WINDOW (window));
    }
    type_and_send (pane, APP_REPLY);
    set_stage (STAGE_WAIT_REPLY_AT_PEER);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_REPLY_AT_PEER:
    window = window_for (session_at (2));
    if (!confab_test_peer_saw (&chatter, "message", "text", APP_REPLY) ||
        (gtk_window_is_active (GTK_WINDOW (window)) &&
         confab_chat_pane_get_unread_count (pane_for (session_at (2))) != 0))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - the reply reached the peer; back in the window, title \"%s\"\n",
                gtk_window_get_title (GTK_WINDOW (window)));
    /* End of input: the peer ends the session. */
    g_output_stream_close (g_subprocess_get_stdin_pipe (chatter.process), NULL, NULL);
    set_stage (STAGE_WAIT_INCOMING_END);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INCOMING_END:
    session = session_at (2);
    window = window_for (session);
    if (confab_session_get_state (session) != CONFAB_SESSION_STATE_TERMINATED || !chatter.exited ||
        !stage_elapsed_ms (500))
      return G_SOURCE_CONTINUE;
    if (!window || !gtk_widget_get_visible (GTK_WIDGET (window)))
      return fail ("the chat window closed by itself when the peer ended the chat");
    g_printerr ("%s - the peer ended the chat (exit %s); the window stays: \"%s\"\n",
                chatter.exit_ok ? "ok" : "not ok", chatter.exit_ok ? "0" : "non-zero",
                confab_chat_pane_get_hint_text (pane_for (session)));
    if (!chatter.exit_ok)
      return fail ("the chatting peer did not exit 0");
    {
      const char *command[] = { "listen", "--auto-answer", "--echo", "--calls", "1", "--play",
                                tone_wav, "--record", peer_record, NULL };

      start_peer (&callee, command);
    }
    set_stage (STAGE_WAIT_CALL);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CALL:
    session = session_at (3);
    if (!session) {
      g_autoptr (GError) error = NULL;

      if (callee.contact && !confab_application_call (app, callee.contact, &error))
        return fail (error->message);
      return G_SOURCE_CONTINUE;
    }
    window = window_for (session);
    if (confab_session_get_state (session) != CONFAB_SESSION_STATE_ESTABLISHED || !window ||
        !stage_elapsed_ms (500))
      return G_SOURCE_CONTINUE;
    if (chat_of (session) ||
        g_strcmp0 (gtk_stack_get_visible_child_name (confab_session_window_get_content (window)),
                   "audio") != 0)
      return fail ("an audio call shows a chat before one was added");
    g_printerr ("ok - audio call established; adding a chat\n");
    gtk_widget_activate_action (GTK_WIDGET (window), "session.add-chat", NULL);
    set_stage (STAGE_WAIT_CALL_CHAT);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CALL_CHAT:
    session = session_at (3);
    window = window_for (session);
    chat = chat_of (session);
    if (!chat || !confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (chat)) ||
        g_strcmp0 (gtk_stack_get_visible_child_name (confab_session_window_get_content (window)),
                   "chat") != 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - chat added to the call by re-INVITE, the window shows it (\"%s\")\n",
                confab_session_window_get_status_text (window));
    type_and_send (pane_for (session), CALL_TEXT);
    set_stage (STAGE_WAIT_CALL_ECHO);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CALL_ECHO:
    session = session_at (3);
    pane = pane_for (session);
    {
      g_autoptr (GPtrArray) rows = shown_rows (pane);

      if (!settled (find_row (rows, CONFAB_CHAT_DIRECTION_INCOMING, CALL_TEXT, FALSE) != NULL))
        return G_SOURCE_CONTINUE;
    }
    g_printerr ("ok - message and echo during the call\n");
    confab_test_ui_save_screenshot (GTK_WIDGET (window_for (session)), artifacts_dir,
                                    "chat-pane-call.png");
    gtk_widget_activate_action (GTK_WIDGET (window_for (session)), "session.remove-chat", NULL);
    set_stage (STAGE_WAIT_CALL_CHAT_REMOVED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CALL_CHAT_REMOVED:
    session = session_at (3);
    window = window_for (session);
    /* The peer sees the connection close, then the re-INVITE. */
    if (!(confab_test_peer_saw (&callee, "chat", "state", "ended") ||
          confab_test_peer_saw (&callee, "chat", "state", "failed")) ||
        g_strcmp0 (gtk_stack_get_visible_child_name (confab_session_window_get_content (window)),
                   "audio") != 0 || !stage_elapsed_ms (500))
      return G_SOURCE_CONTINUE;
    if (confab_session_get_state (session) != CONFAB_SESSION_STATE_ESTABLISHED)
      return fail ("removing the chat ended the call");
    g_printerr ("ok - chat removed by re-INVITE, the call goes on (\"%s\")\n",
                confab_session_window_get_status_text (window));
    gtk_widget_activate_action (GTK_WIDGET (window), "session.hangup", NULL);
    set_stage (STAGE_WAIT_CALL_END);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CALL_END:
    if (confab_session_get_state (session_at (3)) != CONFAB_SESSION_STATE_TERMINATED ||
        !callee.exited)
      return G_SOURCE_CONTINUE;
    g_printerr ("%s - call hung up, the peer exited %s\n", callee.exit_ok ? "ok" : "not ok",
                callee.exit_ok ? "0" : "non-zero");
    finish (callee.exit_ok);
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
  g_signal_connect (manager, "session-added", G_CALLBACK (on_session_added), NULL);
  g_timeout_add (100, check_ui, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *config = NULL;
  g_autofree char *data_dir = NULL;
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  const char *listen[] = { "listen", "--echo", "--calls", "2", NULL };

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("CONFAB_BIND_ADDRESS", "127.0.0.1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);

  work_dir = g_dir_make_tmp ("confab-ui-chat-XXXXXX", &error);
  g_assert_no_error (error);
  /* The history goes to XDG_DATA_HOME/confab: a folder of the test's. */
  data_dir = g_build_filename (work_dir, "data", NULL);
  g_mkdir_with_parents (data_dir, 0700);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  artifacts_dir = g_build_filename (builddir ? builddir : ".", "artifacts", NULL);
  g_mkdir_with_parents (artifacts_dir, 0755);

  /* Calls play a tone instead of using sound devices, on both sides. */
  tone_wav = g_build_filename (work_dir, "tone.wav", NULL);
  peer_record = g_build_filename (work_dir, "peer-heard.wav", NULL);
  {
    g_autoptr (ConfabTestAudio) tone = confab_test_audio_new (48000, TONE_S);

    confab_test_audio_add_tone (tone, 1000, 0.25, 0, TONE_S);
    g_assert_true (confab_test_audio_write_wav (tone, tone_wav, &error));
  }
  g_setenv ("CONFAB_AUDIO_PLAY", tone_wav, TRUE);

  config = g_build_filename (work_dir, "accounts.json", NULL);
  g_assert_true (g_file_set_contents (config, "{\"version\":1,\"accounts\":[]}", -1, NULL));
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_int (settings, "local-port", 0);
  sessions = g_ptr_array_new_with_free_func (g_object_unref);

  start_peer (&listener, listen);

  app = confab_application_new_for_testing (NULL, config);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  {
    char *app_argv[] = { argv[0], NULL };

    g_application_run (G_APPLICATION (app), 1, app_argv);
  }
  g_clear_weak_pointer (&first_window);
  g_clear_pointer (&sessions, g_ptr_array_unref);
  g_clear_object (&app);

  confab_test_peer_stop (&listener);
  confab_test_peer_stop (&chatter);
  confab_test_peer_stop (&callee);
  {
    g_autoptr (GFile) work = g_file_new_for_path (work_dir);

    confab_test_ui_remove_tree (work);
  }
  g_free (work_dir);
  g_free (tone_wav);
  g_free (peer_record);
  g_free (artifacts_dir);
  g_printerr (passed ? "UI chat test passed\n" : "UI chat test FAILED\n");
  return passed ? 0 : 1;
}
