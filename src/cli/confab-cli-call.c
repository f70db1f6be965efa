/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"
#include "confab-audio-stream.h"
#include "confab-session-manager.h"
#include "sdp/confab-sdp-audio.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

/* confab-cli call / listen: audio sessions, events as text or JSON lines.
 * Without --account they use the local account (any free port with
 * --local-port 0). */

#define SHUTDOWN_BOUND_MS 5000

typedef struct
{
  CliContext           *cli;
  GMainLoop            *loop;
  ConfabEngine         *engine;
  ConfabAccount        *account;
  ConfabSessionManager *manager;
  char                 *call_uri;
  char                 *dtmf;
  int                   duration;
  gboolean              auto_answer;
  int                   answer_after;
  int                   reject_status;
  int                   calls_wanted;
  int                   calls_ended;
  gboolean              calling;
  gboolean              established_once;
  int                   status;
  gboolean              stopping;
  guint                 duration_id;
} CallRun;

static void
stop (CallRun *run,
      int      status)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;
  run->status = status;
  g_main_loop_quit (run->loop);
}

static int
exit_code_for_end (ConfabSession *session,
                   gboolean       established)
{
  guint status = confab_session_get_end_status (session);

  if (established)
    return CLI_EXIT_OK;
  if (status == 401 || status == 403 || status == 407)
    return CLI_EXIT_AUTH;
  if (status == 408 || status == 503 || status == 0 || status >= 900)
    return CLI_EXIT_NETWORK;
  return CLI_EXIT_REJECTED;
}

static void
emit_session (CallRun       *run,
              ConfabSession *session)
{
  ConfabSessionState state = confab_session_get_state (session);
  ConfabAudioStream *audio =
    CONFAB_AUDIO_STREAM (confab_session_find_stream (session, CONFAB_TYPE_AUDIO_STREAM));
  JsonBuilder *event = cli_event_begin ("call");
  const char *reason = confab_session_get_end_reason (session);
  g_autofree char *summary = audio ? confab_audio_stream_dup_summary (audio) : NULL;
  gint64 elapsed_ms = (g_get_monotonic_time () - run->cli->started_us) / 1000;

  json_builder_set_member_name (event, "id");
  json_builder_add_string_value (event, confab_session_get_id (session));
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, confab_session_state_to_string (state));
  json_builder_set_member_name (event, "direction");
  json_builder_add_string_value (event, confab_session_is_incoming (session) ? "in" : "out");
  json_builder_set_member_name (event, "remote");
  json_builder_add_string_value (event, confab_session_get_remote_uri (session));
  if (state == CONFAB_SESSION_STATE_ESTABLISHED && audio && confab_audio_stream_get_codec (audio)) {
    g_autofree char *codec = g_strdup_printf ("%s/%u", confab_audio_stream_get_codec (audio),
                                              confab_audio_stream_get_clock_rate (audio));

    json_builder_set_member_name (event, "codec");
    json_builder_add_string_value (event, codec);
    json_builder_set_member_name (event, "srtp");
    json_builder_add_boolean_value (event, confab_audio_stream_get_srtp (audio));
  }
  json_builder_set_member_name (event, "local_hold");
  json_builder_add_boolean_value (event, confab_session_get_local_hold (session));
  json_builder_set_member_name (event, "remote_hold");
  json_builder_add_boolean_value (event, confab_session_get_remote_hold (session));
  if (state == CONFAB_SESSION_STATE_TERMINATED) {
    json_builder_set_member_name (event, "status");
    json_builder_add_int_value (event, confab_session_get_end_status (session));
    json_builder_set_member_name (event, "reason");
    json_builder_add_string_value (event, reason ? reason : "");
  }
  json_builder_set_member_name (event, "elapsed_ms");
  json_builder_add_int_value (event, elapsed_ms);

  cli_emit (run->cli, event, "%s %s %s%s%s%s%s", confab_session_get_id (session),
            confab_session_get_remote_uri (session), confab_session_state_to_string (state),
            summary && *summary && state == CONFAB_SESSION_STATE_ESTABLISHED ? " · " : "",
            state == CONFAB_SESSION_STATE_ESTABLISHED && summary ? summary : "",
            reason ? ": " : "", reason ? reason : "");
}

