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
 *  4. a private message from carol is marked private in the chat;
 *  5. Invite REFERs bob (200 OK) and busy (486 Busy Here): the line under
 *     the entry shows the room's answers; the room's files are listed;
 *  6. a row's Remove asks first (screenshot remove-dialog.png), then
 *     REFERs dave with method BYE (screenshot participants-pane.png);
 *  7. session.toggle-participants hides and shows the pane; in a narrow
 *     window it slides over the chat (screenshot participants-narrow.png);
 *  8. a focus calls the app in on bob's behalf (tests/sipp/focus-ui.xml:
 *     ;isfocus, Referred-By): the app rings instead of opening the chat,
 *     and its window says "bob@127.0.0.1 invites you to the room …"
 *     (screenshot room-invitation.png); declined, the focus hears 603.
 * It needs the core's conferences to work; it fails, never skips. */

#define DEADLINE_S   90
#define ROOM_USER    "room1"
#define PRIVATE_TEXT "Psst, only for you"
#define PUBLIC_TEXT  "Hello, room"

typedef enum {
  STAGE_WAIT_READY,
  STAGE_WAIT_JOIN_DIALOG,
  STAGE_JOIN,
  STAGE_WAIT_ROOM,
  STAGE_WAIT_NOTIFIES,
  STAGE_WAIT_NICKNAME_REFUSED,
  STAGE_WAIT_NICKNAME,
  STAGE_WAIT_MESSAGES,
  STAGE_WAIT_INVITED,
  STAGE_WAIT_BUSY,
  STAGE_WAIT_REMOVE_DIALOG,
  STAGE_WAIT_REMOVED,
  STAGE_WAIT_HIDDEN,
  STAGE_WAIT_SHOWN,
  STAGE_NARROW,
  STAGE_WAIT_END,
  STAGE_WAIT_INVITATION,
  STAGE_WAIT_DECLINED,
} Stage;

