/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-application.h"
#include "confab-chat-pane.h"
#include "confab-chat-row.h"
#include "confab-join-dialog.h"
#include "confab-main-window.h"
#include "confab-participant-row.h"
#include "confab-participants-pane.h"
#include "confab-session-window.h"
#include "confab-test-desktop.h"
#include "confab-test-ui.h"

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

/* Conference rooms in the app under Xvfb, against a SIPp focus
 * (tests/sipp/focus.xml) and an MSRP room peer (tests/integration/
 * msrp_room.py) on loopback:
 *  1. app.join-conference opens Join Conference…, whose New Room makes
 *     up an ad-hoc room's address (screenshot join-dialog.png); its Join,
 *     with chat and the nickname "taken", INVITEs the room and opens the
 *     session's window;
 *  2. the focus says ;isfocus: the participants pane shows beside the chat
 *     and follows each NOTIFY in place: carol (and us), carol and dave,
 *     dave on hold, dave; the header counts the participants; the chat
 *     says who joined and left;
 *  3. the room refuses the nickname "taken" (425): the window says so;
 *     another one is accepted;
 *  4. a private message from carol is marked private in the chat, the
 *     room's notice is a status line;
 *  4b. dave's row's private message button (none on our own row) puts the
 *     composer into private mode: "Private to dave" above the entry
 *     (screenshot private-compose.png); sent, the room receives a CPIM
 *     message To: dave (msrp_room.py prints it), and the chat marks it
 *     "Private to dave" (screenshot private-sent.png); Escape in the entry
 *     writes to everyone again;
 *  5. Invite REFERs bob (200 OK) and busy (486 Busy Here): the line under
 *     the entry shows the room's answers; the room's files are listed;
 *  5b. addresses dropped on the pane (its GtkDropTarget's "drop", as Xvfb
 *     cannot drag): "sip:frank@…", "Grace Hopper <sip:grace@…>" and the
 *     first of a URI list's lines reach the focus as REFERs with
 *     Refer-To: <…>;method=INVITE (SIPp's trace), and so do the SIP
 *     addresses of a contact card dropped as text (judy) and of a .vcf
 *     file dropped from a file manager (kim); a card without one and text
 *     that is no address are refused, saying so under the entry
 *     (screenshot drop-refused.png), and nothing is REFERred;
 *  6. a row's Remove asks first (screenshot remove-dialog.png), then
 *     REFERs dave with method BYE (screenshot participants-pane.png);
 *  7. session.toggle-participants hides and shows the pane; in a narrow
 *     window it slides over the chat (screenshot participants-narrow.png),
 *     and erin's private message button makes way for the chat, writing
 *     to erin (screenshot private-narrow.png); leaving ends private mode;
 *  7b. the history kept the private messages with their recipients and
 *     the room's notice with its kind: a chat pane reading the room's
 *     conversation from it shows them with the same marks (screenshot
 *     history-reloaded.png);
 *  8. a focus calls the app in on bob's behalf (tests/sipp/focus-ui.xml:
 *     ;isfocus, Referred-By): the app rings instead of opening the chat,
 *     and its window says "bob@127.0.0.1 invites you to the room …"
 *     (screenshot room-invitation.png); a desktop notification (the
 *     stand-in org.freedesktop.Notifications of confab-test-desktop.c,
 *     which GApplication uses when nothing owns org.gtk.Notifications)
 *     says the same with Decline and Join; declined in the window, the
 *     focus hears 603 and the notification is closed;
 *  9. called in again, the notification's Decline (ActionInvoked, as a
 *     notification server sends it) declines: 603, the notification
 *     closed;
 * 10. a focus that gives up ringing (tests/sipp/focus-ui-cancel.xml,
 *     CANCEL): the notification is closed (screenshot
 *     invitation-cancelled.png).
 * It needs the core's conferences to work; it fails, never skips. */

#define DEADLINE_S   90
#define ROOM_USER    "room1"
#define PRIVATE_TEXT "Psst, only for you"
#define PUBLIC_TEXT  "Hello, room"
#define NOTICE_TEXT  "Welcome to the Confab test room"
#define TO_DAVE_TEXT "Just between us, dave"
#define DAVE_URI     "sip:dave@127.0.0.1"
#define INVITATION_TITLE "Invitation to a conference room"
#define INVITATION_BODY  "bob@127.0.0.1 invites you to the room “Room two”"
#define NOT_AN_ADDRESS   "Minutes of Tuesday's meeting"
#define NOTIFICATIONS    "org.freedesktop.Notifications"

typedef enum {
  STAGE_WAIT_READY,
  STAGE_WAIT_JOIN_DIALOG,
  STAGE_JOIN,
  STAGE_WAIT_ROOM,
  STAGE_WAIT_NOTIFIES,
  STAGE_WAIT_NICKNAME_REFUSED,
  STAGE_WAIT_NICKNAME,
  STAGE_WAIT_MESSAGES,
  STAGE_PRIVATE_COMPOSE,
  STAGE_WAIT_PRIVATE_SENT,
  STAGE_WAIT_INVITED,
  STAGE_WAIT_BUSY,
  STAGE_WAIT_DROPPED_URI,
  STAGE_WAIT_DROPPED_NAME,
  STAGE_WAIT_DROPPED_LIST,
  STAGE_WAIT_DROPPED_CARD,
  STAGE_WAIT_DROPPED_CARD_FILE,
  STAGE_WAIT_DROP_REFUSED,
  STAGE_WAIT_REMOVE_DIALOG,
  STAGE_WAIT_REMOVED,
  STAGE_WAIT_HIDDEN,
  STAGE_WAIT_SHOWN,
  STAGE_NARROW,
  STAGE_WAIT_NARROW_PRIVATE,
  STAGE_WAIT_END,
  STAGE_WAIT_RELOADED,
  STAGE_WAIT_INVITATION,
  STAGE_WAIT_DECLINED,
  STAGE_WAIT_NOTIFIED,
  STAGE_WAIT_NOTIFICATION_DECLINED,
  STAGE_WAIT_CANCEL_NOTIFIED,
  STAGE_WAIT_CANCELLED,
} Stage;

static const char *stage_names[] = {
  "ready", "the join dialog", "the join dialog filled in",
  "the room's window with its participants",
  "the NOTIFYs up to version 9", "the nickname refused", "the second nickname accepted",
  "the room's messages", "the private composer", "the private message at the room",
  "bob invited", "busy refused", "frank invited by a drop", "grace invited by a drop",
  "heidi invited by a dropped URI list", "judy invited by a dropped contact card",
  "kim invited by a dropped .vcf file", "a drop that is no address refused",
  "the remove dialog", "dave removed",
  "the pane hidden", "the pane shown again", "a narrow window",
  "a private message to erin in the narrow window", "the session ended",
  "the history shown again", "the invitation into a room and its notification",
  "the invitation declined at the focus, its notification closed",
  "the second invitation's notification",
  "the invitation declined from its notification, the notification closed",
  "the third invitation's notification", "the invitation cancelled, its notification closed",
};

/* What the pane showed right after the room applied a document. */
typedef struct
{
  guint  version;
  char  *names;       /* row titles, ", " between */
  char  *on_hold;     /* the names of rows with the on-hold sign */
  char  *subtitle;    /* the header's, once the count's notification ran */
} Snapshot;

static ConfabApplication *app;
static char *artifacts_dir;
static char *work_dir;
static char *room_uri;
static gint64 deadline;
static gint64 ready_since;
static gboolean passed;
static Stage stage;
static GPid sipp_pid;
static GPid inviter_pid;
static int inviter_status = -1;
static ConfabSession *invitation;      /* the focus calling us in */
static GPid room_pid;
static int room_stdin = -1;
static ConfabSession *session;         /* the room's */
static ConfabConference *conference;
static GPtrArray *snapshots;           /* Snapshot*, in order */
static GDataInputStream *room_output;  /* the room's lines after its port */
static char *room_private;             /* "To From text" of the private SEND it got */
static GCancellable *room_reading;     /* while reading room_output */
static GtkWindow *reload_window;       /* a chat pane reading the history */
static ConfabTestDesktop desktop;      /* the notification server */
static GDBusConnection *bus;           /* the app's and the server's */
static guint bus_filter_id;
static ConfabSession *declined;        /* an invitation answered before */
static gint64 refused_at;              /* when the drop that is no address was */

/* A notification the app asked the server to show, read off the bus (the
 * stand-in keeps titles and bodies only): the Notify call as the server
 * got it, the id it answered, and whether CloseNotification came for
 * that id. Written in GDBus's thread, under bus_lock. */
