/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-application.h"
#include "confab-main-window.h"
#include "confab-preferences-window.h"
#include "confab-test-devices.h"
#include "confab-test-ui.h"

#include <glib/gstdio.h>

#include <string.h>

/* The Calls page of the preferences, in the app under Xvfb, with fake
 * sound devices (a GStreamer device provider registered here): devices
 * listed and followed as they come and go, the choices stored in GSettings
 * and handed to the session manager for new calls, the STUN server
 * checked before it is kept. Screenshots go to tests/artifacts/. */

#define DEADLINE_S 30

static ConfabApplication *app;
static char *artifacts_dir;
static gint64 deadline;
static gboolean passed;

#define WAIT_UNTIL(condition)                                                   \
  G_STMT_START {                                                                \
    while (!(condition)) {                                                      \
      if (g_get_monotonic_time () > deadline) {                                 \
        g_printerr ("not ok - timed out waiting for %s (line %d)\n", #condition, \
                    __LINE__);                                                  \
        return FALSE;                                                           \
      }                                                                         \
      g_main_context_iteration (NULL, FALSE);                                   \
      g_usleep (2000);                                                          \
    }                                                                           \
  } G_STMT_END

#define CHECK(condition, ...)                                                   \
  G_STMT_START {                                                                \
    if (!(condition)) {                                                         \
      g_printerr ("not ok - " __VA_ARGS__);                                     \
      g_printerr (" (%s, line %d)\n", #condition, __LINE__);                    \
      return FALSE;                                                             \
    }                                                                           \
    g_printerr ("ok - " __VA_ARGS__);                                           \
    g_printerr ("\n");                                                          \
  } G_STMT_END

/* Where the device with @id is in the row's list; -1 if not there. */
static int
row_position (ConfabDeviceRow *row,
              const char      *id)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  guint n = model ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabAudioDevice) device = g_list_model_get_item (model, i);

    if (g_strcmp0 (confab_audio_device_get_id (device), id) == 0)
      return (int) i;
  }
  return -1;
}

static gboolean
widget_has_error (gpointer widget)
{
  return gtk_widget_has_css_class (GTK_WIDGET (widget), "error");
}

static void
pump (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until) {
    g_main_context_iteration (NULL, FALSE);
    g_usleep (2000);
  }
}

