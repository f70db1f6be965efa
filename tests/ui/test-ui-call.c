/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-application.h"
#include "confab-main-window.h"
#include "confab-session-window.h"
#include "confab-test-audio.h"
#include "confab-test-peer.h"
#include "confab-test-ui.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <math.h>

/* Audio calls in the app under Xvfb, against real confab-cli peers on
 * loopback: an outgoing call dialled from the main window (recorded for a
 * while, held, then hung up) and an incoming call, ringing, answered from
 * its window. Both sides play WAV tones instead of sound devices.
 * Screenshots go to tests/artifacts/. */

#define DEADLINE_S      40
#define TONE_SECONDS    6
#define RECORD_MS       2000
#define APP_TONE        1000.0
#define PEER_TONE       1800.0
#define HEARD           0.05
#define TONE_RATE       48000

typedef enum {
  STAGE_WAIT_READY,
  STAGE_WAIT_ESTABLISHED,
  STAGE_WAIT_RECORDING,
  STAGE_WAIT_HOLD,
  STAGE_WAIT_OUTGOING_END,
  STAGE_WAIT_INCOMING,
  STAGE_WAIT_ANSWERED,
  STAGE_WAIT_INCOMING_END,
} Stage;

static const char *stage_names[] = {
  "ready", "established", "recording", "hold", "outgoing end", "incoming", "answered", "incoming end",
};

typedef ConfabTestPeer Peer;

static ConfabApplication *app;
static char *artifacts_dir;
static char *work_dir;
static char *music_dir;
static char *peer_wav;
static char *peer_record;
static gint64 deadline;
static gint64 stage_started;
static gboolean passed;

/* Every peer plays its tone and records what it hears. */
static void
start_peer (Peer        *peer,
            const char **command)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  for (; *command; command++)
    g_ptr_array_add (argv, (char *) *command);
  g_ptr_array_add (argv, "--play");
  g_ptr_array_add (argv, peer_wav);
  g_ptr_array_add (argv, "--record");
  g_ptr_array_add (argv, peer_record);
  g_ptr_array_add (argv, NULL);
  confab_test_peer_start (peer, (const char * const *) argv->pdata, NULL);
}
static Stage stage;
static Peer listener = { .name = "listener" };
static Peer caller = { .name = "caller" };
static ConfabSession *outgoing;
static ConfabSession *incoming;

static gboolean
write_tone (const char *path,
            double      frequency)
{
  g_autoptr (GError) error = NULL;
  ConfabTestAudio *audio = confab_test_audio_new (TONE_RATE, TONE_SECONDS);
  gboolean ok;

  confab_test_audio_add_tone (audio, frequency, 0.25, 0, TONE_SECONDS);
  ok = confab_test_audio_write_wav (audio, path, &error);
  confab_test_audio_free (audio);
  g_assert_no_error (error);
  return ok;
}


static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *session,
                  gpointer              user_data)
{
  ConfabSession **slot = confab_session_is_incoming (session) ? &incoming : &outgoing;

  if (!*slot)
    *slot = g_object_ref (session);
}

static ConfabSessionWindow *
window_for (ConfabSession *session)
{
  return session ? confab_application_get_session_window (app, session) : NULL;
}

/* "00:01", not "Calling…" */
static gboolean
shows_duration (ConfabSessionWindow *window)
{
  const char *text = confab_session_window_get_status_text (window);

  return text && g_regex_match_simple ("^[0-9]{2}:[0-9]{2}$", text, 0, 0);
}

