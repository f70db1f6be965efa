/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"
#include "confab-session-manager.h"
#include "transfer/confab-file-selector.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

/* confab-cli send-file URI PATH… and fetch-file URI --name --hash: one
 * session per file, one file after the other; confab-cli-transfer.c
 * prints how each goes. Exit 0 when every file arrived, 1 when one
 * failed or was cancelled, 4 on no answer (--ring-timeout), 5 when the
 * peer declined. Also listen's side: --accept-files takes pushes,
 * --share-files answers pulls. */

#define SHUTDOWN_BOUND_MS 5000
#define SIGNAL_BOUND_S    2     /* after SIGINT: the hang-up, then exit anyway */
#define TICK_MS           250

typedef struct
{
  CliContext           *cli;
  GMainLoop            *loop;
  ConfabAccount        *account;
  ConfabSessionManager *manager;
  const char           *uri;
  GPtrArray            *files;          /* GFile*: send-file, in order */
  GArray               *sizes;          /* guint64 each */
  ConfabFileSelector   *wanted;         /* fetch-file */
  guint                 count;
  guint                 next;
  CliTransfer          *current;
  guint                 n_settled;
  int                   ring_timeout;   /* seconds; 0: as long as the peer lets us */
  gint64                ringing_since;
  guint                 tick_id;
  guint                 next_id;
  guint                 bound_id;
  gboolean              started;
  gboolean              interrupted;
  gboolean              stopping;
  int                   status;
} FilesRun;

static void
stop (FilesRun *run,
      int       status)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;
  run->status = status;
  g_main_loop_quit (run->loop);
}

/* The first failure decides the exit code. */
static void
note_exit_code (FilesRun *run,
                int       code)
{
  if (run->status == CLI_EXIT_OK)
    run->status = code;
}

static void start_next (FilesRun *run);

static gboolean
on_start_next (gpointer user_data)
{
  FilesRun *run = user_data;

  run->next_id = 0;
  start_next (run);
  return G_SOURCE_REMOVE;
}

static void
schedule_next (FilesRun *run)
{
  if (!run->next_id)
    run->next_id = g_idle_add (on_start_next, run);
}

static void
on_transfer_settled (CliTransfer *transfer,
                     gpointer     user_data)
{
  FilesRun *run = user_data;
  int code = cli_transfer_get_exit_code (transfer);

  run->n_settled++;
  if (run->current == transfer)
    run->current = NULL;
  run->ringing_since = 0;
  run->next++;
  note_exit_code (run, code);
  if (run->interrupted)
    stop (run, CLI_EXIT_FAILURE);
  else if (code == CLI_EXIT_AUTH || code == CLI_EXIT_NETWORK)
    stop (run, code);   /* the next file would not fare better */
  else
    schedule_next (run);
}

static void
start_next (FilesRun *run)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  ConfabSession *session;
  CliTransfer *transfer;
  guint settled;

  if (run->stopping || run->current)
    return;
  if (run->next >= run->count) {
    stop (run, run->status);
    return;
  }
  if (run->wanted) {
    session = confab_session_manager_fetch_file (run->manager, run->account, run->uri,
                                                 run->wanted, &error);
    name = g_strdup (run->wanted->name);
  } else {
    GFile *file = g_ptr_array_index (run->files, run->next);

    session = confab_session_manager_send_file (run->manager, run->account, run->uri, file,
                                                &error);
    name = g_file_get_basename (file);
  }
  if (!session) {
    int code = cli_exit_code_for_error (error);

    cli_error (run->cli, "%s: %s", name, error->message);
    note_exit_code (run, code);
    run->next++;
    if (code == CLI_EXIT_USAGE || code == CLI_EXIT_AUTH || code == CLI_EXIT_NETWORK)
      stop (run, code);
    else
      schedule_next (run);
    return;
  }
  settled = run->n_settled;
  if (run->wanted)
    transfer = cli_transfer_expect (run->cli, session, CONFAB_FILE_TRANSFER_INCOMING, TRUE, name,
                                    run->wanted->has_size, run->wanted->size,
                                    on_transfer_settled, run);
  else
    transfer = cli_transfer_expect (run->cli, session, CONFAB_FILE_TRANSFER_OUTGOING, FALSE, name,
                                    TRUE, g_array_index (run->sizes, guint64, run->next),
                                    on_transfer_settled, run);
  if (run->n_settled == settled)
    run->current = transfer;
}