typedef struct
{
  guint32   serial;  /* of the Notify call */
  guint32   id;      /* the server's answer; 0 until it came */
  guint32   replaces_id;
  char     *summary;
  char     *body;
  GStrv     actions; /* key, label, key, label… */
  GVariant *hints;
  gboolean  closed;
} SentNotification;

static GMutex bus_lock;
static GPtrArray *notifications;       /* SentNotification*, as sent */

static void
snapshot_free (gpointer data)
{
  Snapshot *snapshot = data;

  g_free (snapshot->names);
  g_free (snapshot->on_hold);
  g_free (snapshot->subtitle);
  g_free (snapshot);
}

static ConfabSessionWindow *
room_window (void)
{
  return session ? confab_application_get_session_window (app, session) : NULL;
}

static ConfabParticipantsPane *
room_pane (void)
{
  ConfabSessionWindow *window = room_window ();

  return window ? CONFAB_PARTICIPANTS_PANE (confab_session_window_get_participants_pane (window))
                : NULL;
}

static ConfabChatStream *
room_chat (void)
{
  ConfabStream *stream = session ? confab_session_find_stream (session, CONFAB_TYPE_CHAT_STREAM)
                                 : NULL;

  return stream ? CONFAB_CHAT_STREAM (stream) : NULL;
}

static ConfabParticipantRow *
find_participant_row (const char *name)
{
  GtkListBox *list = confab_participants_pane_get_participant_list (room_pane ());

  for (int i = 0;; i++) {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

    if (!row)
      return NULL;
    if (g_strcmp0 (confab_participant_row_get_name (CONFAB_PARTICIPANT_ROW (row)), name) == 0)
      return CONFAB_PARTICIPANT_ROW (row);
  }
}

static char *
dup_row_names (gboolean on_hold_only)
{
  GtkListBox *list = confab_participants_pane_get_participant_list (room_pane ());
  GString *names = g_string_new (NULL);

  for (int i = 0;; i++) {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

    if (!row)
      break;
    if (on_hold_only && !confab_participant_row_shows_on_hold (CONFAB_PARTICIPANT_ROW (row)))
      continue;
    if (names->len)
      g_string_append (names, ", ");
    g_string_append (names, confab_participant_row_get_name (CONFAB_PARTICIPANT_ROW (row)));
  }
  return g_string_free (names, FALSE);
}

static gboolean
on_snapshot_idle (gpointer user_data)
{
  Snapshot *snapshot = user_data;
  ConfabSessionWindow *window = room_window ();

  if (window && !snapshot->subtitle)
    snapshot->subtitle = g_strdup (confab_session_window_get_status_text (window));
  return G_SOURCE_REMOVE;
}

static void
on_room_updated (ConfabConference *room,
                 gpointer          user_data)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  snapshot->version = confab_conference_get_version (room);
  snapshot->names = dup_row_names (FALSE);
  snapshot->on_hold = dup_row_names (TRUE);
  g_ptr_array_add (snapshots, snapshot);
  g_printerr ("# version %u: %s%s%s\n", snapshot->version, snapshot->names,
              *snapshot->on_hold ? "; on hold: " : "", snapshot->on_hold);
  /* The count's notification may come after "updated". */
  g_idle_add (on_snapshot_idle, snapshot);
}

static void
on_conference (ConfabSession *room_session,
               GParamSpec    *pspec,
               gpointer       user_data)
{
  ConfabConference *room = confab_session_get_conference (room_session);

  if (!room || room == conference)
    return;
  conference = room;
  g_signal_connect_after (room, "updated", G_CALLBACK (on_room_updated), NULL);
}

static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *added,
                  gpointer              user_data)
{
  if (confab_session_is_incoming (added)) {
    g_set_object (&invitation, added);
    return;
  }
  if (session || !confab_session_get_remote_uri (added) ||
      !strstr (confab_session_get_remote_uri (added), ROOM_USER "@"))
    return;
  session = g_object_ref (added);
  g_signal_connect (added, "notify::conference", G_CALLBACK (on_conference), NULL);
}

static const Snapshot *
snapshot_of (guint version)
{
  for (guint i = 0; i < snapshots->len; i++) {
    const Snapshot *snapshot = snapshots->pdata[i];

    if (snapshot->version == version)
      return snapshot;
  }
  return NULL;
}

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
set_stage (Stage next)
{
  stage = next;
  ready_since = 0;
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

static void
collect_chat_rows (GtkWidget *widget,
                   GPtrArray *rows)
{
  if (CONFAB_IS_CHAT_ROW (widget)) {
    if (confab_chat_row_get_message (CONFAB_CHAT_ROW (widget)))
      g_ptr_array_add (rows, widget);
    return;
  }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect_chat_rows (child, rows);
}

static ConfabChatPane *
room_chat_pane (void)
{
  return CONFAB_CHAT_PANE (confab_session_window_get_chat_pane (room_window ()));
}

static ConfabChatRow *
find_row_in (ConfabChatPane *pane,
             const char     *text)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  collect_chat_rows (GTK_WIDGET (confab_chat_pane_get_list_view (pane)), rows);
  for (guint i = 0; i < rows->len; i++) {
    if (g_strcmp0 (confab_chat_row_get_text (rows->pdata[i]), text) == 0)
      return rows->pdata[i];
  }
  return NULL;
}

static ConfabChatRow *
find_chat_row (const char *text)
{
  return find_row_in (room_chat_pane (), text);
}

/* The newest message of @messages with @text. */
static ConfabChatMessage *
find_message (GPtrArray  *messages,
              const char *text)
{
  for (guint i = messages->len; i > 0; i--) {
    if (g_strcmp0 (confab_chat_message_get_text (messages->pdata[i - 1]), text) == 0)
      return messages->pdata[i - 1];
  }
  return NULL;
}

/* Escape in the chat entry, as its key controller gets it. */
static gboolean
press_escape (ConfabChatPane *pane)
{
  GtkWidget *text_view = GTK_WIDGET (confab_chat_pane_get_text_view (pane));
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (text_view);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

    if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
        g_strcmp0 (gtk_event_controller_get_name (controller), "confab-chat-composer-keys") == 0) {
      g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Escape, 0, (GdkModifierType) 0,
                             &handled);
      return handled;
    }
  }
  g_error ("the chat entry has no key controller");
}

static void
set_draft (ConfabChatPane *pane,
           const char     *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (confab_chat_pane_get_text_view (pane)),
                            text, -1);
}

static char *
dup_draft (ConfabChatPane *pane)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (confab_chat_pane_get_text_view (pane));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The history kept the room's private messages with their recipients and
 * its notice with its kind: read back by another ConfabHistory on the
 * same file (new objects from the rows). Local status lines ("dave
 * joined the room") stay out. */
static ConfabHistory *
check_history (const char *conversation)
{
  ConfabHistory *live = confab_application_get_history (app);
  g_autoptr (ConfabHistory) history = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  ConfabChatMessage *message;

  g_assert_nonnull (live);
  history = confab_history_open (confab_history_get_path (live), &error);
  g_assert_no_error (error);
  page = confab_history_load (history, conversation, 0, 0, &error);
  g_assert_no_error (error);

  message = find_message (page, TO_DAVE_TEXT);
  g_assert_nonnull (message);
  g_assert_cmpint (confab_chat_message_get_direction (message), ==,
                   CONFAB_CHAT_DIRECTION_OUTGOING);
  g_assert_cmpstr (confab_chat_message_get_recipient_uri (message), ==, DAVE_URI);
  g_assert_cmpint (confab_chat_message_get_state (message), ==, CONFAB_CHAT_STATE_DELIVERED);
  message = find_message (page, PRIVATE_TEXT);
  g_assert_nonnull (message);
  g_assert_true (confab_chat_message_is_private (message));
  g_assert_cmpstr (confab_chat_message_get_recipient_uri (message), ==, "sip:me@127.0.0.1");
  g_assert_cmpstr (confab_chat_message_get_sender_uri (message), ==, "sip:carol@127.0.0.1");
  message = find_message (page, PUBLIC_TEXT);
  g_assert_nonnull (message);
  g_assert_false (confab_chat_message_is_private (message));
  message = find_message (page, NOTICE_TEXT);
  g_assert_nonnull (message);
  g_assert_cmpint (confab_chat_message_get_direction (message), ==, CONFAB_CHAT_DIRECTION_STATUS);
  g_assert_cmpint (confab_chat_message_get_status_kind (message), ==,
                   CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);
  g_assert_null (find_message (page, "dave joined the room"));
  g_printerr ("ok - the history kept %u of the room's messages: the private ones with their "
              "recipients, the notice as a room notice\n",
              page->len);
  return g_steal_pointer (&history);
}

/* The chat's items: is there a status line saying @text? */
static gboolean
chat_has_status (const char *text)
{
  ConfabChatPane *pane = CONFAB_CHAT_PANE (confab_session_window_get_chat_pane (room_window ()));
  GListModel *items = confab_chat_pane_get_messages (pane);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++) {
    g_autoptr (ConfabChatMessage) message = g_list_model_get_item (items, i);

    if (confab_chat_message_get_direction (message) == CONFAB_CHAT_DIRECTION_STATUS &&
        g_strcmp0 (confab_chat_message_get_text (message), text) == 0)
      return TRUE;
  }
  return FALSE;
}

