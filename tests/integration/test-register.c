/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab.h"
#include "confab-test-kamailio.h"

#include <gio/gio.h>

/* Registration against a real Kamailio on 127.0.0.1 over UDP, TCP and TLS. */

static ConfabTestKamailio *kamailio;

typedef struct
{
  ConfabEngine  *engine;
  ConfabAccount *account;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->engine = confab_engine_new (&error);
  g_assert_no_error (error);
  /* No Contact may name another address of this machine. */
  confab_engine_set_bind_address (fixture->engine, "127.0.0.1");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->account)
    confab_account_go_offline (fixture->account);
  g_assert_true (confab_engine_shutdown (fixture->engine, 5000));
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->engine);
}

static ConfabAccount *
make_account (const char *user,
              const char *password,
              const char *transport,
              gboolean    trust_test_ca)
{
  g_autofree char *address = g_strdup_printf ("sip:%s@127.0.0.1", user);
  g_autofree char *proxy = confab_test_kamailio_proxy (kamailio, transport);
  ConfabAccount *account = confab_account_new (address);
  ConfabTransport tp = CONFAB_TRANSPORT_UDP;

  g_assert_true (confab_transport_from_string (transport, &tp));
  confab_account_set_transport (account, tp);
  confab_account_set_proxy (account, proxy);
  confab_account_set_password (account, password);
  if (trust_test_ca)
    confab_account_set_ca_file (account, kamailio->ca_file);
  return account;
}

/* Returns how long it took, or -1 on timeout. */
static double
wait_for_state (ConfabAccount      *account,
                ConfabAccountState  state,
                guint               timeout_s)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) timeout_s * G_USEC_PER_SEC;

  while (confab_account_get_state (account) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  if (confab_account_get_state (account) != state) {
    g_test_message ("state %s (%s), wanted %s",
                    confab_account_state_to_string (confab_account_get_state (account)),
                    confab_account_get_state_reason (account),
                    confab_account_state_to_string (state));
    return -1;
  }
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gboolean
wait_for_lookup (const char *user,
                 gboolean    registered,
                 guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  do {
    if (confab_test_kamailio_lookup (kamailio, user, NULL) == registered)
      return TRUE;
    for (guint i = 0; i < 50; i++)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  } while (g_get_monotonic_time () < deadline);
  return FALSE;
}

static void
test_register_transport (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *transport = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *contacts = NULL;
  double ms;

  fixture->account = make_account ("alice", "secret", transport, TRUE);
  g_assert_true (confab_account_go_online (fixture->account, fixture->engine, &error));
  g_assert_no_error (error);

  ms = wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_REGISTERED, 10);
  g_assert_cmpfloat (ms, >=, 0);
  g_test_message ("figure: %s registration took %.1f ms", transport, ms);
  g_printerr ("# figure: start to registered over %s: %.1f ms\n", transport, ms);
  g_assert_cmpuint (confab_account_get_granted_expires (fixture->account), >, 0);
  g_assert_nonnull (confab_account_get_contact (fixture->account));

  /* the registrar really holds our contact, on loopback */
  g_assert_true (confab_test_kamailio_lookup (kamailio, "alice", &contacts));
  g_assert_nonnull (strstr (contacts, "127.0.0.1"));

  /* going offline un-REGISTERs: the registrar forgets us */
  confab_account_go_offline (fixture->account);
  g_assert_cmpfloat (wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_DISABLED, 10), >=, 0);
  g_assert_true (wait_for_lookup ("alice", FALSE, 5));
}

