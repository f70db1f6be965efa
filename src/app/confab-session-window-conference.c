/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-session-window-private.h"

#include <glib/gi18n.h>

/* The session window in a conference room: once the session's peer turns
 * out to be a focus and the core has the room, the window is titled with
 * the room's subject and counts its participants in the subtitle, shows
 * them in a pane beside the chat (the header's Participants toggle), and
 * writes who joins and leaves into the chat. A nickname asked for when
 * joining goes to the room once its chat is connected; a refusal says so
 * and offers to pick another. A participant's private message button
 * puts the chat's composer into private mode for them, which ends if
 * they leave. */

#define ROOM_WIDTH 860 /* a window with chat and participants side by side */

static void send_nickname (ConfabSessionWindow *self);

static GSimpleAction *
lookup (ConfabSessionWindow *self,
        const char          *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name));
}

static char *
dup_participant_name (ConfabParticipant *participant)
{
  const char *name = confab_participant_get_display_name (participant);
  const char *entity = confab_participant_get_entity (participant);

  if (name && *name)
    return g_strdup (name);
  if (entity && g_str_has_prefix (entity, "sip:"))
    return g_strdup (entity + 4);
  if (entity && g_str_has_prefix (entity, "sips:"))
    return g_strdup (entity + 5);
  return g_strdup (entity ? entity : "");
}

/**
 * _confab_session_window_dup_room_name:
 *
 * Returns: (nullable): the room's subject, else its display text; %NULL
 *   outside a room or when it has neither
 */
char *
_confab_session_window_dup_room_name (ConfabSessionWindow *self)
{
  const char *subject;
  const char *display;

  if (!self->conference)
    return NULL;
  subject = confab_conference_get_subject (self->conference);
  display = confab_conference_get_display_text (self->conference);
  if (subject && *subject)
    return g_strdup (subject);
  if (display && *display)
    return g_strdup (display);
  return NULL;
}

/**
 * _confab_session_window_dup_room_status:
 * @status: what the subtitle would say otherwise (the call's duration…)
 *
 * Returns: (nullable): "3 participants", with the call's duration when
 *   the room has audio; what an invitation into a room is; %NULL
 *   otherwise
 */
char *
_confab_session_window_dup_room_status (ConfabSessionWindow *self,
                                        const char          *status)
{
  guint count;
  g_autofree char *people = NULL;

  if (self->session && confab_session_get_state (self->session) == CONFAB_SESSION_STATE_INCOMING &&
      confab_session_is_focus (self->session))
    return g_strdup (_("Invitation to a conference room"));
  /* Until the room says who is in it, the usual words. */
  if (!self->conference || !self->room_ready || !self->session ||
      confab_session_get_state (self->session) != CONFAB_SESSION_STATE_ESTABLISHED)
    return NULL;
  count = confab_conference_get_user_count (self->conference);
  people = g_strdup_printf (ngettext ("%u participant", "%u participants", count), count);
  if (!self->audio || !status || !*status)
    return g_steal_pointer (&people);
  /* Translators: the subtitle of a room's window: how many are in it,
   * then the call's duration, like "3 participants · 01:42" */
  return g_strdup_printf (_("%s · %s"), people, status);
}

static void
on_room_named (ConfabConference    *conference,
               GParamSpec          *pspec,
               ConfabSessionWindow *self)
{
  _confab_session_window_update_identity (self);
}

static void
on_user_count (ConfabConference    *conference,
               GParamSpec          *pspec,
               ConfabSessionWindow *self)
{
  _confab_session_window_update_status (self);
}

static void
on_room_updated (ConfabConference    *conference,
                 ConfabSessionWindow *self)
{
  if (self->room_ready)
    return;
  self->room_ready = TRUE;
  _confab_session_window_update_status (self);
}

/* People already in the room when we came are no news; those who come or
 * go later are, and we are not. The name to announce, else NULL. */
static char *
dup_announced_name (ConfabSessionWindow *self,
                    ConfabParticipant   *participant)
{
  if (!self->room_ready || confab_participant_is_self (participant))
    return NULL;
  return dup_participant_name (participant);
}

