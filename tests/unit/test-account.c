/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab.h"
#include "confab-account-private.h"
#include "confab-registration.h"

#include <gio/gio.h>

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
test_account_json_round_trip (void)
{
  g_autoptr (ConfabAccount) account = confab_account_new ("alice@example.org");
  g_autoptr (ConfabAccount) copy = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  /* a bare address is stored as a SIP URI */
  g_assert_cmpstr (confab_account_get_address (account), ==, "sip:alice@example.org");
  confab_account_set_display_name (account, "Alice Liddell");
  confab_account_set_auth_username (account, "alice-auth");
  confab_account_set_password (account, "s3cret-pa55");
  confab_account_set_proxy (account, "sip:proxy.example.org:5061;transport=tls");
  confab_account_set_transport (account, CONFAB_TRANSPORT_TLS);
  confab_account_set_register (account, FALSE);
  confab_account_set_expires (account, 900);
  confab_account_set_enabled (account, FALSE);

  node = confab_account_to_json (account);
  text = node_to_string (node);
  /* passwords never reach the accounts file */
  g_assert_null (strstr (text, "s3cret-pa55"));
  g_assert_null (strstr (text, "password"));

  copy = confab_account_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (confab_account_get_id (copy), ==, confab_account_get_id (account));
  g_assert_cmpstr (confab_account_get_address (copy), ==, "sip:alice@example.org");
  g_assert_cmpstr (confab_account_get_display_name (copy), ==, "Alice Liddell");
  g_assert_cmpstr (confab_account_get_auth_username (copy), ==, "alice-auth");
  g_assert_cmpstr (confab_account_get_proxy (copy), ==, "sip:proxy.example.org:5061;transport=tls");
  g_assert_cmpint (confab_account_get_transport (copy), ==, CONFAB_TRANSPORT_TLS);
  g_assert_false (confab_account_get_register (copy));
  g_assert_cmpuint (confab_account_get_expires (copy), ==, 900);
  g_assert_false (confab_account_get_enabled (copy));
  g_assert_null (confab_account_get_password (copy));
  g_assert_cmpint (confab_account_get_state (copy), ==, CONFAB_ACCOUNT_STATE_DISABLED);
}

static void
test_account_json_keeps_unknown_keys (void)
{
  g_autoptr (JsonNode) input = parse_json (
    "{\"id\":\"x1\",\"address\":\"sip:bob@example.org\",\"transport\":\"tcp\","
    "\"msrp-relay\":\"msrps://relay.example.org:2855;tcp\","
    "\"xcap\":{\"root\":\"https://xcap.example.org/\",\"enabled\":true}}");
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabAccount) account = confab_account_new_from_json (input, &error);
  g_autoptr (JsonNode) output = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_cmpstr (confab_account_get_id (account), ==, "x1");
  g_assert_cmpint (confab_account_get_transport (account), ==, CONFAB_TRANSPORT_TCP);
  /* defaults for missing keys */
  g_assert_true (confab_account_get_register (account));
  g_assert_true (confab_account_get_enabled (account));
  g_assert_cmpuint (confab_account_get_expires (account), ==, 600);

  output = confab_account_to_json (account);
  object = json_node_get_object (output);
  g_assert_cmpstr (json_object_get_string_member (object, "msrp-relay"), ==,
                   "msrps://relay.example.org:2855;tcp");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (object, "xcap"),
                                                 "enabled"));
}