static void
test_register_wrong_password (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->account = make_account ("alice", "not-the-password", "udp", FALSE);
  confab_account_set_retry_interval (fixture->account, 1);
  g_assert_true (confab_account_go_online (fixture->account, fixture->engine, &error));
  g_assert_cmpfloat (wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_FAILED, 10), >=, 0);
  g_assert_cmpstr (confab_account_get_state_reason (fixture->account), ==, "wrong password (401)");
  g_assert_true (confab_account_get_failure_domain (fixture->account) == CONFAB_ERROR);
  g_assert_cmpint (confab_account_get_failure_code (fixture->account), ==, CONFAB_ERROR_AUTH);

  /* a refused password is not retried (that would lock the account out) */
  wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_REGISTERING, 3);
  g_assert_cmpint (confab_account_get_state (fixture->account), ==, CONFAB_ACCOUNT_STATE_FAILED);
  g_assert_false (confab_test_kamailio_lookup (kamailio, "alice", NULL));
}

static void
test_register_no_password (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->account = make_account ("bob", NULL, "tcp", FALSE);
  g_assert_true (confab_account_go_online (fixture->account, fixture->engine, &error));
  g_assert_cmpfloat (wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_FAILED, 10), >=, 0);
  g_assert_cmpstr (confab_account_get_state_reason (fixture->account), ==, "password needed");
  g_assert_cmpint (confab_account_get_failure_code (fixture->account), ==, CONFAB_ERROR_AUTH);
}

/* A port that nobody serves: bound and closed again (refused), or bound by
 * a socket that never answers (silent). */
static guint
reserve_port (GSocketType type,
              GSocket   **keep)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GSocket) socket = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type,
                         type == G_SOCKET_TYPE_STREAM ? G_SOCKET_PROTOCOL_TCP
                                                      : G_SOCKET_PROTOCOL_UDP, NULL);
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  if (keep)
    *keep = g_steal_pointer (&socket);
  return port;
}

static void
test_register_unreachable (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *mode = data;
  g_autoptr (GSocket) silent = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *proxy = NULL;
  gboolean tcp = g_str_has_prefix (mode, "tcp");
  guint port;
  double ms;

  port = reserve_port (tcp ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM,
                       g_str_has_suffix (mode, "silent") ? &silent : NULL);
  proxy = g_strdup_printf ("sip:127.0.0.1:%u;transport=%s", port, tcp ? "tcp" : "udp");
  fixture->account = confab_account_new ("sip:alice@127.0.0.1");
  confab_account_set_transport (fixture->account, tcp ? CONFAB_TRANSPORT_TCP : CONFAB_TRANSPORT_UDP);
  confab_account_set_proxy (fixture->account, proxy);
  confab_account_set_password (fixture->account, "secret");
  confab_account_set_retry_interval (fixture->account, 60);

  g_assert_true (confab_account_go_online (fixture->account, fixture->engine, &error));
  /* bounded: sofia's transaction timer is set to 16 s, our watchdog to 20 s */
  ms = wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_FAILED, 25);
  g_assert_cmpfloat (ms, >=, 0);
  g_printerr ("# figure: unreachable (%s) reported after %.0f ms: %s\n", mode, ms,
              confab_account_get_state_reason (fixture->account));
  g_assert_true (g_str_has_prefix (confab_account_get_state_reason (fixture->account),
                                   "server unreachable"));
  g_assert_cmpint (confab_account_get_failure_code (fixture->account), ==, CONFAB_ERROR_NETWORK);
}

static void
test_register_tls_untrusted (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  double ms;

  /* Without the test CA the server certificate is issued by a stranger. */
  fixture->account = make_account ("alice", "secret", "tls", FALSE);
  g_assert_true (confab_account_go_online (fixture->account, fixture->engine, &error));
  ms = wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_FAILED, 25);
  g_assert_cmpfloat (ms, >=, 0);
  g_assert_cmpstr (confab_account_get_state_reason (fixture->account), ==,
                   "certificate not trusted: issued by an unknown authority");
  g_assert_cmpint (confab_account_get_failure_code (fixture->account), ==, CONFAB_ERROR_TLS);
  g_assert_false (confab_test_kamailio_lookup (kamailio, "alice", NULL));
}

