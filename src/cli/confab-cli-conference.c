/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"
#include "confab-session-manager.h"
#include "im/confab-chat-stream.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <string.h>

/* confab-cli conference join ROOM / watch ROOM: the room's participants
 * as events (RFC 4575), stdin lines as room messages and commands
 * (/invite, /remove, /nick, /msg). End of input or SIGINT leaves the room
 * (BYE and un-SUBSCRIBE). */

#define SHUTDOWN_BOUND_MS 5000
#define LEAVE_BOUND_S     3   /* wait this long for the BYE and un-SUBSCRIBE answers */

typedef struct
{
  CliContext           *cli;
  GMainLoop            *loop;
  ConfabEngine         *engine;
  ConfabAccount        *account;
  ConfabSessionManager *manager;
  gboolean              join;          /* join: INVITE; watch: SUBSCRIBE only */
  char                 *room;
  ConfabConferenceMedia media;
  char                 *nickname;      /* asked once the chat is up */
  ConfabSession        *session;       /* join */
  ConfabConference     *conference;    /* the session's, or the watched one */
  GPtrArray            *files;         /* ConfabRoomFile*: last reported */
  CliChatInput         *input;
  guint                 pending_refers;
  gboolean              started;
  gboolean              leaving;
  gboolean              input_done;
  int                   status;
  guint                 leave_id;
} ConferenceRun;

static void
stop (ConferenceRun *run,
      int            status)
{
  run->status = status;
  g_main_loop_quit (run->loop);
}

static void
add_string (JsonBuilder *event,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (event, name);
  json_builder_add_string_value (event, value ? value : "");
}

/* Events */

static void
emit_conference (ConferenceRun *run,
                 const char    *state,
                 const char    *reason)
{
  JsonBuilder *event = cli_event_begin ("conference");

  add_string (event, "room", run->room);
  add_string (event, "state", state);
  if (run->session) {
    json_builder_set_member_name (event, "focus");
    json_builder_add_boolean_value (event, confab_session_is_focus (run->session));
  }
  if (reason)
    add_string (event, "reason", reason);
  cli_emit (run->cli, event, "%s %s%s%s", run->room, state, reason ? ": " : "",
            reason ? reason : "");
}

static void
emit_participant (ConferenceRun     *run,
                  ConfabParticipant *participant,
                  const char        *action)
{
  JsonBuilder *event = cli_event_begin ("participant");
  const char * const *media = confab_participant_get_media (participant);
  g_autofree char *media_text = NULL;

  add_string (event, "action", action);
  add_string (event, "entity", confab_participant_get_entity (participant));
  add_string (event, "display", confab_participant_get_display_name (participant));
  json_builder_set_member_name (event, "media");
  json_builder_begin_array (event);
  for (guint i = 0; media && media[i]; i++)
    json_builder_add_string_value (event, media[i]);
  json_builder_end_array (event);
  add_string (event, "status", confab_participant_get_status (participant));
  json_builder_set_member_name (event, "self");
  json_builder_add_boolean_value (event, confab_participant_is_self (participant));
  json_builder_set_member_name (event, "on_hold");
  json_builder_add_boolean_value (event, confab_participant_get_on_hold (participant));
  json_builder_set_member_name (event, "muted");
  json_builder_add_boolean_value (event, confab_participant_get_muted (participant));
  media_text = media ? g_strjoinv (", ", (char **) media) : g_strdup ("");
  cli_emit (run->cli, event, "%s %s <%s> [%s]%s%s", action,
            confab_participant_get_display_name (participant),
            confab_participant_get_entity (participant), media_text,
            confab_participant_get_on_hold (participant) ? _(" on hold") : "",
            confab_participant_get_muted (participant) ? _(" muted") : "");
}

static void
on_participant_joined (ConfabConference  *conference,
                       ConfabParticipant *participant,
                       ConferenceRun     *run)
{
  emit_participant (run, participant, "joined");
}

