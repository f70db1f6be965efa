/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-test-peer.h"

#include <stdlib.h>
#include <string.h>

static void read_next_line (ConfabTestPeer *peer, GDataInputStream *stream);

static void
on_peer_line (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConfabTestPeer *peer = user_data;
  GDataInputStream *stream = G_DATA_INPUT_STREAM (source);
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!line)
    return;
  g_printerr ("# %s: %s\n", peer->name, line);
  if (json_parser_load_from_data (parser, line, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    JsonObject *event = json_node_get_object (json_parser_get_root (parser));

    g_ptr_array_add (peer->events, json_object_ref (event));
    if (g_strcmp0 (json_object_get_string_member_with_default (event, "event", ""),
                   "listening") == 0 && !peer->contact)
      peer->contact = g_strdup (json_object_get_string_member_with_default (event, "contact",
                                                                            NULL));
  }
  read_next_line (peer, stream);
}

static void
read_next_line (ConfabTestPeer   *peer,
                GDataInputStream *stream)
{
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL, on_peer_line, peer);
}

static void
on_peer_exited (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ConfabTestPeer *peer = user_data;
  g_autoptr (GError) error = NULL;

  peer->exit_ok = g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  peer->exited = TRUE;
  g_printerr ("# %s exited: %s\n", peer->name, error ? error->message : "0");
}

void
confab_test_peer_start (ConfabTestPeer     *peer,
                        const char * const *command,
                        const char         *data_dir)
{
  const char *cli = g_getenv ("CONFAB_CLI");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) stream = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;

  if (!cli) {
    g_printerr ("not ok - CONFAB_CLI is not set: run this test through meson test\n");
    exit (1);
  }
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, "--bind");
  g_ptr_array_add (argv, "127.0.0.1");
  g_ptr_array_add (argv, "--json");
  g_ptr_array_add (argv, "--local-port");
  g_ptr_array_add (argv, "0");
  for (; *command; command++)
    g_ptr_array_add (argv, (char *) *command);
  g_ptr_array_add (argv, NULL);

  peer->exited = FALSE;
  peer->exit_ok = FALSE;
  peer->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);
  if (data_dir)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  peer->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                &error);
  g_assert_no_error (error);
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->process));
  read_next_line (peer, stream);
  g_subprocess_wait_check_async (peer->process, NULL, on_peer_exited, peer);
}

void
confab_test_peer_write (ConfabTestPeer *peer,
                        const char     *line)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_strconcat (line, "\n", NULL);

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (peer->process), data, strlen (data),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

void
confab_test_peer_stop (ConfabTestPeer *peer)
{
  if (peer->process && !peer->exited)
    g_subprocess_force_exit (peer->process);
  g_clear_object (&peer->process);
  g_clear_pointer (&peer->contact, g_free);
  g_clear_pointer (&peer->events, g_ptr_array_unref);
}

gboolean
confab_test_peer_saw (ConfabTestPeer *peer,
                      const char     *type,
                      const char     *member,
                      const char     *value)
{
  for (guint i = 0; peer->events && i < peer->events->len; i++) {
    JsonObject *event = g_ptr_array_index (peer->events, i);

    if (g_strcmp0 (json_object_get_string_member_with_default (event, "event", ""), type) == 0 &&
        g_strcmp0 (json_object_get_string_member_with_default (event, member, ""), value) == 0)
      return TRUE;
  }
  return FALSE;
}