static gboolean
run_checks (void)
{
  GSettings *settings = confab_application_get_settings (app);
  ConfabSessionManager *sessions = confab_application_get_session_manager (app);
  ConfabPreferencesWindow *prefs;
  ConfabDeviceRow *mic, *speaker;
  AdwEntryRow *stun;
  const ConfabIceServers *servers = NULL;
  gboolean offer = FALSE, accept = FALSE;

  /* Defaults, applied to the session manager at startup. */
  confab_session_manager_get_ice (sessions, &offer, &accept, &servers);
  CHECK (offer && accept && confab_session_manager_get_echo_cancel (sessions) &&
         !confab_session_manager_get_audio_input_device (sessions) &&
         !confab_session_manager_get_audio_output_device (sessions),
         "defaults: ICE offered and accepted, echo cancellation on, system default devices");

  prefs = CONFAB_PREFERENCES_WINDOW (confab_application_show_preferences (app));
  confab_preferences_window_show_page (prefs, "calls");
  mic = confab_preferences_window_get_device_row (prefs, CONFAB_AUDIO_DEVICE_SOURCE);
  speaker = confab_preferences_window_get_device_row (prefs, CONFAB_AUDIO_DEVICE_SINK);
  stun = confab_preferences_window_get_stun_row (prefs);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (mic)));

  CHECK (row_position (mic, NULL) == 0 && row_position (mic, "confab-test-mic") > 0 &&
         row_position (mic, "confab-test-speaker") < 0 &&
         confab_device_row_get_selected_id (mic) == NULL,
         "microphones: System default (chosen), then Test Microphone; no speakers");
  CHECK (row_position (speaker, "confab-test-speaker") > 0 &&
         row_position (speaker, "confab-test-mic") < 0,
         "speakers: Test Speaker; no microphones");

  /* A headset plugged in while the preferences are open, then removed. */
  confab_test_devices_add (TRUE, "confab-test-usb", "USB Headset Microphone");
  WAIT_UNTIL (row_position (mic, "confab-test-usb") > 0);
  CHECK (confab_device_row_get_selected_id (mic) == NULL,
         "a microphone plugged in shows up; the choice stays");

  /* Choosing it: kept in GSettings, given to new calls. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (mic), (guint) row_position (mic, "confab-test-usb"));
  WAIT_UNTIL (g_strcmp0 (confab_session_manager_get_audio_input_device (sessions),
                         "confab-test-usb") == 0);
  {
    g_autofree char *stored = g_settings_get_string (settings, "audio-input-device");

    CHECK (g_strcmp0 (stored, "confab-test-usb") == 0,
           "choosing the USB microphone stores \"%s\" and the session manager has it", stored);
  }
  pump (300);
  if (!confab_test_ui_save_screenshot (GTK_WIDGET (prefs), artifacts_dir,
                                       "ui-preferences-calls.png"))
    return FALSE;

  /* Unplugged: the list says so, the setting stays for when it returns. */
  confab_test_devices_remove ("confab-test-usb");
  WAIT_UNTIL (row_position (mic, "confab-test-usb") == 1);
  {
    g_autofree char *stored = g_settings_get_string (settings, "audio-input-device");

    CHECK (g_strcmp0 (confab_device_row_get_selected_id (mic), "confab-test-usb") == 0 &&
           g_strcmp0 (stored, "confab-test-usb") == 0 &&
           strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (mic)), "USB Headset"),
           "unplugged, it stays chosen and is marked: \"%s\"",
           adw_action_row_get_subtitle (ADW_ACTION_ROW (mic)));
  }
  pump (300);
  if (!confab_test_ui_save_screenshot (GTK_WIDGET (prefs), artifacts_dir,
                                       "ui-preferences-calls-unplugged.png"))
    return FALSE;
  confab_test_devices_add (TRUE, "confab-test-usb", "USB Headset Microphone");
  WAIT_UNTIL (row_position (mic, "confab-test-usb") > 1);
  CHECK (g_strcmp0 (confab_device_row_get_selected_id (mic), "confab-test-usb") == 0 &&
         row_position (mic, "confab-test-usb") == row_position (mic, "confab-test-mic") + 1 &&
         g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (mic)),
                    "USB Headset Microphone") == 0,
         "plugged in again, it is chosen as before");

  /* Back to the default: "" in GSettings, NULL for the session manager. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (mic), 0);
  WAIT_UNTIL (confab_session_manager_get_audio_input_device (sessions) == NULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (speaker),
                              (guint) row_position (speaker, "confab-test-speaker"));
  WAIT_UNTIL (g_strcmp0 (confab_session_manager_get_audio_output_device (sessions),
                         "confab-test-speaker") == 0);
  CHECK (TRUE, "System default and Test Speaker chosen, the session manager follows");

  g_settings_set_boolean (settings, "echo-cancellation", FALSE);
  CHECK (!confab_session_manager_get_echo_cancel (sessions),
         "echo cancellation off reaches the session manager");
  g_settings_set_boolean (settings, "echo-cancellation", TRUE);

  /* STUN: a bad server is refused and not stored; a good one is. */
  gtk_editable_set_text (GTK_EDITABLE (stun), "not a host:99999");
  g_signal_emit_by_name (stun, "apply");
  {
    g_autofree char *stored = g_settings_get_string (settings, "stun-server");

    CHECK (widget_has_error (stun) && !*stored, "a bad STUN server is refused");
  }
  gtk_editable_set_text (GTK_EDITABLE (stun), " stun.example.org:3479 ");
  g_signal_emit_by_name (stun, "apply");
  confab_session_manager_get_ice (sessions, &offer, &accept, &servers);
  CHECK (!widget_has_error (stun) && servers &&
         g_strcmp0 (servers->stun_host, "stun.example.org") == 0 && servers->stun_port == 3479,
         "stun.example.org:3479 is kept and handed to the session manager");

  g_settings_set_boolean (settings, "ice-enabled", FALSE);
  confab_session_manager_get_ice (sessions, &offer, &accept, NULL);
  CHECK (!offer && !accept && !gtk_widget_get_sensitive (GTK_WIDGET (stun)),
         "ICE off: neither offered nor accepted, the STUN entry greyed out");
  g_settings_set_boolean (settings, "ice-enabled", TRUE);
  confab_session_manager_get_ice (sessions, &offer, &accept, NULL);
  CHECK (offer && accept && gtk_widget_get_sensitive (GTK_WIDGET (stun)), "ICE on again");

  g_settings_set_boolean (settings, "ringtone-enabled", FALSE);
  CHECK (!confab_application_is_ringing (app), "ringtone off, nothing rings");

  /* The shortcuts window lists Record (Ctrl+R) with the call shortcuts. */
  {
    ConfabMainWindow *main_window = confab_application_get_main_window (app);
    GtkShortcutsWindow *shortcuts;

    gtk_window_close (GTK_WINDOW (prefs));
    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.show-help-overlay", NULL);
    shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (main_window));
    WAIT_UNTIL (shortcuts && gtk_widget_get_mapped (GTK_WIDGET (shortcuts)));
    pump (300);
    if (!confab_test_ui_save_screenshot (GTK_WIDGET (shortcuts), artifacts_dir, "ui-shortcuts.png"))
      return FALSE;
    CHECK (TRUE, "the shortcuts window opens");
  }
  return TRUE;
}

static gboolean
on_start (gpointer user_data)
{
  passed = run_checks ();
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *application)
{
  static gboolean started;

  if (started)
    return;
  started = TRUE;
  g_timeout_add (100, on_start, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *config = NULL;
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("CONFAB_BIND_ADDRESS", "127.0.0.1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  /* Before anything lists devices. */
  confab_test_devices_register ();
  confab_test_devices_add (TRUE, "confab-test-mic", "Test Microphone");
  confab_test_devices_add (FALSE, "confab-test-speaker", "Test Speaker");

  dir = g_dir_make_tmp ("confab-ui-prefs-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (dir, "accounts.json", NULL);
  g_assert_true (g_file_set_contents (config, "{\"version\":1,\"accounts\":[]}", -1, NULL));
  artifacts_dir = g_build_filename (builddir ? builddir : ".", "artifacts", NULL);
  g_mkdir_with_parents (artifacts_dir, 0755);
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_int (settings, "local-port", 0);

  app = confab_application_new_for_testing (NULL, config);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  {
    char *app_argv[] = { argv[0], NULL };

    g_application_run (G_APPLICATION (app), 1, app_argv);
  }
  g_clear_object (&app);

  g_unlink (config);
  g_rmdir (dir);
  g_free (artifacts_dir);
  g_printerr (passed ? "UI preferences test passed\n" : "UI preferences test FAILED\n");
  return passed ? 0 : 1;
}
