/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application.h"
#include "confab-session-window-private.h"

#include <glib/gi18n.h>

/* The session window's chat: the "chat" page of the content stack shows
 * the session's newest chat stream, which can come with the session or be
 * added later (by either side, with a re-INVITE). A chat-only session shows
 * only the chat; a call shows a Chat button in the audio bar, which adds a
 * chat and then switches between the chat and the other party's page,
 * with a badge counting unread messages. */

#define MAX_BADGE 99

static GSimpleAction *
lookup (ConfabSessionWindow *self,
        const char          *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name));
}

static gboolean
stream_is_live (ConfabStream *stream)
{
  ConfabStreamState state = confab_stream_get_state (stream);

  return state != CONFAB_STREAM_STATE_ENDED && state != CONFAB_STREAM_STATE_FAILED;
}

static gboolean
chat_is_live (ConfabSessionWindow *self)
{
  return self->chat && stream_is_live (CONFAB_STREAM (self->chat));
}

/* A removed stream stays in the session (its m-line keeps its place), so
 * the newest chat stream is the one that counts. */
static ConfabChatStream *
find_newest_chat (ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);

  for (guint i = g_list_model_get_n_items (streams); i > 0; i--) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i - 1);

    if (CONFAB_IS_CHAT_STREAM (stream))
      return CONFAB_CHAT_STREAM (stream);
  }
  return NULL;
}

/**
 * _confab_session_window_is_chat_only:
 *
 * Returns: whether the session has a chat and no audio
 */
gboolean
_confab_session_window_is_chat_only (ConfabSessionWindow *self)
{
  return self->session && !self->audio && self->chat;
}

static void
update_page (ConfabSessionWindow *self)
{
  gboolean incoming = self->session &&
                      confab_session_get_state (self->session) == CONFAB_SESSION_STATE_INCOMING;
  gboolean files = _confab_session_window_shows_files (self);
  gboolean show = !files && self->chat && !incoming &&
                  (self->chat_shown || _confab_session_window_is_chat_only (self));

  gtk_stack_set_visible_child_name (self->content_stack,
                                    files ? "files" : show ? "chat" : "audio");
  g_simple_action_set_state (lookup (self, "show-chat"), g_variant_new_boolean (show));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->chat_toggle_box),
                               show ? _("Show the Call") : _("Show Chat"));
}

static void
update_badge (ConfabSessionWindow *self)
{
  guint unread = confab_chat_pane_get_unread_count (self->chat_pane);
  g_autofree char *text = unread > MAX_BADGE ? g_strdup_printf ("%u+", MAX_BADGE)
                                             : g_strdup_printf ("%u", unread);

  gtk_label_set_label (self->chat_badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->chat_badge), unread > 0);
}

static void
on_unread_count (ConfabChatPane      *pane,
                 GParamSpec          *pspec,
                 ConfabSessionWindow *self)
{
  update_badge (self);
  if (self->session)
    _confab_session_window_update_identity (self);
}

static void
on_chat_state (ConfabStream        *stream,
               GParamSpec          *pspec,
               ConfabSessionWindow *self)
{
  _confab_session_window_update_chat (self);
}

static void
on_streams_changed (GListModel          *streams,
                    guint                position,
                    guint                removed,
                    guint                added,
                    ConfabSessionWindow *self)
{
  _confab_session_window_update_chat (self);
}

static ConfabHistory *
get_history (ConfabSessionWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return CONFAB_IS_APPLICATION (app) ? confab_application_get_history (CONFAB_APPLICATION (app))
                                     : NULL;
}

static void
set_chat (ConfabSessionWindow *self,
          ConfabChatStream    *chat)
{
  if (self->chat == chat)
    return;
  if (self->chat)
    g_signal_handlers_disconnect_by_data (self->chat, self);
  g_set_object (&self->chat, chat);
  if (chat) {
    g_signal_connect_object (chat, "notify::state", G_CALLBACK (on_chat_state), self, 0);
    /* A chat that appears is what the user wants to see, whoever added it. */
    self->chat_shown = TRUE;
    self->files_shown = FALSE;
    confab_chat_pane_set_history (self->chat_pane, get_history (self));
  }
  confab_chat_pane_set_stream (self->chat_pane, chat,
                               chat ? confab_session_get_remote_uri (self->session) : NULL);
}

/**
 * _confab_session_window_update_chat:
 *
 * Follows the session's chat streams: which one the pane shows, which
 * page is up, and which chat actions make sense.
 */
