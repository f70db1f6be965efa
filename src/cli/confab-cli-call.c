/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"
#include "confab-audio-stream.h"
#include "confab-session-manager.h"
#include "sdp/confab-sdp-audio.h"
#include "im/confab-chat-stream.h"

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
  int                   hold_at;        /* seconds after answer; -1: never */
  int                   unhold_at;
  char                 *transfer_to;
  int                   transfer_at;
  int                   ring_timeout;   /* 0: ring as long as the peer lets us */
  gboolean              auto_answer;
  int                   answer_after;
  int                   reject_status;
  int                   calls_wanted;
  int                   calls_ended;
  gboolean              calling;
  gboolean              chat;           /* confab-cli chat: stdin lines are messages */
  guint                 typing_ms;
  guint                 expect;
  CliChatInput         *chat_input;
  int                   chat_status;    /* from the input: 1 if a message failed */
  gint64                stop_us;
  gboolean              established_once;
  gboolean              ring_timed_out;
  gboolean              interrupted;    /* SIGINT/SIGTERM: hanging up */
  int                   status;
  gboolean              stopping;
  GPtrArray            *timers;         /* GSource*: per-call timers, destroyed at exit */
} CallRun;

/* Something to do to one call a while after it was answered (or placed). */
typedef struct
{
  CallRun        *run;
  ConfabSession  *session;
  void          (*action) (CallRun       *run,
                           ConfabSession *session);
} CallTimer;

#define CHAT_FINISH_MS 12000 /* at most, for chats ending: their last reports */