/* --ring-timeout counts from the offer: hashing a large file first does
 * not use it up. */
static gboolean
on_tick (gpointer user_data)
{
  FilesRun *run = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *reason = NULL;

  if (!run->current || run->ring_timeout <= 0 || !cli_transfer_is_ringing (run->current)) {
    run->ringing_since = 0;
    return G_SOURCE_CONTINUE;
  }
  if (run->ringing_since == 0)
    run->ringing_since = now;
  if (now - run->ringing_since < (gint64) run->ring_timeout * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;
  run->ringing_since = 0;
  reason = g_strdup_printf (_("No answer from %s within %d s"), run->uri, run->ring_timeout);
  cli_transfer_give_up (run->current, reason, CLI_EXIT_NETWORK);
  return G_SOURCE_CONTINUE;
}

static void
on_account_state (ConfabAccount *account,
                  GParamSpec    *pspec,
                  FilesRun      *run)
{
  ConfabAccountState state = confab_account_get_state (account);

  if (run->stopping || run->started)
    return;
  if (state == CONFAB_ACCOUNT_STATE_FAILED) {
    gboolean auth = confab_account_get_failure_domain (account) == CONFAB_ERROR &&
                    confab_account_get_failure_code (account) == CONFAB_ERROR_AUTH;

    cli_error (run->cli, _("Account %s: %s"), confab_account_get_address (account),
               confab_account_get_state_reason (account));
    stop (run, auth ? CLI_EXIT_AUTH : CLI_EXIT_NETWORK);
    return;
  }
  if (state == CONFAB_ACCOUNT_STATE_REGISTERED || state == CONFAB_ACCOUNT_STATE_READY) {
    run->started = TRUE;
    start_next (run);
  }
}

static gboolean
on_signal_bound (gpointer user_data)
{
  FilesRun *run = user_data;

  run->bound_id = 0;
  stop (run, CLI_EXIT_FAILURE);
  return G_SOURCE_REMOVE;
}

/* SIGINT/SIGTERM: cancel (a receiver keeps its .part), hang up, exit 1;
 * a second signal exits at once. */
static gboolean
on_signal (gpointer user_data)
{
  FilesRun *run = user_data;

  if (run->interrupted || !run->current) {
    run->interrupted = TRUE;
    stop (run, CLI_EXIT_FAILURE);
    return G_SOURCE_CONTINUE;
  }
  run->interrupted = TRUE;
  run->status = CLI_EXIT_FAILURE;
  run->bound_id = g_timeout_add_seconds (SIGNAL_BOUND_S, on_signal_bound, run);
  cli_transfer_cancel (run->current);
  return G_SOURCE_CONTINUE;
}

static int
run_files (CliContext *cli,
           FilesRun   *run,
           GFile      *download_directory)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (ConfabEngine) engine = NULL;
  g_autoptr (ConfabAccountManager) accounts = NULL;
  g_autoptr (ConfabAccount) account = NULL;
  g_autoptr (ConfabSessionManager) manager = NULL;
  guint sigint_id, sigterm_id;

  if (!cli_check_msrp_transport (cli))
    return CLI_EXIT_USAGE;
  if (run->ring_timeout < 0) {
    cli_error (cli, _("Times are seconds, 0 or more"));
    return CLI_EXIT_USAGE;
  }
  engine = cli_open_engine (cli);
  if (!engine)
    return CLI_EXIT_FAILURE;
  manager = confab_session_manager_new (engine);
  if (download_directory)
    confab_session_manager_set_download_directory (manager, download_directory);
  cli_setup_session_manager (cli, manager);
  account = cli_open_account (cli, engine, &accounts, &error);
  if (!account) {
    cli_error (cli, "%s", error->message);
    return cli_exit_code_for_error (error);
  }

  run->cli = cli;
  run->loop = loop;
  run->account = account;
  run->manager = manager;
  run->status = CLI_EXIT_OK;
  run->tick_id = g_timeout_add (TICK_MS, on_tick, run);
  g_signal_connect (account, "notify::state", G_CALLBACK (on_account_state), run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, run);

  if (!confab_account_go_online (account, engine, &error)) {
    cli_error (cli, "%s", error->message);
    run->status = cli_exit_code_for_error (error);
  } else {
    g_main_loop_run (loop);
  }

  run->stopping = TRUE;
  g_clear_handle_id (&run->tick_id, g_source_remove);
  g_clear_handle_id (&run->next_id, g_source_remove);
  g_clear_handle_id (&run->bound_id, g_source_remove);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (account, run);
  confab_session_manager_hangup_all (manager);
  cli_files_clear (cli);
  run->current = NULL;
  run->manager = NULL;
  g_clear_object (&manager);
  confab_account_go_offline (account);
  confab_engine_shutdown (engine, SHUTDOWN_BOUND_MS);
  return run->status;
}

