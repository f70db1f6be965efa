/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application-private.h"
#include "confab-session-window.h"

#include <glib/gi18n.h>

/* The application's side of calls: it owns the session manager, places
 * calls from the best account for the address, opens one window per
 * session (reusing the window of the same party), and announces incoming
 * calls with a notification that can answer or decline them. */

static ConfabSession *
find_session (ConfabApplication *self,
              const char        *id)
{
  return self->sessions && id ? confab_session_manager_find (self->sessions, id) : NULL;
}

static void
on_answer_call_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  ConfabApplication *self = user_data;
  ConfabSession *session = find_session (self, g_variant_get_string (parameter, NULL));

  if (!session)
    return;
  confab_session_accept (session);
  confab_application_present_session (self, session);
}

static void
on_decline_call_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  ConfabApplication *self = user_data;
  ConfabSession *session = find_session (self, g_variant_get_string (parameter, NULL));

  if (session)
    confab_session_reject (session, 603);
}

static void
on_show_call_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ConfabApplication *self = user_data;
  ConfabSession *session = find_session (self, g_variant_get_string (parameter, NULL));

  if (session)
    confab_application_present_session (self, session);
  else
    gtk_window_present (GTK_WINDOW (confab_application_get_main_window (self)));
}

static const GActionEntry call_actions[] = {
  { "answer-call", on_answer_call_activated, "s", NULL, NULL, { 0 } },
  { "decline-call", on_decline_call_activated, "s", NULL, NULL, { 0 } },
  { "show-call", on_show_call_activated, "s", NULL, NULL, { 0 } },
};

static void
on_incoming_state (ConfabSession     *session,
                   GParamSpec        *pspec,
                   ConfabApplication *self)
{
  if (confab_session_get_state (session) == CONFAB_SESSION_STATE_INCOMING)
    return;
  g_application_withdraw_notification (G_APPLICATION (self), confab_session_get_id (session));
  g_signal_handlers_disconnect_by_func (session, on_incoming_state, self);
}

static void
notify_incoming (ConfabApplication *self,
                 ConfabSession     *session)
{
  gboolean room = confab_session_is_focus (session);
  g_autoptr (GNotification) notification =
    g_notification_new (room ? _("Invitation to a conference room") : _("Incoming call"));
  const char *id = confab_session_get_id (session);
  const char *display = confab_session_get_remote_display (session);
  const char *uri = confab_session_get_remote_uri (session);
  g_autofree char *body = NULL;
  g_autoptr (GIcon) icon = g_themed_icon_new ("call-incoming-symbolic");

  /* A room's focus calls on someone's behalf (Referred-By). */
  if (room)
    body = confab_application_dup_invitation_text (session);
  else if (display && *display && uri)
    body = g_strdup_printf ("%s\n%s", display, uri);
  else
    body = g_strdup (display && *display ? display : uri ? uri : _("Unknown caller"));
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_default_action_and_target (notification, "app.show-call", "s", id);
  g_notification_add_button_with_target (notification, _("Decline"), "app.decline-call", "s", id);
  g_notification_add_button_with_target (notification, room ? _("Join") : _("Answer"),
                                         "app.answer-call", "s", id);
  g_application_send_notification (G_APPLICATION (self), id, notification);

  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_incoming_state), self, 0);
}

static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *session,
                  ConfabApplication    *self)
{
  /* Files offered ask first, in a dialog of their own. */
  if (_confab_application_offer_file (self, session))
    return;
  /* A chat-only session opens at once; calls ring, and so does a room's
   * focus calling us in (nobody is put into a room without a yes). */
  if (!confab_session_is_focus (session) && _confab_application_accept_chat (self, session))
    ;
  else if (confab_session_is_incoming (session) &&
           confab_session_get_state (session) == CONFAB_SESSION_STATE_INCOMING)
    notify_incoming (self, session);
  confab_application_present_session (self, session);
}

