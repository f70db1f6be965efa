/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"
#include "confab-session-manager.h"
#include "im/confab-chat-stream.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <unistd.h>

/* confab-cli chat (and the chat side of listen): received messages,
 * delivery states and is-composing print as events; in chat mode each
 * stdin line is a message, and end of input ends the session once every
 * message has its final state. */

#define DRAIN_TIMEOUT_S 30 /* after end of input: wait this long for reports */

struct _CliChatInput
{
  CliContext        *cli;
  ConfabSession     *session;
  GDataInputStream  *input;
  GCancellable      *cancellable;
  GQueue             lines;      /* char*: read, not sent yet */
  guint              typing_ms;
  guint              expect;     /* --expect: messages to receive before ending */
  guint              delay_id;
  guint              drain_id;
  gboolean           eof;
  guint              unfinished; /* sent messages without a final state */
  guint              failed;
  void             (*done) (gpointer user_data, int status);
  gpointer           done_data;
  CliChatCommand     command;    /* lines starting with '/' (conference) */
  gpointer           command_data;
};

static const char *
stream_session_id (ConfabChatStream *stream)
{
  return g_object_get_data (G_OBJECT (stream), "confab-cli-session-id");
}

static void
emit_delivery (CliContext        *cli,
               ConfabChatStream  *stream,
               ConfabChatMessage *message)
{
  JsonBuilder *event = cli_event_begin ("delivery");
  ConfabChatState state = confab_chat_message_get_state (message);
  const char *error = confab_chat_message_get_error (message);

  json_builder_set_member_name (event, "session");
  json_builder_add_string_value (event, stream_session_id (stream));
  json_builder_set_member_name (event, "message_id");
  json_builder_add_string_value (event, confab_chat_message_get_id (message));
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, confab_chat_state_to_string (state));
  if (error) {
    json_builder_set_member_name (event, "reason");
    json_builder_add_string_value (event, error);
  }
  cli_emit (cli, event, _("Message %s: %s%s%s"), confab_chat_message_get_id (message),
            confab_chat_state_to_string (state), error ? ": " : "", error ? error : "");
}

static void finish_if_drained (CliChatInput *input);

static void
on_echo_state (ConfabChatMessage *message,
               GParamSpec        *pspec,
               ConfabChatStream  *stream)
{
  CliContext *cli = g_object_get_data (G_OBJECT (stream), "confab-cli-context");

  emit_delivery (cli, stream, message);
}

/* listen --echo: the same content back, for tests and benchmarks. */
static void
echo_back (CliContext        *cli,
           ConfabChatStream  *stream,
           ConfabChatMessage *message)
{
  g_autoptr (GError) error = NULL;
  ConfabChatMessage *echo;

  echo = confab_chat_stream_send_message (stream, confab_chat_message_get_content_type (message),
                                          confab_chat_message_get_body (message), &error);
  if (!echo) {
    cli_error (cli, _("Echo not sent: %s"), error->message);
    return;
  }
  g_object_set_data (G_OBJECT (stream), "confab-cli-context", cli);
  g_signal_connect_object (echo, "notify::state", G_CALLBACK (on_echo_state), stream, 0);
}

static void
on_message_received (ConfabChatStream  *stream,
                     ConfabChatMessage *message,
                     CliContext        *cli)
{
  JsonBuilder *event = cli_event_begin ("message");
  const char *text = confab_chat_message_get_text (message);
  const char *display = confab_chat_message_get_sender_display (message);
  GBytes *body = confab_chat_message_get_body (message);

  json_builder_set_member_name (event, "session");
  json_builder_add_string_value (event, stream_session_id (stream));
  json_builder_set_member_name (event, "message_id");
  json_builder_add_string_value (event, confab_chat_message_get_id (message));
  json_builder_set_member_name (event, "from");
  json_builder_add_string_value (event, confab_chat_message_get_sender_uri (message));
  if (display) {
    json_builder_set_member_name (event, "display");
    json_builder_add_string_value (event, display);
  }
  json_builder_set_member_name (event, "content_type");
  json_builder_add_string_value (event, confab_chat_message_get_content_type (message));
  if (text) {
    json_builder_set_member_name (event, "text");
    json_builder_add_string_value (event, text);
  }
  json_builder_set_member_name (event, "bytes");
  json_builder_add_int_value (event, body ? (gint64) g_bytes_get_size (body) : 0);
  /* Rooms: a private message to us, or the room's own notice. */
  if (confab_chat_message_is_private (message)) {
    json_builder_set_member_name (event, "private");
    json_builder_add_boolean_value (event, TRUE);
    json_builder_set_member_name (event, "to");
    json_builder_add_string_value (event, confab_chat_message_get_recipient_uri (message));
  }
  if (confab_chat_message_get_direction (message) == CONFAB_CHAT_DIRECTION_STATUS) {
    json_builder_set_member_name (event, "status");
    json_builder_add_boolean_value (event, TRUE);
  }
  cli->chat_received++;
  if (cli->chat_echo)
    echo_back (cli, stream, message);
  if (text)
    cli_emit (cli, event, "%s: %s", display ? display : confab_chat_message_get_sender_uri (message),
              text);
  else
    cli_emit (cli, event, _("%s sent %s (%lu bytes)"),
              confab_chat_message_get_sender_uri (message),
              confab_chat_message_get_content_type (message),
              (unsigned long) (body ? g_bytes_get_size (body) : 0));
  if (g_object_get_data (G_OBJECT (stream), "confab-cli-input"))
    finish_if_drained (g_object_get_data (G_OBJECT (stream), "confab-cli-input"));
}

