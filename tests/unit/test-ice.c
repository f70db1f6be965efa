/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "media/confab-ice.h"

#include <string.h>

/* Two ICE agents in one process, on 127.0.0.1 only: what one writes into
 * SDP the other reads, and the checks must meet. */

#define CONNECT_TIMEOUT_S 10

static ConfabSdpMedia *
describe (ConfabIce *ice)
{
  ConfabSdpMedia *media = confab_sdp_media_new ("audio", 9, "RTP/AVP");

  confab_ice_describe (ice, media);
  return media;
}

static gboolean
both_connected (ConfabIce *a,
                ConfabIce *b)
{
  return confab_ice_get_state (a) == CONFAB_ICE_STATE_CONNECTED &&
         confab_ice_get_state (b) == CONFAB_ICE_STATE_CONNECTED &&
         confab_ice_get_pair_type (a) && confab_ice_get_pair_type (b);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_until_connected (ConfabIce *a,
                     ConfabIce *b)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (CONNECT_TIMEOUT_S, on_timeout, &timed_out);

  while (!timed_out && !both_connected (a, b) &&
         confab_ice_get_state (a) != CONFAB_ICE_STATE_FAILED &&
         confab_ice_get_state (b) != CONFAB_ICE_STATE_FAILED)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

static void
test_ice_loopback (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabIce) offerer = confab_ice_new ("127.0.0.1", 2, NULL);
  g_autoptr (ConfabIce) answerer = confab_ice_new ("127.0.0.1", 2, NULL);
  g_autoptr (ConfabSdpMedia) offer = NULL;
  g_autoptr (ConfabSdpMedia) answer = NULL;
  g_autofree char *address = NULL;
  guint port = 0, rtcp_port = 0, n_candidates = 0;

  confab_ice_set_controlling (answerer, FALSE);
  g_assert_true (confab_ice_gather (offerer, &error));
  g_assert_no_error (error);
  g_assert_true (confab_ice_gather (answerer, &error));
  g_assert_no_error (error);
  /* Host candidates only: ready at once. */
  g_assert_false (confab_ice_is_gathering (offerer));

  g_assert_true (confab_ice_get_default (offerer, 1, "127.0.0.1", &address, &port, NULL));
  g_assert_cmpstr (address, ==, "127.0.0.1");
  g_assert_cmpuint (port, >, 0);
  g_assert_true (confab_ice_get_default (offerer, 2, NULL, NULL, &rtcp_port, NULL));
  g_assert_cmpuint (rtcp_port, !=, port);

  offer = describe (offerer);
  g_assert_nonnull (confab_sdp_media_get_attribute (offer, "ice-ufrag"));
  g_assert_nonnull (confab_sdp_media_get_attribute (offer, "ice-pwd"));
  for (guint i = 0; i < offer->attributes->len; i++) {
    ConfabSdpAttribute *a = g_ptr_array_index (offer->attributes, i);

    if (g_str_equal (a->name, "candidate")) {
      n_candidates++;
      /* Never an address other than the one we were told to use. */
      g_assert_nonnull (strstr (a->value, " 127.0.0.1 "));
    }
  }
  g_assert_cmpuint (n_candidates, ==, 2);
  g_assert_true (confab_ice_sdp_has_ice (NULL, offer));

  answer = describe (answerer);
  g_assert_true (confab_ice_set_remote (answerer, NULL, offer, &error));
  g_assert_no_error (error);
  g_assert_true (confab_ice_set_remote (offerer, NULL, answer, &error));
  g_assert_no_error (error);
  /* The same credentials again (a re-INVITE for hold): no restart. */
  g_assert_true (confab_ice_set_remote (offerer, NULL, answer, &error));

  run_until_connected (offerer, answerer);
  g_assert_cmpint (confab_ice_get_state (offerer), ==, CONFAB_ICE_STATE_CONNECTED);
  g_assert_cmpint (confab_ice_get_state (answerer), ==, CONFAB_ICE_STATE_CONNECTED);
  g_assert_cmpstr (confab_ice_get_pair_type (offerer), ==, "host");
  g_assert_cmpstr (confab_ice_get_pair_type (answerer), ==, "host");
}

/* Feeds the answerer an offer built from @lines (name, value pairs). */
static gboolean
set_remote_lines (const char * const *lines,
                  GError            **error)
{
  g_autoptr (ConfabIce) ice = confab_ice_new ("127.0.0.1", 2, NULL);
  g_autoptr (ConfabSdpMedia) media = confab_sdp_media_new ("audio", 9, "RTP/AVP");

  confab_ice_set_controlling (ice, FALSE);
  g_assert_true (confab_ice_gather (ice, NULL));
  for (guint i = 0; lines[i]; i += 2)
    confab_sdp_media_add_attribute (media, lines[i], lines[i + 1]);
  return confab_ice_set_remote (ice, NULL, media, error);
}