static gboolean
quit_when_chats_finished (gpointer user_data)
{
  CallRun *run = user_data;

  if (run->cli->chat_connected > 0 &&
      g_get_monotonic_time () - run->stop_us < CHAT_FINISH_MS * G_TIME_SPAN_MILLISECOND)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static void
stop (CallRun *run,
      int      status)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;
  run->status = status;
  run->stop_us = g_get_monotonic_time ();
  if (run->cli->chat_connected > 0) {
    GSource *poll = g_timeout_source_new (20);

    g_source_set_callback (poll, quit_when_chats_finished, run, NULL);
    g_source_attach (poll, NULL);
    g_ptr_array_add (run->timers, poll);
    return;
  }
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

static gboolean
on_call_timer (gpointer user_data)
{
  CallTimer *timer = user_data;

  if (confab_session_get_state (timer->session) != CONFAB_SESSION_STATE_TERMINATED)
    timer->action (timer->run, timer->session);
  return G_SOURCE_REMOVE;
}

static void
call_timer_free (gpointer user_data)
{
  CallTimer *timer = user_data;

  g_object_unref (timer->session);
  g_free (timer);
}

/* Milliseconds: a seconds timeout waits for the next whole second. */
static void
schedule (CallRun       *run,
          ConfabSession *session,
          int            seconds,
          void         (*action) (CallRun *, ConfabSession *))
{
  CallTimer *timer;
  GSource *source;

  if (seconds < 0)
    return;
  timer = g_new0 (CallTimer, 1);
  timer->run = run;
  timer->session = g_object_ref (session);
  timer->action = action;
  source = g_timeout_source_new ((guint) seconds * 1000);
  g_source_set_callback (source, on_call_timer, timer, call_timer_free);
  g_source_attach (source, NULL);
  g_ptr_array_add (run->timers, source);
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
    json_builder_set_member_name (event, "ice");
    json_builder_add_boolean_value (event, confab_audio_stream_get_ice (audio));
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

static void
hang_up (CallRun       *run,
         ConfabSession *session)
{
  confab_session_hangup (session);
}

static void
give_up_ringing (CallRun       *run,
                 ConfabSession *session)
{
  if (confab_session_get_state (session) >= CONFAB_SESSION_STATE_CONNECTING)
    return;
  run->ring_timed_out = TRUE;
  cli_error (run->cli, _("No answer from %s within %d s"), confab_session_get_remote_uri (session),
             run->ring_timeout);
  confab_session_hangup (session);
}

static void
set_hold (CallRun       *run,
          ConfabSession *session,
          gboolean       hold)
{
  g_autoptr (GError) error = NULL;

  if (!confab_session_set_hold (session, hold, &error))
    cli_error (run->cli, "%s", error->message);
}

static void
hold (CallRun       *run,
      ConfabSession *session)
{
  set_hold (run, session, TRUE);
}

static void
unhold (CallRun       *run,
        ConfabSession *session)
{
  set_hold (run, session, FALSE);
}

static void
transfer (CallRun       *run,
          ConfabSession *session)
{
  g_autoptr (GError) error = NULL;

  if (!confab_session_transfer (session, run->transfer_to, &error))
    cli_error (run->cli, "%s", error->message);
}

static void
send_dtmf (CallRun       *run,
           ConfabSession *session)
{
  ConfabAudioStream *audio =
    CONFAB_AUDIO_STREAM (confab_session_find_stream (session, CONFAB_TYPE_AUDIO_STREAM));
  g_autoptr (GError) error = NULL;

  if (!audio || !confab_audio_stream_send_dtmf (audio, run->dtmf, &error))
    cli_error (run->cli, "%s", error ? error->message : _("No audio stream for DTMF"));
}

/* chat: end of input and every message has its final state. */
static void
on_chat_input_done (gpointer user_data,
                    int      status)
{
  CallRun *run = user_data;

  run->chat_status = status;
  confab_session_manager_hangup_all (run->manager);
}

/* Each call, once answered: --dtmf, --duration, --hold-at… count from then. */
static void
on_answered (CallRun       *run,
             ConfabSession *session)
{
  if (g_object_get_data (G_OBJECT (session), "confab-cli-answered"))
    return;
  g_object_set_data (G_OBJECT (session), "confab-cli-answered", GINT_TO_POINTER (TRUE));
  run->established_once = TRUE;
  if (run->chat && !run->chat_input && !confab_session_is_incoming (session))
    run->chat_input = cli_chat_input_new (run->cli, session, run->typing_ms, run->expect,
                                          on_chat_input_done, run);
  if (run->dtmf)
    send_dtmf (run, session);
  if (run->duration > 0)
    schedule (run, session, run->duration, hang_up);
  schedule (run, session, run->hold_at, hold);
  schedule (run, session, run->unhold_at, unhold);
  if (run->transfer_to)
    schedule (run, session, MAX (run->transfer_at, 0), transfer);
}

/* The call's exit code once every call has ended (../shared/CLI.md). */
static int
exit_code_for_run (CallRun       *run,
                   ConfabSession *last)
{
  if (run->established_once || !run->calling)
    return run->chat_status;
  if (run->ring_timed_out)
    return CLI_EXIT_NETWORK;
  if (run->interrupted)
    return CLI_EXIT_FAILURE;
  return exit_code_for_end (last, FALSE);
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

/* {"event":"ice","id":"c1","state":"connected","pair":"host"} */
static void
on_ice_changed (ConfabAudioStream *audio,
                CallRun           *run)
{
  JsonBuilder *event;
  ConfabSession *session = g_object_get_data (G_OBJECT (audio), "confab-cli-session");
  const char *state = confab_audio_stream_get_ice_state (audio);
  const char *pair = confab_audio_stream_get_ice_pair_type (audio);

  if (state == NULL)
    return;
  event = cli_event_begin ("ice");
  json_builder_set_member_name (event, "id");
  json_builder_add_string_value (event, session ? confab_session_get_id (session) : "");
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, state);
  if (pair) {
    json_builder_set_member_name (event, "pair");
    json_builder_add_string_value (event, pair);
  }
  for (guint side = 0; side < 2; side++) {
    g_auto (GStrv) types = confab_audio_stream_dup_ice_candidates (audio, side == 1);

    json_builder_set_member_name (event, side == 0 ? "candidates" : "remote_candidates");
    json_builder_begin_array (event);
    for (guint i = 0; types && types[i]; i++)
      json_builder_add_string_value (event, types[i]);
    json_builder_end_array (event);
  }
  cli_emit (run->cli, event, _("ICE %s%s%s"), state, pair ? " · " : "", pair ? pair : "");
}

static void
on_session_state (ConfabSession *session,
                  GParamSpec    *pspec,
                  CallRun       *run)
{
  ConfabSessionState state = confab_session_get_state (session);

  emit_session (run, session);

  if (state == CONFAB_SESSION_STATE_ESTABLISHED) {
    on_answered (run, session);
  } else if (state == CONFAB_SESSION_STATE_TERMINATED) {
    run->calls_ended++;
    /* The session manager has dropped the call already: a call still in the
     * list (one a transfer started) keeps a caller going. */
    if (run->calling && g_list_model_get_n_items (G_LIST_MODEL (run->manager)) == 0)
      stop (run, exit_code_for_run (run, session));
    else if (!run->calling &&
             ((run->interrupted && g_list_model_get_n_items (G_LIST_MODEL (run->manager)) == 0) ||
              (run->calls_wanted > 0 && run->calls_ended >= run->calls_wanted)))
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
  g_signal_connect (session, "notify::local-hold", G_CALLBACK (on_session_state), run);
  if (audio) {
    g_object_set_data (G_OBJECT (audio), "confab-cli-session", session);
    g_signal_connect (audio, "dtmf-received", G_CALLBACK (on_dtmf_received), run);
    g_signal_connect (audio, "ice-changed", G_CALLBACK (on_ice_changed), run);
  }
  cli_chat_watch_session (run->cli, session);
  cli_files_watch_session (run->cli, session);
  emit_session (run, session);
}

/* listen takes chat-only sessions without --auto-answer, as Blink does. */
static gboolean
is_chat_only (ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);
  guint n = g_list_model_get_n_items (streams);

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);

    if (!CONFAB_IS_CHAT_STREAM (stream))
      return FALSE;
  }
  return n > 0;
}