static GtkLabel *
find_label_with_prefix (GtkWidget  *widget,
                        const char *prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child)) {
    GtkLabel *found = find_label_with_prefix (child, prefix);

    if (found)
      return found;
  }
  return NULL;
}

static void
on_inviter_exited (GPid     pid,
                   int      status,
                   gpointer user_data)
{
  inviter_status = status;
  g_spawn_close_pid (pid);
  inviter_pid = 0;
}

static void
sent_notification_free (gpointer data)
{
  SentNotification *sent = data;

  g_free (sent->summary);
  g_free (sent->body);
  g_strfreev (sent->actions);
  g_clear_pointer (&sent->hints, g_variant_unref);
  g_free (sent);
}

/* Sees the server's side of the app's notifications: the calls the bus
 * delivers to it and its answers coming back to the app (both are this
 * process, one connection: the Notify calls' serials are ours). */
static GDBusMessage *
on_bus_message (GDBusConnection *connection,
                GDBusMessage    *message,
                gboolean         incoming,
                gpointer         user_data)
{
  GDBusMessageType type = g_dbus_message_get_message_type (message);
  GVariant *body = g_dbus_message_get_body (message);
  const char *member = g_dbus_message_get_member (message);
  gboolean to_server = type == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
                       g_strcmp0 (g_dbus_message_get_interface (message), NOTIFICATIONS) == 0;

  if (!incoming || !body)
    return message;
  g_mutex_lock (&bus_lock);
  if (!notifications) {
    /* The test is over. */
  } else if (to_server && g_strcmp0 (member, "Notify") == 0 &&
             g_variant_is_of_type (body, G_VARIANT_TYPE ("(susssasa{sv}i)")) &&
             g_strcmp0 (g_dbus_message_get_sender (message),
                        g_dbus_connection_get_unique_name (connection)) == 0) {
    SentNotification *sent = g_new0 (SentNotification, 1);
    const char *summary, *text;

    sent->serial = g_dbus_message_get_serial (message);
    g_variant_get (body, "(&su&s&s&s^as@a{sv}i)", NULL, &sent->replaces_id, NULL, &summary,
                   &text, &sent->actions, &sent->hints, NULL);
    sent->summary = g_strdup (summary);
    sent->body = g_strdup (text);
    g_ptr_array_add (notifications, sent);
  } else if (to_server && g_strcmp0 (member, "CloseNotification") == 0 &&
             g_variant_is_of_type (body, G_VARIANT_TYPE ("(u)"))) {
    guint32 id;

    g_variant_get (body, "(u)", &id);
    for (guint i = 0; i < notifications->len; i++) {
      SentNotification *sent = notifications->pdata[i];

      if (sent->id == id)
        sent->closed = TRUE;
    }
  } else if (type == G_DBUS_MESSAGE_TYPE_METHOD_RETURN &&
             g_variant_is_of_type (body, G_VARIANT_TYPE ("(u)"))) {
    for (guint i = 0; i < notifications->len; i++) {
      SentNotification *sent = notifications->pdata[i];

      if (sent->serial == g_dbus_message_get_reply_serial (message))
        g_variant_get (body, "(u)", &sent->id);
    }
  }
  g_mutex_unlock (&bus_lock);
  return message;
}

/* The notification the server shows for @invited: the one whose Decline
 * names the session (app.decline-call with the session's id), once the
 * server answered it with its id. Fields other than closed do not change
 * once it is answered. */
static SentNotification *
find_notification (ConfabSession *invited)
{
  g_autoptr (GVariant) target = NULL;
  g_autofree char *decline = NULL;
  SentNotification *found = NULL;

  if (!invited)
    return NULL;
  target = g_variant_ref_sink (g_variant_new_string (confab_session_get_id (invited)));
  decline = g_action_print_detailed_name ("app.decline-call", target);
  g_mutex_lock (&bus_lock);
  for (guint i = 0; i < notifications->len && !found; i++) {
    SentNotification *sent = notifications->pdata[i];

    if (sent->id && g_strv_contains ((const char * const *) sent->actions, decline))
      found = sent;
  }
  g_mutex_unlock (&bus_lock);
  return found;
}

static gboolean
notification_closed (SentNotification *sent)
{
  gboolean closed;

  if (!sent)
    return FALSE;
  g_mutex_lock (&bus_lock);
  closed = sent->closed;
  g_mutex_unlock (&bus_lock);
  return closed;
}

/* An invitation's notification, as the server got it: the title, who
 * invites into which room, Decline and Join with the session as their
 * target, and Show as the default; urgent, for the app's desktop entry. */
static void
check_invitation_notification (SentNotification *sent,
                               ConfabSession    *invited,
                               const char       *room)
{
  const char *id = confab_session_get_id (invited);
  g_autoptr (GVariant) target = g_variant_ref_sink (g_variant_new_string (id));
  g_autofree char *decline = g_action_print_detailed_name ("app.decline-call", target);
  g_autofree char *join = g_action_print_detailed_name ("app.answer-call", target);
  g_autofree char *body = g_strdup_printf ("bob@127.0.0.1 invites you to the room “%s”", room);
  g_autofree char *shown = g_strdup_printf ("%s\n%s", INVITATION_TITLE, body);
  const char *expected_actions[] = { "default", "", decline, "Decline", join, "Join", NULL };
  const char *entry = NULL;
  guchar urgency = 0;

  g_assert_cmpstr (sent->summary, ==, INVITATION_TITLE);
  g_assert_cmpstr (sent->body, ==, body);
  g_assert_cmpuint (sent->replaces_id, ==, 0);
  g_assert_true (g_strv_equal ((const char * const *) sent->actions, expected_actions));
  g_assert_true (g_variant_lookup (sent->hints, "desktop-entry", "&s", &entry));
  g_assert_cmpstr (entry, ==, APPLICATION_ID);
  g_assert_true (g_variant_lookup (sent->hints, "urgency", "y", &urgency));
  g_assert_cmpuint (urgency, ==, 2); /* critical: it rings */
  /* The stand-in on the bus has it too. */
  g_assert_true (g_ptr_array_find_with_equal_func (desktop.notifications, shown, g_str_equal,
                                                   NULL));
}

/* A notification server's answer to a click on the button labelled
 * @label: ActionInvoked with the key the app gave the button. */
static void
invoke_notification_action (SentNotification *sent,
                            const char       *label)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; sent->actions[i] && sent->actions[i + 1]; i += 2) {
    if (g_str_equal (sent->actions[i + 1], label)) {
      g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications", NOTIFICATIONS,
                                     "ActionInvoked",
                                     g_variant_new ("(us)", sent->id, sent->actions[i]), &error);
      g_assert_no_error (error);
      return;
    }
  }
  g_error ("the notification has no button labelled %s", label);
}

static int
sort_strings (const char **a,
              const char **b)
{
  return strcmp (*a, *b);
}

/* The REFERs the focus got, by their Refer-To (SIPp's message trace). */
static guint
count_refers_to (const char *refer_to)
{
  g_autofree char *messages = g_build_filename (work_dir, "sipp-messages.log", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *header = g_strdup_printf ("Refer-To: %s", refer_to);
  g_auto (GStrv) lines = NULL;
  guint count = 0;

  if (!g_file_get_contents (messages, &contents, NULL, NULL))
    return 0;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    if (g_str_equal (g_strstrip (lines[i]), header))
      count++;
  }
  return count;
}