void
_confab_application_startup_calls (ConfabApplication *self)
{
  const char *play = g_getenv ("CONFAB_AUDIO_PLAY");
  const char *record = g_getenv ("CONFAB_AUDIO_RECORD");
  static const char *mute_accels[] = { "<Control>m", NULL };
  static const char *hold_accels[] = { "<Control>h", NULL };
  static const char *keypad_accels[] = { "<Control>d", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *record_accels[] = { "<Control>r", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), call_actions, G_N_ELEMENTS (call_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "session.mute", mute_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "session.hold", hold_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "session.keypad", keypad_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "session.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "session.record", record_accels);

  if (!self->engine)
    return;
  self->sessions = confab_session_manager_new (self->engine);
  /* Headless runs (tests) play and record WAV files instead of devices. */
  if ((play && *play) || (record && *record))
    confab_session_manager_set_audio_files (self->sessions, play && *play ? play : NULL,
                                            record && *record ? record : NULL);
  _confab_application_startup_chat (self);
  g_signal_connect_object (self->sessions, "session-added", G_CALLBACK (on_session_added), self,
                           0);
  _confab_application_startup_audio (self, (play && *play) || (record && *record));
}

void
_confab_application_shutdown_calls (ConfabApplication *self)
{
  _confab_application_shutdown_audio (self);
  _confab_application_shutdown_chat (self);
  /* The BYEs and CANCELs go out before the engine shuts down. */
  if (self->sessions)
    confab_session_manager_hangup_all (self->sessions);
}

static gboolean
account_is_online (ConfabAccount *account)
{
  ConfabAccountState state = confab_account_get_state (account);

  return state == CONFAB_ACCOUNT_STATE_REGISTERED || state == CONFAB_ACCOUNT_STATE_READY;
}

static gboolean
account_has_domain (ConfabAccount *account,
                    const char    *host)
{
  g_autoptr (ConfabUri) uri = confab_uri_parse (confab_account_get_address (account), NULL);

  return uri && uri->host && g_ascii_strcasecmp (uri->host, host) == 0;
}

/**
 * confab_application_pick_account:
 * @address: whom to call
 *
 * The account to call @address from: a provider account of the same
 * domain; the local account for an IP address or a .local name (a direct
 * call on the network); the first provider account online; else the local
 * account.
 *
 * Returns: (transfer none) (nullable): the account, %NULL when none is
 *   online
 */
ConfabAccount *
confab_application_pick_account (ConfabApplication *self,
                                 const char        *address)
{
  g_autofree char *normalized = NULL;
  g_autoptr (ConfabUri) uri = NULL;
  ConfabAccount *local;
  ConfabAccount *first_online = NULL;
  const char *host = NULL;
  guint n;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (!self->manager)
    return NULL;
  normalized = confab_uri_normalize (address, NULL);
  uri = normalized ? confab_uri_parse (normalized, NULL) : NULL;
  if (uri && uri->scheme != CONFAB_URI_SCHEME_TEL)
    host = uri->host;
  local = confab_account_manager_get_local_account (self->manager);
  if (local && !account_is_online (local))
    local = NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->manager));
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabAccount) account = g_list_model_get_item (G_LIST_MODEL (self->manager), i);

    if (!account_is_online (account))
      continue;
    if (host && account_has_domain (account, host))
      return account;
    if (!first_online)
      first_online = account;
  }
  if (local && host && (g_hostname_is_ip_address (host) || g_str_has_suffix (host, ".local")))
    return local;
  return first_online ? first_online : local;
}

/**
 * confab_application_call:
 * @address: whom to call: a sip: address, a user@host, a number
 *
 * Calls @address from confab_application_pick_account(); the session's
 * window opens. A call with the same party still going is shown instead
 * of placing a second one.
 *
 * Returns: (transfer none) (nullable): the session
 */
ConfabSession *
confab_application_call (ConfabApplication  *self,
                         const char         *address,
                         GError            **error)
{
  g_autofree char *target = NULL;
  ConfabAccount *account;
  ConfabSession *session;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (!self->sessions) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("Confab’s SIP engine is not running. Restart Confab to make calls."));
    return NULL;
  }
  target = confab_uri_normalize (address, NULL);
  if (!target) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("“%s” is not a SIP address or phone number"), address);
    return NULL;
  }

  session = _confab_application_find_live_session (self, target);
  if (session) {
    confab_application_present_session (self, session);
    return session;
  }

  account = confab_application_pick_account (self, target);
  if (!account) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("No account is online. Enable the local account or add a provider "
                   "account in Preferences."));
    return NULL;
  }
  /* "session-added" opens the window. */
  session = confab_session_manager_call (self->sessions, account, target, error);
  return session;
}

/* The session with @target that has not ended, if any (one window, and
 * one session, per party). */
ConfabSession *
_confab_application_find_live_session (ConfabApplication *self,
                                       const char        *target)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabSession) live = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);

    if (confab_session_get_state (live) < CONFAB_SESSION_STATE_TERMINATING &&
        g_ascii_strcasecmp (confab_session_get_remote_uri (live), target) == 0)
      return live;
  }
  return NULL;
}

/**
 * confab_application_get_session_manager:
 *
 * Returns: (transfer none) (nullable): the live sessions; %NULL before
 *   startup or when the SIP engine could not start
 */
ConfabSessionManager *
confab_application_get_session_manager (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  return self->sessions;
}

/**
 * confab_application_get_session_window:
 *
 * Returns: (transfer none) (nullable): the window showing @session
 */
ConfabSessionWindow *
confab_application_get_session_window (ConfabApplication *self,
                                       ConfabSession     *session)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (CONFAB_IS_SESSION (session), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next) {
    if (CONFAB_IS_SESSION_WINDOW (l->data) &&
        confab_session_window_get_session (l->data) == session)
      return l->data;
  }
  return NULL;
}

/**
 * confab_application_present_session:
 *
 * Presents the window of @session, opening one when needed; a window
 * still showing the end of a call with the same party takes it over.
 *
 * Returns: (transfer none): the window
 */
ConfabSessionWindow *
confab_application_present_session (ConfabApplication *self,
                                    ConfabSession     *session)
{
  ConfabSessionWindow *window;
  const char *remote;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (CONFAB_IS_SESSION (session), NULL);

  window = confab_application_get_session_window (self, session);
  remote = confab_session_get_remote_uri (session);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); !window && l; l = l->next) {
    ConfabSession *old;

    if (!CONFAB_IS_SESSION_WINDOW (l->data))
      continue;
    old = confab_session_window_get_session (l->data);
    if (old && confab_session_get_state (old) == CONFAB_SESSION_STATE_TERMINATED && remote &&
        g_strcmp0 (confab_session_get_remote_uri (old), remote) == 0) {
      window = l->data;
      confab_session_window_set_session (window, session);
    }
  }
  if (!window)
    window = confab_session_window_new (GTK_APPLICATION (self), session);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