static void
on_participant_joined (ConfabConference    *conference,
                       ConfabParticipant   *participant,
                       ConfabSessionWindow *self)
{
  g_autofree char *name = dup_announced_name (self, participant);
  g_autofree char *text = NULL;

  if (!name)
    return;
  /* Translators: a line in a room's chat; %s is a participant */
  text = g_strdup_printf (_("%s joined the room"), name);
  confab_chat_pane_add_status (self->chat_pane, text);
}

static void
on_participant_left (ConfabConference    *conference,
                     ConfabParticipant   *participant,
                     ConfabSessionWindow *self)
{
  g_autofree char *name = dup_announced_name (self, participant);
  g_autofree char *text = NULL;
  const char *recipient = confab_chat_pane_get_private_recipient (self->chat_pane);

  /* Nobody is left to read what is being written to them. */
  if (recipient && g_strcmp0 (recipient, confab_participant_get_entity (participant)) == 0) {
    g_autofree char *who = dup_participant_name (participant);
    g_autofree char *toast = NULL;

    confab_chat_pane_write_privately (self->chat_pane, NULL, NULL);
    /* Translators: a participant one was writing to privately left the
     * room; %s is their name */
    toast = g_strdup_printf (_("%s left the room. Your messages go to everyone again."), who);
    _confab_session_window_add_toast (self, toast);
  }
  if (!name)
    return;
  /* Translators: a line in a room's chat; %s is a participant */
  text = g_strdup_printf (_("%s left the room"), name);
  confab_chat_pane_add_status (self->chat_pane, text);
}

/* A participant's private message button: the chat comes up writing to
 * them alone (over the participants, when they cover it). */
static void
on_message_privately (ConfabParticipantsPane *pane,
                      const char             *entity,
                      const char             *name,
                      ConfabSessionWindow    *self)
{
  if (!self->chat)
    return;
  if (adw_flap_get_folded (self->participants_flap))
    adw_flap_set_reveal_flap (self->participants_flap, FALSE);
  confab_session_window_show_chat (self);
  confab_chat_pane_write_privately (self->chat_pane, entity, name);
}

static void
set_conference (ConfabSessionWindow *self,
                ConfabConference    *conference)
{
  if (self->conference == conference)
    return;
  if (self->conference)
    g_signal_handlers_disconnect_by_data (self->conference, self);
  g_set_object (&self->conference, conference);
  self->room_ready = conference && confab_conference_get_version (conference) > 0;
  confab_chat_pane_set_room (self->chat_pane, conference);
  if (!conference)
    return;
  g_signal_connect_object (conference, "notify::subject", G_CALLBACK (on_room_named), self, 0);
  g_signal_connect_object (conference, "notify::display-text", G_CALLBACK (on_room_named), self,
                           0);
  g_signal_connect_object (conference, "notify::user-count", G_CALLBACK (on_user_count), self, 0);
  g_signal_connect_object (conference, "updated", G_CALLBACK (on_room_updated), self,
                           G_CONNECT_AFTER);
  g_signal_connect_object (conference, "participant-joined", G_CALLBACK (on_participant_joined),
                           self, 0);
  g_signal_connect_object (conference, "participant-left", G_CALLBACK (on_participant_left), self,
                           0);
}

/**
 * _confab_session_window_update_conference:
 *
 * Follows the session's room: the Participants toggle, the pane, the
 * title and the nickname actions.
 */
void
_confab_session_window_update_conference (ConfabSessionWindow *self)
{
  gboolean live = self->session &&
                  confab_session_get_state (self->session) < CONFAB_SESSION_STATE_TERMINATING;
  gboolean nicknames = live && self->chat &&
                       confab_chat_stream_has_chatroom_feature (self->chat, "nickname");

  set_conference (self, self->session ? confab_session_get_conference (self->session) : NULL);
  /* A room's focus calling us in is an invitation to join. */
  adw_button_content_set_label (
    ADW_BUTTON_CONTENT (gtk_button_get_child (self->answer_button)),
    self->session && confab_session_is_focus (self->session) ? _("_Join") : _("_Answer"));
  gtk_widget_set_visible (self->participants_toggle, self->conference != NULL);
  g_simple_action_set_enabled (lookup (self, "toggle-participants"), self->conference != NULL);
  g_simple_action_set_enabled (lookup (self, "change-nickname"), nicknames);
  if (!self->conference) {
    adw_flap_set_reveal_flap (self->participants_flap, FALSE);
  } else if (!self->room_shown) {
    /* Who is in the room is the first thing to see there; the window
     * grows to show it beside the chat. */
    self->room_shown = TRUE;
    if (gtk_widget_get_width (GTK_WIDGET (self)) < ROOM_WIDTH) {
      int height = gtk_widget_get_height (GTK_WIDGET (self));

      if (height <= 0)
        gtk_window_get_default_size (GTK_WINDOW (self), NULL, &height);
      gtk_window_set_default_size (GTK_WINDOW (self), ROOM_WIDTH, height);
    }
    adw_flap_set_reveal_flap (self->participants_flap, TRUE);
  }
  if (self->nickname)
    send_nickname (self);
  if (self->session)
    _confab_session_window_update_identity (self);
}