/* The Refer-To headers the focus got, each once, sorted, ", " between. */
static char *
dup_refer_tos (void)
{
  g_autofree char *messages = g_build_filename (work_dir, "sipp-messages.log", NULL);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) seen = g_ptr_array_new ();

  if (!g_file_get_contents (messages, &contents, NULL, NULL))
    return g_strdup ("");
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    char *value;

    if (!g_str_has_prefix (lines[i], "Refer-To:"))
      continue;
    value = g_strstrip (lines[i] + strlen ("Refer-To:"));
    if (!g_ptr_array_find_with_equal_func (seen, value, g_str_equal, NULL))
      g_ptr_array_add (seen, value);
  }
  g_ptr_array_sort (seen, (GCompareFunc) sort_strings);
  g_ptr_array_add (seen, NULL);
  return g_strjoinv (", ", (char **) seen->pdata);
}

/* What a drag and drop of @value on the pane comes to: Xvfb cannot drag,
 * so the pane's drop target gets its "drop" as GTK would emit it. */
static gboolean
drop_value (ConfabParticipantsPane *pane,
            const GValue           *value)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (pane));
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

    if (GTK_IS_DROP_TARGET (controller) &&
        g_strcmp0 (gtk_event_controller_get_name (controller), "confab-participants-drop") == 0) {
      gsize n_types = 0;
      const GType *types = gtk_drop_target_get_gtypes (GTK_DROP_TARGET (controller), &n_types);

      /* Files first (a file manager offers their paths as text too),
       * then text, as GTK hands over a dragged string or link. */
      g_assert_cmpuint (n_types, ==, 2);
      g_assert_true (types[0] == GDK_TYPE_FILE_LIST);
      g_assert_true (types[1] == G_TYPE_STRING);
      g_signal_emit_by_name (controller, "drop", value, 40.0, 40.0, &accepted);
      return accepted;
    }
  }
  g_error ("the participants pane has no drop target");
}

static gboolean
drop_text (ConfabParticipantsPane *pane,
           const char             *text)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  return drop_value (pane, &value);
}

/* A file dragged from a file manager. */
static gboolean
drop_file (ConfabParticipantsPane *pane,
           const char             *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_auto (GValue) value = G_VALUE_INIT;
  GSList files = { file, NULL };

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (&files));
  return drop_value (pane, &value);
}

static void start_inviter (ConfabAccount *local,
                           const char    *scenario_name,
                           const char    *room);