/* The recording holds both sides: the app's tone and the peer's. */
static gboolean
check_recording (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabTestAudio) audio = NULL;
  g_autofree char *folder = g_build_filename (music_dir, "Confab", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  double app_level, peer_level;

  if (g_strcmp0 (dir, folder) != 0 || !g_str_has_prefix (base, "Call with ") ||
      !g_str_has_suffix (base, ".wav")) {
    g_printerr ("not ok - recorded to %s, not to %s/Call with ….wav\n", path, folder);
    return FALSE;
  }
  audio = confab_test_audio_read_wav (path, &error);
  if (!audio) {
    g_printerr ("not ok - the recording %s cannot be read: %s\n", path, error->message);
    return FALSE;
  }
  app_level = confab_test_audio_tone_level (audio, APP_TONE, 0.2, -1);
  peer_level = confab_test_audio_tone_level (audio, PEER_TONE, 0.2, -1);
  g_printerr ("%s - recording \"%s\": %.2f s, %.0f Hz (ours) at %.3f, %.0f Hz (peer) at %.3f\n",
              confab_test_audio_duration (audio) > RECORD_MS / 1000.0 - 0.6 &&
              app_level > HEARD && peer_level > HEARD ? "ok" : "not ok",
              base, confab_test_audio_duration (audio), APP_TONE, app_level, PEER_TONE,
              peer_level);
  return confab_test_audio_duration (audio) > RECORD_MS / 1000.0 - 0.6 && app_level > HEARD &&
         peer_level > HEARD;
}