static void
on_session_conference (ConfabSession       *session,
                       GParamSpec          *pspec,
                       ConfabSessionWindow *self)
{
  _confab_session_window_update_conference (self);
  _confab_session_window_update_status (self);
}

/* Nicknames */

static void
on_nickname_set (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (ConfabSessionWindow) self = user_data;
  ConfabChatStream *chat = CONFAB_CHAT_STREAM (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (!confab_chat_stream_set_nickname_finish (chat, result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    g_free (self->nickname_error);
    self->nickname_error = g_strdup (error->message);
    if (self->nickname_toast)
      adw_toast_dismiss (self->nickname_toast);
    toast = adw_toast_new (error->message);
    adw_toast_set_timeout (toast, 10);
    adw_toast_set_button_label (toast, _("_Change Nickname…"));
    adw_toast_set_action_name (toast, "session.change-nickname");
    g_set_weak_pointer (&self->nickname_toast, toast);
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
    return;
  }
  g_clear_pointer (&self->nickname_error, g_free);
  if (self->nickname_toast)
    adw_toast_dismiss (self->nickname_toast);
  g_clear_weak_pointer (&self->nickname_toast);
  if (chat == self->chat) {
    /* Translators: a line in a room's chat; %s is the nickname the room
     * accepted */
    text = g_strdup_printf (_("You are “%s” in this room"),
                            confab_chat_stream_get_nickname (chat));
    confab_chat_pane_add_status (self->chat_pane, text);
  }
}

static void
stop_waiting_for_chat (ConfabSessionWindow *self)
{
  if (self->nickname_chat)
    g_signal_handlers_disconnect_by_data (self->nickname_chat, self);
  g_clear_object (&self->nickname_chat);
}

static void
send_nickname (ConfabSessionWindow *self)
{
  g_autofree char *nickname = NULL;

  if (!self->nickname || !self->chat)
    return;
  if (!confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (self->chat))) {
    if (self->nickname_chat != self->chat) {
      stop_waiting_for_chat (self);
      self->nickname_chat = g_object_ref (self->chat);
      g_signal_connect_object (self->chat, "notify::connected", G_CALLBACK (send_nickname), self,
                               G_CONNECT_SWAPPED);
    }
    return;
  }
  stop_waiting_for_chat (self);
  nickname = g_steal_pointer (&self->nickname);
  g_cancellable_cancel (self->nickname_cancellable);
  g_clear_object (&self->nickname_cancellable);
  self->nickname_cancellable = g_cancellable_new ();
  confab_chat_stream_set_nickname_async (self->chat, nickname, self->nickname_cancellable,
                                         on_nickname_set, g_object_ref (self));
}

static void
on_nickname_response (AdwMessageDialog    *dialog,
                      const char          *response,
                      ConfabSessionWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *nickname = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_str_equal (response, "change") && *nickname)
    confab_session_window_set_nickname (self, nickname);
}

static void
on_nickname_entry_changed (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  g_autofree char *nickname = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "change", *nickname != '\0');
}

