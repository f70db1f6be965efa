/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"
#include "im/confab-pager.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

/* confab-cli message: one page-mode message (SIP MESSAGE), then waiting a
 * few seconds for its delivery notification. Also the printing of received
 * page-mode messages, which listen shares. */

#define SHUTDOWN_BOUND_MS  5000
#define DEFAULT_WAIT_S     5

typedef struct
{
  CliContext        *cli;
  GMainLoop         *loop;
  ConfabPager       *pager;
  char              *to_uri;
  char              *text;
  char              *content_type;
  ConfabPagerSendFlags flags;
  int                wait;            /* seconds for a notification; 0: none */
  ConfabChatMessage *message;         /* ours, once sent */
  gboolean           sending;
  gboolean           sent;            /* the 2xx came */
  gboolean           delivered;       /* a notification came */
  guint              wait_id;
  int                status;
  gboolean           stopping;
} MessageRun;

static void
stop (MessageRun *run,
      int         status)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;
  run->status = status;
  g_main_loop_quit (run->loop);
}

/* {"event":"message","session":null,"mode":"page","from":…,"text":…} */
static void
on_message_received (ConfabPager       *pager,
                     ConfabChatMessage *message,
                     CliContext        *cli)
{
  JsonBuilder *event = cli_event_begin ("message");
  const char *display = confab_chat_message_get_sender_display (message);
  const char *text = confab_chat_message_get_text (message);

  json_builder_set_member_name (event, "session");
  json_builder_add_null_value (event);
  json_builder_set_member_name (event, "mode");
  json_builder_add_string_value (event, "page");
  json_builder_set_member_name (event, "from");
  json_builder_add_string_value (event, confab_chat_message_get_sender_uri (message));
  if (display) {
    json_builder_set_member_name (event, "display");
    json_builder_add_string_value (event, display);
  }
  json_builder_set_member_name (event, "content_type");
  json_builder_add_string_value (event, confab_chat_message_get_content_type (message));
  json_builder_set_member_name (event, "text");
  json_builder_add_string_value (event, text ? text : "");
  json_builder_set_member_name (event, "message_id");
  json_builder_add_string_value (event, confab_chat_message_get_id (message));
  cli_emit (cli, event, _("Message from %s: %s"), confab_chat_message_get_sender_uri (message),
            text ? text : _("(not text)"));
}

static void
on_composing (ConfabPager *pager,
              const char  *sender,
              gboolean     active,
              guint        timeout,
              CliContext  *cli)
{
  JsonBuilder *event = cli_event_begin ("composing");

  json_builder_set_member_name (event, "session");
  json_builder_add_null_value (event);
  json_builder_set_member_name (event, "mode");
  json_builder_add_string_value (event, "page");
  json_builder_set_member_name (event, "from");
  json_builder_add_string_value (event, sender);
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, active ? "active" : "idle");
  cli_emit (cli, event, active ? _("%s is typing") : _("%s stopped typing"), sender);
}

/**
 * cli_message_watch:
 * @owner: the pager lives as long as this object
 *
 * Prints page-mode messages arriving at any account of @engine.
 */
void
cli_message_watch (CliContext   *cli,
                   ConfabEngine *engine,
                   GObject      *owner)
{
  ConfabPager *pager = confab_pager_new (engine);

  g_signal_connect (pager, "message-received", G_CALLBACK (on_message_received), cli);
  g_signal_connect (pager, "composing", G_CALLBACK (on_composing), cli);
  g_object_set_data_full (owner, "confab-cli-pager", pager, g_object_unref);
}

/* {"event":"delivery","message_id":"…","state":"sent|delivered|displayed|failed"} */
static void
on_delivery (ConfabPager     *pager,
             const char      *message_id,
             ConfabChatState  state,
             MessageRun      *run)
{
  JsonBuilder *event;
  const char *reason = NULL;

  if (!run->message || g_strcmp0 (message_id, confab_chat_message_get_id (run->message)) != 0 ||
      run->stopping)
    return;
  if (state == CONFAB_CHAT_STATE_FAILED)
    reason = confab_chat_message_get_error (run->message);

  event = cli_event_begin ("delivery");
  json_builder_set_member_name (event, "message_id");
  json_builder_add_string_value (event, message_id);
  json_builder_set_member_name (event, "state");
  json_builder_add_string_value (event, confab_chat_state_to_string (state));
  json_builder_set_member_name (event, "to");
  json_builder_add_string_value (event, confab_chat_message_get_conversation (run->message));
  if (reason) {
    json_builder_set_member_name (event, "reason");
    json_builder_add_string_value (event, reason);
  }
  cli_emit (run->cli, event, _("Message %s to %s %s%s%s"), message_id,
            confab_chat_message_get_conversation (run->message),
            confab_chat_state_to_string (state), reason ? ": " : "", reason ? reason : "");

  if (state == CONFAB_CHAT_STATE_DELIVERED || state == CONFAB_CHAT_STATE_DISPLAYED) {
    run->delivered = TRUE;
    if (run->sent)
      stop (run, CLI_EXIT_OK);
  } else if (state == CONFAB_CHAT_STATE_FAILED && run->sent) {
    /* the recipient's own notification says it did not get through */
    stop (run, CLI_EXIT_REJECTED);
  }
}

