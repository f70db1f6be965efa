/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

/* confab-cli: the headless client (../shared/CLI.md). Account options are
 * accepted anywhere on the line; what is left is COMMAND [ARGS]. */

typedef int (*CliCommandFunc) (CliContext *cli, int argc, char **argv);

static const struct
{
  const char     *name;
  CliCommandFunc  run;
  const char     *summary;
} commands[] = {
  { "register", confab_cli_register, N_("Register and stay registered until interrupted") },
  { "accounts", confab_cli_accounts, N_("List, add or remove configured accounts") },
  { "call", confab_cli_call, N_("Make one audio call") },
  { "listen", confab_cli_listen, N_("Wait for calls and handle them") },
  { "message", confab_cli_message, N_("Send one page-mode message (SIP MESSAGE)") },
  { "chat", confab_cli_chat, N_("Chat session: each input line is a message") },
  { "send-file", confab_cli_send_file, N_("Send files (progress on stderr)") },
  { "fetch-file", confab_cli_fetch_file, N_("Fetch a file the peer shares, by name and hash") },
  { "conference", confab_cli_conference, N_("Join or watch a conference room (join ROOM, watch ROOM)") },
};

static char *
commands_help (void)
{
  GString *help = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (help, "\n  %-10s %s", commands[i].name, _(commands[i].summary));
  g_string_append (help, "\n\n");
  g_string_append (help, _("Run “confab-cli COMMAND --help” for the options of a command."));
  g_string_append (help, "\n");
  g_string_append (help, _("Exit codes: 0 success, 1 failure, 2 usage error, 3 authentication "
                           "refused, 4 network failure or timeout, 5 rejected by the peer."));
  return g_string_free (help, FALSE);
}

static void
cli_context_clear (CliContext *cli)
{
  g_free (cli->account);
  if (cli->password)
    memset (cli->password, 0, strlen (cli->password));
  g_free (cli->password);
  g_free (cli->transport);
  g_free (cli->proxy);
  g_free (cli->ca_file);
  g_free (cli->stun);
  g_free (cli->turn);
  g_free (cli->msrp_relay);
  g_free (cli->msrp_transport);
  g_free (cli->config);
  g_free (cli->bind);
}

static GLogWriterOutput
quiet_log_writer (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  CliContext *cli = user_data;

  /* Debug and info only with -v; warnings always, on stderr. */
  if (!cli->verbose && (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
}

ConfabEngine *
cli_open_engine (CliContext *cli)
{
  g_autoptr (GError) error = NULL;
  ConfabEngine *engine = confab_engine_new (&error);

  if (!engine) {
    cli_error (cli, "%s", error->message);
    return NULL;
  }
  confab_engine_set_bind_address (engine, cli->bind);
  return engine;
}

ConfabAccountManager *
cli_open_manager (CliContext    *cli,
                  ConfabEngine  *engine,
                  GError       **error)
{
  g_autoptr (ConfabSecretStore) secrets = confab_libsecret_store_new ();
  g_autoptr (ConfabAccountManager) manager = NULL;

  manager = confab_account_manager_new (engine, secrets, cli->config);
  if (!confab_account_manager_load (manager, error))
    return NULL;
  return g_steal_pointer (&manager);
}

static gboolean
apply_inline_options (CliContext    *cli,
                      ConfabAccount *account,
                      GError       **error)
{
  if (cli->transport) {
    ConfabTransport transport;

    if (!confab_transport_from_string (cli->transport, &transport)) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                   _("Unknown transport “%s”: use udp, tcp or tls"), cli->transport);
      return FALSE;
    }
    confab_account_set_transport (account, transport);
  }
  if (cli->proxy)
    confab_account_set_proxy (account, cli->proxy);
  if (cli->ca_file)
    confab_account_set_ca_file (account, cli->ca_file);
  if (cli->password)
    confab_account_set_password (account, cli->password);
  return TRUE;
}

/**
 * cli_resolve_account:
 *
 * --account names a configured account (id, address or display name) or is
 * an inline address. Without it, the only configured account is used.
 * Returns: (transfer full): the account, passwords loaded
 */
ConfabAccount *
cli_resolve_account (CliContext            *cli,
                     ConfabAccountManager  *manager,
                     GError               **error)
{
  ConfabAccount *account = NULL;

  if (cli->account)
    account = confab_account_manager_find (manager, cli->account);
  else if (g_list_model_get_n_items (G_LIST_MODEL (manager)) == 1)
    account = g_list_model_get_item (G_LIST_MODEL (manager), 0), g_object_unref (account);
  else {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("Say which account with --account (configured: %u)"),
                 g_list_model_get_n_items (G_LIST_MODEL (manager)));
    return NULL;
  }

  if (account) {
    g_autoptr (GError) secret_error = NULL;

    g_object_ref (account);
    if (!cli->password && !confab_account_manager_load_passwords (manager, &secret_error))
      g_warning ("Could not read the password from the keyring: %s", secret_error->message);
  } else {
    account = confab_account_new (cli->account);
    if (!cli->password && g_getenv ("CONFAB_PASSWORD"))
      cli->password = g_strdup (g_getenv ("CONFAB_PASSWORD"));
  }

  if (!apply_inline_options (cli, account, error) || !confab_account_validate (account, error)) {
    g_object_unref (account);
    return NULL;
  }
  return account;
}

