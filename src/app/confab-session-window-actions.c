/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-session-window-private.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>

/* The session window's actions, under "session.": what the audio bar's
 * buttons, the keypad and the keyboard shortcuts (set on the application)
 * trigger. Tests drive calls through them too. */

#define MAX_SHOWN_DIGITS 24
/* Of the other party's name, in a recording's file name. */
#define MAX_NAME_CHARS   48

static GSimpleAction *
lookup (ConfabSessionWindow *self,
        const char          *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name));
}

static void
on_mute_change_state (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;

  self->muted = g_variant_get_boolean (value);
  g_simple_action_set_state (action, value);
  _confab_session_window_apply_mute (self);
}

static void
on_hold_change_state (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  g_autoptr (GError) error = NULL;

  /* The state follows the session's local-hold, through update_actions. */
  if (!confab_session_set_hold (self->session, g_variant_get_boolean (value), &error))
    _confab_session_window_add_toast (self, error->message);
}

static void
on_keypad_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;

  if (gtk_widget_get_visible (GTK_WIDGET (self->keypad_popover)))
    gtk_popover_popdown (self->keypad_popover);
  else
    gtk_menu_button_popup (self->keypad_button);
}

static void
on_dtmf_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  const char *digit = g_variant_get_string (parameter, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *shown = NULL;
  const char *old;

  if (!self->audio || !confab_audio_stream_send_dtmf (self->audio, digit, &error)) {
    _confab_session_window_add_toast (self, error ? error->message
                                                  : _("This call has no audio to send tones on"));
    return;
  }
  old = gtk_label_get_label (self->keypad_digits);
  if (strlen (old) >= MAX_SHOWN_DIGITS)
    old += strlen (old) - MAX_SHOWN_DIGITS + 1;
  shown = g_strconcat (old, digit, NULL);
  gtk_label_set_label (self->keypad_digits, shown);
}

static void
on_transfer_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry));
  g_autofree char *target = g_strstrip (g_strdup (text));
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (!*target) {
    gtk_widget_grab_focus (GTK_WIDGET (self->transfer_entry));
    return;
  }
  if (!confab_session_transfer (self->session, target, &error)) {
    gtk_widget_add_css_class (GTK_WIDGET (self->transfer_entry), "error");
    _confab_session_window_add_toast (self, error->message);
    return;
  }
  gtk_popover_popdown (self->transfer_popover);
  /* Translators: %s is a SIP address */
  message = g_strdup_printf (_("Transferring the call to %s…"), target);
  _confab_session_window_add_toast (self, message);
}

/* XDG_MUSIC_DIR/Confab/Call with NAME YYYY-MM-DD HH-MM.wav, made unique;
 * the folder is created. */
static char *
dup_recording_path (ConfabSessionWindow  *self,
                    GError              **error)
{
  const char *music = g_get_user_special_dir (G_USER_DIRECTORY_MUSIC);
  g_autofree char *folder = NULL;
  g_autofree char *name = _confab_session_window_dup_remote_name (self->session);
  g_autofree char *short_name = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *base = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (music)
    folder = g_build_filename (music, "Confab", NULL);
  else
    folder = g_build_filename (g_get_home_dir (), "Music", "Confab", NULL);
  if (g_mkdir_with_parents (folder, 0755) != 0) {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Could not create the folder “%s” for recordings: %s"), folder,
                 g_strerror (saved_errno));
    return NULL;
  }

  /* Characters some file systems refuse; SIP addresses carry ':'. */
  g_strdelimit (name, "/\\:*?\"<>|", '_');
  short_name = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), MAX_NAME_CHARS));
  stamp = g_date_time_format (now, "%Y-%m-%d %H-%M");
  /* Translators: the file name of a call recording: the other party, then
   * the date and time, like "Call with bob@example.org 2026-03-01 14-05" */
  base = g_strdup_printf (_("Call with %s %s"), short_name, stamp);
  for (guint n = 1;; n++) {
    g_autofree char *file = n == 1 ? g_strdup_printf ("%s.wav", base)
                                   : g_strdup_printf ("%s (%u).wav", base, n);
    g_autofree char *path = g_build_filename (folder, file, NULL);

    if (!g_file_test (path, G_FILE_TEST_EXISTS))
      return g_steal_pointer (&path);
  }
}

static void
on_record_change_state (GSimpleAction *action,
                        GVariant      *value,
                        gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (!self->audio)
    return;
  /* The state follows the stream's "recording", through
   * _confab_session_window_update_recording(). */
  if (!g_variant_get_boolean (value)) {
    confab_audio_stream_stop_recording (self->audio);
    return;
  }
  if (confab_audio_stream_is_recording (self->audio))
    return;
  path = dup_recording_path (self, &error);
  if (path) {
    g_free (self->recording_path);
    self->recording_path = g_strdup (path);
  }
  if (!path || !confab_audio_stream_start_recording (self->audio, path, &error)) {
    g_autofree char *message = g_strdup_printf (_("The call cannot be recorded: %s"),
                                                error->message);

    if (path)
      g_unlink (path);
    _confab_session_window_add_toast (self, message);
    _confab_session_window_update_recording (self);
  }
}

static void
on_open_recording_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));
  g_autofree char *uri = g_file_get_uri (file);

  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
on_hangup_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;

  confab_session_hangup (self->session);
}

