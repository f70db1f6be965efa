/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"
#include "confab-session-manager.h"
#include "transfer/confab-file-selector.h"
#include "transfer/confab-file-transfer-stream.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

/* How file transfers go, for send-file, fetch-file and listen
 * (confab-cli-files.c): every file transfer stream of a session prints
 * {"event":"transfer",…} lines (../shared/CLI.md), or human lines and a
 * progress line on stderr, and the session ends once its file is done.
 * A transfer "settles" once it is reported and its session is over. */

#define PROGRESS_EVENT_MS   250   /* JSON progress and the tty line, per transfer */
#define PROGRESS_LINE_MS    1000  /* progress lines when stderr is not a tty */
#define LINGER_S            10    /* a sender that is done waits this long for the BYE */
#define SETTLE_GRACE_S      3     /* session over, transfer not: it may still report */
#define VERIFY_GRACE_S      60    /* … or longer when it is checking the hash */
#define HANG_UP_BOUND_S     2     /* our hang-up unanswered (CANCEL lost): done anyway */

struct _CliTransfer
{
  CliContext                *cli;
  ConfabSession             *session;
  ConfabFileTransferStream  *stream;        /* NULL until the session has it */
  ConfabFileTransferDirection direction;
  gboolean                   pull;
  char                      *name;          /* before the stream knows it */
  gboolean                   has_total;
  guint64                    total;
  ConfabFileTransferState    shown;
  gboolean                   progress_shown;
  guint64                    progress_bytes;
  gint64                     progress_us;
  gint64                     line_us;
  gint64                     started_us;    /* transferring since */
  guint64                    started_bytes;
  gboolean                   answered;
  gboolean                   cancelling;    /* by us: SIGINT, --ring-timeout */
  gboolean                   ended;         /* the session terminated */
  gboolean                   final;         /* done, failed, cancelled or declined printed */
  gboolean                   settled;
  int                        exit_code;
  guint                      linger_id;
  guint                      grace_id;
  guint                      verdict_id;    /* ended before an answer: why? */
  guint                      stream_end_id; /* the stream is over, the transfer not yet */
  void                     (*on_settled) (CliTransfer *transfer,
                                          gpointer     user_data);
  gpointer                   settled_data;
};

CliFiles *
cli_files_get (CliContext *cli)
{
  if (!cli->files) {
    cli->files = g_new0 (CliFiles, 1);
    cli->files->transfers = g_ptr_array_new ();
    cli->files->tty = isatty (STDERR_FILENO);
  }
  return cli->files;
}

/* Output */

static const char *
transfer_name (CliTransfer *transfer)
{
  const ConfabFileSelector *selector =
    transfer->stream ? confab_file_transfer_stream_get_selector (transfer->stream) : NULL;

  if (selector && selector->name)
    return selector->name;
  return transfer->name ? transfer->name : "";
}

/* For the terminal: a peer's name must not move the cursor or ring. */
static char *
display_name (CliTransfer *transfer)
{
  g_autofree char *valid = g_utf8_make_valid (transfer_name (transfer), -1);
  GString *shown = g_string_new (NULL);

  for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_iscntrl (c))
      g_string_append_c (shown, '?');
    else
      g_string_append_unichar (shown, c);
  }
  return g_string_free (shown, FALSE);
}

static gboolean
transfer_total (CliTransfer *transfer,
                guint64     *total)
{
  const ConfabFileSelector *selector =
    transfer->stream ? confab_file_transfer_stream_get_selector (transfer->stream) : NULL;

  if (selector && selector->has_size)
    *total = selector->size;
  else if (transfer->stream && confab_file_transfer_stream_get_size (transfer->stream) > 0)
    *total = confab_file_transfer_stream_get_size (transfer->stream);
  else if (transfer->has_total)
    *total = transfer->total;
  else
    return FALSE;
  return TRUE;
}