void
_confab_session_window_update_chat (ConfabSessionWindow *self)
{
  ConfabSessionState state = self->session ? confab_session_get_state (self->session)
                                           : CONFAB_SESSION_STATE_TERMINATED;
  gboolean established = state == CONFAB_SESSION_STATE_ESTABLISHED;
  gboolean chat_only;

  set_chat (self, self->session ? find_newest_chat (self->session) : NULL);
  chat_only = _confab_session_window_is_chat_only (self);
  confab_chat_pane_set_session_ended (self->chat_pane, state >= CONFAB_SESSION_STATE_TERMINATING);

  /* An ended chat can still be read, and a new one added. */
  gtk_widget_set_visible (self->add_chat_button, !chat_is_live (self) && !chat_only);
  gtk_widget_set_visible (self->chat_toggle_box, self->chat && !chat_only);
  g_simple_action_set_enabled (lookup (self, "add-chat"),
                               chat_is_live (self) || (established && !chat_only));
  g_simple_action_set_enabled (lookup (self, "show-chat"),
                               self->chat && !chat_only && state != CONFAB_SESSION_STATE_INCOMING);
  g_simple_action_set_enabled (lookup (self, "remove-chat"),
                               chat_is_live (self) && state < CONFAB_SESSION_STATE_TERMINATING);
  /* A room's participants offer private messages while its chat takes them. */
  confab_participants_pane_set_private_messages (
    self->participants_pane,
    chat_is_live (self) && state < CONFAB_SESSION_STATE_TERMINATING &&
      confab_chat_stream_has_chatroom_feature (self->chat, "private-messages"));
  update_page (self);
  update_badge (self);
}

void
_confab_session_window_watch_chat (ConfabSessionWindow *self)
{
  g_assert (self->session);

  g_signal_connect_object (confab_session_get_streams (self->session), "items-changed",
                           G_CALLBACK (on_streams_changed), self, 0);
  self->chat_shown = FALSE;
  _confab_session_window_update_chat (self);
}

void
_confab_session_window_unwatch_chat (ConfabSessionWindow *self)
{
  if (self->session)
    g_signal_handlers_disconnect_by_func (confab_session_get_streams (self->session),
                                          on_streams_changed, self);
  set_chat (self, NULL);
  self->chat_shown = FALSE;
}

static void
on_add_chat_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  ConfabSessionManager *manager = NULL;
  g_autoptr (GError) error = NULL;

  if (CONFAB_IS_APPLICATION (app))
    manager = confab_application_get_session_manager (CONFAB_APPLICATION (app));
  if (chat_is_live (self)) {
    confab_session_window_show_chat (self);
    return;
  }
  if (!manager) {
    _confab_session_window_add_toast (
      self, _("Confab’s SIP engine is not running. Restart Confab to chat."));
    return;
  }
  if (!confab_session_manager_add_chat (manager, self->session, &error)) {
    g_autofree char *message = g_strdup_printf (_("A chat cannot be added to this call: %s"),
                                                error->message);

    _confab_session_window_add_toast (self, message);
    return;
  }
  /* The new stream shows up through "items-changed". */
  confab_session_window_show_chat (self);
}

static void
on_show_chat_change_state (GSimpleAction *action,
                           GVariant      *value,
                           gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;

  self->chat_shown = g_variant_get_boolean (value);
  /* The chat comes up over the transfers too. */
  if (self->chat_shown)
    self->files_shown = FALSE;
  update_page (self);
  _confab_session_window_update_files (self);
  if (self->chat_shown)
    confab_chat_pane_focus_entry (self->chat_pane);
}

static void
on_remove_chat_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  g_autoptr (GError) error = NULL;

  if (!chat_is_live (self))
    return;
  /* Without the chat, a chat-only session has nothing left. */
  if (_confab_session_window_is_chat_only (self)) {
    confab_session_hangup (self->session);
    return;
  }
  if (!confab_session_remove_stream (self->session, CONFAB_STREAM (self->chat), &error)) {
    g_autofree char *message = g_strdup_printf (_("The chat cannot be closed: %s"),
                                                error->message);

    _confab_session_window_add_toast (self, message);
    return;
  }
  self->chat_shown = FALSE;
  _confab_session_window_update_chat (self);
}

static const GActionEntry chat_actions[] = {
  { "add-chat", on_add_chat_activated, NULL, NULL, NULL, { 0 } },
  { "show-chat", NULL, NULL, "false", on_show_chat_change_state, { 0 } },
  { "remove-chat", on_remove_chat_activated, NULL, NULL, NULL, { 0 } },
};

void
_confab_session_window_init_chat (ConfabSessionWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), chat_actions,
                                   G_N_ELEMENTS (chat_actions), self);
  g_signal_connect_object (self->chat_pane, "notify::unread-count", G_CALLBACK (on_unread_count),
                           self, 0);
  _confab_session_window_update_chat (self);
}

/**
 * confab_session_window_show_chat:
 *
 * Brings the chat page up, with the focus in its entry, when the session
 * has a chat.
 */
void
confab_session_window_show_chat (ConfabSessionWindow *self)
{
  g_return_if_fail (CONFAB_IS_SESSION_WINDOW (self));

  self->chat_shown = TRUE;
  self->files_shown = FALSE;
  update_page (self);
  if (self->chat)
    confab_chat_pane_focus_entry (self->chat_pane);
}

/**
 * confab_session_window_get_chat_pane:
 *
 * Returns: (transfer none): the #ConfabChatPane of the "chat" page
 */
GtkWidget *
confab_session_window_get_chat_pane (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return GTK_WIDGET (self->chat_pane);
}