static void
on_participant_left (ConfabConference  *conference,
                     ConfabParticipant *participant,
                     ConferenceRun     *run)
{
  emit_participant (run, participant, "left");
}

static void
on_participant_changed (ConfabConference  *conference,
                        ConfabParticipant *participant,
                        ConferenceRun     *run)
{
  emit_participant (run, participant, "changed");
}

static void
emit_room_file (ConferenceRun  *run,
                ConfabRoomFile *file,
                const char     *action)
{
  JsonBuilder *event = cli_event_begin ("room-file");

  add_string (event, "action", action);
  add_string (event, "name", confab_room_file_get_name (file));
  add_string (event, "hash", confab_room_file_get_hash (file));
  json_builder_set_member_name (event, "size");
  json_builder_add_int_value (event, (gint64) confab_room_file_get_size (file));
  add_string (event, "sender", confab_room_file_get_sender (file));
  add_string (event, "status", confab_room_file_get_status (file));
  cli_emit (run->cli, event, _("Room file %s: %s (%s)"), action, confab_room_file_get_name (file),
            confab_room_file_get_sender (file));
}

/* The files model changes in place: report what came and went. */
static void
on_files_changed (GListModel    *files,
                  guint          position,
                  guint          removed,
                  guint          added,
                  ConferenceRun *run)
{
  g_autoptr (GPtrArray) now = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (files);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (now, g_list_model_get_item (files, i));
  for (guint i = 0; i < run->files->len; i++)
    if (!g_ptr_array_find (now, g_ptr_array_index (run->files, i), NULL))
      emit_room_file (run, g_ptr_array_index (run->files, i), "removed");
  for (guint i = 0; i < now->len; i++)
    if (!g_ptr_array_find (run->files, g_ptr_array_index (now, i), NULL))
      emit_room_file (run, g_ptr_array_index (now, i), "added");
  g_ptr_array_set_size (run->files, 0);
  for (guint i = 0; i < now->len; i++)
    g_ptr_array_add (run->files, g_object_ref (g_ptr_array_index (now, i)));
}

static void
on_updated (ConfabConference *conference,
            ConferenceRun    *run)
{
  JsonBuilder *event = cli_event_begin ("room");
  const char *subject = confab_conference_get_subject (conference);
  g_autofree char *count = NULL;

  add_string (event, "room", run->room);
  json_builder_set_member_name (event, "version");
  json_builder_add_int_value (event, confab_conference_get_version (conference));
  json_builder_set_member_name (event, "user_count");
  json_builder_add_int_value (event, confab_conference_get_user_count (conference));
  add_string (event, "subject", subject);
  add_string (event, "display_text", confab_conference_get_display_text (conference));
  json_builder_set_member_name (event, "active");
  json_builder_add_boolean_value (event, confab_conference_get_active (conference));
  json_builder_set_member_name (event, "locked");
  json_builder_add_boolean_value (event, confab_conference_get_locked (conference));
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u participant", "%u participants",
                                        confab_conference_get_user_count (conference)),
                           confab_conference_get_user_count (conference));
  cli_emit (run->cli, event, _("Room %s: %s%s%s"), run->room, count,
            subject && *subject ? " — " : "", subject && *subject ? subject : "");
}

static void
on_subscription_state (ConfabConference *conference,
                       GParamSpec       *pspec,
                       ConferenceRun    *run)
{
  ConfabConferenceSubscriptionState state = confab_conference_get_subscription_state (conference);
  const char *reason = confab_conference_get_subscription_error (conference);
  JsonBuilder *event = cli_event_begin ("subscription");

  add_string (event, "room", run->room);
  add_string (event, "state", confab_conference_subscription_state_to_string (state));
  if (reason)
    add_string (event, "reason", reason);
  cli_emit (run->cli, event, _("Subscription to %s: %s%s%s"), run->room,
            confab_conference_subscription_state_to_string (state), reason ? " — " : "",
            reason ? reason : "");

  if (!run->join && state == CONFAB_CONFERENCE_SUBSCRIPTION_FAILED && !run->leaving)
    stop (run, CLI_EXIT_REJECTED);
  /* Leaving: done once the un-SUBSCRIBE (and for join the BYE) is answered. */
  if (run->leaving && state == CONFAB_CONFERENCE_SUBSCRIPTION_IDLE &&
      (!run->session ||
       confab_session_get_state (run->session) == CONFAB_SESSION_STATE_TERMINATED))
    stop (run, run->status);
}