static const char *stage_names[] = {
  "ready", "the join dialog", "the join dialog filled in",
  "the room's window with its participants",
  "the NOTIFYs up to version 9", "the nickname refused", "the second nickname accepted",
  "the room's messages", "bob invited", "busy refused", "the remove dialog", "dave removed",
  "the pane hidden", "the pane shown again", "a narrow window", "the session ended",
  "the invitation into a room", "the invitation declined at the focus",
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

static ConfabChatRow *
find_chat_row (const char *text)
{
  ConfabChatPane *pane = CONFAB_CHAT_PANE (confab_session_window_get_chat_pane (room_window ()));
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  collect_chat_rows (GTK_WIDGET (confab_chat_pane_get_list_view (pane)), rows);
  for (guint i = 0; i < rows->len; i++) {
    if (g_strcmp0 (confab_chat_row_get_text (rows->pdata[i]), text) == 0)
      return rows->pdata[i];
  }
  return NULL;
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

static void start_inviter (ConfabAccount *local);

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

      if (!private_row || !public_row)
        return G_SOURCE_CONTINUE;
      g_assert_cmpstr (confab_chat_row_get_private_text (private_row), ==, "Private");
      g_assert_null (confab_chat_row_get_private_text (public_row));
      g_printerr ("ok - carol's private message is marked \"%s\", dave's public one is not\n",
                  confab_chat_row_get_private_text (private_row));
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
    {
      GtkListBox *files = confab_participants_pane_get_file_list (pane);
      GtkListBoxRow *file = gtk_list_box_get_row_at_index (files, 0);

      g_assert_nonnull (file);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (file)), ==,
                       "notes.txt");
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (file)), ==,
                       "68 bytes · from carol");
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
    gtk_widget_activate_action (GTK_WIDGET (window), "session.hangup", NULL);
    set_stage (STAGE_WAIT_END);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_END:
    if (confab_session_get_state (session) != CONFAB_SESSION_STATE_TERMINATED)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - left the room\n");
    start_inviter (local);
    set_stage (STAGE_WAIT_INVITATION);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INVITATION:
    {
      ConfabSessionWindow *invited = invitation
                                       ? confab_application_get_session_window (app, invitation)
                                       : NULL;
      GtkLabel *label = invited ? find_label_with_prefix (GTK_WIDGET (invited), "bob@127.0.0.1")
                                : NULL;

      if (!settled (label != NULL))
        return G_SOURCE_CONTINUE;
      if (confab_session_get_state (invitation) != CONFAB_SESSION_STATE_INCOMING)
        return fail ("the invitation into a room was answered without asking");
      g_assert_true (g_str_has_prefix (gtk_label_get_label (label),
                                       "bob@127.0.0.1 invites you to the room "));
      g_assert_cmpstr (confab_session_window_get_status_text (invited), ==,
                       "Invitation to a conference room");
      g_printerr ("ok - a focus calls us in: \"%s\" (\"%s\")\n", gtk_label_get_label (label),
                  confab_session_window_get_status_text (invited));
      confab_test_ui_save_screenshot (GTK_WIDGET (invited), artifacts_dir,
                                      "room-invitation.png");
      gtk_widget_activate_action (GTK_WIDGET (invited), "session.decline", NULL);
    }
    set_stage (STAGE_WAIT_DECLINED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_DECLINED:
    if (inviter_status < 0)
      return G_SOURCE_CONTINUE;
    if (!g_spawn_check_wait_status (inviter_status, NULL))
      return fail ("the inviting focus did not get its 603");
    g_printerr ("ok - declined: the focus heard 603\n");
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
 * asked for, sends a private and a public message; ends with its stdin. */
static const char room_script[] =
  "import sys, time\n"
  "sys.path.insert(0, sys.argv[1])\n"
  "import msrp_room\n"
  "room = msrp_room.MsrpRoom(room_uri=sys.argv[2]).start()\n"
  "print(room.port, flush=True)\n"
  "nick = room.wait_for(lambda f: f.kind == 'request' and f.method == 'NICKNAME', 60)\n"
  "if nick is not None:\n"
  "    time.sleep(0.5)\n"
  "    room.send_private('carol', 'sip:carol@127.0.0.1', 'sip:me@127.0.0.1', '" PRIVATE_TEXT "')\n"
  "    room.send_public('dave', 'sip:dave@127.0.0.1', '" PUBLIC_TEXT "')\n"
  "sys.stdin.read()\n"
  "room.close()\n";

static guint
start_room (const char *srcdir)
{
  g_autofree char *integration = g_build_filename (srcdir, "integration", NULL);
  const char *argv[] = { "python3", "-u", "-c", room_script, integration, room_uri, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) out = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  int stdout_fd;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &room_pid, &room_stdin, &stdout_fd, NULL, &error))
    g_error ("cannot start the MSRP room: %s", error->message);
  out = g_unix_input_stream_new (stdout_fd, TRUE);
  lines = g_data_input_stream_new (out);
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
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

/* The focus of tests/sipp/focus-ui.xml, calling the app in. */
static void
start_inviter (ConfabAccount *local)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *scenario = g_build_filename (srcdir, "sipp", "focus-ui.xml", NULL);
  g_autoptr (ConfabUri) contact = confab_uri_parse (confab_account_get_contact (local), NULL);
  g_autofree char *target = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (contact);
  target = g_strdup_printf ("%s:%u", contact->host, contact->port);
  {
    const char *argv[] = { "sipp", target, "-sf", scenario, "-s", "room2", "-i", "127.0.0.1",
                           "-p", "0", "-t", "u1", "-m", "1", "-nostdin", NULL };

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

  app = confab_application_new_for_testing (NULL, config);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  {
    char *app_argv[] = { argv[0], NULL };

    g_application_run (G_APPLICATION (app), 1, app_argv);
  }
  g_clear_object (&session);
  g_clear_object (&invitation);
  g_clear_object (&app);

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