static void
on_change_nickname_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  const char *current = self->chat ? confab_chat_stream_get_nickname (self->chat) : NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (self->nickname_dialog) {
    gtk_window_present (self->nickname_dialog);
    return;
  }
  dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_WINDOW (self), _("Change Nickname"),
                            _("The name the others in this room see for you.")));
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), current ? current : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Nickname"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "change", _("C_hange"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "change", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "change");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_nickname_entry_changed), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_nickname_response), self, 0);
  on_nickname_entry_changed (GTK_EDITABLE (entry), dialog);
  g_set_weak_pointer (&self->nickname_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* The Participants toggle */

static void
on_toggle_participants_change_state (GSimpleAction *action,
                                     GVariant      *value,
                                     gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;

  adw_flap_set_reveal_flap (self->participants_flap, g_variant_get_boolean (value));
}

static void
on_reveal_flap (AdwFlap             *flap,
                GParamSpec          *pspec,
                ConfabSessionWindow *self)
{
  gboolean revealed = adw_flap_get_reveal_flap (flap);

  g_simple_action_set_state (lookup (self, "toggle-participants"),
                             g_variant_new_boolean (revealed));
  gtk_widget_set_tooltip_text (self->participants_toggle,
                               revealed ? _("Hide Participants") : _("Show Participants"));
}

static const GActionEntry conference_actions[] = {
  { "toggle-participants", NULL, NULL, "false", on_toggle_participants_change_state, { 0 } },
  { "change-nickname", on_change_nickname_activated, NULL, NULL, NULL, { 0 } },
};

void
_confab_session_window_init_conference (ConfabSessionWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), conference_actions,
                                   G_N_ELEMENTS (conference_actions), self);
  g_signal_connect_object (self->participants_flap, "notify::reveal-flap",
                           G_CALLBACK (on_reveal_flap), self, 0);
  g_signal_connect_object (self->participants_pane, "message-privately",
                           G_CALLBACK (on_message_privately), self, 0);
  on_reveal_flap (self->participants_flap, NULL, self);
  _confab_session_window_update_conference (self);
}

void
_confab_session_window_dispose_conference (ConfabSessionWindow *self)
{
  g_cancellable_cancel (self->nickname_cancellable);
  g_clear_object (&self->nickname_cancellable);
  if (self->nickname_dialog)
    gtk_window_destroy (self->nickname_dialog);
  g_clear_weak_pointer (&self->nickname_dialog);
  g_clear_weak_pointer (&self->nickname_toast);
  g_clear_pointer (&self->nickname, g_free);
  g_clear_pointer (&self->nickname_error, g_free);
}

void
_confab_session_window_watch_conference (ConfabSessionWindow *self)
{
  g_assert (self->session);

  self->room_shown = FALSE;
  g_signal_connect_object (self->session, "notify::conference",
                           G_CALLBACK (on_session_conference), self, 0);
  confab_participants_pane_set_session (self->participants_pane, self->session);
  _confab_session_window_update_conference (self);
}

void
_confab_session_window_unwatch_conference (ConfabSessionWindow *self)
{
  stop_waiting_for_chat (self);
  g_clear_pointer (&self->nickname, g_free);
  set_conference (self, NULL);
  if (self->participants_pane)
    confab_participants_pane_set_session (self->participants_pane, NULL);
}

/**
 * confab_session_window_set_nickname:
 * @nickname: the name to be known by in the room
 *
 * Asks the room for @nickname once the session's chat is connected (at
 * once if it is); a refusal ("taken") shows in the window with a way to
 * choose another.
 */
void
confab_session_window_set_nickname (ConfabSessionWindow *self,
                                    const char          *nickname)
{
  g_return_if_fail (CONFAB_IS_SESSION_WINDOW (self));
  g_return_if_fail (nickname != NULL);

  g_free (self->nickname);
  self->nickname = g_strdup (nickname);
  send_nickname (self);
}

/**
 * confab_session_window_get_nickname_error:
 *
 * Returns: (nullable): why the room refused the last nickname asked for
 */
const char *
confab_session_window_get_nickname_error (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return self->nickname_error;
}

/**
 * confab_session_window_get_participants_pane:
 *
 * Returns: (transfer none): the #ConfabParticipantsPane beside the panes
 */
GtkWidget *
confab_session_window_get_participants_pane (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return GTK_WIDGET (self->participants_pane);
}

/**
 * confab_session_window_get_participants_shown:
 *
 * Returns: whether the participants pane is revealed
 */
gboolean
confab_session_window_get_participants_shown (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), FALSE);
  return self->conference && adw_flap_get_reveal_flap (self->participants_flap);
}