static void
on_refer_progress (ConfabConference           *conference,
                   const char                 *uri,
                   ConfabConferenceReferMethod method,
                   guint                       status,
                   const char                 *phrase,
                   ConferenceRun              *run)
{
  JsonBuilder *event = cli_event_begin ("refer");

  add_string (event, "room", run->room);
  add_string (event, "uri", uri);
  add_string (event, "method", confab_conference_refer_method_to_string (method));
  json_builder_set_member_name (event, "status");
  json_builder_add_int_value (event, status);
  add_string (event, "phrase", phrase);
  json_builder_set_member_name (event, "final");
  json_builder_add_boolean_value (event, status >= 300 || (status >= 200 && status != 202));
  cli_emit (run->cli, event, "%s %s: %u %s", confab_conference_refer_method_to_string (method),
            uri, status, phrase ? phrase : "");
}

static void
watch_conference (ConferenceRun    *run,
                  ConfabConference *conference)
{
  GListModel *files = confab_conference_get_files (conference);

  run->conference = g_object_ref (conference);
  g_signal_connect (conference, "participant-joined", G_CALLBACK (on_participant_joined), run);
  g_signal_connect (conference, "participant-left", G_CALLBACK (on_participant_left), run);
  g_signal_connect (conference, "participant-changed", G_CALLBACK (on_participant_changed), run);
  g_signal_connect (conference, "updated", G_CALLBACK (on_updated), run);
  g_signal_connect (conference, "notify::subscription-state",
                    G_CALLBACK (on_subscription_state), run);
  g_signal_connect (conference, "refer-progress", G_CALLBACK (on_refer_progress), run);
  g_signal_connect (files, "items-changed", G_CALLBACK (on_files_changed), run);
  on_subscription_state (conference, NULL, run);
}

static void
unwatch_conference (ConferenceRun *run)
{
  if (!run->conference)
    return;
  g_signal_handlers_disconnect_by_data (confab_conference_get_files (run->conference), run);
  g_signal_handlers_disconnect_by_data (run->conference, run);
  g_clear_object (&run->conference);
}

/* Nickname (RFC 7701) */

static ConfabChatStream *
chat_stream (ConferenceRun *run)
{
  ConfabStream *stream = run->session
                         ? confab_session_find_stream (run->session, CONFAB_TYPE_CHAT_STREAM)
                         : NULL;

  return stream ? CONFAB_CHAT_STREAM (stream) : NULL;
}

typedef struct
{
  ConferenceRun *run;
  char          *nickname;
} NicknameCall;

static void
on_nickname_set (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  NicknameCall *call = user_data;
  g_autoptr (GError) error = NULL;
  JsonBuilder *event = cli_event_begin ("nickname");

  add_string (event, "nickname", call->nickname);
  if (confab_chat_stream_set_nickname_finish (CONFAB_CHAT_STREAM (source), result, &error)) {
    add_string (event, "state", "accepted");
    cli_emit (call->run->cli, event, _("Nickname %s accepted"), call->nickname);
  } else {
    add_string (event, "state", "refused");
    json_builder_set_member_name (event, "status");
    json_builder_add_int_value (event, g_error_matches (error, CONFAB_ERROR,
                                                        CONFAB_ERROR_IN_USE) ? 425 : 0);
    add_string (event, "reason", error->message);
    cli_emit (call->run->cli, event, _("Nickname %s refused: %s"), call->nickname,
              error->message);
  }
  g_free (call->nickname);
  g_free (call);
}