static void on_room_line (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static gboolean
check_snapshots (void)
{
  const Snapshot *v1 = snapshot_of (1);
  const Snapshot *v2 = snapshot_of (2);
  const Snapshot *v3 = snapshot_of (3);
  const Snapshot *v4 = snapshot_of (4);
  const Snapshot *v9 = snapshot_of (9);

  if (!v1 || !v2 || !v3 || !v4 || !v9)
    return FALSE;
  g_assert_cmpstr (v1->names, ==, "carol, me (you)");
  g_assert_cmpstr (v1->subtitle, ==, "2 participants");
  g_assert_cmpstr (v2->names, ==, "carol, me (you), dave");
  g_assert_cmpstr (v3->on_hold, ==, "dave");
  g_assert_cmpstr (v4->names, ==, "me (you), dave");
  g_assert_cmpstr (v4->subtitle, ==, "2 participants");
  g_assert_cmpstr (v9->names, ==, "me (you), dave, erin");
  g_assert_cmpstr (v9->subtitle, ==, "3 participants");
  /* The second v4 is stale: nothing between 4 and 9 was applied. */
  for (guint i = 0; i < snapshots->len; i++) {
    const Snapshot *snapshot = snapshots->pdata[i];

    g_assert_false (snapshot->version > 4 && snapshot->version < 9);
  }
  g_assert_cmpuint (((const Snapshot *) snapshots->pdata[4])->version, ==, 9);
  g_printerr ("ok - rows after each NOTIFY: [%s] [%s] [%s, %s on hold] [%s] [%s]; "
              "header \"%s\" … \"%s\"\n",
              v1->names, v2->names, v3->names, v3->on_hold, v4->names, v9->names, v1->subtitle,
              v9->subtitle);
  return TRUE;
}

/* Whether the stand-in serves org.freedesktop.Notifications, and nothing
 * org.gtk.Notifications (GApplication would send there instead). */
static gboolean
notifications_server_ready (void)
{
  g_autoptr (GVariant) owner = NULL;
  g_autoptr (GVariant) gtk_owned = NULL;
  g_autoptr (GError) error = NULL;
  const char *name = NULL;
  gboolean owned = FALSE;

  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", NOTIFICATIONS), G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (!owner)
    return FALSE;
  g_variant_get (owner, "(&s)", &name);
  if (g_strcmp0 (name, g_dbus_connection_get_unique_name (bus)) != 0)
    g_error ("another notification server owns %s on the test's bus", NOTIFICATIONS);
  gtk_owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.gtk.Notifications"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, &error);
  g_assert_no_error (error);
  g_variant_get (gtk_owned, "(b)", &owned);
  g_assert_false (owned);
  return TRUE;
}

static gboolean
check_ui (gpointer user_data)
{
  ConfabMainWindow *main_window = confab_application_get_main_window (app);
  ConfabAccount *local = confab_account_manager_get_local_account (
    confab_application_get_account_manager (app));
  ConfabSessionWindow *window = room_window ();
  ConfabParticipantsPane *pane = room_pane ();
  GtkWindow *dialog;
  const char *text;

  if (g_get_monotonic_time () > deadline) {
    g_autofree char *message = g_strdup_printf ("timed out waiting for: %s", stage_names[stage]);

    if (session)
      g_printerr ("# session: %s, conference %s, subtitle \"%s\", refer \"%s\"\n",
                  confab_session_state_to_string (confab_session_get_state (session)),
                  conference ? confab_conference_subscription_state_to_string (
                                 confab_conference_get_subscription_state (conference))
                             : "none",
                  window ? confab_session_window_get_status_text (window) : "",
                  pane ? confab_participants_pane_get_refer_text (pane) : "");
    return fail (message);
  }

  switch (stage) {
  case STAGE_WAIT_READY:
    if (!local || !confab_account_get_contact (local) ||
        !gtk_widget_get_mapped (GTK_WIDGET (main_window)))
      return G_SOURCE_CONTINUE;
    if (!notifications_server_ready ())
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - app reachable at %s, room at %s\n", confab_account_get_contact (local),
                room_uri);
    g_action_group_activate_action (G_ACTION_GROUP (app), "join-conference", NULL);
    set_stage (STAGE_WAIT_JOIN_DIALOG);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_JOIN_DIALOG:
    dialog = confab_application_get_join_dialog (app);
    if (!dialog || !settled (gtk_widget_get_mapped (GTK_WIDGET (dialog))))
      return G_SOURCE_CONTINUE;
    g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (main_window));
    gtk_widget_activate_action (GTK_WIDGET (dialog), "join.new-room", NULL);
    text = confab_join_dialog_get_room_address (CONFAB_JOIN_DIALOG (dialog));
    if (!g_str_has_prefix (text, "sip:") || !strstr (text, "@conference."))
      return fail ("New Room made no ad-hoc room address");
    g_printerr ("ok - New Room: %s\n", text);
    confab_join_dialog_set_room_address (CONFAB_JOIN_DIALOG (dialog), room_uri);
    confab_join_dialog_set_media (CONFAB_JOIN_DIALOG (dialog), FALSE, TRUE);
    confab_join_dialog_set_nickname (CONFAB_JOIN_DIALOG (dialog), "taken");
    g_assert_null (confab_join_dialog_get_error_text (CONFAB_JOIN_DIALOG (dialog)));
    set_stage (STAGE_JOIN);
    return G_SOURCE_CONTINUE;

  case STAGE_JOIN:
    dialog = confab_application_get_join_dialog (app);
    if (!settled (TRUE))
      return G_SOURCE_CONTINUE;
    if (!confab_test_ui_save_screenshot (GTK_WIDGET (dialog), artifacts_dir, "join-dialog.png"))
      return fail ("no screenshot of the join dialog");
    gtk_widget_activate_action (GTK_WIDGET (dialog), "join.join", NULL);
    set_stage (STAGE_WAIT_ROOM);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_ROOM:
    dialog = confab_application_get_join_dialog (app);
    if (dialog && gtk_widget_get_visible (GTK_WIDGET (dialog)))
      return G_SOURCE_CONTINUE;
    if (!window || !conference || !confab_session_window_get_participants_shown (window) ||
        !gtk_widget_get_mapped (GTK_WIDGET (pane)))
      return G_SOURCE_CONTINUE;
    g_assert_true (confab_participants_pane_get_conference (pane) == conference);
    g_printerr ("ok - joined from the dialog: the window shows the participants (\"%s\")\n",
                confab_session_window_get_status_text (window));
    set_stage (STAGE_WAIT_NOTIFIES);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_NOTIFIES:
    if (!snapshot_of (9) || !snapshot_of (9)->subtitle || !check_snapshots ())
      return G_SOURCE_CONTINUE;
    if (!chat_has_status ("dave joined the room") || !chat_has_status ("carol left the room") ||
        !chat_has_status ("erin joined the room"))
      return fail ("the chat does not say who joined and left");
    if (chat_has_status ("carol joined the room"))
      return fail ("the chat announced someone who was there before us");
    g_printerr ("ok - the chat says: dave joined, carol left, erin joined\n");
    /* v9 cleared the subject: the display text names the room (after an
     * unread count, if the room's messages came already). */
    g_assert_true (g_str_has_suffix (gtk_window_get_title (GTK_WINDOW (window)),
                                     "Confab test room"));
    set_stage (STAGE_WAIT_NICKNAME_REFUSED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_NICKNAME_REFUSED:
    text = confab_session_window_get_nickname_error (window);
    if (!text)
      return G_SOURCE_CONTINUE;
    if (!strstr (text, "taken"))
      return fail ("the nickname refusal does not say it is taken");
    g_printerr ("ok - nickname \"taken\" refused: \"%s\"\n", text);
    confab_session_window_set_nickname (window, "tester");
    set_stage (STAGE_WAIT_NICKNAME);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_NICKNAME:
    if (g_strcmp0 (confab_chat_stream_get_nickname (room_chat ()), "tester") != 0 ||
        !chat_has_status ("You are “tester” in this room"))
      return G_SOURCE_CONTINUE;
    g_assert_null (confab_session_window_get_nickname_error (window));
    g_printerr ("ok - nickname \"tester\" accepted\n");
    set_stage (STAGE_WAIT_MESSAGES);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_MESSAGES:
    {
      ConfabChatRow *private_row = find_chat_row (PRIVATE_TEXT);
      ConfabChatRow *public_row = find_chat_row (PUBLIC_TEXT);

      if (!private_row || !public_row || !chat_has_status (NOTICE_TEXT))
        return G_SOURCE_CONTINUE;
      g_assert_cmpstr (confab_chat_row_get_private_text (private_row), ==, "Private");
      g_assert_null (confab_chat_row_get_private_text (public_row));
      g_printerr ("ok - carol's private message is marked \"%s\", dave's public one is not; "
                  "the room's notice is a status line\n",
                  confab_chat_row_get_private_text (private_row));
    }
    {
      ConfabChatPane *chat_pane = room_chat_pane ();
      ConfabParticipantRow *self_row = find_participant_row ("me (you)");
      ConfabParticipantRow *dave = find_participant_row ("dave");
      GtkWidget *dave_button = confab_participant_row_get_private_button (dave);
      GtkWidget *self_button = confab_participant_row_get_private_button (self_row);

      g_assert_false (gtk_widget_get_visible (self_button));
      g_assert_true (gtk_widget_get_visible (dave_button));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (dave_button), ==,
                       "Send Private Message to dave");
      g_assert_null (confab_chat_pane_get_private_text (chat_pane));
      /* A button's "clicked" comes a moment after it is activated. */
      gtk_widget_activate (dave_button);
    }
    set_stage (STAGE_PRIVATE_COMPOSE);
    return G_SOURCE_CONTINUE;

  case STAGE_PRIVATE_COMPOSE:
    {
      ConfabChatPane *chat_pane = room_chat_pane ();
      g_autofree char *draft = NULL;

      if (!confab_chat_pane_get_private_recipient (chat_pane))
        return G_SOURCE_CONTINUE;
      draft = dup_draft (chat_pane);
      if (!*draft) {
        g_assert_cmpstr (confab_chat_pane_get_private_recipient (chat_pane), ==, DAVE_URI);
        g_assert_cmpstr (confab_chat_pane_get_private_text (chat_pane), ==, "Private to dave");
        g_assert_true (
          gtk_widget_is_focus (GTK_WIDGET (confab_chat_pane_get_text_view (chat_pane))));
        g_printerr ("ok - dave's row (not ours) offers a private message: the composer says "
                    "\"%s\"\n",
                    confab_chat_pane_get_private_text (chat_pane));
        set_draft (chat_pane, TO_DAVE_TEXT);
      }
    }
    if (!settled (TRUE))
      return G_SOURCE_CONTINUE;
    confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "private-compose.png");
    gtk_widget_activate_action (GTK_WIDGET (room_chat_pane ()), "chat.send", NULL);
    set_stage (STAGE_WAIT_PRIVATE_SENT);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_PRIVATE_SENT:
    {
      ConfabChatPane *chat_pane = room_chat_pane ();
      ConfabChatRow *row = find_chat_row (TO_DAVE_TEXT);
      g_auto (GStrv) got = NULL;
      g_autofree char *draft = NULL;

      if (!settled (row && room_private))
        return G_SOURCE_CONTINUE;
      /* "To From text", as the room read the CPIM message. */
      got = g_strsplit (room_private, " ", 3);
      g_assert_cmpuint (g_strv_length (got), ==, 3);
      g_assert_cmpstr (got[0], ==, DAVE_URI);
      {
        /* CPIM From is our identity exactly as the INVITE's From has it. */
        g_autofree char *ours = confab_uri_normalize (confab_account_get_address (local), NULL);

        g_assert_cmpstr (got[1], ==, ours);
      }
      g_assert_cmpstr (got[2], ==, TO_DAVE_TEXT);
      g_assert_cmpstr (confab_chat_row_get_private_text (row), ==, "Private to dave");
      g_assert_cmpstr (confab_chat_message_get_recipient_uri (confab_chat_row_get_message (row)),
                       ==, DAVE_URI);
      draft = dup_draft (chat_pane);
      g_assert_cmpstr (draft, ==, "");
      /* Still writing to dave until told otherwise. */
      g_assert_cmpstr (confab_chat_pane_get_private_recipient (chat_pane), ==, DAVE_URI);
      g_printerr ("ok - the room got CPIM To: <%s> From: <%s> \"%s\"; the chat marks it \"%s\"\n",
                  got[0], got[1], got[2], confab_chat_row_get_private_text (row));
      confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "private-sent.png");
      g_assert_true (press_escape (chat_pane));
      g_assert_null (confab_chat_pane_get_private_recipient (chat_pane));
      g_assert_null (confab_chat_pane_get_private_text (chat_pane));
      g_assert_false (press_escape (chat_pane)); /* nothing more to cancel */
      g_printerr ("ok - Escape writes to everyone again\n");
    }
    gtk_editable_set_text (confab_participants_pane_get_invite_entry (pane), "sip:bob@127.0.0.1");
    gtk_widget_activate_action (GTK_WIDGET (pane), "participants.invite", NULL);
    g_assert_cmpstr (gtk_editable_get_text (confab_participants_pane_get_invite_entry (pane)), ==,
                     "");
    set_stage (STAGE_WAIT_INVITED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INVITED:
    text = confab_participants_pane_get_refer_text (pane);
    if (g_strcmp0 (text, "Inviting bob@127.0.0.1… 200 OK") != 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - Invite: \"%s\"\n", text);
    confab_participants_pane_invite (pane, "busy@127.0.0.1");
    set_stage (STAGE_WAIT_BUSY);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_BUSY:
    text = confab_participants_pane_get_refer_text (pane);
    if (g_strcmp0 (text, "Could not add busy@127.0.0.1: 486 Busy Here") != 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - Invite refused: \"%s\"\n", text);
    g_assert_true (drop_text (pane, "sip:frank@127.0.0.1"));
    set_stage (STAGE_WAIT_DROPPED_URI);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DROPPED_URI:
    text = confab_participants_pane_get_refer_text (pane);
    if (g_strcmp0 (text, "Inviting frank@127.0.0.1… 200 OK") != 0 ||
        count_refers_to ("<sip:frank@127.0.0.1>;method=INVITE") == 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - dropped sip:frank@127.0.0.1: the focus got Refer-To: "
                "<sip:frank@127.0.0.1>;method=INVITE, \"%s\"\n", text);
    g_assert_true (drop_text (pane, "Grace Hopper <sip:grace@127.0.0.1>"));
    set_stage (STAGE_WAIT_DROPPED_NAME);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DROPPED_NAME:
    text = confab_participants_pane_get_refer_text (pane);
    if (g_strcmp0 (text, "Inviting grace@127.0.0.1… 200 OK") != 0 ||
        count_refers_to ("<sip:grace@127.0.0.1>;method=INVITE") == 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - dropped \"Grace Hopper <sip:grace@127.0.0.1>\": Refer-To: "
                "<sip:grace@127.0.0.1>;method=INVITE, \"%s\"\n", text);
    /* A text/uri-list: comments and CRLFs; only the first address counts. */
    g_assert_true (drop_text (pane, "# from a web page\r\nsip:heidi@127.0.0.1\r\n"
                                    "sip:ivan@127.0.0.1\r\n"));
    set_stage (STAGE_WAIT_DROPPED_LIST);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DROPPED_LIST:
    text = confab_participants_pane_get_refer_text (pane);
    if (g_strcmp0 (text, "Inviting heidi@127.0.0.1… 200 OK") != 0 ||
        count_refers_to ("<sip:heidi@127.0.0.1>;method=INVITE") == 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - dropped a URI list: its first address invited, \"%s\"\n", text);
    /* A contact card, as a contacts app drags one: its IMPP counts. */
    g_assert_true (drop_text (pane, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Judy Doe\r\n"
                                    "EMAIL:judy@example.org\r\n"
                                    "item1.IMPP;X-SERVICE-TYPE=SIP:sip:judy@127.0.0.1\r\n"
                                    "END:VCARD\r\n"));
    set_stage (STAGE_WAIT_DROPPED_CARD);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DROPPED_CARD:
    text = confab_participants_pane_get_refer_text (pane);
    if (g_strcmp0 (text, "Inviting judy@127.0.0.1… 200 OK") != 0 ||
        count_refers_to ("<sip:judy@127.0.0.1>;method=INVITE") == 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - dropped a contact card: its SIP address invited, \"%s\"\n", text);
    {
      /* A .vcf from the file manager (vCard 4, the address as a TEL). */
      g_autofree char *card = g_build_filename (work_dir, "kim.vcf", NULL);

      g_assert_true (g_file_set_contents (card,
                                          "BEGIN:VCARD\nVERSION:4.0\nFN:Kim\n"
                                          "TEL;VALUE=uri:sip:kim@127.0.0.1\nEND:VCARD\n",
                                          -1, NULL));
      g_assert_true (drop_file (pane, card));
    }
    set_stage (STAGE_WAIT_DROPPED_CARD_FILE);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DROPPED_CARD_FILE:
    text = confab_participants_pane_get_refer_text (pane);
    if (g_strcmp0 (text, "Inviting kim@127.0.0.1… 200 OK") != 0 ||
        count_refers_to ("<sip:kim@127.0.0.1>;method=INVITE") == 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - dropped kim.vcf: its SIP address invited, \"%s\"\n", text);
    {
      g_autofree char *other = g_build_filename (work_dir, "notes.pdf", NULL);

      /* Refused at once: a card with no SIP address, a file that is no
       * card. */
      g_assert_false (drop_text (pane, "BEGIN:VCARD\nFN:Nobody\nTEL:+1 555 0100\nEND:VCARD\n"));
      g_assert_cmpstr (confab_participants_pane_get_refer_text (pane), ==,
                       "The contact card has no SIP address to invite.");
      g_assert_false (drop_file (pane, other));
      g_assert_cmpstr (confab_participants_pane_get_refer_text (pane), ==,
                       "Only addresses and contact cards (.vcf) can be dropped here to invite "
                       "someone.");
      g_printerr ("ok - a card without a SIP address and a file that is no card are refused\n");
    }
    g_assert_false (drop_text (pane, NOT_AN_ADDRESS));
    refused_at = g_get_monotonic_time ();
    set_stage (STAGE_WAIT_DROP_REFUSED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DROP_REFUSED:
    /* Said at once, and still so when a REFER would have been answered. */
    text = confab_participants_pane_get_refer_text (pane);
    g_assert_cmpstr (text, ==,
                     "“" NOT_AN_ADDRESS "” is not a SIP address. Drop an address like "
                     "sip:alice@example.org to invite someone.");
    if (g_get_monotonic_time () - refused_at < G_USEC_PER_SEC)
      return G_SOURCE_CONTINUE;
    {
      /* bob, busy, frank, grace, heidi, judy, kim: nothing for ivan,
       * nothing else. */
      g_autofree char *refer_tos = dup_refer_tos ();

      g_assert_cmpstr (refer_tos, ==,
                       "<sip:bob@127.0.0.1>;method=INVITE, <sip:busy@127.0.0.1>;method=INVITE, "
                       "<sip:frank@127.0.0.1>;method=INVITE, <sip:grace@127.0.0.1>;method=INVITE, "
                       "<sip:heidi@127.0.0.1>;method=INVITE, <sip:judy@127.0.0.1>;method=INVITE, "
                       "<sip:kim@127.0.0.1>;method=INVITE");
      g_printerr ("ok - a drop that is no address is refused: \"%s\"; the focus got REFERs "
                  "for %s only\n",
                  text, refer_tos);
    }
    confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "drop-refused.png");
    {
      GtkListBox *files = confab_participants_pane_get_file_list (pane);
      GtkListBoxRow *file = gtk_list_box_get_row_at_index (files, 0);
      /* The size focus.xml's v9 document gives notes.txt. */
      g_autofree char *size = g_format_size (170400);
      g_autofree char *subtitle = g_strdup_printf ("%s · from carol", size);

      g_assert_nonnull (file);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (file)), ==,
                       "notes.txt");
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (file)), ==, subtitle);
      g_printerr ("ok - room files: notes.txt (%s)\n",
                  adw_action_row_get_subtitle (ADW_ACTION_ROW (file)));
    }
    {
      ConfabParticipantRow *self_row = find_participant_row ("me (you)");
      ConfabParticipantRow *dave = find_participant_row ("dave");

      g_assert_nonnull (self_row);
      g_assert_nonnull (dave);
      g_assert_false (gtk_widget_get_visible (confab_participant_row_get_remove_button (self_row)));
      g_assert_true (confab_participant_row_shows_media (dave, "message"));
      g_assert_false (confab_participant_row_shows_media (dave, "audio"));
      g_assert_true (confab_participant_row_shows_media (find_participant_row ("erin"), "audio"));
      gtk_widget_activate (confab_participant_row_get_remove_button (dave));
    }
    set_stage (STAGE_WAIT_REMOVE_DIALOG);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_REMOVE_DIALOG:
    dialog = confab_participants_pane_get_remove_dialog (pane);
    if (!dialog || !settled (gtk_widget_get_mapped (GTK_WIDGET (dialog))))
      return G_SOURCE_CONTINUE;
    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                     "Remove dave?");
    g_printerr ("ok - Remove asks first: \"%s\"\n",
                adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)));
    confab_test_ui_save_screenshot (GTK_WIDGET (dialog), artifacts_dir, "remove-dialog.png");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
    set_stage (STAGE_WAIT_REMOVED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_REMOVED:
    text = confab_participants_pane_get_refer_text (pane);
    if (!settled (g_strcmp0 (text, "Removing dave… 200 OK") == 0 &&
                  !confab_participants_pane_get_remove_dialog (pane)))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - Remove: \"%s\"\n", text);
    confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "participants-pane.png");
    gtk_widget_activate_action (GTK_WIDGET (window), "session.toggle-participants", NULL);
    set_stage (STAGE_WAIT_HIDDEN);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_HIDDEN:
    if (confab_session_window_get_participants_shown (window))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - session.toggle-participants hides the pane\n");
    gtk_widget_activate_action (GTK_WIDGET (window), "session.toggle-participants", NULL);
    set_stage (STAGE_WAIT_SHOWN);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_SHOWN:
    if (!confab_session_window_get_participants_shown (window))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - and shows it again\n");
    gtk_window_set_default_size (GTK_WINDOW (window), 480, 540);
    set_stage (STAGE_NARROW);
    return G_SOURCE_CONTINUE;

  case STAGE_NARROW:
    if (!settled (gtk_widget_get_width (GTK_WIDGET (window)) < 600))
      return G_SOURCE_CONTINUE;
    confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "participants-narrow.png");
    /* The pane covers the chat: writing to erin brings the chat up. */
    gtk_widget_activate (confab_participant_row_get_private_button (find_participant_row ("erin")));
    set_stage (STAGE_WAIT_NARROW_PRIVATE);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_NARROW_PRIVATE:
    if (!settled (g_strcmp0 (confab_chat_pane_get_private_text (room_chat_pane ()),
                             "Private to erin") == 0 &&
                  !confab_session_window_get_participants_shown (window)))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - in a narrow window the pane gives way to the chat, \"%s\"\n",
                confab_chat_pane_get_private_text (room_chat_pane ()));
    confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "private-narrow.png");
    gtk_widget_activate_action (GTK_WIDGET (window), "session.hangup", NULL);
    set_stage (STAGE_WAIT_END);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_END:
    if (confab_session_get_state (session) != CONFAB_SESSION_STATE_TERMINATED)
      return G_SOURCE_CONTINUE;
    /* Nothing can be written any more, privately or not. */
    g_assert_null (confab_chat_pane_get_private_recipient (room_chat_pane ()));
    g_printerr ("ok - left the room\n");
    {
      const char *conversation = confab_session_get_remote_uri (session);
      g_autoptr (ConfabHistory) history = check_history (conversation);
      GtkWidget *chat_pane = confab_chat_pane_new ();

      /* The room's conversation read from the history, as a session
       * window shows it before its chat's own messages. */
      reload_window = GTK_WINDOW (gtk_window_new ());
      gtk_window_set_title (reload_window, "History");
      gtk_window_set_default_size (reload_window, 480, 560);
      gtk_window_set_child (reload_window, chat_pane);
      confab_chat_pane_set_history (CONFAB_CHAT_PANE (chat_pane), history);
      confab_chat_pane_set_stream (CONFAB_CHAT_PANE (chat_pane), NULL, conversation);
      gtk_window_present (reload_window);
    }
    set_stage (STAGE_WAIT_RELOADED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_RELOADED:
    {
      ConfabChatPane *chat_pane = CONFAB_CHAT_PANE (gtk_window_get_child (reload_window));
      ConfabChatRow *to_dave = find_row_in (chat_pane, TO_DAVE_TEXT);
      ConfabChatRow *from_carol = find_row_in (chat_pane, PRIVATE_TEXT);
      ConfabChatRow *public_row = find_row_in (chat_pane, PUBLIC_TEXT);
      ConfabChatRow *notice = find_row_in (chat_pane, NOTICE_TEXT);

      if (!settled (to_dave && from_carol && public_row && notice &&
                    gtk_widget_get_mapped (GTK_WIDGET (chat_pane))))
        return G_SOURCE_CONTINUE;
      /* Without the room to name dave, his address. */
      g_assert_cmpstr (confab_chat_row_get_private_text (to_dave), ==,
                       "Private to dave@127.0.0.1");
      g_assert_cmpstr (confab_chat_row_get_private_text (from_carol), ==, "Private");
      g_assert_null (confab_chat_row_get_private_text (public_row));
      g_assert_null (confab_chat_row_get_private_text (notice));
      g_assert_cmpint (confab_chat_message_get_direction (confab_chat_row_get_message (notice)),
                       ==, CONFAB_CHAT_DIRECTION_STATUS);
      g_assert_null (find_row_in (chat_pane, "dave joined the room"));
      g_printerr ("ok - read back from the history: \"%s\", \"%s\", the notice a status line\n",
                  confab_chat_row_get_private_text (to_dave),
                  confab_chat_row_get_private_text (from_carol));
      confab_test_ui_save_screenshot (GTK_WIDGET (reload_window), artifacts_dir,
                                      "history-reloaded.png");
      gtk_window_destroy (reload_window);
      reload_window = NULL;
    }
    start_inviter (local, "focus-ui.xml", "room2");
    set_stage (STAGE_WAIT_INVITATION);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INVITATION:
    {
      ConfabSessionWindow *invited = invitation
                                       ? confab_application_get_session_window (app, invitation)
                                       : NULL;
      GtkLabel *label = invited ? find_label_with_prefix (GTK_WIDGET (invited), "bob@127.0.0.1")
                                : NULL;
      SentNotification *sent = find_notification (invitation);

      if (!settled (label != NULL && sent != NULL))
        return G_SOURCE_CONTINUE;
      if (confab_session_get_state (invitation) != CONFAB_SESSION_STATE_INCOMING)
        return fail ("the invitation into a room was answered without asking");
      g_assert_cmpstr (gtk_label_get_label (label), ==, INVITATION_BODY);
      g_assert_cmpstr (confab_session_window_get_status_text (invited), ==, INVITATION_TITLE);
      g_printerr ("ok - a focus calls us in: \"%s\" (\"%s\")\n", gtk_label_get_label (label),
                  confab_session_window_get_status_text (invited));
      check_invitation_notification (sent, invitation, "Room two");
      g_assert_false (notification_closed (sent));
      g_printerr ("ok - notification %u: \"%s\" — \"%s\", buttons %s and %s\n", sent->id,
                  sent->summary, sent->body, sent->actions[3], sent->actions[5]);
      confab_test_ui_save_screenshot (GTK_WIDGET (invited), artifacts_dir,
                                      "room-invitation.png");
      gtk_widget_activate_action (GTK_WIDGET (invited), "session.decline", NULL);
    }
    set_stage (STAGE_WAIT_DECLINED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DECLINED:
    {
      SentNotification *sent = find_notification (invitation);

      if (inviter_status < 0 || !notification_closed (sent))
        return G_SOURCE_CONTINUE;
      if (!g_spawn_check_wait_status (inviter_status, NULL))
        return fail ("the inviting focus did not get its 603");
      g_printerr ("ok - declined in the window: the focus heard 603, notification %u closed\n",
                  sent->id);
    }
    g_set_object (&declined, invitation);
    start_inviter (local, "focus-ui.xml", "room2");
    set_stage (STAGE_WAIT_NOTIFIED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_NOTIFIED:
    {
      SentNotification *sent = invitation != declined ? find_notification (invitation) : NULL;

      if (!settled (sent != NULL))
        return G_SOURCE_CONTINUE;
      g_assert_cmpint (confab_session_get_state (invitation), ==, CONFAB_SESSION_STATE_INCOMING);
      check_invitation_notification (sent, invitation, "Room two");
      /* As the server says a click on Decline. */
      invoke_notification_action (sent, "Decline");
    }
    set_stage (STAGE_WAIT_NOTIFICATION_DECLINED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_NOTIFICATION_DECLINED:
    {
      SentNotification *sent = find_notification (invitation);

      if (inviter_status < 0 || !notification_closed (sent))
        return G_SOURCE_CONTINUE;
      if (!g_spawn_check_wait_status (inviter_status, NULL))
        return fail ("the notification's Decline did not get the focus its 603");
      g_assert_cmpint (confab_session_get_state (invitation), ==,
                       CONFAB_SESSION_STATE_TERMINATED);
      g_assert_cmpuint (confab_session_get_end_status (invitation), ==, 603);
      g_printerr ("ok - declined from notification %u: the focus heard 603, the notification "
                  "closed\n",
                  sent->id);
    }
    g_set_object (&declined, invitation);
    start_inviter (local, "focus-ui-cancel.xml", "room3");
    set_stage (STAGE_WAIT_CANCEL_NOTIFIED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CANCEL_NOTIFIED:
    {
      SentNotification *sent = invitation != declined ? find_notification (invitation) : NULL;

      /* The focus rings for three seconds before it gives up. */
      if (!sent)
        return G_SOURCE_CONTINUE;
      if (inviter_status >= 0)
        return fail ("the cancelling focus was done before its invitation was notified");
      check_invitation_notification (sent, invitation, "Room three");
      g_assert_false (notification_closed (sent));
    }
    set_stage (STAGE_WAIT_CANCELLED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_CANCELLED:
    {
      SentNotification *sent = find_notification (invitation);
      ConfabSessionWindow *invited = confab_application_get_session_window (app, invitation);

      if (!settled (inviter_status >= 0 && notification_closed (sent)))
        return G_SOURCE_CONTINUE;
      if (!g_spawn_check_wait_status (inviter_status, NULL))
        return fail ("the cancelling focus did not get its 487");
      g_assert_cmpint (confab_session_get_state (invitation), ==,
                       CONFAB_SESSION_STATE_TERMINATED);
      g_assert_cmpuint (confab_session_get_end_status (invitation), ==, 487);
      g_printerr ("ok - the focus gave up (CANCEL): notification %u closed; the window says "
                  "\"%s\"\n",
                  sent->id, invited ? confab_session_window_get_status_text (invited) : "");
      if (invited)
        confab_test_ui_save_screenshot (GTK_WIDGET (invited), artifacts_dir,
                                        "invitation-cancelled.png");
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
  /* The room peer speaks MSRP over plain TCP. */
  confab_session_manager_set_msrp (manager, FALSE, NULL, NULL);
  g_signal_connect (manager, "session-added", G_CALLBACK (on_session_added), NULL);
  room_reading = g_cancellable_new ();
  g_data_input_stream_read_line_async (room_output, G_PRIORITY_DEFAULT, room_reading,
                                       on_room_line, NULL);
  g_timeout_add (50, check_ui, NULL);
}

static guint16
free_udp_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                             G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The room's MSRP side: prints its port, then, once our nickname was
 * asked for, sends a private and a public message and a notice; prints
 * "private-to <To> <From> <text>" for the first CPIM message it gets that
 * is not To: the room; ends with its stdin. */
static const char room_script[] =
  "import sys, time, threading\n"
  "sys.path.insert(0, sys.argv[1])\n"
  "import msrp_room\n"
  "room = msrp_room.MsrpRoom(room_uri=sys.argv[2]).start()\n"
  "print(room.port, flush=True)\n"
  "def private(f):\n"
  "    cpim = f.kind == 'request' and f.method == 'SEND' and f.cpim()\n"
  "    return bool(cpim) and 'room1@' not in msrp_room.uri_of(cpim[0].get('to', [''])[0])\n"
  "def watch():\n"
  "    got = room.wait_for(private, 120)\n"
  "    if got is not None:\n"
  "        headers, _, text = got.cpim()\n"
  "        print('private-to', msrp_room.uri_of(headers['to'][0]),\n"
  "              msrp_room.uri_of(headers['from'][0]), text, flush=True)\n"
  "threading.Thread(target=watch, daemon=True).start()\n"
  "nick = room.wait_for(lambda f: f.kind == 'request' and f.method == 'NICKNAME', 60)\n"
  "if nick is not None:\n"
  "    time.sleep(0.5)\n"
  "    room.send_private('carol', 'sip:carol@127.0.0.1', 'sip:me@127.0.0.1', '" PRIVATE_TEXT "')\n"
  "    room.send_public('dave', 'sip:dave@127.0.0.1', '" PUBLIC_TEXT "')\n"
  "    room.send_status('" NOTICE_TEXT "')\n"
  "sys.stdin.read()\n"
  "room.close()\n";

static void
on_room_line (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *line =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);

  if (!line) {
    g_clear_object (&room_reading);
    return;
  }
  if (g_str_has_prefix (line, "private-to ")) {
    g_printerr ("# the room got: %s\n", line);
    g_free (room_private);
    room_private = g_strdup (line + strlen ("private-to "));
  }
  g_data_input_stream_read_line_async (room_output, G_PRIORITY_DEFAULT, room_reading,
                                       on_room_line, NULL);
}

static guint
start_room (const char *srcdir)
{
  g_autofree char *integration = g_build_filename (srcdir, "integration", NULL);
  const char *argv[] = { "python3", "-u", "-c", room_script, integration, room_uri, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) out = NULL;
  g_autofree char *line = NULL;
  int stdout_fd;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &room_pid, &room_stdin, &stdout_fd, NULL, &error))
    g_error ("cannot start the MSRP room: %s", error->message);
  out = g_unix_input_stream_new (stdout_fd, TRUE);
  room_output = g_data_input_stream_new (out);
  line = g_data_input_stream_read_line (room_output, NULL, NULL, &error);
  if (!line)
    g_error ("the MSRP room did not say its port: %s", error ? error->message : "EOF");
  return (guint) g_ascii_strtoull (line, NULL, 10);
}

static void
start_focus (const char *srcdir,
             guint16     port,
             guint       msrp_port)
{
  g_autofree char *scenario = g_build_filename (srcdir, "sipp", "focus.xml", NULL);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *msrp_text = g_strdup_printf ("%u", msrp_port);
  g_autofree char *messages = g_build_filename (work_dir, "sipp-messages.log", NULL);
  g_autofree char *errors = g_build_filename (work_dir, "sipp-errors.log", NULL);
  const char *argv[] = { "sipp", "-sf", scenario, "-i", "127.0.0.1", "-p", port_text, "-t", "u1",
                         "-set", "msrp_port", msrp_text, "-nostdin", "-trace_msg",
                         "-message_file", messages, "-trace_err", "-error_file", errors, NULL };
  g_autoptr (GError) error = NULL;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                        G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &sipp_pid, &error))
    g_error ("cannot start SIPp: %s", error->message);
}

/* The focus of tests/sipp/@scenario_name, calling the app into @room. */
static void
start_inviter (ConfabAccount *local,
               const char    *scenario_name,
               const char    *room)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *scenario = g_build_filename (srcdir, "sipp", scenario_name, NULL);
  g_autoptr (ConfabUri) contact = confab_uri_parse (confab_account_get_contact (local), NULL);
  g_autofree char *target = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (contact);
  target = g_strdup_printf ("%s:%u", contact->host, contact->port);
  {
    const char *argv[] = { "sipp", target, "-sf", scenario, "-s", room, "-i", "127.0.0.1",
                           "-p", "0", "-t", "u1", "-m", "1", "-nostdin", NULL };

    inviter_status = -1;

    if (!g_spawn_async (NULL, (char **) argv, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                          G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, &inviter_pid, &error))
      g_error ("cannot start SIPp: %s", error->message);
  }
  g_child_watch_add (inviter_pid, on_inviter_exited, NULL);
}

