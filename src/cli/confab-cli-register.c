/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

/* confab-cli register: prints every state change; stays registered until
 * interrupted (or --duration), then un-REGISTERs. --once returns as soon as
 * the first REGISTER succeeds or fails. */

#define SHUTDOWN_BOUND_MS 5000

typedef struct
{
  CliContext    *cli;
  ConfabAccount *account;
  GMainLoop     *loop;
  gboolean       once;
  int            status;
  gboolean       stopping;
  guint          timeout_id;
  guint          duration_id;
  int            last_emitted;
} RegisterRun;

static void
stop (RegisterRun *run,
      int          status)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;
  run->status = status;
  g_main_loop_quit (run->loop);
}

static void
emit_state (RegisterRun *run)
{
  ConfabAccount *account = run->account;
  ConfabAccountState state = confab_account_get_state (account);
  const char *name = confab_account_state_to_string (state);
  const char *address = confab_account_get_address (account);
  const char *reason = confab_account_get_state_reason (account);
  gint64 elapsed_ms = (g_get_monotonic_time () - run->cli->started_us) / 1000;
  JsonBuilder *event = cli_event_begin ("registration");

  run->last_emitted = state;

  json_builder_set_member_name (event, "account");
  json_builder_add_string_value (event, address);
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, name);
  if (reason) {
    json_builder_set_member_name (event, "reason");
    json_builder_add_string_value (event, reason);
  }
  if (state == CONFAB_ACCOUNT_STATE_REGISTERED) {
    json_builder_set_member_name (event, "expires");
    json_builder_add_int_value (event, confab_account_get_granted_expires (account));
  }
  json_builder_set_member_name (event, "elapsed_ms");
  json_builder_add_int_value (event, elapsed_ms);

  if (state == CONFAB_ACCOUNT_STATE_REGISTERED)
    cli_emit (run->cli, event, _("%s: registered (expires in %u s, after %u ms)"),
              address, confab_account_get_granted_expires (account), (guint) elapsed_ms);
  else if (reason)
    cli_emit (run->cli, event, "%s: %s (%s)", address, name, reason);
  else
    cli_emit (run->cli, event, "%s: %s", address, name);
}

static void
on_state_changed (ConfabAccount *account,
                  GParamSpec    *pspec,
                  RegisterRun   *run)
{
  ConfabAccountState state = confab_account_get_state (account);

  emit_state (run);
  if (run->stopping)
    return;

  if (state == CONFAB_ACCOUNT_STATE_REGISTERED) {
    g_clear_handle_id (&run->timeout_id, g_source_remove);
    if (run->once)
      stop (run, CLI_EXIT_OK);
  } else if (state == CONFAB_ACCOUNT_STATE_FAILED) {
    int code = CLI_EXIT_FAILURE;

    if (confab_account_get_failure_domain (account) == CONFAB_ERROR) {
      g_autoptr (GError) kind = g_error_new_literal (CONFAB_ERROR,
                                                     confab_account_get_failure_code (account),
                                                     "");
      code = cli_exit_code_for_error (kind);
    }
    /* Credentials are not retried; network failures are, unless --once. */
    if (run->once || code == CLI_EXIT_AUTH || code == CLI_EXIT_REJECTED)
      stop (run, code);
  }
}

static void
on_reason_changed (ConfabAccount *account,
                   GParamSpec    *pspec,
                   RegisterRun   *run)
{
  /* A TLS diagnosis arrives after the failure; tell it too. */
  if (confab_account_get_state (account) == CONFAB_ACCOUNT_STATE_FAILED && !run->stopping)
    emit_state (run);
}

static gboolean
on_signal (gpointer user_data)
{
  stop (user_data, CLI_EXIT_OK);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  RegisterRun *run = user_data;

  run->timeout_id = 0;
  cli_error (run->cli, _("Not registered within the time limit"));
  stop (run, CLI_EXIT_NETWORK);
  return G_SOURCE_REMOVE;
}

static gboolean
on_duration_over (gpointer user_data)
{
  RegisterRun *run = user_data;

  run->duration_id = 0;
  stop (run, confab_account_get_state (run->account) == CONFAB_ACCOUNT_STATE_REGISTERED
               ? CLI_EXIT_OK : CLI_EXIT_NETWORK);
  return G_SOURCE_REMOVE;
}

int
confab_cli_register (CliContext  *cli,
                     int          argc,
                     char       **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabEngine) engine = NULL;
  g_autoptr (ConfabAccountManager) manager = NULL;
  g_autoptr (ConfabAccount) account = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  RegisterRun run = { 0 };
  gboolean once = FALSE;
  int duration = 0, timeout = 0, expires = 0, retry = 0;
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      N_("Exit after the first REGISTER succeeds (0) or fails"), NULL },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration,
      N_("Stay registered this long, then unregister and exit"), N_("S") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("Give up (exit 4) when not registered within this time"), N_("S") },
    { "expires", 0, 0, G_OPTION_ARG_INT, &expires, N_("Registration expiry to ask for"),
      N_("S") },
    { "retry", 0, 0, G_OPTION_ARG_INT, &retry,
      N_("First retry interval after a network failure"), N_("S") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Register an account and stay registered."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* argv belongs to the caller: parse a copy, which frees what it drops. */
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }
  if (g_strv_length (args) > 1) {
    cli_error (cli, _("register takes no arguments (got “%s”)"), args[1]);
    return CLI_EXIT_USAGE;
  }

  engine = cli_open_engine (cli);
  if (!engine)
    return CLI_EXIT_FAILURE;

  manager = cli_open_manager (cli, engine, &error);
  if (manager)
    account = cli_resolve_account (cli, manager, &error);
  if (!account) {
    cli_error (cli, "%s", error->message);
    return cli_exit_code_for_error (error);
  }
  if (expires > 0)
    confab_account_set_expires (account, (guint) expires);
  if (retry > 0)
    confab_account_set_retry_interval (account, (guint) retry);
  confab_account_set_register (account, TRUE);

  loop = g_main_loop_new (NULL, FALSE);
  run.cli = cli;
  run.account = account;
  run.loop = loop;
  run.once = once;
  run.status = CLI_EXIT_OK;
  run.last_emitted = -1;

  g_signal_connect (account, "notify::state", G_CALLBACK (on_state_changed), &run);
  g_signal_connect (account, "notify::state-reason", G_CALLBACK (on_reason_changed), &run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);
  if (timeout > 0)
    run.timeout_id = g_timeout_add_seconds ((guint) timeout, on_timeout, &run);
  if (duration > 0)
    run.duration_id = g_timeout_add_seconds ((guint) duration, on_duration_over, &run);

  if (!confab_account_go_online (account, engine, &error)) {
    cli_error (cli, "%s", error->message);
    run.status = cli_exit_code_for_error (error);
  } else {
    g_main_loop_run (loop);
  }

  g_clear_handle_id (&run.timeout_id, g_source_remove);
  g_clear_handle_id (&run.duration_id, g_source_remove);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  /* Un-REGISTER (bounded) so the registrar forgets us now. */
  confab_account_go_offline (account);
  if (!confab_engine_shutdown (engine, SHUTDOWN_BOUND_MS))
    cli_error (cli, _("The registrar did not confirm the un-registration in time"));
  g_signal_handlers_disconnect_by_data (account, &run);
  if (run.last_emitted != (int) confab_account_get_state (account))
    emit_state (&run);
  return run.status;
}