static void
add_string_or_null (JsonBuilder *event,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (event, member);
  if (value) {
    g_autofree char *valid = g_utf8_make_valid (value, -1);

    json_builder_add_string_value (event, valid);
  } else {
    json_builder_add_null_value (event);
  }
}

static JsonBuilder *
transfer_event_begin (CliTransfer *transfer,
                      const char  *state)
{
  JsonBuilder *event = cli_event_begin ("transfer");
  const ConfabFileSelector *selector =
    transfer->stream ? confab_file_transfer_stream_get_selector (transfer->stream) : NULL;
  g_autofree char *hash = selector && selector->hash ? g_strconcat ("sha-1:", selector->hash, NULL)
                                                     : NULL;
  guint64 total;

  add_string_or_null (event, "session", confab_session_get_id (transfer->session));
  json_builder_set_member_name (event, "direction");
  json_builder_add_string_value (event, transfer->direction == CONFAB_FILE_TRANSFER_OUTGOING
                                          ? "outgoing" : "incoming");
  json_builder_set_member_name (event, "pull");
  json_builder_add_boolean_value (event, transfer->pull);
  add_string_or_null (event, "name", transfer_name (transfer));
  json_builder_set_member_name (event, "total");
  if (transfer_total (transfer, &total))
    json_builder_add_int_value (event, (gint64) total);
  else
    json_builder_add_null_value (event);
  add_string_or_null (event, "hash", hash);
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, state);
  return event;
}

static void
add_file_path (JsonBuilder *event,
               GFile       *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path)
    add_string_or_null (event, "path", path);
}

/* One line on stderr, after the progress line if one is open. */
static void G_GNUC_PRINTF (2, 3)
human_line (CliTransfer *transfer,
            const char  *format,
            ...)
{
  CliFiles *files = cli_files_get (transfer->cli);
  g_autofree char *text = NULL;
  va_list args;

  if (transfer->cli->json)
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (files->line_open)
    fputc ('\n', stderr);
  files->line_open = FALSE;
  fprintf (stderr, "%s\n", text);
  fflush (stderr);
}