static void
ask_nickname (ConferenceRun *run,
              const char    *nickname)
{
  ConfabChatStream *stream = chat_stream (run);
  NicknameCall *call;

  if (!stream) {
    cli_error (run->cli, _("No chat in this room: the nickname is for the chat"));
    return;
  }
  call = g_new0 (NicknameCall, 1);
  call->run = run;
  call->nickname = g_strdup (nickname);
  confab_chat_stream_set_nickname_async (stream, nickname, NULL, on_nickname_set, call);
}

static void
on_chat_connected (ConfabChatStream *stream,
                   GParamSpec       *pspec,
                   ConferenceRun    *run)
{
  if (!confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (stream)) || !run->nickname)
    return;
  ask_nickname (run, run->nickname);
  g_clear_pointer (&run->nickname, g_free);
}

static void leave (ConferenceRun *run);

/* Commands from stdin */

static void
on_refer_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ConferenceRun *run = user_data;
  g_autoptr (GError) error = NULL;

  if (!confab_conference_refer_finish (CONFAB_CONFERENCE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cli_error (run->cli, "%s", error->message);
  run->pending_refers--;
}

static gboolean
on_command (gpointer    user_data,
            const char *line)
{
  ConferenceRun *run = user_data;
  g_auto (GStrv) words = g_strsplit (line, " ", 3);
  const char *command = words[0];
  const char *argument = words[1];

  if (g_str_equal (command, "/invite") || g_str_equal (command, "/remove")) {
    if (!argument || !*argument) {
      cli_error (run->cli, _("Usage: %s URI"), command);
      return TRUE;
    }
    if (!run->conference) {
      cli_error (run->cli, _("Not in a conference yet"));
      return TRUE;
    }
    run->pending_refers++;
    confab_conference_refer_async (run->conference, argument,
                                   g_str_equal (command, "/invite")
                                   ? CONFAB_CONFERENCE_REFER_INVITE
                                   : CONFAB_CONFERENCE_REFER_BYE,
                                   NULL, on_refer_done, run);
    return TRUE;
  }
  if (g_str_equal (command, "/nick")) {
    g_autofree char *nickname = g_strdup (line + strlen ("/nick"));

    g_strstrip (nickname);
    if (!*nickname)
      cli_error (run->cli, _("Usage: /nick NAME"));
    else
      ask_nickname (run, nickname);
    return TRUE;
  }
  if (g_str_equal (command, "/msg")) {
    if (!argument || !words[2] || !*words[2])
      cli_error (run->cli, _("Usage: /msg URI TEXT"));
    else
      cli_chat_input_send_private (run->input, argument, words[2]);
    return TRUE;
  }
  if (g_str_equal (command, "/leave")) {
    leave (run);
    return TRUE;
  }
  return FALSE;   /* "/me waves" and the like go out as text */
}

/* Leaving */

static gboolean
on_leave_timeout (gpointer user_data)
{
  ConferenceRun *run = user_data;

  run->leave_id = 0;
  stop (run, run->status);
  return G_SOURCE_REMOVE;
}

static void
leave (ConferenceRun *run)
{
  if (run->leaving) {
    stop (run, run->status);
    return;
  }
  run->leaving = TRUE;
  emit_conference (run, "leaving", NULL);
  run->leave_id = g_timeout_add_seconds (LEAVE_BOUND_S, on_leave_timeout, run);
  if (run->conference)
    confab_conference_leave (run->conference);
  if (run->session && confab_session_get_state (run->session) < CONFAB_SESSION_STATE_TERMINATED)
    confab_session_hangup (run->session);
  else if (!run->conference ||
           confab_conference_get_subscription_state (run->conference) ==
           CONFAB_CONFERENCE_SUBSCRIPTION_IDLE)
    stop (run, run->status);
}

static void
on_input_done (gpointer user_data,
               int      status)
{
  ConferenceRun *run = user_data;

  run->input_done = TRUE;
  if (status != CLI_EXIT_OK && run->status == CLI_EXIT_OK)
    run->status = status;
  leave (run);
}

static gboolean
on_signal (gpointer user_data)
{
  leave (user_data);
  return G_SOURCE_CONTINUE;
}

/* The session with the focus (join) */

static void
on_session_conference (ConfabSession *session,
                       GParamSpec    *pspec,
                       ConferenceRun *run)
{
  ConfabConference *conference = confab_session_get_conference (session);

  if (conference && conference != run->conference) {
    unwatch_conference (run);
    watch_conference (run, conference);
  }
}

static void
on_session_state (ConfabSession *session,
                  GParamSpec    *pspec,
                  ConferenceRun *run)
{
  ConfabSessionState state = confab_session_get_state (session);

  if (state == CONFAB_SESSION_STATE_ESTABLISHED && !run->started) {
    ConfabChatStream *stream = chat_stream (run);

    run->started = TRUE;
    emit_conference (run, "joined", confab_session_is_focus (session)
                                    ? NULL : _("the room is not a conference focus"));
    if (stream) {
      g_signal_connect (stream, "notify::connected", G_CALLBACK (on_chat_connected), run);
      on_chat_connected (stream, NULL, run);
    }
    return;
  }
  if (state != CONFAB_SESSION_STATE_TERMINATED)
    return;

  emit_conference (run, "left", run->leaving ? NULL : confab_session_get_end_reason (session));
  if (!run->started) {
    guint status = confab_session_get_end_status (session);

    run->status = status == 408 || status == 503 || status == 0 ? CLI_EXIT_NETWORK
                                                                  : CLI_EXIT_REJECTED;
  }
  if (!run->leaving) {
    run->leaving = TRUE;
    if (run->conference)
      confab_conference_leave (run->conference);
    run->leave_id = g_timeout_add (500, on_leave_timeout, run);
    return;
  }
  /* Give the un-SUBSCRIBE a moment to be answered. */
  if (!run->conference ||
      confab_conference_get_subscription_state (run->conference) ==
      CONFAB_CONFERENCE_SUBSCRIPTION_IDLE)
    stop (run, run->status);
}

static void
start (ConferenceRun *run)
{
  g_autoptr (GError) error = NULL;

  if (run->join) {
    ConfabSession *session = confab_session_manager_join_conference (run->manager, run->account,
                                                                     run->room, run->media,
                                                                     &error);

    if (!session) {
      cli_error (run->cli, "%s", error->message);
      stop (run, cli_exit_code_for_error (error));
      return;
    }
    run->session = g_object_ref (session);
    cli_chat_watch_session (run->cli, session);
    g_signal_connect (session, "notify::state", G_CALLBACK (on_session_state), run);
    g_signal_connect (session, "notify::conference", G_CALLBACK (on_session_conference), run);
    emit_conference (run, "joining", NULL);
  } else {
    g_autoptr (ConfabConference) conference = NULL;

    conference = confab_session_manager_watch_conference (run->manager, run->account, run->room,
                                                          &error);
    if (!conference) {
      cli_error (run->cli, "%s", error->message);
      stop (run, cli_exit_code_for_error (error));
      return;
    }
    watch_conference (run, conference);
  }
  run->input = cli_chat_input_new (run->cli, run->session, 0, 0, on_input_done, run);
  cli_chat_input_set_command (run->input, on_command, run);
}

static void
on_account_state (ConfabAccount *account,
                  GParamSpec    *pspec,
                  ConferenceRun *run)
{
  ConfabAccountState state = confab_account_get_state (account);

  if (state == CONFAB_ACCOUNT_STATE_FAILED && !run->leaving) {
    cli_error (run->cli, _("Account %s: %s"), confab_account_get_address (account),
               confab_account_get_state_reason (account));
    stop (run, CLI_EXIT_NETWORK);
    return;
  }
  if ((state == CONFAB_ACCOUNT_STATE_REGISTERED || state == CONFAB_ACCOUNT_STATE_READY) &&
      !run->session && !run->conference && !run->leaving)
    start (run);
}

int
confab_cli_conference (CliContext  *cli,
                       int          argc,
                       char       **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("join|watch ROOM"));
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (ConfabEngine) engine = NULL;
  g_autoptr (ConfabAccountManager) accounts = NULL;
  g_autoptr (ConfabAccount) account = NULL;
  g_autoptr (ConfabSessionManager) manager = NULL;
  g_autofree char *nickname = NULL, *play = NULL, *record = NULL;
  gboolean audio = FALSE, chat = FALSE;
  ConferenceRun run = { 0 };
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "audio", 0, 0, G_OPTION_ARG_NONE, &audio, N_("Join with audio"), NULL },
    { "chat", 0, 0, G_OPTION_ARG_NONE, &chat, N_("Join the room’s chat (the default)"), NULL },
    { "nickname", 0, 0, G_OPTION_ARG_STRING, &nickname,
      N_("Ask the room for this nickname (RFC 7701)"), N_("NAME") },
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &play, N_("Play this WAV file as the microphone"),
      N_("WAV") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record, N_("Record the room’s audio to a WAV file"),
      N_("WAV") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("join ROOM: INVITE the room and show its participants; "
                                  "stdin lines are room messages, /invite URI, /remove URI, "
                                  "/nick NAME and /msg URI TEXT are commands.\n"
                                  "watch ROOM: subscribe to the participants only."));
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }
  if (g_strv_length (args) != 3 ||
      (!g_str_equal (args[1], "join") && !g_str_equal (args[1], "watch"))) {
    cli_error (cli, _("Usage: confab-cli conference join ROOM [--audio] [--chat] [--nickname N] | "
                      "confab-cli conference watch ROOM"));
    return CLI_EXIT_USAGE;
  }
  if (g_str_equal (args[1], "watch") && (audio || chat || nickname || play || record)) {
    cli_error (cli, _("watch takes no media options: it only subscribes"));
    return CLI_EXIT_USAGE;
  }
  if (!cli_check_msrp_transport (cli))
    return CLI_EXIT_USAGE;

  engine = cli_open_engine (cli);
  if (!engine)
    return CLI_EXIT_FAILURE;
  manager = confab_session_manager_new (engine);
  confab_session_manager_set_audio_files (manager, play, record);
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
  run.join = g_str_equal (args[1], "join");
  run.room = g_strdup (args[2]);
  run.media = (audio ? CONFAB_CONFERENCE_MEDIA_AUDIO : 0) |
              (chat || !audio ? CONFAB_CONFERENCE_MEDIA_CHAT : 0);
  run.nickname = g_steal_pointer (&nickname);
  run.files = g_ptr_array_new_with_free_func (g_object_unref);
  run.status = CLI_EXIT_OK;

  g_signal_connect (account, "notify::state", G_CALLBACK (on_account_state), &run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);

  if (!confab_account_go_online (account, engine, &error)) {
    cli_error (cli, "%s", error->message);
    run.status = cli_exit_code_for_error (error);
  } else {
    g_main_loop_run (loop);
  }

  g_clear_handle_id (&run.leave_id, g_source_remove);
  g_clear_pointer (&run.input, cli_chat_input_free);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (account, &run);
  if (run.session) {
    ConfabChatStream *stream = chat_stream (&run);

    if (stream)
      g_signal_handlers_disconnect_by_data (stream, &run);
    g_signal_handlers_disconnect_by_data (run.session, &run);
  }
  unwatch_conference (&run);
  confab_session_manager_hangup_all (manager);
  g_clear_object (&run.session);
  g_clear_object (&manager);
  confab_account_go_offline (account);
  confab_engine_shutdown (engine, SHUTDOWN_BOUND_MS);
  g_ptr_array_unref (run.files);
  g_free (run.nickname);
  g_free (run.room);
  return run.status;
}