static gboolean
on_duration_over (gpointer user_data)
{
  ConfabSession *session = user_data;

  confab_session_hangup (session);
  return G_SOURCE_REMOVE;
}

static gboolean
on_answer_now (gpointer user_data)
{
  confab_session_accept (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_dtmf_received (ConfabAudioStream *audio,
                  char               digit,
                  CallRun           *run)
{
  JsonBuilder *event = cli_event_begin ("dtmf");
  char text[2] = { digit, '\0' };

  json_builder_set_member_name (event, "digit");
  json_builder_add_string_value (event, text);
  cli_emit (run->cli, event, _("DTMF %c"), digit);
}

static void
on_session_state (ConfabSession *session,
                  GParamSpec    *pspec,
                  CallRun       *run)
{
  ConfabSessionState state = confab_session_get_state (session);

  emit_session (run, session);

  if (state == CONFAB_SESSION_STATE_ESTABLISHED) {
    gboolean first = !run->established_once;

    run->established_once = TRUE;
    if (first && run->dtmf) {
      ConfabAudioStream *audio =
        CONFAB_AUDIO_STREAM (confab_session_find_stream (session, CONFAB_TYPE_AUDIO_STREAM));
      g_autoptr (GError) error = NULL;

      if (!audio || !confab_audio_stream_send_dtmf (audio, run->dtmf, &error))
        cli_error (run->cli, "%s", error ? error->message : _("No audio stream for DTMF"));
    }
    if (first && run->duration > 0)
      g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) run->duration, on_duration_over,
                                  g_object_ref (session), g_object_unref);
  } else if (state == CONFAB_SESSION_STATE_TERMINATED) {
    run->calls_ended++;
    if (run->calling)
      stop (run, exit_code_for_end (session, run->established_once));
    else if (run->calls_wanted > 0 && run->calls_ended >= run->calls_wanted)
      stop (run, CLI_EXIT_OK);
  }
}

static void
watch_session (CallRun       *run,
               ConfabSession *session)
{
  ConfabAudioStream *audio =
    CONFAB_AUDIO_STREAM (confab_session_find_stream (session, CONFAB_TYPE_AUDIO_STREAM));

  g_signal_connect (session, "notify::state", G_CALLBACK (on_session_state), run);
  g_signal_connect (session, "notify::remote-hold", G_CALLBACK (on_session_state), run);
  if (audio)
    g_signal_connect (audio, "dtmf-received", G_CALLBACK (on_dtmf_received), run);
  emit_session (run, session);
}