gboolean
cli_check_msrp_transport (CliContext *cli)
{
  if (cli->msrp_transport && !g_str_equal (cli->msrp_transport, "tls") &&
      !g_str_equal (cli->msrp_transport, "tcp")) {
    cli_error (cli, _("--msrp-transport takes tls or tcp"));
    return FALSE;
  }
  return TRUE;
}

void
cli_setup_session_manager (CliContext           *cli,
                           ConfabSessionManager *manager)
{
  g_autoptr (ConfabHistory) history = NULL;
  g_autoptr (GError) error = NULL;

  confab_session_manager_set_msrp (manager, g_strcmp0 (cli->msrp_transport, "tcp") != 0,
                                   cli->msrp_relay, cli->ca_file);
  if (cli->no_history)
    return;
  history = confab_history_open (NULL, &error);
  if (history)
    confab_session_manager_set_history (manager, history);
  else
    g_warning ("History not kept: %s", error->message);
}

/**
 * cli_open_account:
 *
 * Returns: (transfer full): the account for a session command
 */
ConfabAccount *
cli_open_account (CliContext            *cli,
                  ConfabEngine          *engine,
                  ConfabAccountManager **accounts,
                  GError               **error)
{
  if (!cli->account)
    return confab_account_new_local (NULL, cli->local_port >= 0 ? (guint) cli->local_port : 0);
  *accounts = cli_open_manager (cli, engine, error);
  return *accounts ? cli_resolve_account (cli, *accounts, error) : NULL;
}

int
main (int    argc,
      char **argv)
{
  CliContext cli = { .local_port = -1 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *help = NULL;
  g_auto (GStrv) args = NULL;
  gboolean show_version = FALSE;
  int status = CLI_EXIT_USAGE;
  int n_args;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &cli.account,
      N_("A configured account (name or address), or an inline SIP address"), N_("URI-or-name") },
    { "password", 0, 0, G_OPTION_ARG_STRING, &cli.password,
      N_("Password of an inline account (or CONFAB_PASSWORD); never stored"), N_("PW") },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &cli.transport, N_("SIP transport"),
      "udp|tcp|tls" },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &cli.proxy, N_("Registrar / outbound proxy"),
      N_("URI") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &cli.ca_file,
      N_("Trust this CA for TLS besides the system store"), N_("PATH") },
    { "stun", 0, 0, G_OPTION_ARG_STRING, &cli.stun, N_("STUN server for ICE"),
      N_("HOST[:PORT]") },
    { "turn", 0, 0, G_OPTION_ARG_STRING, &cli.turn,
      N_("TURN server for ICE (turn:[USER:PASS@]HOST[:PORT])"), N_("URI") },
    { "msrp-relay", 0, 0, G_OPTION_ARG_STRING, &cli.msrp_relay,
      N_("MSRP relay (msrps://host:port;tcp), authenticated with the SIP credentials"),
      N_("URI") },
    { "msrp-transport", 0, 0, G_OPTION_ARG_STRING, &cli.msrp_transport,
      N_("MSRP over tls (default) or tcp"), "tls|tcp" },
    { "no-history", 0, 0, G_OPTION_ARG_NONE, &cli.no_history,
      N_("Do not keep chat messages in the history ($XDG_DATA_HOME/confab)"), NULL },
    { "local-port", 0, 0, G_OPTION_ARG_INT, &cli.local_port,
      N_("SIP port of the local account"), "N" },
    { "bind", 0, 0, G_OPTION_ARG_STRING, &cli.bind,
      N_("Bind SIP sockets to this address only"), N_("ADDR") },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &cli.config,
      N_("Accounts file (default: $XDG_CONFIG_HOME/confab/accounts.json)"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli.json, N_("Print one JSON object per event"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &cli.verbose, N_("Print debugging output"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  cli.started_us = g_get_monotonic_time ();
  g_log_set_writer_func (quiet_log_writer, &cli, NULL);

  context = g_option_context_new (_("COMMAND [ARGS…]"));
  g_option_context_set_summary (context, _("Confab’s command-line SIP client."));
  help = commands_help ();
  g_option_context_set_description (context, help);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);

  args = g_strdupv (argv);
  n_args = argc;
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (&cli, "%s", error->message);
    goto out;
  }
  n_args = (int) g_strv_length (args);

  if (show_version) {
    printf ("confab-cli %s\n", PACKAGE_VERSION);
    status = CLI_EXIT_OK;
    goto out;
  }
  if (n_args < 2 || g_str_equal (args[1], "--help") || g_str_equal (args[1], "-h") ||
      g_str_equal (args[1], "help")) {
    g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

    fputs (text, n_args < 2 ? stderr : stdout);
    status = n_args < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    goto out;
  }
  if (cli.verbose)
    g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (g_str_equal (args[1], commands[i].name)) {
      status = commands[i].run (&cli, n_args - 1, args + 1);
      goto out;
    }
  }
  cli_error (&cli, _("Unknown command “%s”. Run “confab-cli --help”."), args[1]);

out:
  cli_context_clear (&cli);
  return status;
}