static void
on_remote_composing (ConfabChatStream *stream,
                     GParamSpec       *pspec,
                     CliContext       *cli)
{
  gboolean active = confab_chat_stream_get_remote_composing (stream);
  JsonBuilder *event = cli_event_begin ("composing");

  json_builder_set_member_name (event, "session");
  json_builder_add_string_value (event, stream_session_id (stream));
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, active ? "active" : "idle");
  cli_emit (cli, event, active ? _("(typing…)") : _("(stopped typing)"));
}

static void
on_connected (ConfabChatStream *stream,
              GParamSpec       *pspec,
              CliContext       *cli)
{
  JsonBuilder *event = cli_event_begin ("chat");
  ConfabMsrpStream *msrp = CONFAB_MSRP_STREAM (stream);
  gboolean connected = confab_msrp_stream_is_connected (msrp);

  if (connected)
    cli->chat_connected++;
  else if (cli->chat_connected > 0)
    cli->chat_connected--;

  json_builder_set_member_name (event, "session");
  json_builder_add_string_value (event, stream_session_id (stream));
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, connected ? "connected" : "disconnected");
  json_builder_set_member_name (event, "transport");
  json_builder_add_string_value (event, confab_msrp_stream_get_tls (msrp) ? "tls" : "tcp");
  json_builder_set_member_name (event, "peer_verified");
  json_builder_add_boolean_value (event, confab_msrp_stream_get_peer_verified (msrp));
  cli_emit (cli, event, connected ? _("Chat connected") : _("Chat disconnected"));
}

static void
on_chat_state (ConfabStream *stream,
               GParamSpec   *pspec,
               CliContext   *cli)
{
  ConfabStreamState state = confab_stream_get_state (stream);
  JsonBuilder *event;

  if (state != CONFAB_STREAM_STATE_FAILED && state != CONFAB_STREAM_STATE_ENDED)
    return;
  event = cli_event_begin ("chat");
  json_builder_set_member_name (event, "session");
  json_builder_add_string_value (event, stream_session_id (CONFAB_CHAT_STREAM (stream)));
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, state == CONFAB_STREAM_STATE_FAILED ? "failed" : "ended");
  if (confab_stream_get_error_message (stream)) {
    json_builder_set_member_name (event, "reason");
    json_builder_add_string_value (event, confab_stream_get_error_message (stream));
  }
  cli_emit (cli, event, _("Chat %s%s%s"), state == CONFAB_STREAM_STATE_FAILED ? _("failed") : _("ended"),
            confab_stream_get_error_message (stream) ? ": " : "",
            confab_stream_get_error_message (stream) ? confab_stream_get_error_message (stream) : "");
}

/* Room notices (agp.Message-Type: status) are status lines of the
 * message model rather than "message-received": print those that came
 * from the peer (they have a sender). */
static void
on_messages_changed (GListModel       *messages,
                     guint             position,
                     guint             removed,
                     guint             added,
                     ConfabChatStream *stream)
{
  CliContext *cli = g_object_get_data (G_OBJECT (stream), "confab-cli-context");

  for (guint i = position; cli && i < position + added; i++) {
    g_autoptr (ConfabChatMessage) message = g_list_model_get_item (messages, i);

    if (confab_chat_message_get_direction (message) == CONFAB_CHAT_DIRECTION_STATUS &&
        confab_chat_message_get_sender_uri (message))
      on_message_received (stream, message, cli);
  }
}