static char *
format_duration (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60),
                            (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* The stream's rate is over the last seconds, and 0 once it is over:
 * the last line gives the average instead. */
static double
transfer_rate (CliTransfer *transfer,
               gboolean     last)
{
  double rate = confab_file_transfer_stream_get_rate (transfer->stream);
  guint64 bytes = confab_file_transfer_stream_get_bytes (transfer->stream);
  gint64 elapsed = g_get_monotonic_time () - transfer->started_us;

  if (last && transfer->started_us > 0 && elapsed > 0 && bytes >= transfer->started_bytes)
    rate = (double) (bytes - transfer->started_bytes) * G_USEC_PER_SEC / (double) elapsed;
  return rate;
}

/* "NAME: 42% (12.3 MiB of 29.0 MiB), 10.1 MiB/s, 0:02 left" */
static void
human_progress (CliTransfer *transfer,
                gboolean     last)
{
  CliFiles *files = cli_files_get (transfer->cli);
  guint64 bytes = confab_file_transfer_stream_get_bytes (transfer->stream);
  gint64 eta = confab_file_transfer_stream_get_eta (transfer->stream);
  gint64 now = g_get_monotonic_time ();
  g_autofree char *name = display_name (transfer);
  g_autofree char *done = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *all = NULL, *rate = NULL, *left = NULL, *text = NULL;
  guint64 total = 0;
  int percent;

  if (transfer->cli->json)
    return;
  if (!last && now - transfer->line_us < (files->tty ? PROGRESS_EVENT_MS : PROGRESS_LINE_MS) * 1000)
    return;
  transfer->line_us = now;
  if (!transfer_total (transfer, &total))
    total = bytes;
  percent = total > 0 ? (int) (MIN (bytes, total) * 100 / total) : 100;
  all = g_format_size_full (total, G_FORMAT_SIZE_IEC_UNITS);
  rate = g_format_size_full ((guint64) MAX (transfer_rate (transfer, last), 0.0),
                             G_FORMAT_SIZE_IEC_UNITS);
  if (eta >= 0 && !last) {
    left = format_duration (eta);
    text = g_strdup_printf (_("%s: %d%% (%s of %s), %s/s, %s left"), name, percent, done, all,
                            rate, left);
  } else {
    text = g_strdup_printf (_("%s: %d%% (%s of %s), %s/s"), name, percent, done, all, rate);
  }
  if (files->tty) {
    fprintf (stderr, "\r%s\033[K", text);
    files->line_open = TRUE;
  } else {
    fprintf (stderr, "%s\n", text);
  }
  fflush (stderr);
}

static void
emit_progress (CliTransfer *transfer,
               gboolean     last)
{
  ConfabFileTransferStream *stream = transfer->stream;
  guint64 bytes = confab_file_transfer_stream_get_bytes (stream);
  guint64 resumed_from = confab_file_transfer_stream_get_resumed_from (stream);
  gint64 eta = confab_file_transfer_stream_get_eta (stream);
  JsonBuilder *event;

  transfer->progress_shown = TRUE;
  transfer->progress_bytes = bytes;
  transfer->progress_us = g_get_monotonic_time ();
  if (!transfer->cli->json) {
    human_progress (transfer, last);
    return;
  }
  event = transfer_event_begin (transfer, "progress");
  json_builder_set_member_name (event, "bytes");
  json_builder_add_int_value (event, (gint64) bytes);
  json_builder_set_member_name (event, "rate");
  json_builder_add_double_value (event, transfer_rate (transfer, last));
  json_builder_set_member_name (event, "eta");
  if (eta >= 0 && !last)
    json_builder_add_int_value (event, eta);
  else if (last)
    json_builder_add_int_value (event, 0);
  else
    json_builder_add_null_value (event);
  if (resumed_from > 0) {
    json_builder_set_member_name (event, "resumed_from");
    json_builder_add_int_value (event, (gint64) resumed_from);
  }
  cli_emit (transfer->cli, event, NULL);
}

/* The last count before the transfer leaves the transferring state. */
static void
emit_final_progress (CliTransfer *transfer)
{
  if (!transfer->stream)
    return;
  if (!transfer->progress_shown ||
      transfer->progress_bytes != confab_file_transfer_stream_get_bytes (transfer->stream))
    emit_progress (transfer, TRUE);
}

/* Ends the transfer's report: done, failed, cancelled or declined. */
static void
emit_final (CliTransfer *transfer,
            const char  *state,
            const char  *reason,
            int          exit_code)
{
  g_autofree char *name = display_name (transfer);
  JsonBuilder *event;
  GFile *file = transfer->stream ? confab_file_transfer_stream_get_file (transfer->stream) : NULL;
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  gboolean incoming = transfer->direction == CONFAB_FILE_TRANSFER_INCOMING;

  if (transfer->final)
    return;
  transfer->final = TRUE;
  transfer->exit_code = exit_code;

  event = transfer_event_begin (transfer, state);
  if (g_str_equal (state, "done")) {
    json_builder_set_member_name (event, "hash_ok");
    json_builder_add_boolean_value (event, TRUE);
    json_builder_set_member_name (event, "bytes");
    json_builder_add_int_value (event, (gint64) confab_file_transfer_stream_get_bytes (transfer->stream));
    json_builder_set_member_name (event, "resumed_from");
    json_builder_add_int_value (event,
                                (gint64) confab_file_transfer_stream_get_resumed_from (transfer->stream));
    add_file_path (event, file);
  } else {
    if (transfer->stream && !g_str_equal (state, "declined")) {
      json_builder_set_member_name (event, "bytes");
      json_builder_add_int_value (event, (gint64) confab_file_transfer_stream_get_bytes (transfer->stream));
    }
    add_string_or_null (event, "reason", reason ? reason : "");
    if (incoming)
      add_file_path (event, file);   /* the .part kept for a resume */
  }
  cli_emit (transfer->cli, event, NULL);

  if (g_str_equal (state, "done") && incoming)
    human_line (transfer, _("%s: received, saved as %s"), name, path ? path : "");
  else if (g_str_equal (state, "done"))
    human_line (transfer, _("%s: sent"), name);
  else if (g_str_equal (state, "declined"))
    human_line (transfer, _("%s: declined: %s"), name, reason ? reason : "");
  else if (g_str_equal (state, "cancelled") && reason && *reason)
    human_line (transfer, _("%s: cancelled: %s"), name, reason);
  else if (g_str_equal (state, "cancelled"))
    human_line (transfer, _("%s: cancelled"), name);
  else
    human_line (transfer, _("%s: failed: %s"), name, reason ? reason : "");
  if (!g_str_equal (state, "done") && incoming && path)
    human_line (transfer, _("%s: the partial file %s is kept for a later resume"), name, path);
}

/* Transfer life */

static void transfer_check_settled (CliTransfer *transfer);

static gboolean
on_linger_over (gpointer user_data)
{
  CliTransfer *transfer = user_data;

  transfer->linger_id = 0;
  if (confab_session_get_state (transfer->session) < CONFAB_SESSION_STATE_TERMINATING)
    confab_session_hangup (transfer->session);
  return G_SOURCE_REMOVE;
}

/* The receiver ends the session once it has the file (or gave up); a
 * sender that is done leaves the BYE to the receiver, for a while. */
static void
hang_up_when_finished (CliTransfer *transfer,
                       gboolean     completed)
{
  if (confab_session_get_state (transfer->session) >= CONFAB_SESSION_STATE_TERMINATING)
    return;
  if (completed && transfer->direction == CONFAB_FILE_TRANSFER_OUTGOING) {
    if (!transfer->linger_id)
      transfer->linger_id = g_timeout_add_seconds (LINGER_S, on_linger_over, transfer);
    return;
  }
  confab_session_hangup (transfer->session);
}

static void
emit_stream_end (CliTransfer *transfer)
{
  gboolean failed = confab_file_transfer_stream_get_transfer_state (transfer->stream) ==
                    CONFAB_FILE_TRANSFER_STATE_FAILED;

  emit_final (transfer, failed ? "failed" : "cancelled",
              confab_file_transfer_stream_get_error_message (transfer->stream), CLI_EXIT_FAILURE);
  hang_up_when_finished (transfer, FALSE);
}

static gboolean
on_verdict_timeout (gpointer user_data)
{
  CliTransfer *transfer = user_data;

  transfer->verdict_id = 0;
  emit_stream_end (transfer);
  transfer_check_settled (transfer);
  return G_SOURCE_REMOVE;
}

static void
on_transfer_state (ConfabFileTransferStream *stream,
                   GParamSpec               *pspec,
                   CliTransfer              *transfer)
{
  ConfabFileTransferState state = confab_file_transfer_stream_get_transfer_state (stream);
  g_autofree char *name = display_name (transfer);
  g_autofree char *resumed = NULL;
  guint64 resumed_from;

  if (state == transfer->shown || transfer->final)
    return;
  if (transfer->shown == CONFAB_FILE_TRANSFER_STATE_TRANSFERRING ||
      state == CONFAB_FILE_TRANSFER_STATE_COMPLETED ||
      state == CONFAB_FILE_TRANSFER_STATE_VERIFYING)
    emit_final_progress (transfer);
  transfer->shown = state;

  switch (state) {
  case CONFAB_FILE_TRANSFER_STATE_NEW:
    break;
  case CONFAB_FILE_TRANSFER_STATE_HASHING:
    cli_emit (transfer->cli, transfer_event_begin (transfer, "hashing"), NULL);
    human_line (transfer, _("%s: computing the SHA-1 checksum…"), name);
    break;
  case CONFAB_FILE_TRANSFER_STATE_WAITING:
    cli_emit (transfer->cli, transfer_event_begin (transfer, "waiting"), NULL);
    human_line (transfer, _("%s: waiting for %s…"), name,
                confab_session_get_remote_uri (transfer->session));
    break;
  case CONFAB_FILE_TRANSFER_STATE_TRANSFERRING:
    resumed_from = confab_file_transfer_stream_get_resumed_from (stream);
    if (resumed_from > 0) {
      resumed = g_format_size_full (resumed_from, G_FORMAT_SIZE_IEC_UNITS);
      human_line (transfer, _("%s: resuming after %s…"), name, resumed);
    } else {
      human_line (transfer, transfer->direction == CONFAB_FILE_TRANSFER_OUTGOING
                              ? _("%s: sending…") : _("%s: receiving…"), name);
    }
    transfer->started_us = g_get_monotonic_time ();
    transfer->started_bytes = confab_file_transfer_stream_get_bytes (stream);
    emit_progress (transfer, FALSE);
    break;
  case CONFAB_FILE_TRANSFER_STATE_VERIFYING:
    cli_emit (transfer->cli, transfer_event_begin (transfer, "verifying"), NULL);
    human_line (transfer, _("%s: checking the SHA-1 checksum…"), name);
    break;
  case CONFAB_FILE_TRANSFER_STATE_COMPLETED:
    emit_final (transfer, "done", NULL, CLI_EXIT_OK);
    hang_up_when_finished (transfer, TRUE);
    break;
  case CONFAB_FILE_TRANSFER_STATE_FAILED:
  case CONFAB_FILE_TRANSFER_STATE_CANCELLED:
    /* Before an answer this is mostly a refused session: its status
     * tells (declined, busy, wrong password…). */
    if (!transfer->answered && !transfer->cancelling && !transfer->ended) {
      if (!transfer->verdict_id)
        transfer->verdict_id = g_timeout_add_seconds (SETTLE_GRACE_S, on_verdict_timeout,
                                                      transfer);
      break;
    }
    emit_stream_end (transfer);
    break;
  default:
    break;
  }
  transfer_check_settled (transfer);
}

static void
on_transfer_bytes (ConfabFileTransferStream *stream,
                   GParamSpec               *pspec,
                   CliTransfer              *transfer)
{
  if (transfer->final ||
      confab_file_transfer_stream_get_transfer_state (stream) != CONFAB_FILE_TRANSFER_STATE_TRANSFERRING)
    return;
  if (transfer->shown != CONFAB_FILE_TRANSFER_STATE_TRANSFERRING) {
    on_transfer_state (stream, NULL, transfer);
    return;
  }
  if (g_get_monotonic_time () - transfer->progress_us >= PROGRESS_EVENT_MS * 1000)
    emit_progress (transfer, FALSE);
}

static gboolean
on_stream_end_grace_over (gpointer user_data)
{
  CliTransfer *transfer = user_data;
  const char *error = confab_stream_get_error_message (CONFAB_STREAM (transfer->stream));

  transfer->stream_end_id = 0;
  if (!transfer->final) {
    emit_final (transfer, "failed", error ? error : _("the connection was lost"),
                CLI_EXIT_FAILURE);
    hang_up_when_finished (transfer, FALSE);
  }
  transfer_check_settled (transfer);
  return G_SOURCE_REMOVE;
}

/* The MSRP side failed (the connection dropped): the transfer should say
 * so itself; if it does not soon, it is reported failed here. */
static void
on_stream_state (ConfabStream *stream,
                 GParamSpec   *pspec,
                 CliTransfer  *transfer)
{
  ConfabStreamState state = confab_stream_get_state (stream);
  gboolean verifying = confab_file_transfer_stream_get_transfer_state (transfer->stream) ==
                       CONFAB_FILE_TRANSFER_STATE_VERIFYING;

  if (transfer->final || transfer->stream_end_id ||
      (state != CONFAB_STREAM_STATE_FAILED && state != CONFAB_STREAM_STATE_ENDED))
    return;
  transfer->stream_end_id = g_timeout_add_seconds (verifying ? VERIFY_GRACE_S : SETTLE_GRACE_S,
                                                   on_stream_end_grace_over, transfer);
}

static void
transfer_attach_stream (CliTransfer              *transfer,
                        ConfabFileTransferStream *stream)
{
  transfer->stream = g_object_ref (stream);
  transfer->direction = confab_file_transfer_stream_get_direction (stream);
  transfer->pull = confab_file_transfer_stream_is_pull (stream);
  g_object_set_data (G_OBJECT (stream), "confab-cli-transfer", transfer);
  g_signal_connect (stream, "notify::transfer-state", G_CALLBACK (on_transfer_state), transfer);
  g_signal_connect (stream, "notify::bytes", G_CALLBACK (on_transfer_bytes), transfer);
  g_signal_connect (stream, "notify::state", G_CALLBACK (on_stream_state), transfer);
  on_transfer_state (stream, NULL, transfer);
}

/* The session ended before the stream said how the transfer went. */
static void
report_session_end (CliTransfer *transfer)
{
  guint status = confab_session_get_end_status (transfer->session);
  const char *reason = confab_session_get_end_reason (transfer->session);

  if (transfer->final)
    return;
  if (transfer->answered) {
    emit_final (transfer, "failed", reason ? reason : _("the session ended"), CLI_EXIT_FAILURE);
  } else if (confab_session_is_incoming (transfer->session) && transfer->stream &&
             confab_file_transfer_stream_get_transfer_state (transfer->stream) ==
               CONFAB_FILE_TRANSFER_STATE_FAILED) {
    /* We refused it, for a reason of the stream's (a pull of a file
     * whose hash differs). */
    emit_stream_end (transfer);
  } else if (status == 401 || status == 403 || status == 407) {
    emit_final (transfer, "failed", reason, CLI_EXIT_AUTH);
  } else if (status == 408 || status == 503 || status == 0 || status >= 900) {
    emit_final (transfer, "failed", reason, CLI_EXIT_NETWORK);
  } else {
    emit_final (transfer, "declined", reason, CLI_EXIT_REJECTED);
  }
}

static gboolean
on_settle_grace_over (gpointer user_data)
{
  CliTransfer *transfer = user_data;

  transfer->grace_id = 0;
  report_session_end (transfer);
  transfer_check_settled (transfer);
  return G_SOURCE_REMOVE;
}

static void
on_session_state (ConfabSession *session,
                  GParamSpec    *pspec,
                  CliTransfer   *transfer)
{
  ConfabSessionState state = confab_session_get_state (session);
  ConfabFileTransferState stream_state;

  if (state == CONFAB_SESSION_STATE_CONNECTING || state == CONFAB_SESSION_STATE_ESTABLISHED)
    transfer->answered = TRUE;
  if (state != CONFAB_SESSION_STATE_TERMINATED || transfer->ended)
    return;
  transfer->ended = TRUE;
  g_clear_handle_id (&transfer->grace_id, g_source_remove);
  g_clear_handle_id (&transfer->linger_id, g_source_remove);
  g_clear_handle_id (&transfer->verdict_id, g_source_remove);
  if (!transfer->final && transfer->answered && transfer->stream) {
    /* The stream may still be writing or checking what arrived. */
    stream_state = confab_file_transfer_stream_get_transfer_state (transfer->stream);
    transfer->grace_id =
      g_timeout_add_seconds (stream_state == CONFAB_FILE_TRANSFER_STATE_VERIFYING ? VERIFY_GRACE_S
                                                                                  : SETTLE_GRACE_S,
                             on_settle_grace_over, transfer);
    return;
  }
  report_session_end (transfer);
  transfer_check_settled (transfer);
}

static void
transfer_free (CliTransfer *transfer)
{
  g_clear_handle_id (&transfer->linger_id, g_source_remove);
  g_clear_handle_id (&transfer->grace_id, g_source_remove);
  g_clear_handle_id (&transfer->verdict_id, g_source_remove);
  g_clear_handle_id (&transfer->stream_end_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (transfer->session, transfer);
  if (g_object_get_data (G_OBJECT (transfer->session), "confab-cli-pending-transfer") == transfer)
    g_object_set_data (G_OBJECT (transfer->session), "confab-cli-pending-transfer", NULL);
  if (transfer->stream) {
    g_signal_handlers_disconnect_by_data (transfer->stream, transfer);
    g_object_set_data (G_OBJECT (transfer->stream), "confab-cli-transfer", NULL);
  }
  g_clear_object (&transfer->stream);
  g_clear_object (&transfer->session);
  g_free (transfer->name);
  g_free (transfer);
}

static gboolean
release_transfer (gpointer user_data)
{
  CliTransfer *transfer = user_data;
  CliFiles *files = transfer->cli->files;

  if (files && g_ptr_array_remove (files->transfers, transfer))
    transfer_free (transfer);
  return G_SOURCE_REMOVE;
}

/* Reported and the session over: tell the command, then let go. */
static void
transfer_check_settled (CliTransfer *transfer)
{
  if (transfer->settled || !transfer->final || !transfer->ended)
    return;
  transfer->settled = TRUE;
  g_clear_handle_id (&transfer->grace_id, g_source_remove);
  if (transfer->on_settled)
    transfer->on_settled (transfer, transfer->settled_data);
  g_idle_add (release_transfer, transfer);
}

static CliTransfer *
transfer_new (CliContext    *cli,
              ConfabSession *session)
{
  CliTransfer *transfer = g_new0 (CliTransfer, 1);

  transfer->cli = cli;
  transfer->session = g_object_ref (session);
  transfer->shown = CONFAB_FILE_TRANSFER_STATE_NEW;
  g_ptr_array_add (cli_files_get (cli)->transfers, transfer);
  g_signal_connect (session, "notify::state", G_CALLBACK (on_session_state), transfer);
  on_session_state (session, NULL, transfer);
  return transfer;
}

static void
on_streams_changed (GListModel    *streams,
                    guint          position,
                    guint          removed,
                    guint          added,
                    ConfabSession *session)
{
  CliContext *cli = g_object_get_data (G_OBJECT (session), "confab-cli-files-context");

  if (!cli || !cli->files)
    return;
  for (guint i = position; i < position + added; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);
    CliTransfer *transfer;

    if (!CONFAB_IS_FILE_TRANSFER_STREAM (stream) ||
        g_object_get_data (G_OBJECT (stream), "confab-cli-transfer"))
      continue;
    transfer = g_object_get_data (G_OBJECT (session), "confab-cli-pending-transfer");
    if (transfer)
      g_object_set_data (G_OBJECT (session), "confab-cli-pending-transfer", NULL);
    else
      transfer = transfer_new (cli, session);
    transfer_attach_stream (transfer, CONFAB_FILE_TRANSFER_STREAM (stream));
  }
}

/**
 * cli_files_watch_session:
 *
 * Prints the progress of every file transfer stream @session has or gets.
 */
void
cli_files_watch_session (CliContext    *cli,
                         ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);

  cli_files_get (cli);
  if (g_object_get_data (G_OBJECT (session), "confab-cli-files-context"))
    return;
  g_object_set_data (G_OBJECT (session), "confab-cli-files-context", cli);
  g_signal_connect (streams, "items-changed", G_CALLBACK (on_streams_changed), session);
  on_streams_changed (streams, 0, 0, g_list_model_get_n_items (streams), session);
}

