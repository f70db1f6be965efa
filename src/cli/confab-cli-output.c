/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabCli"

#include "config.h"

#include "confab-cli-private.h"

#include <stdio.h>

JsonBuilder *
cli_event_begin (const char *event)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  return builder;
}

/* Takes @event (may be NULL for human-only output). Every line is flushed at
 * once: scripts read the events as they happen. */
void
cli_emit (CliContext  *cli,
          JsonBuilder *event,
          const char  *human_format,
          ...)
{
  g_autoptr (JsonBuilder) builder = event;

  if (cli->json && builder) {
    g_autoptr (JsonGenerator) generator = json_generator_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *text = NULL;

    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    json_generator_set_root (generator, root);
    text = json_generator_to_data (generator, NULL);
    fprintf (stdout, "%s\n", text);
  } else if (!cli->json && human_format) {
    va_list args;

    va_start (args, human_format);
    vfprintf (stdout, human_format, args);
    va_end (args);
    fputc ('\n', stdout);
  }
  fflush (stdout);
}

void
cli_error (CliContext *cli,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (cli->json) {
    JsonBuilder *builder = cli_event_begin ("error");

    json_builder_set_member_name (builder, "message");
    json_builder_add_string_value (builder, message);
    cli_emit (cli, builder, NULL);
  }
  fprintf (stderr, "confab-cli: %s\n", message);
}

int
cli_exit_code_for_error (const GError *error)
{
  if (!error || error->domain != CONFAB_ERROR)
    return CLI_EXIT_FAILURE;
  switch (error->code) {
  case CONFAB_ERROR_INVALID:
    return CLI_EXIT_USAGE;
  case CONFAB_ERROR_AUTH:
    return CLI_EXIT_AUTH;
  case CONFAB_ERROR_NETWORK:
  case CONFAB_ERROR_TLS:
    return CLI_EXIT_NETWORK;
  case CONFAB_ERROR_REJECTED:
  case CONFAB_ERROR_NOT_FOUND:
  case CONFAB_ERROR_IN_USE:
    return CLI_EXIT_REJECTED;
  default:
    return CLI_EXIT_FAILURE;
  }
}
