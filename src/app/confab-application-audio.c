/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application-private.h"

/* The call settings and the ringtone: the application hands the Calls
 * preferences (sound devices, echo cancellation, ICE and its STUN server)
 * to its session manager, which uses them for new calls, and rings while
 * a call is coming in. */

static const char *const call_setting_keys[] = {
  "audio-input-device", "audio-output-device", "echo-cancellation", "ice-enabled", "stun-server",
};

static void
apply_call_settings (ConfabApplication *self)
{
  g_autofree char *input = g_settings_get_string (self->settings, "audio-input-device");
  g_autofree char *output = g_settings_get_string (self->settings, "audio-output-device");
  g_autofree char *stun = g_settings_get_string (self->settings, "stun-server");
  gboolean ice = g_settings_get_boolean (self->settings, "ice-enabled");
  g_autoptr (ConfabIceServers) servers = confab_ice_servers_new ();
  g_autoptr (GError) error = NULL;

  confab_session_manager_set_audio_devices (self->sessions, input, output);
  confab_session_manager_set_echo_cancel (self->sessions,
                                          g_settings_get_boolean (self->settings,
                                                                  "echo-cancellation"));
  /* The preferences only store a valid server; dconf may hold anything. */
  g_strstrip (stun);
  if (*stun && !confab_ice_servers_set_stun (servers, stun, &error))
    g_warning ("Calls go without a STUN server: %s", error->message);
  confab_session_manager_set_ice (self->sessions, ice, ice, servers);
}

static void
on_call_setting_changed (GSettings         *settings,
                         const char        *key,
                         ConfabApplication *self)
{
  apply_call_settings (self);
}

static gboolean
has_incoming_call (ConfabApplication *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabSession) session = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);

    /* Chat-only sessions are accepted, not rung for; files offered ask in
     * a dialog. */
    if (confab_session_get_state (session) == CONFAB_SESSION_STATE_INCOMING &&
        !_confab_application_is_chat_only (session) && !confab_session_is_file_transfer (session))
      return TRUE;
  }
  return FALSE;
}

/* Rings while any call waits for an answer, and the setting allows. */
static void
update_ringing (ConfabApplication *self)
{
  gboolean ring = self->sessions && self->ringtone &&
                  g_settings_get_boolean (self->settings, "ringtone-enabled") &&
                  has_incoming_call (self);

  if (!self->ringtone || ring == confab_ringtone_is_playing (self->ringtone))
    return;
  if (ring)
    confab_ringtone_start (self->ringtone);
  else
    confab_ringtone_stop (self->ringtone);
}

static void
on_ringtone_setting_changed (GSettings         *settings,
                             const char        *key,
                             ConfabApplication *self)
{
  update_ringing (self);
}

static void
on_session_state (ConfabSession     *session,
                  GParamSpec        *pspec,
                  ConfabApplication *self)
{
  update_ringing (self);
}

static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *session,
                  ConfabApplication    *self)
{
  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_session_state), self, 0);
  update_ringing (self);
}

static void
on_sessions_changed (GListModel        *model,
                     guint              position,
                     guint              removed,
                     guint              added,
                     ConfabApplication *self)
{
  update_ringing (self);
}

/* After the session manager is made; @headless: WAV files stand in for
 * the sound devices (tests), and the ring goes nowhere. */
void
_confab_application_startup_audio (ConfabApplication *self,
                                   gboolean           headless)
{
  if (!self->sessions)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (call_setting_keys); i++) {
    g_autofree char *signal = g_strconcat ("changed::", call_setting_keys[i], NULL);

    g_signal_connect_object (self->settings, signal, G_CALLBACK (on_call_setting_changed), self,
                             0);
  }
  apply_call_settings (self);

  self->ringtone = confab_ringtone_new ();
  if (headless)
    confab_ringtone_set_sink (self->ringtone, "fakesink sync=true");
  g_signal_connect_object (self->settings, "changed::ringtone-enabled",
                           G_CALLBACK (on_ringtone_setting_changed), self, 0);
  g_signal_connect_object (self->sessions, "session-added", G_CALLBACK (on_session_added), self,
                           0);
  g_signal_connect_object (self->sessions, "items-changed", G_CALLBACK (on_sessions_changed),
                           self, 0);
}

void
_confab_application_shutdown_audio (ConfabApplication *self)
{
  if (self->ringtone)
    confab_ringtone_stop (self->ringtone);
}

/**
 * confab_application_is_ringing:
 *
 * Returns: whether the ringtone plays (or would, without a sound device)
 */
gboolean
confab_application_is_ringing (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), FALSE);
  return self->ringtone && confab_ringtone_is_playing (self->ringtone);
}
