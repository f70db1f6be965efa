/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-test-kamailio.h"

#include <json-glib/json-glib.h>
#include <unistd.h>

static const char *
peer_script (void)
{
  const char *script = g_getenv ("CONFAB_KAMAILIO_PEER");

  g_assert_nonnull (script);
  return script;
}

static gboolean
run_peer (const char *const *args,
          char              **out,
          int                *exit_status)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "python3");
  g_ptr_array_add (argv, (gpointer) peer_script ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
                     &err, &status, &error)) {
    g_printerr ("kamailio-peer: %s\n", error->message);
    return FALSE;
  }
  if (exit_status)
    *exit_status = g_spawn_check_wait_status (status, NULL) ? 0 : 1;
  if (err && *err)
    g_test_message ("kamailio-peer: %s", err);
  return TRUE;
}

static gboolean
parse_started (ConfabTestKamailio *kamailio,
               const char         *out)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (GStrv) lines = g_strsplit (out ? out : "", "\n", -1);
  JsonObject *object;

  for (guint i = 0; lines[i]; i++) {
    if (lines[i][0] != '{' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
      continue;
    object = json_node_get_object (json_parser_get_root (parser));
    kamailio->udp_port = (guint) json_object_get_int_member (object, "udp");
    kamailio->tcp_port = (guint) json_object_get_int_member (object, "tcp");
    kamailio->tls_port = (guint) json_object_get_int_member (object, "tls");
    g_free (kamailio->ca_file);
    kamailio->ca_file = g_strdup (json_object_get_string_member (object, "ca"));
    return TRUE;
  }
  return FALSE;
}

ConfabTestKamailio *
confab_test_kamailio_start (const char *users)
{
  ConfabTestKamailio *kamailio = g_new0 (ConfabTestKamailio, 1);
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status = 1;

  kamailio->dir = g_dir_make_tmp ("confab-kamailio-XXXXXX", &error);
  g_assert_no_error (error);
  {
    /* The peer stops itself should this test process die. */
    g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
    const char *args[] = { "start", "--dir", kamailio->dir, "--users", users,
                           "--min-expires", "5", "--watch-pid", pid, NULL };

    if (!run_peer (args, &out, &status) || status != 0 || !parse_started (kamailio, out)) {
      g_printerr ("Kamailio did not start (see %s/kamailio.log)\n", kamailio->dir);
      confab_test_kamailio_free (kamailio);
      return NULL;
    }
  }
  return kamailio;
}

gboolean
confab_test_kamailio_restart (ConfabTestKamailio *kamailio)
{
  g_autofree char *out = NULL;
  const char *args[] = { "restart", "--dir", kamailio->dir, NULL };
  int status = 1;

  return run_peer (args, &out, &status) && status == 0 && parse_started (kamailio, out);
}

void
confab_test_kamailio_stop (ConfabTestKamailio *kamailio)
{
  const char *args[] = { "stop", "--dir", kamailio->dir, NULL };

  run_peer (args, NULL, NULL);
}

gboolean
confab_test_kamailio_lookup (ConfabTestKamailio *kamailio,
                             const char         *user,
                             char              **contacts)
{
  const char *args[] = { "lookup", "--dir", kamailio->dir, user, NULL };
  g_autofree char *out = NULL;
  int status = 1;

  if (!run_peer (args, &out, &status))
    return FALSE;
  if (contacts)
    *contacts = g_steal_pointer (&out);
  return status == 0;
}

char *
confab_test_kamailio_proxy (ConfabTestKamailio *kamailio,
                            const char         *transport)
{
  guint port = g_str_equal (transport, "tls") ? kamailio->tls_port
             : g_str_equal (transport, "tcp") ? kamailio->tcp_port : kamailio->udp_port;

  return g_strdup_printf ("sip:127.0.0.1:%u;transport=%s", port, transport);
}

void
confab_test_kamailio_free (ConfabTestKamailio *kamailio)
{
  if (!kamailio)
    return;
  confab_test_kamailio_stop (kamailio);
  if (!g_getenv ("CONFAB_KEEP_PEERS")) {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", kamailio->dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (kamailio->dir);
  g_free (kamailio->ca_file);
  g_free (kamailio);
}