static gboolean
on_wait_over (gpointer user_data)
{
  MessageRun *run = user_data;

  run->wait_id = 0;
  g_info ("No delivery notification within %d s", run->wait);
  stop (run, CLI_EXIT_OK);
  return G_SOURCE_REMOVE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  MessageRun *run = user_data;
  g_autoptr (GError) error = NULL;
  guint sip_status = 0;

  run->sending = FALSE;
  if (!confab_pager_send_finish (CONFAB_PAGER (source), result, &sip_status, &error)) {
    if (run->stopping)
      return;
    cli_error (run->cli, "%s", error->message);
    stop (run, cli_exit_code_for_error (error));
    return;
  }
  run->sent = TRUE;
  if (run->delivered || run->wait <= 0 || (run->flags & CONFAB_PAGER_SEND_PLAIN))
    stop (run, CLI_EXIT_OK);
  else if (!run->stopping)
    run->wait_id = g_timeout_add_seconds ((guint) run->wait, on_wait_over, run);
}

static void
send_message (MessageRun    *run,
              ConfabAccount *account)
{
  g_autoptr (GBytes) body = g_bytes_new (run->text, strlen (run->text));

  run->sending = TRUE;
  run->message = confab_pager_send_async (run->pager, account, run->to_uri, run->content_type,
                                          body, run->flags, NULL, on_sent, run);
}

static void
on_account_state (ConfabAccount *account,
                  GParamSpec    *pspec,
                  MessageRun    *run)
{
  ConfabAccountState state = confab_account_get_state (account);

  if (run->stopping)
    return;
  if (state == CONFAB_ACCOUNT_STATE_FAILED && !run->message) {
    gboolean auth = confab_account_get_failure_domain (account) == CONFAB_ERROR &&
                    confab_account_get_failure_code (account) == CONFAB_ERROR_AUTH;

    cli_error (run->cli, _("Account %s: %s"), confab_account_get_address (account),
               confab_account_get_state_reason (account));
    stop (run, auth ? CLI_EXIT_AUTH : CLI_EXIT_NETWORK);
    return;
  }
  if ((state == CONFAB_ACCOUNT_STATE_REGISTERED || state == CONFAB_ACCOUNT_STATE_READY) &&
      !run->message)
    send_message (run, account);
}

static gboolean
on_signal (gpointer user_data)
{
  stop (user_data, CLI_EXIT_FAILURE);
  return G_SOURCE_CONTINUE;
}

int
confab_cli_message (CliContext  *cli,
                    int          argc,
                    char       **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("URI TEXT"));
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (ConfabEngine) engine = NULL;
  g_autoptr (ConfabAccountManager) accounts = NULL;
  g_autoptr (ConfabAccount) account = NULL;
  g_autofree char *content_type = NULL;
  gboolean plain = FALSE, no_wait = FALSE;
  int wait = DEFAULT_WAIT_S;
  guint sigint_id, sigterm_id;
  MessageRun run = { 0 };
  const GOptionEntry entries[] = {
    { "plain", 0, 0, G_OPTION_ARG_NONE, &plain,
      N_("Send the text as it is (no CPIM envelope, no delivery notification)"), NULL },
    { "content-type", 0, 0, G_OPTION_ARG_STRING, &content_type,
      N_("Content type of TEXT (default text/plain;charset=UTF-8)"), N_("TYPE") },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait,
      N_("Wait this long for the delivery notification (default 5)"), N_("S") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait,
      N_("Exit once the message is accepted, without waiting for its delivery"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error)) {
    cli_error (cli, "%s", error->message);
    return CLI_EXIT_USAGE;
  }
  if (g_strv_length (args) != 3) {
    cli_error (cli, _("Usage: confab-cli message URI TEXT [OPTION…]"));
    return CLI_EXIT_USAGE;
  }
  if (wait < 0) {
    cli_error (cli, _("Times are seconds, 0 or more"));
    return CLI_EXIT_USAGE;
  }
  if (!g_utf8_validate (args[2], -1, NULL)) {
    cli_error (cli, _("The text is not UTF-8: check the terminal’s locale"));
    return CLI_EXIT_USAGE;
  }

  engine = cli_open_engine (cli);
  if (!engine)
    return CLI_EXIT_FAILURE;
  account = cli_open_account (cli, engine, &accounts, &error);
  if (!account) {
    cli_error (cli, "%s", error->message);
    return cli_exit_code_for_error (error);
  }

  run.cli = cli;
  run.loop = loop;
  run.pager = confab_pager_new (engine);
  run.to_uri = args[1];
  run.text = args[2];
  run.content_type = content_type;
  run.flags = plain ? CONFAB_PAGER_SEND_PLAIN : CONFAB_PAGER_SEND_DEFAULT;
  run.wait = no_wait ? 0 : wait;
  run.status = CLI_EXIT_OK;

  g_signal_connect (run.pager, "delivery", G_CALLBACK (on_delivery), &run);
  g_signal_connect (run.pager, "message-received", G_CALLBACK (on_message_received), cli);
  g_signal_connect (account, "notify::state", G_CALLBACK (on_account_state), &run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);

  if (!confab_account_go_online (account, engine, &error)) {
    cli_error (cli, "%s", error->message);
    run.status = cli_exit_code_for_error (error);
  } else {
    g_main_loop_run (loop);
  }

  run.stopping = TRUE;
  g_clear_handle_id (&run.wait_id, g_source_remove);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (account, &run);
  g_signal_handlers_disconnect_by_data (run.pager, &run);
  g_signal_handlers_disconnect_by_data (run.pager, cli);
  confab_account_go_offline (account);
  /* a MESSAGE still on the wire fails once the agent is gone (on_sent
   * sees run.stopping); its task holds the pager until then */
  confab_engine_shutdown (engine, SHUTDOWN_BOUND_MS);
  g_clear_object (&run.pager);
  g_clear_object (&run.message);
  return run.status;
}