static void
test_account_json_invalid (void)
{
  const char *cases[] = {
    "[]",
    "{}",
    "{\"address\":42}",
    "{\"address\":\"not an address\"}",
    "{\"address\":\"sip:a@b\",\"transport\":\"sctp\"}",
    "{\"address\":\"tel:+123\"}",
    "{\"address\":\"sip:example.org\"}",
    "{\"address\":\"sip:a@b\",\"proxy\":\"http://proxy\"}",
    "{\"address\":\"sip:a@b\",\"ca-file\":\"/nonexistent/ca.pem\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (JsonNode) node = parse_json (cases[i]);
    g_autoptr (GError) error = NULL;
    g_autoptr (ConfabAccount) account = confab_account_new_from_json (node, &error);

    g_test_message ("%s", cases[i]);
    g_assert_null (account);
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_account_state_property (void)
{
  g_autoptr (ConfabAccount) account = confab_account_new ("sip:carol@example.org");
  g_autoptr (GError) failure = g_error_new_literal (CONFAB_ERROR, CONFAB_ERROR_AUTH, "x");
  guint state_notifies = 0;

  g_signal_connect (account, "notify::state", G_CALLBACK (count_notify), &state_notifies);

  _confab_account_set_state (account, CONFAB_ACCOUNT_STATE_REGISTERING, NULL, NULL);
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_cmpint (confab_account_get_state (account), ==, CONFAB_ACCOUNT_STATE_REGISTERING);

  _confab_account_set_state (account, CONFAB_ACCOUNT_STATE_FAILED, "wrong password (403)", failure);
  g_assert_cmpuint (state_notifies, ==, 2);
  g_assert_cmpstr (confab_account_get_state_reason (account), ==, "wrong password (403)");
  g_assert_true (confab_account_get_failure_domain (account) == CONFAB_ERROR);
  g_assert_cmpint (confab_account_get_failure_code (account), ==, CONFAB_ERROR_AUTH);

  /* a repeated failure is told again (a refresh that failed once more) */
  _confab_account_set_state (account, CONFAB_ACCOUNT_STATE_FAILED, "wrong password (403)", failure);
  g_assert_cmpuint (state_notifies, ==, 3);

  _confab_account_set_state (account, CONFAB_ACCOUNT_STATE_REGISTERED, NULL, NULL);
  g_assert_null (confab_account_get_state_reason (account));
  g_assert_cmpuint (confab_account_get_failure_domain (account), ==, 0);
  g_assert_cmpstr (confab_account_state_to_string (CONFAB_ACCOUNT_STATE_REGISTERED), ==,
                   "registered");
  g_assert_cmpstr (confab_account_state_to_string (CONFAB_ACCOUNT_STATE_DISABLED), ==,
                   "unregistered");
}

static void
test_account_failure_reasons (void)
{
  static const struct {
    int status;
    const char *phrase;
    gboolean local;
    ConfabError code;
    const char *reason;
  } cases[] = {
    { 403, "Forbidden", FALSE, CONFAB_ERROR_AUTH, "wrong password (403)" },
    { 401, "Unauthorized", FALSE, CONFAB_ERROR_AUTH, "wrong password (401)" },
    { 904, "Operation has no matching challenge", TRUE, CONFAB_ERROR_AUTH, "wrong password (401)" },
    { 408, "Request Timeout", TRUE, CONFAB_ERROR_NETWORK, "server unreachable: no answer" },
    { 503, "Service Unavailable", TRUE, CONFAB_ERROR_NETWORK,
      "server unreachable: Service Unavailable" },
    { 404, "Not Found", FALSE, CONFAB_ERROR_REJECTED, "unknown user (404)" },
    { 500, "Server Error", FALSE, CONFAB_ERROR_REJECTED, "registration refused: 500 Server Error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) kind = NULL;
    g_autofree char *reason =
      _confab_registration_describe_failure (cases[i].status, cases[i].phrase, cases[i].local,
                                             &kind);

    g_assert_cmpstr (reason, ==, cases[i].reason);
    g_assert_error (kind, CONFAB_ERROR, (int) cases[i].code);
  }
}

static void
wait_for_state (ConfabAccount      *account,
                ConfabAccountState  state)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (confab_account_get_state (account) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (confab_account_get_state (account), ==, state);
}

static void
test_local_account_listens (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabEngine) engine = confab_engine_new (&error);
  g_autoptr (ConfabAccount) account = confab_account_new_local ("tester", 0);
  g_autofree char *prefix = NULL;

  g_assert_no_error (error);
  confab_engine_set_bind_address (engine, "127.0.0.1");
  g_assert_cmpint (confab_account_get_kind (account), ==, CONFAB_ACCOUNT_KIND_LOCAL);
  g_assert_false (confab_account_get_register (account));

  g_assert_true (confab_account_go_online (account, engine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (confab_account_get_state (account), ==, CONFAB_ACCOUNT_STATE_READY);
  prefix = g_strdup ("sip:tester@127.0.0.1:");
  g_assert_true (g_str_has_prefix (confab_account_get_contact (account), prefix));
  g_assert_cmpuint (g_ascii_strtoull (confab_account_get_contact (account) + strlen (prefix),
                                      NULL, 10), >, 0);

  confab_account_go_offline (account);
  wait_for_state (account, CONFAB_ACCOUNT_STATE_DISABLED);
  g_assert_null (confab_account_get_contact (account));
  g_assert_true (confab_engine_shutdown (engine, 2000));
}

static void
test_local_account_port_fallback (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabEngine) engine = confab_engine_new (&error);
  g_autoptr (GSocket) squatter = NULL;
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (ConfabAccount) account = NULL;
  g_autofree char *expected_reason = NULL;
  guint taken;

  /* Someone else holds the configured port (UDP is what SIP needs first). */
  squatter = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                           G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (squatter, any_port, FALSE, &error));
  bound = g_socket_get_local_address (squatter, &error);
  taken = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  confab_engine_set_bind_address (engine, "127.0.0.1");
  account = confab_account_new_local ("tester", taken);
  g_assert_true (confab_account_go_online (account, engine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (confab_account_get_state (account), ==, CONFAB_ACCOUNT_STATE_READY);
  expected_reason = g_strdup_printf ("port %u is in use, listening on ", taken);
  g_assert_true (g_str_has_prefix (confab_account_get_state_reason (account), expected_reason));

  confab_account_go_offline (account);
  wait_for_state (account, CONFAB_ACCOUNT_STATE_DISABLED);
  g_assert_true (confab_engine_shutdown (engine, 2000));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/account/json-round-trip", test_account_json_round_trip);
  g_test_add_func ("/account/json-keeps-unknown-keys", test_account_json_keeps_unknown_keys);
  g_test_add_func ("/account/json-invalid", test_account_json_invalid);
  g_test_add_func ("/account/state-property", test_account_state_property);
  g_test_add_func ("/account/failure-reasons", test_account_failure_reasons);
  g_test_add_func ("/account/local-listens", test_local_account_listens);
  g_test_add_func ("/account/local-port-fallback", test_local_account_port_fallback);
  return g_test_run ();
}