static void
test_ice_malformed (void)
{
  const char *no_credentials[] = { "candidate", "1 1 UDP 2015363327 127.0.0.1 40000 typ host",
                                   NULL };
  const char *short_pwd[] = { "ice-ufrag", "abcd", "ice-pwd", "short",
                              "candidate", "1 1 UDP 2015363327 127.0.0.1 40000 typ host", NULL };
  const char *bad_chars[] = { "ice-ufrag", "ab\"cd", "ice-pwd", "0123456789012345678901",
                              "candidate", "1 1 UDP 2015363327 127.0.0.1 40000 typ host", NULL };
  const char *garbage[] = { "ice-ufrag", "abcd", "ice-pwd", "0123456789012345678901",
                            "candidate", "garbage", "candidate", "1 1 UDP x y z typ host",
                            "candidate", "", "candidate", "1 9 UDP 1 127.0.0.1 40000 typ host",
                            "candidate", "1 1 TCP 1 127.0.0.1 40000 typ host tcptype active",
                            NULL };
  const char *one_good[] = { "ice-ufrag", "abcd", "ice-pwd", "0123456789012345678901",
                             "candidate", "garbage",
                             "candidate", "1 1 UDP 2015363327 127.0.0.1 40000 typ host", NULL };
  g_autoptr (GError) error = NULL;

  g_assert_false (set_remote_lines (no_credentials, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (set_remote_lines (short_pwd, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (set_remote_lines (bad_chars, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  /* Unreadable lines, a component we lack, TCP: nothing usable. */
  g_assert_false (set_remote_lines (garbage, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (set_remote_lines (one_good, &error));
  g_assert_no_error (error);
}

/* A flood of candidates is read only up to a bound, quickly. */
static void
test_ice_candidate_flood (void)
{
  g_autoptr (ConfabIce) ice = confab_ice_new ("127.0.0.1", 2, NULL);
  g_autoptr (ConfabSdpMedia) media = confab_sdp_media_new ("audio", 9, "RTP/AVP");
  g_autoptr (GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  confab_ice_set_controlling (ice, FALSE);
  g_assert_true (confab_ice_gather (ice, NULL));
  confab_sdp_media_add_attribute (media, "ice-ufrag", "abcd");
  confab_sdp_media_add_attribute (media, "ice-pwd", "0123456789012345678901");
  for (guint i = 0; i < 1000; i++) {
    g_autofree char *line = g_strdup_printf ("%u 1 UDP %u 127.0.0.1 %u typ host", i,
                                             2015363327 - i, 20000 + i);

    confab_sdp_media_add_attribute (media, "candidate", line);
  }
  g_assert_true (confab_ice_set_remote (ice, NULL, media, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

static void
test_ice_servers (void)
{
  g_autoptr (ConfabIceServers) servers = confab_ice_servers_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (confab_ice_servers_set_stun (servers, "stun.example.org", &error));
  g_assert_cmpstr (servers->stun_host, ==, "stun.example.org");
  g_assert_cmpuint (servers->stun_port, ==, 0);
  g_assert_true (confab_ice_servers_set_stun (servers, "stun:192.0.2.1:3479", &error));
  g_assert_cmpstr (servers->stun_host, ==, "192.0.2.1");
  g_assert_cmpuint (servers->stun_port, ==, 3479);
  g_assert_true (confab_ice_servers_set_stun (servers, "[2001:db8::1]:3478", &error));
  g_assert_cmpstr (servers->stun_host, ==, "2001:db8::1");
  g_assert_no_error (error);

  g_assert_false (confab_ice_servers_set_stun (servers, "", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (confab_ice_servers_set_stun (servers, "host name:1", &error));
  g_clear_error (&error);
  g_assert_false (confab_ice_servers_set_stun (servers, "host:99999", &error));
  g_clear_error (&error);

  g_assert_true (confab_ice_servers_set_turn (servers, "turn:alice:s3cret@127.0.0.1:3478", NULL,
                                              NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (servers->turn_host, ==, "127.0.0.1");
  g_assert_cmpuint (servers->turn_port, ==, 3478);
  g_assert_cmpstr (servers->turn_username, ==, "alice");
  g_assert_cmpstr (servers->turn_password, ==, "s3cret");
  g_assert_true (confab_ice_servers_set_turn (servers, "turn:turn.example.org?transport=udp",
                                              "bob", "pw", &error));
  g_assert_cmpstr (servers->turn_host, ==, "turn.example.org");
  g_assert_cmpstr (servers->turn_username, ==, "bob");
  g_assert_false (confab_ice_servers_set_turn (servers, "turn:h?transport=tcp", NULL, NULL,
                                               &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (confab_ice_servers_set_turn (servers, "stun:h", NULL, NULL, &error));
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ice/loopback", test_ice_loopback);
  g_test_add_func ("/ice/malformed", test_ice_malformed);
  g_test_add_func ("/ice/candidate-flood", test_ice_candidate_flood);
  g_test_add_func ("/ice/servers", test_ice_servers);
  return g_test_run ();
}