static void
watch_chat_stream (CliContext       *cli,
                   ConfabSession    *session,
                   ConfabChatStream *stream)
{
  if (g_object_get_data (G_OBJECT (stream), "confab-cli-session-id"))
    return;
  g_object_set_data_full (G_OBJECT (stream), "confab-cli-session-id",
                          g_strdup (confab_session_get_id (session)), g_free);
  g_object_set_data (G_OBJECT (stream), "confab-cli-context", cli);
  g_signal_connect (stream, "message-received", G_CALLBACK (on_message_received), cli);
  g_signal_connect_object (confab_chat_stream_get_messages (stream), "items-changed",
                           G_CALLBACK (on_messages_changed), stream, 0);
  g_signal_connect (stream, "notify::remote-composing", G_CALLBACK (on_remote_composing), cli);
  g_signal_connect (stream, "notify::connected", G_CALLBACK (on_connected), cli);
  g_signal_connect (stream, "notify::state", G_CALLBACK (on_chat_state), cli);
}

static void
on_streams_changed (GListModel    *streams,
                    guint          position,
                    guint          removed,
                    guint          added,
                    ConfabSession *session)
{
  CliContext *cli = g_object_get_data (G_OBJECT (session), "confab-cli-context");

  for (guint i = position; i < position + added; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);

    if (CONFAB_IS_CHAT_STREAM (stream))
      watch_chat_stream (cli, session, CONFAB_CHAT_STREAM (stream));
  }
}

void
cli_chat_watch_session (CliContext    *cli,
                        ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);

  g_object_set_data (G_OBJECT (session), "confab-cli-context", cli);
  on_streams_changed (streams, 0, 0, g_list_model_get_n_items (streams), session);
  g_signal_connect (streams, "items-changed", G_CALLBACK (on_streams_changed), session);
}

/* Chat mode: stdin lines become messages. */

static ConfabChatStream *
input_stream (CliChatInput *input)
{
  ConfabStream *stream = input->session
                         ? confab_session_find_stream (input->session, CONFAB_TYPE_CHAT_STREAM)
                         : NULL;

  return stream ? CONFAB_CHAT_STREAM (stream) : NULL;
}

static void
finish_if_drained (CliChatInput *input)
{
  if (!input->eof || input->unfinished > 0 || !g_queue_is_empty (&input->lines) ||
      input->delay_id || !input->done || input->cli->chat_received < input->expect)
    return;
  g_clear_handle_id (&input->drain_id, g_source_remove);
  input->done (input->done_data, input->failed ? CLI_EXIT_FAILURE : CLI_EXIT_OK);
  input->done = NULL;
}

static void
on_outgoing_state (ConfabChatMessage *message,
                   GParamSpec        *pspec,
                   CliChatInput      *input)
{
  ConfabChatState state = confab_chat_message_get_state (message);
  ConfabChatStream *stream = input_stream (input);

  if (stream)
    emit_delivery (input->cli, stream, message);
  if (state == CONFAB_CHAT_STATE_DELIVERED || state == CONFAB_CHAT_STATE_FAILED ||
      state == CONFAB_CHAT_STATE_DISPLAYED) {
    g_signal_handlers_disconnect_by_func (message, on_outgoing_state, input);
    input->unfinished--;
    if (state == CONFAB_CHAT_STATE_FAILED)
      input->failed++;
    finish_if_drained (input);
  }
}

static void send_next (CliChatInput *input);

static gboolean
on_typing_done (gpointer user_data)
{
  CliChatInput *input = user_data;

  input->delay_id = 0;
  send_next (input);
  return G_SOURCE_REMOVE;
}

static void
send_line (CliChatInput *input,
           const char   *to_uri,
           const char   *line)
{
  ConfabChatStream *stream = input_stream (input);
  g_autoptr (GError) error = NULL;
  ConfabChatMessage *message = NULL;

  if (stream)
    message = to_uri ? confab_chat_stream_send_private_text (stream, to_uri, line, &error)
                     : confab_chat_stream_send_text (stream, line, &error);
  if (!message) {
    cli_error (input->cli, _("Not sent: %s"), error ? error->message : _("no chat stream"));
    input->failed++;
    return;
  }
  input->unfinished++;
  emit_delivery (input->cli, stream, message);
  g_signal_connect (message, "notify::state", G_CALLBACK (on_outgoing_state), input);
}