/* Missing or unreadable: a usage error, before any SIP traffic. */
static gboolean
check_readable (CliContext *cli,
                GFile      *file,
                const char *path,
                guint64    *size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) input = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR) {
    cli_error (cli, _("%s: not a regular file"), path);
    return FALSE;
  }
  if (info)
    input = g_file_read (file, NULL, &error);
  if (!input) {
    cli_error (cli, "%s: %s", path, error->message);
    return FALSE;
  }
  *size = (guint64) g_file_info_get_size (info);
  return TRUE;
}

int
confab_cli_send_file (CliContext  *cli,
                      int          argc,
                      char       **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("URI PATH…"));
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
  FilesRun run = { 0 };
  const GOptionEntry entries[] = {
    { "ring-timeout", 0, 0, G_OPTION_ARG_INT, &run.ring_timeout,
      N_("Give up (CANCEL) when not answered within this time; exit code 4"), N_("S") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Sends the files, one session each, one after "
                                           "the other; progress on stderr."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }
  if (g_strv_length (args) < 3) {
    cli_error (cli, _("Usage: confab-cli send-file URI PATH… [OPTION…]"));
    return CLI_EXIT_USAGE;
  }
  for (guint i = 2; args[i]; i++) {
    g_autoptr (GFile) file = g_file_new_for_commandline_arg (args[i]);
    guint64 size = 0;

    if (!check_readable (cli, file, args[i], &size))
      return CLI_EXIT_USAGE;
    g_ptr_array_add (files, g_steal_pointer (&file));
    g_array_append_val (sizes, size);
  }
  run.uri = args[1];
  run.files = files;
  run.sizes = sizes;
  run.count = files->len;
  return run_files (cli, &run, NULL);
}

/* listen --accept-files / --share-files */

/* A pull names a file: DIR/<safe name>, a regular file (no symlink out of
 * DIR) of the size asked for; the stream checks the hash itself. */
static GFile *
share_provider (const ConfabFileSelector *wanted,
                gpointer                  user_data)
{
  GFile *directory = user_data;
  g_autofree char *safe = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInfo) info = NULL;

  if (!wanted || !wanted->name)
    return NULL;
  safe = confab_file_safe_name (wanted->name);
  file = g_file_get_child (directory, safe);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (!info || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return NULL;
  if (wanted->has_size && (guint64) g_file_info_get_size (info) != wanted->size)
    return NULL;
  return g_steal_pointer (&file);
}

static GFile *
directory_option (CliContext *cli,
                  const char *option,
                  const char *path)
{
  g_autoptr (GFile) directory = g_file_new_for_commandline_arg (path);

  if (g_file_query_file_type (directory, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY) {
    cli_error (cli, _("%s: “%s” is not a folder"), option, path);
    return NULL;
  }
  return g_steal_pointer (&directory);
}

/**
 * cli_files_listen_setup:
 *
 * Returns: %FALSE (reported) when a folder is not one
 */
gboolean
cli_files_listen_setup (CliContext           *cli,
                        ConfabSessionManager *manager,
                        const char           *accept_dir,
                        const char           *share_dir)
{
  CliFiles *files = cli_files_get (cli);

  if (accept_dir) {
    files->accept_dir = directory_option (cli, "--accept-files", accept_dir);
    if (!files->accept_dir)
      return FALSE;
    confab_session_manager_set_download_directory (manager, files->accept_dir);
  }
  if (share_dir) {
    files->share_dir = directory_option (cli, "--share-files", share_dir);
    if (!files->share_dir)
      return FALSE;
    confab_session_manager_set_file_provider (manager, share_provider,
                                              g_object_ref (files->share_dir), g_object_unref);
  }
  return TRUE;
}

static gboolean
on_accept_now (gpointer user_data)
{
  confab_session_accept (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * cli_files_answer:
 *
 * Returns: whether @session is an incoming file transfer, which is then
 *   accepted (pushes with --accept-files, pulls with --share-files) or
 *   declined (603)
 */
gboolean
cli_files_answer (CliContext    *cli,
                  ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);
  gboolean wanted = TRUE;

  if (!confab_session_is_incoming (session) || !confab_session_is_file_transfer (session))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (streams); i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);

    if (!CONFAB_IS_FILE_TRANSFER_STREAM (stream))
      continue;
    if (confab_file_transfer_stream_is_pull (CONFAB_FILE_TRANSFER_STREAM (stream)))
      wanted = wanted && cli->files && cli->files->share_dir;
    else
      wanted = wanted && cli->files && cli->files->accept_dir;
  }
  if (wanted)
    g_idle_add_full (G_PRIORITY_DEFAULT, on_accept_now, g_object_ref (session), g_object_unref);
  else
    confab_session_reject (session, 603);
  return TRUE;
}