static void
on_answer_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;

  confab_session_accept (self->session);
}

static void
on_decline_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;

  confab_session_reject (self->session, 603);
}

static void
on_close_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static const GActionEntry session_actions[] = {
  { "mute", NULL, NULL, "false", on_mute_change_state, { 0 } },
  { "hold", NULL, NULL, "false", on_hold_change_state, { 0 } },
  { "keypad", on_keypad_activated, NULL, NULL, NULL, { 0 } },
  { "dtmf", on_dtmf_activated, "s", NULL, NULL, { 0 } },
  { "record", NULL, NULL, "false", on_record_change_state, { 0 } },
  { "open-recording", on_open_recording_activated, "s", NULL, NULL, { 0 } },
  { "transfer", on_transfer_activated, NULL, NULL, NULL, { 0 } },
  { "hangup", on_hangup_activated, NULL, NULL, NULL, { 0 } },
  { "answer", on_answer_activated, NULL, NULL, NULL, { 0 } },
  { "decline", on_decline_activated, NULL, NULL, NULL, { 0 } },
  { "close", on_close_activated, NULL, NULL, NULL, { 0 } },
};

void
_confab_session_window_init_actions (ConfabSessionWindow *self)
{
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), session_actions,
                                   G_N_ELEMENTS (session_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "session", G_ACTION_GROUP (self->actions));
}

/* Which actions make sense in the session's state, and the toggles'
 * states from the session. */
void
_confab_session_window_update_actions (ConfabSessionWindow *self)
{
  ConfabSessionState state = self->session ? confab_session_get_state (self->session)
                                           : CONFAB_SESSION_STATE_TERMINATED;
  gboolean established = state == CONFAB_SESSION_STATE_ESTABLISHED;
  gboolean held = self->session && confab_session_get_local_hold (self->session);

  g_simple_action_set_enabled (lookup (self, "mute"), established && self->audio);
  g_simple_action_set_enabled (lookup (self, "hold"), established);
  g_simple_action_set_enabled (lookup (self, "keypad"), established && self->audio);
  g_simple_action_set_enabled (lookup (self, "dtmf"), established && self->audio);
  g_simple_action_set_enabled (lookup (self, "record"), established && self->audio);
  g_simple_action_set_enabled (lookup (self, "transfer"), established);
  g_simple_action_set_enabled (lookup (self, "hangup"), state < CONFAB_SESSION_STATE_TERMINATING);
  g_simple_action_set_enabled (lookup (self, "answer"), state == CONFAB_SESSION_STATE_INCOMING);
  g_simple_action_set_enabled (lookup (self, "decline"), state == CONFAB_SESSION_STATE_INCOMING);

  g_simple_action_set_state (lookup (self, "hold"), g_variant_new_boolean (held));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hold_button), held ? _("Resume") : _("Hold"));
  /* Menu buttons carry no action; they follow the actions they open. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad_button), established && self->audio);
  gtk_widget_set_sensitive (GTK_WIDGET (self->transfer_button), established);
  gtk_widget_set_visible (GTK_WIDGET (self->mute_button), self->audio != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->keypad_button), self->audio != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->record_button), self->audio != NULL);
  _confab_session_window_apply_mute (self);
  _confab_session_window_update_recording (self);
}

/* The Record toggle and the "Recording" sign follow the stream; when a
 * recording ends (by the button or with the call) a toast says where the
 * file is. */
void
_confab_session_window_update_recording (ConfabSessionWindow *self)
{
  gboolean recording = self->audio && confab_audio_stream_is_recording (self->audio);

  g_simple_action_set_state (lookup (self, "record"), g_variant_new_boolean (recording));
  gtk_widget_set_visible (self->recording_indicator, recording);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->record_button),
                               recording ? _("Stop Recording") : _("Record Call"));

  if (self->recording && !recording && self->recording_path) {
    const char *home = g_get_home_dir ();
    gsize home_len = strlen (home);
    g_autofree char *shown = NULL;
    g_autofree char *title = NULL;
    AdwToast *toast;

    if (home_len > 1 && g_str_has_prefix (self->recording_path, home) &&
        self->recording_path[home_len] == G_DIR_SEPARATOR)
      shown = g_strconcat ("~", self->recording_path + home_len, NULL);
    else
      shown = g_strdup (self->recording_path);
    /* Translators: %s is a file, like ~/Music/Confab/Call with bob 2026-03-01 14-05.wav */
    title = g_strdup_printf (_("Recording saved to %s"), shown);
    toast = adw_toast_new (title);
    adw_toast_set_timeout (toast, 8);
    adw_toast_set_button_label (toast, _("_Open"));
    adw_toast_set_action_name (toast, "session.open-recording");
    adw_toast_set_action_target_value (toast, g_variant_new_string (self->recording_path));
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
  }
  self->recording = recording;
}

void
_confab_session_window_apply_mute (ConfabSessionWindow *self)
{
  g_simple_action_set_state (lookup (self, "mute"), g_variant_new_boolean (self->muted));
  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            self->muted ? "microphone-disabled-symbolic"
                                        : "audio-input-microphone-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mute_button),
                               self->muted ? _("Unmute Microphone") : _("Mute Microphone"));
  if (self->audio)
    confab_audio_stream_set_muted (self->audio, self->muted);
}