/* With --typing-delay, each line is "typed" first: is-composing active,
 * then the message after the delay. */
static void
send_next (CliChatInput *input)
{
  ConfabChatStream *stream = input_stream (input);

  while (!input->delay_id && !g_queue_is_empty (&input->lines)) {
    g_autofree char *line = NULL;

    if (input->typing_ms > 0 && stream && !g_object_get_data (G_OBJECT (stream), "typed")) {
      confab_chat_stream_set_composing (stream, TRUE);
      g_object_set_data (G_OBJECT (stream), "typed", GINT_TO_POINTER (1));
      input->delay_id = g_timeout_add (input->typing_ms, on_typing_done, input);
      return;
    }
    if (stream)
      g_object_set_data (G_OBJECT (stream), "typed", NULL);
    line = g_queue_pop_head (&input->lines);
    if (input->command && line[0] == '/' && input->command (input->command_data, line))
      continue;
    send_line (input, NULL, line);
  }
  finish_if_drained (input);
}

static gboolean
on_drain_timeout (gpointer user_data)
{
  CliChatInput *input = user_data;

  input->drain_id = 0;
  cli_error (input->cli, _("%u messages without a delivery report"), input->unfinished);
  input->failed += input->unfinished;
  input->unfinished = 0;
  finish_if_drained (input);
  return G_SOURCE_REMOVE;
}

static void read_next (CliChatInput *input);

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CliChatInput *input = user_data;
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          &length, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error) {
    cli_error (input->cli, _("Input: %s"), error->message);
    input->failed++;
  }
  if (!line) {
    input->eof = TRUE;
    input->drain_id = g_timeout_add_seconds (DRAIN_TIMEOUT_S, on_drain_timeout, input);
    send_next (input);
    return;
  }
  g_queue_push_tail (&input->lines, line);
  send_next (input);
  read_next (input);
}

static void
read_next (CliChatInput *input)
{
  g_data_input_stream_read_line_async (input->input, G_PRIORITY_DEFAULT, input->cancellable,
                                       on_line_read, input);
}

CliChatInput *
cli_chat_input_new (CliContext    *cli,
                    ConfabSession *session,
                    guint          typing_ms,
                    guint          expect,
                    void         (*done) (gpointer user_data, int status),
                    gpointer       done_data)
{
  CliChatInput *input = g_new0 (CliChatInput, 1);
  g_autoptr (GInputStream) fd = g_unix_input_stream_new (STDIN_FILENO, FALSE);

  input->cli = cli;
  input->session = session ? g_object_ref (session) : NULL;
  input->typing_ms = typing_ms;
  input->expect = expect;
  if (input_stream (input))
    g_object_set_data (G_OBJECT (input_stream (input)), "confab-cli-input", input);
  input->done = done;
  input->done_data = done_data;
  input->cancellable = g_cancellable_new ();
  input->input = g_data_input_stream_new (fd);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (input->input), 65536);
  g_queue_init (&input->lines);
  read_next (input);
  return input;
}

void
cli_chat_input_set_command (CliChatInput   *input,
                            CliChatCommand  command,
                            gpointer        user_data)
{
  input->command = command;
  input->command_data = user_data;
}

void
cli_chat_input_send_private (CliChatInput *input,
                             const char   *to_uri,
                             const char   *text)
{
  send_line (input, to_uri, text);
}

void
cli_chat_input_free (CliChatInput *input)
{
  if (!input)
    return;
  g_cancellable_cancel (input->cancellable);
  if (input_stream (input)) {
    GListModel *messages = confab_chat_stream_get_messages (input_stream (input));

    for (guint i = 0; i < g_list_model_get_n_items (messages); i++) {
      g_autoptr (GObject) message = g_list_model_get_item (messages, i);

      g_signal_handlers_disconnect_by_data (message, input);
    }
    g_object_set_data (G_OBJECT (input_stream (input)), "confab-cli-input", NULL);
  }
  g_clear_handle_id (&input->delay_id, g_source_remove);
  g_clear_handle_id (&input->drain_id, g_source_remove);
  g_queue_clear_full (&input->lines, g_free);
  g_clear_object (&input->input);
  g_clear_object (&input->cancellable);
  g_clear_object (&input->session);
  g_free (input);
}
