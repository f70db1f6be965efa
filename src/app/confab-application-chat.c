/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application-private.h"
#include "confab-chat-text.h"
#include "confab-session-window.h"
#include "confab-audio-stream.h"
#include "im/confab-chat-stream.h"

#include <glib/gi18n.h>

/* The application's side of chat: it starts chats from the main window,
 * accepts incoming chat-only sessions at once (audio still rings), keeps
 * every message in the history, and announces messages that arrive while
 * their window is not focused with a notification, withdrawn once it is. */

#define NOTIFICATION_MAX_CHARS 160
#define WATCHED_KEY            "confab-application-chat-watched"
#define SESSION_ID_KEY         "confab-application-chat-session"

static char *
dup_notification_id (const char *session_id)
{
  return g_strconcat ("chat-", session_id, NULL);
}

/**
 * confab_application_get_history:
 *
 * Returns: (transfer none) (nullable): the chat history, opened on first
 *   use ($XDG_DATA_HOME/confab/history.sqlite3); %NULL when it cannot be
 *   opened (chats then work without it)
 */
ConfabHistory *
confab_application_get_history (ConfabApplication *self)
{
  static gboolean failed;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);

  if (!self->history && !failed) {
    self->history = confab_history_open (NULL, &error);
    if (!self->history) {
      g_warning ("The chat history cannot be opened, chats are not kept: %s", error->message);
      failed = TRUE;
    }
  }
  return self->history;
}

static ConfabSession *
find_session (ConfabApplication *self,
              const char        *id)
{
  return self->sessions && id ? confab_session_manager_find (self->sessions, id) : NULL;
}

static char *
dup_sender_name (ConfabChatMessage *message)
{
  const char *display = confab_chat_message_get_sender_display (message);
  const char *uri = confab_chat_message_get_sender_uri (message);

  if (display && *display)
    return g_strdup (display);
  if (uri && g_str_has_prefix (uri, "sip:"))
    return g_strdup (uri + 4);
  if (uri && g_str_has_prefix (uri, "sips:"))
    return g_strdup (uri + 5);
  return g_strdup (uri ? uri : _("Unknown sender"));
}

static char *
dup_preview (ConfabChatMessage *message)
{
  const char *type = confab_chat_message_get_content_type (message);
  const char *text = confab_chat_message_get_text (message);
  g_autofree char *plain = NULL;

  if (confab_chat_message_is_image (message))
    return g_strdup (_("Sent an image"));
  if (!text)
    return g_strdup (_("Sent a message Confab cannot show"));
  if (type && g_ascii_strncasecmp (type, "text/html", 9) == 0)
    plain = confab_chat_text_from_html (text);
  else
    plain = g_strdup (text);
  if (g_utf8_strlen (plain, -1) > NOTIFICATION_MAX_CHARS) {
    g_autofree char *cut = g_utf8_substring (plain, 0, NOTIFICATION_MAX_CHARS);

    return g_strconcat (cut, "…", NULL);
  }
  return g_steal_pointer (&plain);
}

static void
on_message_received (ConfabChatStream  *stream,
                     ConfabChatMessage *message,
                     ConfabApplication *self)
{
  const char *session_id = g_object_get_data (G_OBJECT (stream), SESSION_ID_KEY);
  ConfabSession *session = find_session (self, session_id);
  ConfabSessionWindow *window = session ? confab_application_get_session_window (self, session)
                                        : NULL;
  g_autoptr (GNotification) notification = NULL;
  g_autoptr (GIcon) icon = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (!session || (window && gtk_window_is_active (GTK_WINDOW (window))))
    return;
  title = dup_sender_name (message);
  body = dup_preview (message);
  id = dup_notification_id (session_id);
  notification = g_notification_new (title);
  icon = g_themed_icon_new ("chat-message-new-symbolic");
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_default_action_and_target (notification, "app.show-chat", "s", session_id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* A page-mode message (SIP MESSAGE, no session): kept in the history with
 * the party's conversation, and announced. */
static void
on_page_received (ConfabPager       *pager,
                  ConfabChatMessage *message,
                  ConfabApplication *self)
{
  ConfabHistory *history = confab_application_get_history (self);
  g_autoptr (GNotification) notification = NULL;
  g_autoptr (GIcon) icon = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = dup_sender_name (message);
  g_autofree char *body = dup_preview (message);

  if (history && confab_chat_message_get_row_id (message) == 0 &&
      !confab_history_add (history, message, &error))
    g_warning ("A message was not kept in the history: %s", error->message);
  notification = g_notification_new (title);
  icon = g_themed_icon_new ("chat-message-new-symbolic");
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_application_send_notification (G_APPLICATION (self), "page-message", notification);
}

static void
watch_chat_stream (ConfabApplication *self,
                   ConfabSession     *session,
                   ConfabChatStream  *stream)
{
  if (g_object_get_data (G_OBJECT (stream), WATCHED_KEY))
    return;
  g_object_set_data (G_OBJECT (stream), WATCHED_KEY, GINT_TO_POINTER (TRUE));
  g_object_set_data_full (G_OBJECT (stream), SESSION_ID_KEY,
                          g_strdup (confab_session_get_id (session)), g_free);
  g_signal_connect_object (stream, "message-received", G_CALLBACK (on_message_received), self, 0);
}

static void
on_streams_changed (GListModel        *streams,
                    guint              position,
                    guint              removed,
                    guint              added,
                    ConfabApplication *self)
{
  ConfabSession *session = g_object_get_data (G_OBJECT (streams), SESSION_ID_KEY);

  for (guint i = 0; session && i < added; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, position + i);

    if (CONFAB_IS_CHAT_STREAM (stream))
      watch_chat_stream (self, session, CONFAB_CHAT_STREAM (stream));
  }
}

static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *session,
                  ConfabApplication    *self)
{
  GListModel *streams = confab_session_get_streams (session);

  /* The streams model lives as long as its session. */
  g_object_set_data (G_OBJECT (streams), SESSION_ID_KEY, session);
  g_signal_connect_object (streams, "items-changed", G_CALLBACK (on_streams_changed), self, 0);
  on_streams_changed (streams, 0, 0, g_list_model_get_n_items (streams), self);
}