static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *session,
                  CallRun              *run)
{
  if (!confab_session_is_incoming (session))
    return;
  watch_session (run, session);
  if (run->reject_status)
    confab_session_reject (session, (guint) run->reject_status);
  else if (run->auto_answer)
    g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) run->answer_after, on_answer_now,
                                g_object_ref (session), g_object_unref);
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer user_data)
{
  CallRun *run = user_data;

  if (g_list_model_get_n_items (G_LIST_MODEL (run->manager)) > 0 && !run->stopping) {
    confab_session_manager_hangup_all (run->manager);
    /* The BYE/CANCEL ends the sessions; give them a moment. */
    g_timeout_add_seconds (2, quit_loop, run->loop);
    run->stopping = TRUE;
    return G_SOURCE_CONTINUE;
  }
  stop (run, run->established_once || !run->calling ? CLI_EXIT_OK : CLI_EXIT_FAILURE);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_listen_over (gpointer user_data)
{
  CallRun *run = user_data;

  run->duration_id = 0;
  on_signal (run);
  return G_SOURCE_REMOVE;
}

static void
on_account_state (ConfabAccount *account,
                  GParamSpec    *pspec,
                  CallRun       *run)
{
  ConfabAccountState state = confab_account_get_state (account);
  g_autoptr (GError) error = NULL;

  if (state == CONFAB_ACCOUNT_STATE_FAILED && !run->stopping) {
    cli_error (run->cli, _("Account %s: %s"), confab_account_get_address (account),
               confab_account_get_state_reason (account));
    stop (run, CLI_EXIT_NETWORK);
    return;
  }
  if (state != CONFAB_ACCOUNT_STATE_REGISTERED && state != CONFAB_ACCOUNT_STATE_READY)
    return;

  if (!run->calling) {
    JsonBuilder *event = cli_event_begin ("listening");
    const char *contact = confab_account_get_contact (account);

    json_builder_set_member_name (event, "account");
    json_builder_add_string_value (event, confab_account_get_address (account));
    json_builder_set_member_name (event, "contact");
    json_builder_add_string_value (event, contact ? contact : "");
    cli_emit (run->cli, event, _("Listening as %s (%s)"), confab_account_get_address (account),
              contact ? contact : "");
    return;
  }
  if (run->call_uri) {
    g_autofree char *uri = g_steal_pointer (&run->call_uri);
    ConfabSession *session = confab_session_manager_call (run->manager, account, uri, &error);

    if (!session) {
      cli_error (run->cli, "%s", error->message);
      stop (run, cli_exit_code_for_error (error));
      return;
    }
    watch_session (run, session);
  }
}

static gboolean
parse_srtp (const char *text,
            int        *mode)
{
  if (!text || g_str_equal (text, "offer"))
    *mode = CONFAB_SRTP_MODE_OFFER;
  else if (g_str_equal (text, "off"))
    *mode = CONFAB_SRTP_MODE_OFF;
  else if (g_str_equal (text, "require"))
    *mode = CONFAB_SRTP_MODE_REQUIRE;
  else
    return FALSE;
  return TRUE;
}

static int
run_sessions (CliContext  *cli,
              gboolean     calling,
              int          argc,
              char       **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (calling ? _("URI") : NULL);
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (ConfabEngine) engine = NULL;
  g_autoptr (ConfabAccountManager) accounts = NULL;
  g_autoptr (ConfabAccount) account = NULL;
  g_autoptr (ConfabSessionManager) manager = NULL;
  g_autofree char *play = NULL, *record = NULL, *dtmf = NULL, *srtp = NULL, *codecs = NULL;
  g_autofree char *reject = NULL;
  gboolean auto_answer = FALSE, ice = FALSE;
  int duration = 0, answer_after = 0, calls = 0, srtp_mode;
  guint sigint_id, sigterm_id;
  CallRun run = { 0 };
  const GOptionEntry call_entries[] = {
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &play, N_("Play this WAV file as the microphone"),
      N_("WAV") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record, N_("Record what the peer says to a WAV file"),
      N_("WAV") },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration,
      N_("Hang up this long after the call is answered"), N_("S") },
    { "dtmf", 0, 0, G_OPTION_ARG_STRING, &dtmf, N_("Send these DTMF digits once answered"),
      N_("DIGITS") },
    { "srtp", 0, 0, G_OPTION_ARG_STRING, &srtp, N_("SRTP: off, offer (default) or require"),
      "off|offer|require" },
    { "codecs", 0, 0, G_OPTION_ARG_STRING, &codecs,
      N_("Audio codecs in order of preference"), "opus,g722,pcmu,pcma" },
    { "ice", 0, 0, G_OPTION_ARG_NONE, &ice, N_("Use ICE (not available yet)"), NULL },
    { NULL }
  };
  const GOptionEntry listen_entries[] = {
    { "auto-answer", 0, 0, G_OPTION_ARG_NONE, &auto_answer, N_("Answer incoming calls"), NULL },
    { "answer-after", 0, 0, G_OPTION_ARG_INT, &answer_after,
      N_("Let it ring this long before answering"), N_("S") },
    { "reject", 0, 0, G_OPTION_ARG_STRING, &reject, N_("Refuse calls: busy or decline"),
      "busy|decline" },
    { "calls", 0, 0, G_OPTION_ARG_INT, &calls, N_("Exit after this many calls ended"), "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, call_entries, GETTEXT_PACKAGE);
  if (!calling)
    g_option_context_add_main_entries (context, listen_entries, GETTEXT_PACKAGE);
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }
  if ((calling && g_strv_length (args) != 2) || (!calling && g_strv_length (args) != 1)) {
    cli_error (cli, calling ? _("Usage: confab-cli call URI [OPTION…]")
                            : _("Usage: confab-cli listen [OPTION…]"));
    return CLI_EXIT_USAGE;
  }
  if (!parse_srtp (srtp, &srtp_mode)) {
    cli_error (cli, _("--srtp takes off, offer or require"));
    return CLI_EXIT_USAGE;
  }
  if (reject && !g_str_equal (reject, "busy") && !g_str_equal (reject, "decline")) {
    cli_error (cli, _("--reject takes busy or decline"));
    return CLI_EXIT_USAGE;
  }
  if (ice) {
    cli_error (cli, _("ICE is not available in this version"));
    return CLI_EXIT_FAILURE;
  }

  engine = cli_open_engine (cli);
  if (!engine)
    return CLI_EXIT_FAILURE;
  manager = confab_session_manager_new (engine);
  confab_session_manager_set_audio_codecs (manager, codecs);
  confab_session_manager_set_srtp_mode (manager, srtp_mode);
  confab_session_manager_set_audio_files (manager, play, record);

  if (cli->account) {
    accounts = cli_open_manager (cli, engine, &error);
    if (accounts)
      account = cli_resolve_account (cli, accounts, &error);
    if (!account) {
      cli_error (cli, "%s", error->message);
      return cli_exit_code_for_error (error);
    }
  } else {
    account = confab_account_new_local (NULL, cli->local_port >= 0 ? (guint) cli->local_port : 0);
  }

  run.cli = cli;
  run.loop = loop;
  run.engine = engine;
  run.account = account;
  run.manager = manager;
  run.calling = calling;
  run.call_uri = calling ? g_strdup (args[1]) : NULL;
  run.dtmf = dtmf;
  run.duration = duration;
  run.auto_answer = auto_answer;
  run.answer_after = answer_after;
  run.reject_status = !reject ? 0 : g_str_equal (reject, "busy") ? 486 : 603;
  run.calls_wanted = calls;
  run.status = CLI_EXIT_OK;

  g_signal_connect (manager, "session-added", G_CALLBACK (on_session_added), &run);
  g_signal_connect (account, "notify::state", G_CALLBACK (on_account_state), &run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);
  if (!calling && duration > 0)
    run.duration_id = g_timeout_add_seconds ((guint) duration, on_listen_over, &run);

  if (!confab_account_go_online (account, engine, &error)) {
    cli_error (cli, "%s", error->message);
    run.status = cli_exit_code_for_error (error);
  } else {
    g_main_loop_run (loop);
  }

  g_clear_handle_id (&run.duration_id, g_source_remove);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (account, &run);
  g_signal_handlers_disconnect_by_data (manager, &run);
  confab_session_manager_hangup_all (manager);
  g_clear_object (&manager);
  confab_account_go_offline (account);
  confab_engine_shutdown (engine, SHUTDOWN_BOUND_MS);
  g_free (run.call_uri);
  return run.status;
}

int
confab_cli_call (CliContext  *cli,
                 int          argc,
                 char       **argv)
{
  return run_sessions (cli, TRUE, argc, argv);
}

int
confab_cli_listen (CliContext  *cli,
                   int          argc,
                   char       **argv)
{
  return run_sessions (cli, FALSE, argc, argv);
}