static void
test_register_survives_restart (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *transport = data;
  g_autoptr (GError) error = NULL;
  double ms;

  fixture->account = make_account ("bob", "pw2", transport, TRUE);
  confab_account_set_expires (fixture->account, 10);
  confab_account_set_retry_interval (fixture->account, 1);
  g_assert_true (confab_account_go_online (fixture->account, fixture->engine, &error));
  g_assert_cmpfloat (wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_REGISTERED, 10), >=, 0);
  g_assert_true (confab_test_kamailio_lookup (kamailio, "bob", NULL));

  /* The registrar keeps its location table in memory: a restart forgets us. */
  g_assert_true (confab_test_kamailio_restart (kamailio));
  g_assert_false (confab_test_kamailio_lookup (kamailio, "bob", NULL));

  ms = g_get_monotonic_time () / 1000.0;
  g_assert_true (wait_for_lookup ("bob", TRUE, 40));
  g_printerr ("# figure: re-registered %.0f ms after the registrar restarted (%s, expires 10)\n",
              g_get_monotonic_time () / 1000.0 - ms, transport);
  g_assert_cmpfloat (wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_REGISTERED, 10), >=, 0);
}

static void
test_register_refreshes (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 until;

  /* Granted 10 s: without a refresh the registrar drops us after 10 s. */
  fixture->account = make_account ("alice", "secret", "udp", FALSE);
  confab_account_set_expires (fixture->account, 10);
  g_assert_true (confab_account_go_online (fixture->account, fixture->engine, &error));
  g_assert_cmpfloat (wait_for_state (fixture->account, CONFAB_ACCOUNT_STATE_REGISTERED, 10), >=, 0);
  g_assert_cmpuint (confab_account_get_granted_expires (fixture->account), ==, 10);

  until = g_get_monotonic_time () + 14 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  g_assert_cmpint (confab_account_get_state (fixture->account), ==, CONFAB_ACCOUNT_STATE_REGISTERED);
  g_assert_true (confab_test_kamailio_lookup (kamailio, "alice", NULL));
}

static void
test_register_off_is_ready (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  /* Registration off: usable for outgoing requests, nothing REGISTERed. */
  fixture->account = make_account ("bob", "pw2", "tcp", FALSE);
  confab_account_set_register (fixture->account, FALSE);
  g_assert_true (confab_account_go_online (fixture->account, fixture->engine, &error));
  g_assert_cmpint (confab_account_get_state (fixture->account), ==, CONFAB_ACCOUNT_STATE_READY);
  g_assert_false (confab_test_kamailio_lookup (kamailio, "bob", NULL));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  kamailio = confab_test_kamailio_start ("alice:secret,bob:pw2");
  if (!kamailio) {
    g_printerr ("Bail out! Kamailio could not be started\n");
    return 1;
  }

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/register/udp", "udp", test_register_transport);
  ADD ("/register/tcp", "tcp", test_register_transport);
  ADD ("/register/tls", "tls", test_register_transport);
  ADD ("/register/refreshes-before-expiry", NULL, test_register_refreshes);
  ADD ("/register/off-is-ready", NULL, test_register_off_is_ready);
  ADD ("/register/wrong-password", NULL, test_register_wrong_password);
  ADD ("/register/no-password", NULL, test_register_no_password);
  ADD ("/register/unreachable/udp-refused", "udp-refused", test_register_unreachable);
  ADD ("/register/unreachable/tcp-refused", "tcp-refused", test_register_unreachable);
  ADD ("/register/unreachable/udp-silent", "udp-silent", test_register_unreachable);
  ADD ("/register/tls-untrusted", NULL, test_register_tls_untrusted);
  ADD ("/register/survives-restart/udp", "udp", test_register_survives_restart);
  ADD ("/register/survives-restart/tcp", "tcp", test_register_survives_restart);
#undef ADD

  status = g_test_run ();
  confab_test_kamailio_free (kamailio);
  return status;
}