static void
set_stage (Stage next)
{
  stage = next;
  stage_started = g_get_monotonic_time ();
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
check_ui (gpointer user_data)
{
  ConfabMainWindow *main_window = confab_application_get_main_window (app);
  ConfabAccount *local = confab_account_manager_get_local_account (
    confab_application_get_account_manager (app));
  ConfabSessionWindow *window;

  if (g_get_monotonic_time () > deadline) {
    ConfabSession *session = incoming ? incoming : outgoing;

    g_printerr ("not ok - timed out waiting for: %s (session %s)\n", stage_names[stage],
                session ? confab_session_state_to_string (confab_session_get_state (session))
                        : "none");
    finish (FALSE);
    return G_SOURCE_REMOVE;
  }

  switch (stage) {
  case STAGE_WAIT_READY:
    if (!listener.contact || !local || !confab_account_get_contact (local) ||
        !gtk_widget_get_mapped (GTK_WIDGET (main_window)))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - app reachable at %s, peer listening at %s\n",
                confab_account_get_contact (local), listener.contact);
    confab_main_window_set_dial_address (main_window, listener.contact);
    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.call", NULL);
    set_stage (STAGE_WAIT_ESTABLISHED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_ESTABLISHED:
    window = window_for (outgoing);
    if (!window || !gtk_widget_get_mapped (GTK_WIDGET (window)) ||
        confab_session_get_state (outgoing) != CONFAB_SESSION_STATE_ESTABLISHED ||
        !shows_duration (window) || !*confab_session_window_get_quality_text (window))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - dialled call established: \"%s\", \"%s\"\n",
                confab_session_window_get_status_text (window),
                confab_session_window_get_quality_text (window));
    if (!confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "ui-call-window.png"))
      return G_SOURCE_CONTINUE;
    g_assert_false (gtk_widget_get_visible (confab_session_window_get_recording_indicator (window)));
    gtk_widget_activate_action (GTK_WIDGET (window), "session.record", NULL);
    set_stage (STAGE_WAIT_RECORDING);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_RECORDING:
    window = window_for (outgoing);
    if (!gtk_widget_get_visible (confab_session_window_get_recording_indicator (window)) ||
        !stage_elapsed_ms (RECORD_MS))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - recording: the audio bar says so\n");
    if (!confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir,
                                         "ui-call-recording.png"))
      return G_SOURCE_CONTINUE;
    /* Stopping finishes the file before it returns. */
    gtk_widget_activate_action (GTK_WIDGET (window), "session.record", NULL);
    if (gtk_widget_get_visible (confab_session_window_get_recording_indicator (window)) ||
        !confab_session_window_get_recording_path (window) ||
        !check_recording (confab_session_window_get_recording_path (window))) {
      finish (FALSE);
      return G_SOURCE_REMOVE;
    }
    gtk_widget_activate_action (GTK_WIDGET (window), "session.hold", NULL);
    set_stage (STAGE_WAIT_HOLD);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_HOLD:
    window = window_for (outgoing);
    /* Leave the re-INVITE a moment to be answered before hanging up. */
    if (!confab_session_get_local_hold (outgoing) || !stage_elapsed_ms (700))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - hold: local-hold is TRUE, header says \"%s\"\n",
                confab_session_window_get_status_text (window));
    gtk_widget_activate_action (GTK_WIDGET (window), "session.hangup", NULL);
    set_stage (STAGE_WAIT_OUTGOING_END);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_OUTGOING_END:
    if (confab_session_get_state (outgoing) != CONFAB_SESSION_STATE_TERMINATED || !listener.exited)
      return G_SOURCE_CONTINUE;
    if (!listener.exit_ok) {
      g_printerr ("not ok - the listening peer did not exit 0\n");
      finish (FALSE);
      return G_SOURCE_REMOVE;
    }
    window = window_for (outgoing);
    g_printerr ("ok - hung up: session terminated (%s), window says \"%s\", peer exited 0\n",
                confab_session_get_end_reason (outgoing),
                window ? confab_session_window_get_status_text (window) : "(closed)");
    {
      const char *call[] = { "call", confab_account_get_contact (local), "--duration", "3", NULL };

      start_peer (&caller, call);
    }
    set_stage (STAGE_WAIT_INCOMING);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INCOMING:
    window = window_for (incoming);
    if (!window || !gtk_widget_get_mapped (GTK_WIDGET (window)) ||
        confab_session_get_state (incoming) != CONFAB_SESSION_STATE_INCOMING ||
        !gtk_widget_is_visible (confab_session_window_get_answer_button (window)) ||
        !gtk_widget_is_visible (confab_session_window_get_decline_button (window)) ||
        !confab_application_is_ringing (app) || !stage_elapsed_ms (300))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - incoming call window shows Answer and Decline (\"%s\"), ringing\n",
                confab_session_window_get_status_text (window));
    if (!confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "ui-incoming-call.png"))
      return G_SOURCE_CONTINUE;
    /* The ringtone switch in the preferences silences it at once. */
    g_settings_set_boolean (confab_application_get_settings (app), "ringtone-enabled", FALSE);
    g_assert_false (confab_application_is_ringing (app));
    g_settings_set_boolean (confab_application_get_settings (app), "ringtone-enabled", TRUE);
    g_assert_true (confab_application_is_ringing (app));
    g_printerr ("ok - the ringtone setting silences the ring and brings it back\n");
    gtk_widget_activate (confab_session_window_get_answer_button (window));
    set_stage (STAGE_WAIT_ANSWERED);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_ANSWERED:
    window = window_for (incoming);
    if (confab_session_get_state (incoming) != CONFAB_SESSION_STATE_ESTABLISHED || !window ||
        !shows_duration (window))
      return G_SOURCE_CONTINUE;
    g_assert_false (gtk_widget_is_visible (confab_session_window_get_answer_button (window)));
    g_assert_false (confab_application_is_ringing (app));
    g_printerr ("ok - answered: established, ringing stopped, \"%s\", \"%s\"\n",
                confab_session_window_get_status_text (window),
                confab_session_window_get_quality_text (window));
    set_stage (STAGE_WAIT_INCOMING_END);
    return G_SOURCE_CONTINUE;

  case STAGE_WAIT_INCOMING_END:
    /* The caller hangs up after --duration 3. */
    if (confab_session_get_state (incoming) != CONFAB_SESSION_STATE_TERMINATED || !caller.exited)
      return G_SOURCE_CONTINUE;
    g_printerr ("%s - caller hung up: \"%s\", caller exit %s\n", caller.exit_ok ? "ok" : "not ok",
                confab_session_get_end_reason (incoming), caller.exit_ok ? "0" : "non-zero");
    finish (caller.exit_ok);
    return G_SOURCE_REMOVE;

  default:
    g_assert_not_reached ();
  }
}