static void
stop_child (GPid *pid)
{
  if (!*pid)
    return;
  kill (*pid, SIGTERM);
  waitpid (*pid, NULL, 0);
  g_spawn_close_pid (*pid);
  *pid = 0;
}

/* SIPp's trace, when the test fails. */
static void
print_sipp_trace (void)
{
  g_autofree char *messages = g_build_filename (work_dir, "sipp-messages.log", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (messages, &contents, &length, NULL))
    return;
  if (length > 12000)
    g_printerr ("# … SIPp trace, the last 12000 bytes:\n%s\n", contents + length - 12000);
  else
    g_printerr ("# SIPp trace:\n%s\n", contents);
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
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  guint16 focus_port;
  guint msrp_port;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("CONFAB_BIND_ADDRESS", "127.0.0.1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_assert_nonnull (srcdir);

  work_dir = g_dir_make_tmp ("confab-ui-conference-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (work_dir, "data", NULL);
  g_mkdir_with_parents (data_dir, 0700);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  artifacts_dir = g_build_filename (builddir ? builddir : ".", "artifacts", NULL);
  g_mkdir_with_parents (artifacts_dir, 0755);

  config = g_build_filename (work_dir, "accounts.json", NULL);
  g_assert_true (g_file_set_contents (config, "{\"version\":1,\"accounts\":[]}", -1, NULL));
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_int (settings, "local-port", 0);
  snapshots = g_ptr_array_new_with_free_func (snapshot_free);

  focus_port = free_udp_port ();
  room_uri = g_strdup_printf ("sip:" ROOM_USER "@127.0.0.1:%u", focus_port);
  msrp_port = start_room (srcdir);
  start_focus (srcdir, focus_port, msrp_port);

  /* The app sends its notifications on the bus this process shares. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (sent_notification_free);
  bus_filter_id = g_dbus_connection_add_filter (bus, on_bus_message, NULL, NULL);
  confab_test_desktop_own_notifications (&desktop);

  app = confab_application_new_for_testing (NULL, config);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  {
    char *app_argv[] = { argv[0], NULL };

    g_application_run (G_APPLICATION (app), 1, app_argv);
  }
  g_clear_object (&session);
  g_clear_object (&invitation);
  g_clear_object (&declined);
  g_clear_object (&app);
  confab_test_desktop_clear (&desktop);
  /* The filter may be running in GDBus's thread still. */
  g_dbus_connection_remove_filter (bus, bus_filter_id);
  g_mutex_lock (&bus_lock);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_mutex_unlock (&bus_lock);
  g_clear_object (&bus);
  /* The read under way ends (cancelled) before the stream goes. */
  if (room_reading) {
    g_cancellable_cancel (room_reading);
    while (room_reading)
      g_main_context_iteration (NULL, TRUE);
  }
  g_clear_object (&room_output);
  g_clear_pointer (&room_private, g_free);

  if (room_stdin >= 0)
    close (room_stdin);
  stop_child (&room_pid);
  stop_child (&sipp_pid);
  if (inviter_pid) {
    kill (inviter_pid, SIGTERM);
    g_spawn_close_pid (inviter_pid);
  }
  if (!passed)
    print_sipp_trace ();
  {
    g_autoptr (GFile) work = g_file_new_for_path (work_dir);

    confab_test_ui_remove_tree (work);
  }
  g_clear_pointer (&snapshots, g_ptr_array_unref);
  g_free (room_uri);
  g_free (work_dir);
  g_free (artifacts_dir);
  g_printerr (passed ? "UI conference test passed\n" : "UI conference test FAILED\n");
  return passed ? 0 : 1;
}