/* "sha-1:14:F9:…", "14f9…" (sha1sum's form): the upper-case colon form. */
static char *
normalize_hash (const char *text)
{
  g_autoptr (GString) hex = g_string_new (NULL);
  GString *normal;

  if (g_ascii_strncasecmp (text, "sha-1:", 6) == 0)
    text += 6;
  else if (g_ascii_strncasecmp (text, "sha1:", 5) == 0)
    text += 5;
  for (const char *p = text; *p; p++) {
    if (*p == ':')
      continue;
    if (!g_ascii_isxdigit (*p))
      return NULL;
    g_string_append_c (hex, g_ascii_toupper (*p));
  }
  if (hex->len != 40)
    return NULL;
  normal = g_string_sized_new (CONFAB_FILE_SHA1_TEXT_LENGTH);
  for (guint i = 0; i < hex->len; i += 2) {
    if (i > 0)
      g_string_append_c (normal, ':');
    g_string_append_len (normal, hex->str + i, 2);
  }
  return g_string_free (normal, FALSE);
}

int
confab_cli_fetch_file (CliContext  *cli,
                       int          argc,
                       char       **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("URI"));
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL, *hash = NULL, *dir = NULL;
  g_autoptr (GFile) directory = NULL;
  g_auto (ConfabFileSelector) wanted = { 0 };
  gint64 size = -1;
  FilesRun run = { 0 };
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The file’s name"), N_("NAME") },
    { "hash", 0, 0, G_OPTION_ARG_STRING, &hash,
      N_("Its SHA-1 (sha-1:XX:XX:… or 40 hex digits)"), N_("HASH") },
    { "size", 0, 0, G_OPTION_ARG_INT64, &size, N_("Its size in bytes"), "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Save it in this folder (default: the download folder)"), N_("DIR") },
    { "ring-timeout", 0, 0, G_OPTION_ARG_INT, &run.ring_timeout,
      N_("Give up (CANCEL) when not answered within this time; exit code 4"), N_("S") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Asks the peer for the file with this name and "
                                           "hash, and saves it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }
  if (g_strv_length (args) != 2 || !name || !*name || !hash) {
    cli_error (cli, _("Usage: confab-cli fetch-file URI --name NAME --hash HASH [OPTION…]"));
    return CLI_EXIT_USAGE;
  }
  wanted.hash = normalize_hash (hash);
  if (!wanted.hash) {
    cli_error (cli, _("--hash takes a SHA-1: 40 hexadecimal digits, optionally with colons "
                      "and a “sha-1:” prefix"));
    return CLI_EXIT_USAGE;
  }
  if (size < -1) {
    cli_error (cli, _("--size takes a number of bytes"));
    return CLI_EXIT_USAGE;
  }
  if (!dir) {
    const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

    dir = g_strdup (downloads ? downloads : g_get_home_dir ());
  }
  directory = g_file_new_for_commandline_arg (dir);
  if (g_file_query_file_type (directory, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY) {
    cli_error (cli, _("--dir: “%s” is not a folder"), dir);
    return CLI_EXIT_USAGE;
  }
  wanted.name = g_strdup (name);
  wanted.has_size = size >= 0;
  wanted.size = size >= 0 ? (guint64) size : 0;
  run.uri = args[1];
  run.wanted = &wanted;
  run.count = 1;
  return run_files (cli, &run, directory);
}