/**
 * cli_transfer_expect:
 * @name: what to call the file until the stream knows
 * @on_settled: called once the transfer is reported and its session over
 *
 * Reports the file transfer @session (ours, just made) carries.
 */
CliTransfer *
cli_transfer_expect (CliContext                  *cli,
                     ConfabSession               *session,
                     ConfabFileTransferDirection  direction,
                     gboolean                     pull,
                     const char                  *name,
                     gboolean                     has_total,
                     guint64                      total,
                     void                       (*on_settled) (CliTransfer *transfer,
                                                               gpointer     user_data),
                     gpointer                     user_data)
{
  CliTransfer *transfer = transfer_new (cli, session);

  transfer->direction = direction;
  transfer->pull = pull;
  transfer->name = g_strdup (name);
  transfer->has_total = has_total;
  transfer->total = total;
  transfer->on_settled = on_settled;
  transfer->settled_data = user_data;
  g_object_set_data (G_OBJECT (session), "confab-cli-pending-transfer", transfer);
  cli_files_watch_session (cli, session);
  return transfer;
}

int
cli_transfer_get_exit_code (CliTransfer *transfer)
{
  return transfer->exit_code;
}

/* Offered and not answered yet (hashing does not count). */
gboolean
cli_transfer_is_ringing (CliTransfer *transfer)
{
  ConfabFileTransferState state;

  if (transfer->answered || transfer->ended || transfer->final)
    return FALSE;
  if (!transfer->stream)
    return TRUE;
  state = confab_file_transfer_stream_get_transfer_state (transfer->stream);
  return state != CONFAB_FILE_TRANSFER_STATE_NEW && state != CONFAB_FILE_TRANSFER_STATE_HASHING;
}