static void
on_window_active (GtkWindow         *window,
                  GParamSpec        *pspec,
                  ConfabApplication *self)
{
  ConfabSession *session = confab_session_window_get_session (CONFAB_SESSION_WINDOW (window));
  g_autofree char *id = NULL;

  if (!session || !gtk_window_is_active (window))
    return;
  id = dup_notification_id (confab_session_get_id (session));
  g_application_withdraw_notification (G_APPLICATION (self), id);
}

static void
on_window_added (GtkApplication    *application,
                 GtkWindow         *window,
                 ConfabApplication *self)
{
  if (CONFAB_IS_SESSION_WINDOW (window))
    g_signal_connect_object (window, "notify::is-active", G_CALLBACK (on_window_active), self, 0);
}

static void
on_show_chat_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ConfabApplication *self = user_data;
  ConfabSession *session = find_session (self, g_variant_get_string (parameter, NULL));

  if (!session) {
    gtk_window_present (GTK_WINDOW (confab_application_get_main_window (self)));
    return;
  }
  confab_session_window_show_chat (confab_application_present_session (self, session));
}

static const GActionEntry chat_actions[] = {
  { "show-chat", on_show_chat_activated, "s", NULL, NULL, { 0 } },
};

/* Called before the calls' own "session-added" handler is connected, so
 * that messages reach the history before any window shows them. */
void
_confab_application_startup_chat (ConfabApplication *self)
{
  static const char *add_chat_accels[] = { "<Control>t", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), chat_actions, G_N_ELEMENTS (chat_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "session.add-chat",
                                         add_chat_accels);
  g_signal_connect_object (self, "window-added", G_CALLBACK (on_window_added), self, 0);
  /* The session manager keeps every chat message in the history, ours
   * before it is on the wire. */
  if (self->sessions)
    confab_session_manager_set_history (self->sessions, confab_application_get_history (self));
  if (self->engine && !self->pager) {
    self->pager = confab_pager_new (self->engine);
    g_signal_connect_object (self->pager, "message-received", G_CALLBACK (on_page_received),
                             self, 0);
  }
  if (self->sessions)
    g_signal_connect_object (self->sessions, "session-added", G_CALLBACK (on_session_added), self,
                             0);
}

void
_confab_application_shutdown_chat (ConfabApplication *self)
{
  g_clear_object (&self->pager);
  g_clear_object (&self->history);
}

/**
 * _confab_application_is_chat_only:
 *
 * Returns: whether @session carries a chat and no audio
 */
gboolean
_confab_application_is_chat_only (ConfabSession *session)
{
  return confab_session_find_stream (session, CONFAB_TYPE_CHAT_STREAM) &&
         !confab_session_find_stream (session, CONFAB_TYPE_AUDIO_STREAM);
}

/**
 * _confab_application_accept_chat:
 *
 * Accepts @session when it is an incoming chat-only session: a chat does
 * not ring, it opens (as Blink does). Calls with audio are left ringing.
 *
 * Returns: whether @session was accepted
 */
gboolean
_confab_application_accept_chat (ConfabApplication *self,
                                 ConfabSession     *session)
{
  if (!confab_session_is_incoming (session) ||
      confab_session_get_state (session) != CONFAB_SESSION_STATE_INCOMING ||
      !_confab_application_is_chat_only (session))
    return FALSE;
  confab_session_accept (session);
  return TRUE;
}

static gboolean
chat_is_live (ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);

  for (guint i = 0; i < g_list_model_get_n_items (streams); i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);
    ConfabStreamState state = confab_stream_get_state (stream);

    if (CONFAB_IS_CHAT_STREAM (stream) && state != CONFAB_STREAM_STATE_ENDED &&
        state != CONFAB_STREAM_STATE_FAILED)
      return TRUE;
  }
  return FALSE;
}

/**
 * confab_application_chat:
 * @address: whom to chat with: a sip: address, a user@host
 *
 * Opens a chat with @address: in the running session with that party if
 * there is one (adding a chat to an established call), else in a new
 * chat-only session from confab_application_pick_account(). The session's
 * window shows the chat.
 *
 * Returns: (transfer none) (nullable): the session
 */
ConfabSession *
confab_application_chat (ConfabApplication  *self,
                         const char         *address,
                         GError            **error)
{
  g_autofree char *target = NULL;
  ConfabAccount *account;
  ConfabSession *live;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (!self->sessions) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("Confab’s SIP engine is not running. Restart Confab to chat."));
    return NULL;
  }
  target = confab_uri_normalize (address, NULL);
  if (!target) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not a SIP address"),
                 address);
    return NULL;
  }

  live = _confab_application_find_live_session (self, target);
  if (live) {
    if (!chat_is_live (live) &&
        confab_session_get_state (live) == CONFAB_SESSION_STATE_ESTABLISHED &&
        !confab_session_manager_add_chat (self->sessions, live, error))
      return NULL;
    confab_session_window_show_chat (confab_application_present_session (self, live));
    return live;
  }

  account = confab_application_pick_account (self, target);
  if (!account) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("No account is online. Enable the local account or add a provider "
                   "account in Preferences."));
    return NULL;
  }
  /* "session-added" opens the window. */
  return confab_session_manager_chat (self->sessions, account, target, error);
}