static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *session,
                  CallRun              *run)
{
  /* Every call: ours, incoming ones, and those a transfer starts. */
  watch_session (run, session);
  if (!confab_session_is_incoming (session)) {
    if (run->ring_timeout > 0)
      schedule (run, session, run->ring_timeout, give_up_ringing);
    return;
  }
  if (run->reject_status)
    confab_session_reject (session, (guint) run->reject_status);
  else if (cli_files_answer (run->cli, session))
    return;   /* file offers: --accept-files, --share-files */
  else if (run->auto_answer || is_chat_only (session))
    /* milliseconds: a seconds timeout waits for the next whole second, up
     * to 1 s of extra set-up time even with --answer-after 0 */
    g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) run->answer_after * 1000, on_answer_now,
                        g_object_ref (session), g_object_unref);
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* SIGINT/SIGTERM: hang up (BYE, or CANCEL while ringing), exit once the
 * calls ended; a second signal, or 2 s, and we exit anyway. */
static gboolean
on_signal (gpointer user_data)
{
  CallRun *run = user_data;
  gboolean first = !run->interrupted;

  run->interrupted = TRUE;
  run->status = exit_code_for_run (run, NULL);
  if (first && g_list_model_get_n_items (G_LIST_MODEL (run->manager)) > 0) {
    g_autoptr (GSource) fallback = g_timeout_source_new_seconds (2);

    g_source_set_callback (fallback, quit_loop, run->loop, NULL);
    g_source_attach (fallback, NULL);
    g_ptr_array_add (run->timers, g_source_ref (fallback));
    cli_files_cancel_all (run->cli);
    confab_session_manager_hangup_all (run->manager);
    return G_SOURCE_CONTINUE;
  }
  stop (run, run->status);
  return G_SOURCE_CONTINUE;
}