static void
on_activate (GApplication *application)
{
  static gboolean started;

  if (started)
    return;
  started = TRUE;
  g_signal_connect (confab_application_get_session_manager (app), "session-added",
                    G_CALLBACK (on_session_added), NULL);
  {
    g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    "session.record");

    g_assert_true (accels && g_strv_contains ((const char *const *) accels, "<Control>r"));
  }
  g_timeout_add (100, check_ui, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *config = NULL;
  g_autofree char *app_wav = NULL;
  g_autofree char *app_record = NULL;
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  const char *listen[] = { "listen", "--auto-answer", "--calls", "1", NULL };

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("CONFAB_BIND_ADDRESS", "127.0.0.1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  work_dir = g_dir_make_tmp ("confab-ui-call-XXXXXX", &error);
  g_assert_no_error (error);
  /* Recordings go to XDG_MUSIC_DIR/Confab: here, a folder of the test's. */
  {
    g_autofree char *config_dir = g_build_filename (work_dir, "config", NULL);
    g_autofree char *user_dirs = g_build_filename (config_dir, "user-dirs.dirs", NULL);
    g_autofree char *contents = NULL;

    music_dir = g_build_filename (work_dir, "Music", NULL);
    contents = g_strdup_printf ("XDG_MUSIC_DIR=\"%s\"\n", music_dir);
    g_mkdir_with_parents (config_dir, 0700);
    g_assert_true (g_file_set_contents (user_dirs, contents, -1, NULL));
    g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  }
  artifacts_dir = g_build_filename (builddir ? builddir : ".", "artifacts", NULL);
  g_mkdir_with_parents (artifacts_dir, 0755);

  /* The app says 1 kHz, the peers 1800 Hz. */
  app_wav = g_build_filename (work_dir, "app-1000hz.wav", NULL);
  app_record = g_build_filename (work_dir, "app-heard.wav", NULL);
  peer_wav = g_build_filename (work_dir, "peer-1800hz.wav", NULL);
  peer_record = g_build_filename (work_dir, "peer-heard.wav", NULL);
  g_assert_true (write_tone (app_wav, APP_TONE));
  g_assert_true (write_tone (peer_wav, PEER_TONE));
  g_setenv ("CONFAB_AUDIO_PLAY", app_wav, TRUE);
  g_setenv ("CONFAB_AUDIO_RECORD", app_record, TRUE);

  /* No provider account; the local account on any free port. The memory
   * settings backend is shared with the app's GSettings. */
  config = g_build_filename (work_dir, "accounts.json", NULL);
  g_assert_true (g_file_set_contents (config, "{\"version\":1,\"accounts\":[]}", -1, NULL));
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_int (settings, "local-port", 0);

  start_peer (&listener, listen);

  app = confab_application_new_for_testing (NULL, config);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  {
    char *app_argv[] = { argv[0], NULL };

    g_application_run (G_APPLICATION (app), 1, app_argv);
  }
  g_clear_object (&outgoing);
  g_clear_object (&incoming);
  g_clear_object (&app);

  confab_test_peer_stop (&listener);
  confab_test_peer_stop (&caller);
  for (const char *const *p = (const char *const[]) { app_wav, app_record, peer_wav, peer_record,
                                                       config, NULL }; *p; p++)
    g_unlink (*p);
  {
    g_autoptr (GFile) work = g_file_new_for_path (work_dir);

    confab_test_ui_remove_tree (work);
  }
  g_free (work_dir);
  g_free (music_dir);
  g_free (peer_wav);
  g_free (peer_record);
  g_free (artifacts_dir);
  g_printerr (passed ? "UI call test passed\n" : "UI call test FAILED\n");
  return passed ? 0 : 1;
}