static gboolean
on_hang_up_bound (gpointer user_data)
{
  CliTransfer *transfer = user_data;

  transfer->grace_id = 0;
  transfer->ended = TRUE;
  transfer_check_settled (transfer);
  return G_SOURCE_REMOVE;
}

/* We end it: the session's end is not worth waiting for long. */
static void
hang_up_bounded (CliTransfer *transfer)
{
  if (confab_session_get_state (transfer->session) < CONFAB_SESSION_STATE_TERMINATING)
    confab_session_hangup (transfer->session);
  if (!transfer->ended && !transfer->grace_id)
    transfer->grace_id = g_timeout_add_seconds (HANG_UP_BOUND_S, on_hang_up_bound, transfer);
}

/* --ring-timeout: reported as failed with @exit_code, then cancelled. */
void
cli_transfer_give_up (CliTransfer *transfer,
                      const char  *reason,
                      int          exit_code)
{
  transfer->cancelling = TRUE;
  emit_final (transfer, "failed", reason, exit_code);
  if (transfer->stream)
    confab_file_transfer_stream_cancel (transfer->stream);
  hang_up_bounded (transfer);
  transfer_check_settled (transfer);
}

/* SIGINT: the stream stops (a receiver keeps its .part), then the session. */
void
cli_transfer_cancel (CliTransfer *transfer)
{
  transfer->cancelling = TRUE;
  if (transfer->stream && !transfer->final)
    confab_file_transfer_stream_cancel (transfer->stream);
  if (!transfer->final && !transfer->ended)
    emit_final (transfer, "cancelled", _("interrupted"), CLI_EXIT_FAILURE);
  hang_up_bounded (transfer);
  transfer_check_settled (transfer);
}

void
cli_files_cancel_all (CliContext *cli)
{
  g_autoptr (GPtrArray) all = NULL;

  if (!cli->files)
    return;
  all = g_ptr_array_copy (cli->files->transfers, NULL, NULL);
  for (guint i = 0; i < all->len; i++)
    if (g_ptr_array_find (cli->files->transfers, g_ptr_array_index (all, i), NULL))
      cli_transfer_cancel (g_ptr_array_index (all, i));
}

void
cli_files_clear (CliContext *cli)
{
  CliFiles *files = cli->files;

  if (!files)
    return;
  cli->files = NULL;
  for (guint i = 0; i < files->transfers->len; i++) {
    CliTransfer *transfer = g_ptr_array_index (files->transfers, i);

    g_idle_remove_by_data (transfer);
    transfer_free (transfer);
  }
  g_ptr_array_unref (files->transfers);
  g_clear_object (&files->accept_dir);
  g_clear_object (&files->share_dir);
  if (files->line_open)
    fputc ('\n', stderr);
  g_free (files);
}
