/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"

#include <glib/gi18n.h>
#include <stdio.h>

/* confab-cli accounts list|add|remove: the same accounts.json and keyring
 * entries the app uses. */

static void
emit_account (CliContext    *cli,
              ConfabAccount *account)
{
  JsonBuilder *event = cli_event_begin ("account");
  const char *proxy = confab_account_get_proxy (account);
  const char *name = confab_account_get_display_name (account);
  const char *transport = confab_transport_to_string (confab_account_get_transport (account));

  json_builder_set_member_name (event, "id");
  json_builder_add_string_value (event, confab_account_get_id (account));
  json_builder_set_member_name (event, "address");
  json_builder_add_string_value (event, confab_account_get_address (account));
  json_builder_set_member_name (event, "display_name");
  json_builder_add_string_value (event, name ? name : "");
  json_builder_set_member_name (event, "transport");
  json_builder_add_string_value (event, transport);
  json_builder_set_member_name (event, "proxy");
  json_builder_add_string_value (event, proxy ? proxy : "");
  json_builder_set_member_name (event, "register");
  json_builder_add_boolean_value (event, confab_account_get_register (account));
  json_builder_set_member_name (event, "enabled");
  json_builder_add_boolean_value (event, confab_account_get_enabled (account));

  cli_emit (cli, event, "%s\t%s\t%s%s%s%s", confab_account_get_id (account),
            confab_account_get_address (account), transport,
            proxy ? " via " : "", proxy ? proxy : "",
            confab_account_get_enabled (account) ? "" : _(" (disabled)"));
}

static int
accounts_list (CliContext           *cli,
               ConfabAccountManager *manager)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (manager));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabAccount) account = g_list_model_get_item (G_LIST_MODEL (manager), i);

    emit_account (cli, account);
  }
  if (n == 0 && !cli->json)
    printf ("%s\n", _("No accounts. Add one with “confab-cli accounts add sip:you@example.org”."));
  return CLI_EXIT_OK;
}

static char *
read_password_line (void)
{
  char buffer[4096];
  size_t len;

  if (!fgets (buffer, sizeof buffer, stdin))
    return NULL;
  len = strcspn (buffer, "\r\n");
  buffer[len] = '\0';
  return g_strndup (buffer, len);
}

static int
accounts_add (CliContext            *cli,
              ConfabAccountManager  *manager,
              int                    argc,
              char                 **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("ADDRESS"));
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabAccount) account = NULL;
  g_autofree char *display_name = NULL, *auth_username = NULL;
  gboolean no_register = FALSE, disabled = FALSE, password_stdin = FALSE;
  int expires = 0;
  ConfabTransport transport;
  const GOptionEntry entries[] = {
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, N_("Your name"), N_("NAME") },
    { "auth-username", 0, 0, G_OPTION_ARG_STRING, &auth_username,
      N_("User name for authentication, when not the address’s"), N_("USER") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    { "expires", 0, 0, G_OPTION_ARG_INT, &expires, N_("Registration expiry"), N_("S") },
    { "no-register", 0, 0, G_OPTION_ARG_NONE, &no_register,
      N_("Do not register (outgoing calls only)"), NULL },
    { "disabled", 0, 0, G_OPTION_ARG_NONE, &disabled, N_("Add it disabled"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* argv belongs to the caller: parse a copy, which frees what it drops. */
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }
  argc = (int) g_strv_length (args);
  argv = args;
  if (argc != 2 && !cli->account) {
    cli_error (cli, _("Usage: confab-cli accounts add ADDRESS [--password-stdin] […]"));
    return CLI_EXIT_USAGE;
  }

  account = confab_account_new (argc == 2 ? argv[1] : cli->account);
  confab_account_set_display_name (account, display_name);
  confab_account_set_auth_username (account, auth_username);
  if (cli->transport) {
    if (!confab_transport_from_string (cli->transport, &transport)) {
      cli_error (cli, _("Unknown transport “%s”: use udp, tcp or tls"), cli->transport);
      return CLI_EXIT_USAGE;
    }
    confab_account_set_transport (account, transport);
  }
  confab_account_set_proxy (account, cli->proxy);
  confab_account_set_ca_file (account, cli->ca_file);
  if (expires > 0)
    confab_account_set_expires (account, (guint) expires);
  confab_account_set_register (account, !no_register);
  confab_account_set_enabled (account, !disabled);

  if (password_stdin) {
    g_autofree char *password = read_password_line ();

    confab_account_set_password (account, password);
    if (password)
      memset (password, 0, strlen (password));
  } else if (cli->password) {
    confab_account_set_password (account, cli->password);
  }

  if (!confab_account_manager_add (manager, account, &error)) {
    cli_error (cli, "%s", error->message);
    return error->domain == CONFAB_ERROR ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
  }
  emit_account (cli, account);
  return CLI_EXIT_OK;
}

static int
accounts_remove (CliContext            *cli,
                 ConfabAccountManager  *manager,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr (GError) error = NULL;
  const char *which = argc >= 2 ? argv[1] : cli->account;
  ConfabAccount *account;

  if (!which || argc > 2) {
    cli_error (cli, _("Usage: confab-cli accounts remove ID-OR-ADDRESS"));
    return CLI_EXIT_USAGE;
  }
  account = confab_account_manager_find (manager, which);
  if (!account) {
    cli_error (cli, _("No account “%s”"), which);
    return CLI_EXIT_FAILURE;
  }
  g_object_ref (account);
  if (!confab_account_manager_remove (manager, account, &error)) {
    g_object_unref (account);
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_FAILURE;
  }
  {
    JsonBuilder *event = cli_event_begin ("account-removed");

    json_builder_set_member_name (event, "id");
    json_builder_add_string_value (event, confab_account_get_id (account));
    json_builder_set_member_name (event, "address");
    json_builder_add_string_value (event, confab_account_get_address (account));
    cli_emit (cli, event, _("Removed %s"), confab_account_get_address (account));
  }
  g_object_unref (account);
  return CLI_EXIT_OK;
}

int
confab_cli_accounts (CliContext  *cli,
                     int          argc,
                     char       **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabAccountManager) manager = NULL;
  const char *verb = argc >= 2 ? argv[1] : "list";

  manager = cli_open_manager (cli, NULL, &error);
  if (!manager) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_FAILURE;
  }

  if (g_str_equal (verb, "list"))
    return accounts_list (cli, manager);
  if (g_str_equal (verb, "add"))
    return accounts_add (cli, manager, argc - 1, argv + 1);
  if (g_str_equal (verb, "remove"))
    return accounts_remove (cli, manager, argc - 1, argv + 1);

  cli_error (cli, _("Usage: confab-cli accounts list|add|remove"));
  return CLI_EXIT_USAGE;
}