static void
on_account_state (ConfabAccount *account,
                  GParamSpec    *pspec,
                  CallRun       *run)
{
  ConfabAccountState state = confab_account_get_state (account);
  g_autoptr (GError) error = NULL;

  if (state == CONFAB_ACCOUNT_STATE_FAILED && !run->stopping) {
    int code = CLI_EXIT_NETWORK;

    cli_error (run->cli, _("Account %s: %s"), confab_account_get_address (account),
               confab_account_get_state_reason (account));
    /* A refused password is exit 3, as for register. */
    if (confab_account_get_failure_domain (account) == CONFAB_ERROR) {
      g_autoptr (GError) kind = g_error_new_literal (CONFAB_ERROR,
                                                     confab_account_get_failure_code (account), "");

      if (cli_exit_code_for_error (kind) == CLI_EXIT_AUTH)
        code = CLI_EXIT_AUTH;
    }
    stop (run, code);
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

    /* session-added watches it */
    if (!(run->chat ? confab_session_manager_chat (run->manager, account, uri, &error)
                    : confab_session_manager_call (run->manager, account, uri, &error))) {
      cli_error (run->cli, "%s", error->message);
      stop (run, cli_exit_code_for_error (error));
      return;
    }
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
              gboolean     chat,
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
  g_autofree char *reject = NULL, *transfer_to = NULL;
  g_autofree char *accept_files = NULL, *share_files = NULL;
  g_autoptr (ConfabIceServers) ice_servers = NULL;
  gboolean auto_answer = FALSE, ice = FALSE, no_ice = FALSE;
  int duration = 0, answer_after = 0, calls = 0, srtp_mode;
  int hold_at = -1, unhold_at = -1, transfer_at = -1, ring_timeout = 0, typing_delay = 0;
  int expect = 0;
  guint sigint_id, sigterm_id;
  CallRun run = { 0 };
  const GOptionEntry call_entries[] = {
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &play, N_("Play this WAV file as the microphone"),
      N_("WAV") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record, N_("Record what the peer says to a WAV file (a second call to NAME-2.wav…)"),
      N_("WAV") },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration,
      N_("Hang up each call this long after it is answered"), N_("S") },
    { "hold-at", 0, 0, G_OPTION_ARG_INT, &hold_at,
      N_("Put each call on hold this long after it is answered"), N_("S") },
    { "unhold-at", 0, 0, G_OPTION_ARG_INT, &unhold_at,
      N_("Resume each call this long after it is answered"), N_("S") },
    { "transfer-to", 0, 0, G_OPTION_ARG_STRING, &transfer_to,
      N_("Transfer each call to this address (blind transfer, REFER)"), N_("URI") },
    { "transfer-at", 0, 0, G_OPTION_ARG_INT, &transfer_at,
      N_("Transfer this long after the call is answered (default: at once)"), N_("S") },
    { "dtmf", 0, 0, G_OPTION_ARG_STRING, &dtmf, N_("Send these DTMF digits once answered"),
      N_("DIGITS") },
    { "srtp", 0, 0, G_OPTION_ARG_STRING, &srtp, N_("SRTP: off, offer (default) or require"),
      "off|offer|require" },
    { "codecs", 0, 0, G_OPTION_ARG_STRING, &codecs,
      N_("Audio codecs in order of preference"), "opus,g722,pcmu,pcma" },
    { "ice", 0, 0, G_OPTION_ARG_NONE, &ice,
      N_("Offer ICE (calls offered with ICE are answered with it)"), NULL },
    { "no-ice", 0, 0, G_OPTION_ARG_NONE, &no_ice,
      N_("Never use ICE: answer ICE offers with plain RTP"), NULL },
    { NULL }
  };
  const GOptionEntry ring_entries[] = {
    { "ring-timeout", 0, 0, G_OPTION_ARG_INT, &ring_timeout,
      N_("Give up (CANCEL) when not answered within this time; exit code 4"), N_("S") },
    { NULL }
  };
  const GOptionEntry chat_entries[] = {
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration,
      N_("End the session this long after it starts (default: at end of input)"), N_("S") },
    { "ring-timeout", 0, 0, G_OPTION_ARG_INT, &ring_timeout,
      N_("Give up (CANCEL) when not answered within this time; exit code 4"), N_("S") },
    { "typing-delay", 0, 0, G_OPTION_ARG_INT, &typing_delay,
      N_("Show “typing” (is-composing) this long before each message"), N_("MS") },
    { "expect", 0, 0, G_OPTION_ARG_INT, &expect,
      N_("At end of input, also wait until this many messages were received"), "N" },
    { NULL }
  };
  const GOptionEntry listen_entries[] = {
    { "auto-answer", 0, 0, G_OPTION_ARG_NONE, &auto_answer, N_("Answer incoming calls"), NULL },
    { "answer-after", 0, 0, G_OPTION_ARG_INT, &answer_after,
      N_("Let it ring this long before answering"), N_("S") },
    { "reject", 0, 0, G_OPTION_ARG_STRING, &reject, N_("Refuse calls: busy or decline"),
      "busy|decline" },
    { "calls", 0, 0, G_OPTION_ARG_INT, &calls, N_("Exit after this many calls ended"), "N" },
    { "echo", 0, 0, G_OPTION_ARG_NONE, &cli->chat_echo,
      N_("Send every chat message received back to its sender"), NULL },
    { "accept-files", 0, 0, G_OPTION_ARG_FILENAME, &accept_files,
      N_("Accept files sent to us and save them in this folder"), N_("DIR") },
    { "share-files", 0, 0, G_OPTION_ARG_FILENAME, &share_files,
      N_("Let peers fetch the files of this folder (by name and hash)"), N_("DIR") },
    { NULL }
  };

  if (chat) {
    g_option_context_add_main_entries (context, chat_entries, GETTEXT_PACKAGE);
  } else {
    g_option_context_add_main_entries (context, call_entries, GETTEXT_PACKAGE);
    g_option_context_add_main_entries (context, calling ? ring_entries : listen_entries,
                                       GETTEXT_PACKAGE);
  }
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }
  if ((calling && g_strv_length (args) != 2) || (!calling && g_strv_length (args) != 1)) {
    cli_error (cli, chat      ? _("Usage: confab-cli chat URI [OPTION…]")
                    : calling ? _("Usage: confab-cli call URI [OPTION…]")
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
  if (transfer_at >= 0 && !transfer_to) {
    cli_error (cli, _("--transfer-at needs --transfer-to"));
    return CLI_EXIT_USAGE;
  }
  if (!cli_check_msrp_transport (cli))
    return CLI_EXIT_USAGE;
  if (duration < 0 || ring_timeout < 0 || answer_after < 0 || typing_delay < 0 || expect < 0) {
    cli_error (cli, _("Times are seconds, 0 or more"));
    return CLI_EXIT_USAGE;
  }
  if (ice && no_ice) {
    cli_error (cli, _("--ice and --no-ice contradict each other"));
    return CLI_EXIT_USAGE;
  }
  ice_servers = confab_ice_servers_new ();
  if ((cli->stun && !confab_ice_servers_set_stun (ice_servers, cli->stun, &error)) ||
      (cli->turn && !confab_ice_servers_set_turn (ice_servers, cli->turn, NULL, NULL, &error))) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }

  engine = cli_open_engine (cli);
  if (!engine)
    return CLI_EXIT_FAILURE;
  manager = confab_session_manager_new (engine);
  cli_message_watch (cli, engine, G_OBJECT (manager));   /* page-mode messages print */
  confab_session_manager_set_audio_codecs (manager, codecs);
  confab_session_manager_set_srtp_mode (manager, srtp_mode);
  confab_session_manager_set_audio_files (manager, play, record);
  confab_session_manager_set_ice (manager, ice, !no_ice, ice_servers);
  if (!calling && !cli_files_listen_setup (cli, manager, accept_files, share_files))
    return CLI_EXIT_USAGE;
  cli_setup_session_manager (cli, manager);

  account = cli_open_account (cli, engine, &accounts, &error);
  if (!account) {
    cli_error (cli, "%s", error->message);
    return cli_exit_code_for_error (error);
  }

  run.cli = cli;
  run.loop = loop;
  run.engine = engine;
  run.account = account;
  run.manager = manager;
  run.calling = calling;
  run.chat = chat;
  run.typing_ms = (guint) typing_delay;
  run.expect = (guint) expect;
  run.call_uri = calling ? g_strdup (args[1]) : NULL;
  run.dtmf = dtmf;
  run.duration = duration;
  run.hold_at = hold_at;
  run.unhold_at = unhold_at;
  run.transfer_to = transfer_to;
  run.transfer_at = transfer_at;
  run.ring_timeout = ring_timeout;
  run.timers = g_ptr_array_new ();
  run.auto_answer = auto_answer;
  run.answer_after = answer_after;
  run.reject_status = !reject ? 0 : g_str_equal (reject, "busy") ? 486 : 603;
  run.calls_wanted = calls;
  run.status = CLI_EXIT_OK;

  g_signal_connect (manager, "session-added", G_CALLBACK (on_session_added), &run);
  g_signal_connect (account, "notify::state", G_CALLBACK (on_account_state), &run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);

  if (!confab_account_go_online (account, engine, &error)) {
    cli_error (cli, "%s", error->message);
    run.status = cli_exit_code_for_error (error);
  } else {
    g_main_loop_run (loop);
  }

  for (guint i = 0; i < run.timers->len; i++) {
    g_source_destroy (g_ptr_array_index (run.timers, i));
    g_source_unref (g_ptr_array_index (run.timers, i));
  }
  g_ptr_array_unref (run.timers);
  g_clear_pointer (&run.chat_input, cli_chat_input_free);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (account, &run);
  g_signal_handlers_disconnect_by_data (manager, &run);
  confab_session_manager_hangup_all (manager);
  cli_files_clear (cli);
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
  return run_sessions (cli, TRUE, FALSE, argc, argv);
}

int
confab_cli_chat (CliContext  *cli,
                 int          argc,
                 char       **argv)
{
  return run_sessions (cli, TRUE, TRUE, argc, argv);
}

int
confab_cli_listen (CliContext  *cli,
                   int          argc,
                   char       **argv)
{
  return run_sessions (cli, FALSE, FALSE, argc, argv);
}
