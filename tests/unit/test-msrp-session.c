/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "msrp/confab-msrp.h"
#include "msrp/confab-msrp-endpoint.h"
#include "msrp/confab-msrp-session-private.h"

#include <string.h>

/* The MSRP transport over real sockets on 127.0.0.1, in one process: two
 * endpoints talking over TCP and TLS, and raw sockets playing a peer that
 * misbehaves (never answers, closes mid-message, sends garbage) or a
 * relay (RFC 4976 AUTH). */

#define WAIT_SECONDS 20

/* Main loop helpers */

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_wait_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (Condition condition,
          gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_wait_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting");
  g_source_remove (id);
}

static gboolean
on_sleep_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_sleep_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Session helpers */

typedef struct
{
  ConfabMsrpSession *session;
  ConfabMsrpSessionState state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;

  return confab_msrp_session_get_state (wait->session) == wait->state;
}

static void
wait_state (ConfabMsrpSession     *session,
            ConfabMsrpSessionState state)
{
  StateWait wait = { session, state };

  wait_for (state_is, &wait);
}

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GError **error = data;

  if (!confab_msrp_session_prepare_finish (CONFAB_MSRP_SESSION (source), result, error))
    g_assert_nonnull (*error);
}

static gboolean
not_preparing (gpointer data)
{
  ConfabMsrpSessionState state = confab_msrp_session_get_state (data);

  return state != CONFAB_MSRP_SESSION_STATE_PREPARING && state != CONFAB_MSRP_SESSION_STATE_NEW;
}

static void
prepare (ConfabMsrpSession *session)
{
  g_autoptr (GError) error = NULL;

  confab_msrp_session_prepare_async (session, NULL, on_prepared, &error);
  wait_for (not_preparing, session);
  spin (1);
  g_assert_no_error (error);
  g_assert_cmpint (confab_msrp_session_get_state (session), ==, CONFAB_MSRP_SESSION_STATE_READY);
}

/* What a session told us. */
typedef struct
{
  GPtrArray  *received; /* ConfabMsrpMessage* */
  GPtrArray  *sent;     /* char* */
  GPtrArray  *reports;  /* char*: "id status" */
  GPtrArray  *failed;   /* char*: "id status" */
  GPtrArray  *reasons;  /* char*: the reason of each in failed */
  gint64      failed_at; /* monotonic time of the last "message-failed" */
  GPtrArray  *requests; /* ConfabMsrpMessage* */
  guint       request_status;
  const char *response_header; /* added to the response to a request, or NULL */
  const char *response_value;
} Recorder;

static void
on_message_received (ConfabMsrpSession *session,
                     ConfabMsrpMessage *message,
                     Recorder          *recorder)
{
  g_ptr_array_add (recorder->received, confab_msrp_message_ref (message));
}

static guint
on_request_received (ConfabMsrpSession *session,
                     ConfabMsrpMessage *request,
                     Recorder          *recorder)
{
  g_ptr_array_add (recorder->requests, confab_msrp_message_ref (request));
  if (recorder->response_header)
    confab_msrp_session_add_response_header (session, recorder->response_header,
                                             recorder->response_value);
  return recorder->request_status;
}

static void
on_message_sent (ConfabMsrpSession *session,
                 const char        *id,
                 Recorder          *recorder)
{
  g_ptr_array_add (recorder->sent, g_strdup (id));
}

static void
on_message_report (ConfabMsrpSession *session,
                   const char        *id,
                   guint              status,
                   const char        *comment,
                   Recorder          *recorder)
{
  g_ptr_array_add (recorder->reports, g_strdup_printf ("%s %u", id, status));
}

static void
on_message_failed (ConfabMsrpSession *session,
                   const char        *id,
                   guint              status,
                   const char        *reason,
                   Recorder          *recorder)
{
  g_ptr_array_add (recorder->failed, g_strdup_printf ("%s %u", id, status));
  g_ptr_array_add (recorder->reasons, g_strdup (reason));
  recorder->failed_at = g_get_monotonic_time ();
}

static Recorder *
recorder_new (ConfabMsrpSession *session)
{
  Recorder *recorder = g_new0 (Recorder, 1);

  recorder->received = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  recorder->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  recorder->sent = g_ptr_array_new_with_free_func (g_free);
  recorder->reports = g_ptr_array_new_with_free_func (g_free);
  recorder->failed = g_ptr_array_new_with_free_func (g_free);
  recorder->reasons = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (session, "message-received", G_CALLBACK (on_message_received), recorder);
  g_signal_connect (session, "request-received", G_CALLBACK (on_request_received), recorder);
  g_signal_connect (session, "message-sent", G_CALLBACK (on_message_sent), recorder);
  g_signal_connect (session, "message-report", G_CALLBACK (on_message_report), recorder);
  g_signal_connect (session, "message-failed", G_CALLBACK (on_message_failed), recorder);
  return recorder;
}

static void
recorder_free (Recorder *recorder)
{
  g_ptr_array_unref (recorder->received);
  g_ptr_array_unref (recorder->requests);
  g_ptr_array_unref (recorder->sent);
  g_ptr_array_unref (recorder->reports);
  g_ptr_array_unref (recorder->failed);
  g_ptr_array_unref (recorder->reasons);
  g_free (recorder);
}

typedef struct
{
  GPtrArray *array;
  guint      length;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return wait->array->len >= wait->length;
}

static void
wait_count (GPtrArray *array,
            guint      length)
{
  CountWait wait = { array, length };

  wait_for (count_reached, &wait);
}

/* Two endpoints, one session on each, connected. */
typedef struct
{
  ConfabMsrpEndpoint *endpoint_a;
  ConfabMsrpEndpoint *endpoint_b;
  ConfabMsrpSession  *a; /* active */
  ConfabMsrpSession  *b; /* passive */
  Recorder           *ra;
  Recorder           *rb;
} Pair;

static void
pair_setup (Pair    *pair,
            gboolean tls)
{
  pair->endpoint_a = confab_msrp_endpoint_new ("127.0.0.1");
  pair->endpoint_b = confab_msrp_endpoint_new ("127.0.0.1");
  pair->a = confab_msrp_endpoint_create_session (pair->endpoint_a, tls);
  pair->b = confab_msrp_endpoint_create_session (pair->endpoint_b, tls);
  pair->ra = recorder_new (pair->a);
  pair->rb = recorder_new (pair->b);
  prepare (pair->a);
  prepare (pair->b);
}

static void
pair_start (Pair       *pair,
            const char *fingerprint_of_a,
            const char *fingerprint_of_b)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path_a = confab_msrp_session_dup_local_path (pair->a);
  g_autofree char *path_b = confab_msrp_session_dup_local_path (pair->b);

  g_assert_true (confab_msrp_session_start (pair->b, path_a, CONFAB_MSRP_SETUP_PASSIVE,
                                            fingerprint_of_a, &error));
  g_assert_no_error (error);
  g_assert_true (confab_msrp_session_start (pair->a, path_b, CONFAB_MSRP_SETUP_ACTIVE,
                                            fingerprint_of_b, &error));
  g_assert_no_error (error);
}

static void
pair_connect (Pair    *pair,
              gboolean tls)
{
  pair_setup (pair, tls);
  pair_start (pair, confab_msrp_session_get_fingerprint (pair->a),
              confab_msrp_session_get_fingerprint (pair->b));
  wait_state (pair->a, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  wait_state (pair->b, CONFAB_MSRP_SESSION_STATE_CONNECTED);
}

static void
pair_clear (Pair *pair)
{
  confab_msrp_session_close (pair->a);
  confab_msrp_session_close (pair->b);
  spin (10);
  /* nothing keeps them alive once closed */
  g_assert_finalize_object (g_steal_pointer (&pair->a));
  g_assert_finalize_object (g_steal_pointer (&pair->b));
  g_assert_finalize_object (g_steal_pointer (&pair->endpoint_a));
  g_assert_finalize_object (g_steal_pointer (&pair->endpoint_b));
  g_clear_pointer (&pair->ra, recorder_free);
  g_clear_pointer (&pair->rb, recorder_free);
  spin (10);
}

static GBytes *
text (const char *string)
{
  return g_bytes_new (string, strlen (string));
}

static char *
send_text (ConfabMsrpSession *session,
           const char        *string,
           ConfabMsrpReport   success,
           ConfabMsrpReport   failure)
{
  g_autoptr (GBytes) body = text (string);
  g_autoptr (GError) error = NULL;
  char *id = confab_msrp_session_send (session, "text/plain", body, success, failure, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
assert_body (ConfabMsrpMessage *message,
             const char        *string)
{
  g_assert_nonnull (message->body);
  g_assert_cmpmem (g_bytes_get_data (message->body, NULL), g_bytes_get_size (message->body), string,
                   strlen (string));
}

/* Raw peers: plain non-blocking sockets driven from the main loop. */

typedef struct
{
  GSocket          *socket;
  ConfabMsrpParser *parser;
  guint             port; /* of a listening one */
} Raw;

static Raw *
raw_new (GSocket *socket)
{
  Raw *raw = g_new0 (Raw, 1);
  ConfabMsrpLimits limits;

  confab_msrp_limits_init_default (&limits);
  raw->socket = socket;
  raw->parser = confab_msrp_parser_new (&limits);
  g_socket_set_blocking (socket, FALSE);
  return raw;
}

static void
raw_free (Raw *raw)
{
  g_socket_close (raw->socket, NULL);
  g_object_unref (raw->socket);
  confab_msrp_parser_free (raw->parser);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static Raw *
raw_listen (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);
  Raw *raw;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  raw = raw_new (socket);
  raw->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return raw;
}

static Raw *
raw_accept (Raw *listener)
{
  while (TRUE) {
    g_autoptr (GError) error = NULL;
    GSocket *socket = g_socket_accept (listener->socket, NULL, &error);

    if (socket)
      return raw_new (socket);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
    g_main_context_iteration (NULL, FALSE);
    g_usleep (1000);
  }
}

static Raw *
raw_connect (guint port)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  return raw_new (socket);
}

/* Reads until a message is complete; NULL when the other side closed. */
static ConfabMsrpMessage *
raw_read (Raw *raw)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    ConfabMsrpMessage *message = confab_msrp_parser_pop (raw->parser);
    g_autoptr (GError) error = NULL;
    guint8 buffer[4096];
    gssize n;

    if (message)
      return message;
    n = g_socket_receive (raw->socket, (char *) buffer, sizeof buffer, NULL, &error);
    if (n == 0)
      return NULL;
    if (n < 0) {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        return NULL;
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
      continue;
    }
    g_assert_true (confab_msrp_parser_feed (raw->parser, buffer, n, &error));
  }
  g_error ("timed out reading");
  return NULL;
}

static void
raw_write (Raw          *raw,
           const guint8 *data,
           gsize         length)
{
  while (length > 0) {
    g_autoptr (GError) error = NULL;
    gssize n = g_socket_send (raw->socket, (const char *) data, length, NULL, &error);

    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_main_context_iteration (NULL, FALSE);
      continue;
    }
    data += n;
    length -= n;
  }
}

static void
raw_send (Raw               *raw,
          ConfabMsrpMessage *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = confab_msrp_message_to_bytes (message, &error);

  g_assert_no_error (error);
  raw_write (raw, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
raw_respond (Raw               *raw,
             ConfabMsrpMessage *request,
             guint              status)
{
  g_autoptr (ConfabMsrpMessage) response = confab_msrp_message_new_response (request, status, NULL);

  raw_send (raw, response);
}

/* Tests */

static void
test_tcp (void)
{
  Pair pair = { 0 };
  g_autofree char *id = NULL;

  pair_connect (&pair, FALSE);
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (pair.endpoint_a), ==, 1);
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (pair.endpoint_b), ==, 1);
  g_assert_null (confab_msrp_session_get_fingerprint (pair.a));

  id = send_text (pair.a, "Hello, Bob", CONFAB_MSRP_REPORT_YES, CONFAB_MSRP_REPORT_YES);
  wait_count (pair.rb->received, 1);
  assert_body (g_ptr_array_index (pair.rb->received, 0), "Hello, Bob");
  g_assert_cmpstr (((ConfabMsrpMessage *) g_ptr_array_index (pair.rb->received, 0))->content_type,
                   ==, "text/plain");
  wait_count (pair.ra->sent, 1);
  wait_count (pair.ra->reports, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.ra->sent, 0), ==, id);
  {
    g_autofree char *expected = g_strdup_printf ("%s 200", id);

    g_assert_cmpstr (g_ptr_array_index (pair.ra->reports, 0), ==, expected);
  }

  /* the other way */
  g_free (send_text (pair.b, "Hi, Alice", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  wait_count (pair.ra->received, 1);
  assert_body (g_ptr_array_index (pair.ra->received, 0), "Hi, Alice");
  wait_count (pair.rb->sent, 1);
  spin (50);
  g_assert_cmpuint (pair.rb->reports->len, ==, 0); /* Success-Report absent: none */
  g_assert_cmpuint (pair.ra->failed->len + pair.rb->failed->len, ==, 0);
  pair_clear (&pair);
}

static void
test_tls (void)
{
  Pair pair = { 0 };

  pair_connect (&pair, TRUE);
  g_assert_true (g_str_has_prefix (confab_msrp_session_get_fingerprint (pair.a), "sha-256 "));
  g_assert_cmpuint (strlen (confab_msrp_session_get_fingerprint (pair.a)), ==, 8 + 32 * 3 - 1);
  g_assert_cmpstr (confab_msrp_session_get_fingerprint (pair.a), !=,
                   confab_msrp_session_get_fingerprint (pair.b));
  g_assert_true (confab_msrp_session_get_peer_verified (pair.a));
  g_assert_true (confab_msrp_session_get_peer_verified (pair.b));
  {
    g_autofree char *path = confab_msrp_session_dup_local_path (pair.a);

    g_assert_true (g_str_has_prefix (path, "msrps://127.0.0.1:"));
    g_assert_true (g_str_has_suffix (path, ";tcp"));
  }

  g_free (send_text (pair.a, "secret", CONFAB_MSRP_REPORT_YES, CONFAB_MSRP_REPORT_YES));
  wait_count (pair.rb->received, 1);
  assert_body (g_ptr_array_index (pair.rb->received, 0), "secret");
  wait_count (pair.ra->reports, 1);
  pair_clear (&pair);
}

static void
test_tls_no_fingerprint (void)
{
  Pair pair = { 0 };

  pair_setup (&pair, TRUE);
  pair_start (&pair, NULL, NULL);
  wait_state (pair.a, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  wait_state (pair.b, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  g_assert_false (confab_msrp_session_get_peer_verified (pair.a));
  g_assert_false (confab_msrp_session_get_peer_verified (pair.b));
  g_free (send_text (pair.a, "unverified", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  wait_count (pair.rb->received, 1);
  pair_clear (&pair);
}

static void
test_tls_wrong_fingerprint (void)
{
  Pair pair = { 0 };
  /* a certificate of a third party */
  g_autoptr (ConfabMsrpEndpoint) other = confab_msrp_endpoint_new ("127.0.0.1");
  const char *wrong = confab_msrp_endpoint_get_fingerprint (other, NULL);
  g_autofree char *id = NULL;

  pair_setup (&pair, TRUE);
  _confab_msrp_session_set_timeouts (pair.b, 0, 0, 500);
  id = send_text (pair.a, "not for strangers", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET);
  pair_start (&pair, confab_msrp_session_get_fingerprint (pair.a), wrong);
  wait_state (pair.a, CONFAB_MSRP_SESSION_STATE_FAILED);
  g_assert_nonnull (confab_msrp_session_get_error_message (pair.a));
  g_assert_false (confab_msrp_session_get_peer_verified (pair.a));
  g_assert_cmpuint (pair.ra->failed->len, ==, 1);
  wait_state (pair.b, CONFAB_MSRP_SESSION_STATE_FAILED); /* nobody bound in time */
  g_assert_cmpuint (pair.rb->received->len, ==, 0);
  pair_clear (&pair);
}

/* The peer may connect before our side has the answer (its binding SEND
 * races the SIP 200): the connection binds, start() then finds it. */
static void
test_early_binding (void)
{
  Pair pair = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;

  pair_setup (&pair, FALSE);
  path_a = confab_msrp_session_dup_local_path (pair.a);
  path_b = confab_msrp_session_dup_local_path (pair.b);
  g_assert_true (
      confab_msrp_session_start (pair.a, path_b, CONFAB_MSRP_SETUP_ACTIVE, NULL, &error));
  wait_state (pair.a, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  g_assert_cmpint (confab_msrp_session_get_state (pair.b), ==, CONFAB_MSRP_SESSION_STATE_READY);
  g_free (send_text (pair.a, "early", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  wait_count (pair.rb->received, 1);

  g_assert_true (
      confab_msrp_session_start (pair.b, path_a, CONFAB_MSRP_SETUP_PASSIVE, NULL, &error));
  g_assert_cmpint (confab_msrp_session_get_state (pair.b), ==, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  g_free (send_text (pair.b, "late", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  wait_count (pair.ra->received, 1);
  pair_clear (&pair);
}

/* The passive side checks the certificate the active side showed. */
static void
test_tls_wrong_client_fingerprint (void)
{
  Pair pair = { 0 };
  g_autoptr (ConfabMsrpEndpoint) other = confab_msrp_endpoint_new ("127.0.0.1");
  const char *wrong = confab_msrp_endpoint_get_fingerprint (other, NULL);

  pair_setup (&pair, TRUE);
  _confab_msrp_session_set_timeouts (pair.b, 0, 0, 500);
  pair_start (&pair, wrong, confab_msrp_session_get_fingerprint (pair.b));
  wait_state (pair.a, CONFAB_MSRP_SESSION_STATE_FAILED); /* its binding SEND got 481 */
  g_assert_true (confab_msrp_session_get_peer_verified (pair.a));
  wait_state (pair.b, CONFAB_MSRP_SESSION_STATE_FAILED);
  g_assert_false (confab_msrp_session_get_peer_verified (pair.b));
  pair_clear (&pair);
}

static void
test_binding (void)
{
  g_autoptr (ConfabMsrpEndpoint) endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  g_autoptr (ConfabMsrpSession) session = confab_msrp_endpoint_create_session (endpoint, FALSE);
  g_autoptr (Raw) listener = raw_listen ();
  g_autoptr (Raw) peer = NULL;
  g_autoptr (ConfabMsrpMessage) bind = NULL;
  g_autoptr (ConfabMsrpMessage) keepalive = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *remote = g_strdup_printf ("msrp://127.0.0.1:%u/rawsession1234;tcp",
                                             listener->port);
  g_autofree char *local = NULL;
  g_autofree char *to = NULL;
  g_autofree char *from = NULL;

  prepare (session);
  local = confab_msrp_session_dup_local_path (session);
  _confab_msrp_session_set_timeouts (session, 0, 200, 0);
  g_assert_true (
      confab_msrp_session_start (session, remote, CONFAB_MSRP_SETUP_ACTIVE, NULL, &error));
  g_assert_cmpint (confab_msrp_session_get_state (session), ==,
                   CONFAB_MSRP_SESSION_STATE_CONNECTING);

  peer = raw_accept (listener);
  bind = raw_read (peer);
  g_assert_nonnull (bind);
  g_assert_false (bind->is_response);
  g_assert_cmpint (bind->method, ==, CONFAB_MSRP_METHOD_SEND);
  g_assert_null (bind->body);
  g_assert_null (bind->content_type);
  g_assert_true (bind->has_byte_range);
  g_assert_cmpuint (bind->byte_range.start, ==, 1);
  g_assert_cmpuint (bind->byte_range.end, ==, 0);
  g_assert_cmpuint (bind->byte_range.total, ==, 0);
  to = confab_msrp_path_to_string (bind->to_path);
  from = confab_msrp_path_to_string (bind->from_path);
  g_assert_cmpstr (to, ==, remote);
  g_assert_cmpstr (from, ==, local);
  g_assert_cmpint (confab_msrp_session_get_state (session), ==,
                   CONFAB_MSRP_SESSION_STATE_CONNECTING);
  raw_respond (peer, bind, 200);
  wait_state (session, CONFAB_MSRP_SESSION_STATE_CONNECTED);

  /* idle: a keep-alive comes (shortened to 200 ms here) */
  keepalive = raw_read (peer);
  g_assert_nonnull (keepalive);
  g_assert_cmpint (keepalive->method, ==, CONFAB_MSRP_METHOD_SEND);
  g_assert_null (keepalive->body);
  g_assert_cmpstr (confab_msrp_message_get_header (keepalive, "Keep-Alive"), ==, "yes");
  raw_respond (peer, keepalive, 200);
  spin (50);
  g_assert_cmpint (confab_msrp_session_get_state (session), ==,
                   CONFAB_MSRP_SESSION_STATE_CONNECTED);
  confab_msrp_session_close (session);
  g_assert_null (raw_read (peer)); /* the connection is closed once unused */
}

static void
test_many (void)
{
  Pair pair = { 0 };
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  pair_connect (&pair, FALSE);
  for (guint i = 0; i < 1000; i++) {
    g_autofree char *string = g_strdup_printf ("message %u", i);

    g_ptr_array_add (ids,
                     send_text (pair.a, string, CONFAB_MSRP_REPORT_YES, CONFAB_MSRP_REPORT_YES));
  }
  wait_count (pair.rb->received, 1000);
  for (guint i = 0; i < 1000; i++) {
    g_autofree char *string = g_strdup_printf ("message %u", i);
    ConfabMsrpMessage *message = g_ptr_array_index (pair.rb->received, i);

    assert_body (message, string);
    g_assert_cmpstr (message->message_id, ==, g_ptr_array_index (ids, i));
  }
  wait_count (pair.ra->sent, 1000);
  wait_count (pair.ra->reports, 1000);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpstr (g_ptr_array_index (pair.ra->sent, i), ==, g_ptr_array_index (ids, i));
  g_assert_cmpuint (pair.ra->failed->len, ==, 0);
  g_assert_cmpuint (confab_msrp_session_get_queued_bytes (pair.a), ==, 0);
  pair_clear (&pair);
}

static void
on_queued_bytes (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_large (void)
{
  Pair pair = { 0 };
  gsize size = 1024 * 1024 + 123;
  guint8 *data = g_malloc (size);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  ConfabMsrpMessage *received;
  guint notifications = 0;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  body = g_bytes_new_take (data, size);

  pair_connect (&pair, FALSE);
  g_signal_connect (pair.a, "notify::queued-bytes", G_CALLBACK (on_queued_bytes), &notifications);
  id = confab_msrp_session_send (pair.a, "application/octet-stream", body, CONFAB_MSRP_REPORT_YES,
                                 CONFAB_MSRP_REPORT_YES, NULL, &error);
  g_assert_no_error (error);
  wait_count (pair.rb->received, 1);
  received = g_ptr_array_index (pair.rb->received, 0);
  g_assert_cmpstr (received->message_id, ==, id);
  g_assert_true (g_bytes_equal (received->body, body));
  wait_count (pair.ra->sent, 1);
  wait_count (pair.ra->reports, 1);
  g_assert_cmpuint (pair.ra->reports->len, ==, 1); /* one REPORT for the whole message */
  g_assert_cmpuint (notifications, >=, 2);
  g_assert_cmpuint (confab_msrp_session_get_queued_bytes (pair.a), ==, 0);
  pair_clear (&pair);
}

static void
test_shared_connection (void)
{
  Pair pair = { 0 };
  g_autoptr (ConfabMsrpSession) a2 = NULL;
  g_autoptr (ConfabMsrpSession) b2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path_a2 = NULL;
  g_autofree char *path_b2 = NULL;
  Recorder *ra2, *rb2;

  pair_connect (&pair, FALSE);
  a2 = confab_msrp_endpoint_create_session (pair.endpoint_a, FALSE);
  b2 = confab_msrp_endpoint_create_session (pair.endpoint_b, FALSE);
  ra2 = recorder_new (a2);
  rb2 = recorder_new (b2);
  prepare (a2);
  prepare (b2);
  path_a2 = confab_msrp_session_dup_local_path (a2);
  path_b2 = confab_msrp_session_dup_local_path (b2);
  g_assert_true (confab_msrp_session_start (b2, path_a2, CONFAB_MSRP_SETUP_PASSIVE, NULL, &error));
  g_assert_true (confab_msrp_session_start (a2, path_b2, CONFAB_MSRP_SETUP_ACTIVE, NULL, &error));
  wait_state (a2, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  wait_state (b2, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (pair.endpoint_a), ==, 1);
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (pair.endpoint_b), ==, 1);

  g_free (send_text (pair.a, "to b", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  g_free (send_text (a2, "to b2", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  g_free (send_text (b2, "to a2", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  wait_count (pair.rb->received, 1);
  wait_count (rb2->received, 1);
  wait_count (ra2->received, 1);
  assert_body (g_ptr_array_index (pair.rb->received, 0), "to b");
  assert_body (g_ptr_array_index (rb2->received, 0), "to b2");
  assert_body (g_ptr_array_index (ra2->received, 0), "to a2");
  g_assert_cmpuint (pair.ra->received->len, ==, 0);

  /* closing one keeps the connection for the other */
  confab_msrp_session_close (a2);
  spin (20);
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (pair.endpoint_a), ==, 1);
  g_free (send_text (pair.a, "still here", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  wait_count (pair.rb->received, 2);
  confab_msrp_session_close (b2);
  recorder_free (ra2);
  recorder_free (rb2);
  g_clear_object (&a2);
  g_clear_object (&b2);
  pair_clear (&pair);
}

static ConfabMsrpMessage *
raw_send_for (const char *to,
              const char *from,
              const char *body)
{
  g_autoptr (GPtrArray) to_path = confab_msrp_path_parse (to, strlen (to), NULL);
  g_autoptr (GPtrArray) from_path = confab_msrp_path_parse (from, strlen (from), NULL);
  g_autoptr (GBytes) bytes = body ? text (body) : NULL;

  return confab_msrp_message_new_send (to_path, from_path, body ? "text/plain" : NULL, bytes);
}

static void
test_unknown_session (void)
{
  g_autoptr (ConfabMsrpEndpoint) endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  g_autoptr (ConfabMsrpSession) session = confab_msrp_endpoint_create_session (endpoint, FALSE);
  g_autoptr (Raw) peer = NULL;
  g_autoptr (ConfabMsrpMessage) stranger = NULL;
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (ConfabMsrpMessage) bind = NULL;
  g_autoptr (ConfabMsrpMessage) response2 = NULL;
  g_autoptr (ConfabMsrpMessage) chat = NULL;
  g_autoptr (ConfabMsrpMessage) response3 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *local = NULL;
  g_autofree char *unknown = NULL;
  const char *from = "msrp://127.0.0.1:9/peersession99;tcp";
  Recorder *recorder = recorder_new (session);

  prepare (session);
  local = confab_msrp_session_dup_local_path (session);
  g_assert_true (
      confab_msrp_session_start (session, from, CONFAB_MSRP_SETUP_PASSIVE, NULL, &error));
  peer = raw_connect (confab_msrp_endpoint_get_port (endpoint, FALSE, NULL));

  unknown = g_strdup_printf ("msrp://127.0.0.1:%u/nosuchsession;tcp",
                             confab_msrp_endpoint_get_port (endpoint, FALSE, NULL));
  stranger = raw_send_for (unknown, from, NULL);
  raw_send (peer, stranger);
  response = raw_read (peer);
  g_assert_nonnull (response);
  g_assert_true (response->is_response);
  g_assert_cmpuint (response->status, ==, 481);
  g_assert_cmpstr (response->transaction_id, ==, stranger->transaction_id);

  /* the connection stays: a request for our session binds it */
  bind = raw_send_for (local, from, NULL);
  raw_send (peer, bind);
  response2 = raw_read (peer);
  g_assert_nonnull (response2);
  g_assert_cmpuint (response2->status, ==, 200);
  wait_state (session, CONFAB_MSRP_SESSION_STATE_CONNECTED);

  /* From-Path of another session: 481 (RFC 4975 §7.3) */
  chat = raw_send_for (local, "msrp://127.0.0.1:9/intruder;tcp", "hi");
  raw_send (peer, chat);
  response3 = raw_read (peer);
  g_assert_nonnull (response3);
  g_assert_cmpuint (response3->status, ==, 481);
  g_assert_cmpuint (recorder->received->len, ==, 0);
  confab_msrp_session_close (session);
  recorder_free (recorder);
}

/* An active session to a raw peer that answered the binding SEND. */
typedef struct
{
  ConfabMsrpEndpoint *endpoint;
  ConfabMsrpSession  *session;
  Recorder           *recorder;
  Raw                *listener;
  Raw                *peer;
} RawPair;

static void
raw_pair_connect (RawPair *pair,
                  guint    transaction_ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabMsrpMessage) bind = NULL;
  g_autofree char *remote = NULL;

  pair->endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  pair->session = confab_msrp_endpoint_create_session (pair->endpoint, FALSE);
  pair->recorder = recorder_new (pair->session);
  pair->listener = raw_listen ();
  remote = g_strdup_printf ("msrp://127.0.0.1:%u/rawsession1234;tcp", pair->listener->port);
  _confab_msrp_session_set_timeouts (pair->session, transaction_ms, 0, 0);
  prepare (pair->session);
  g_assert_true (confab_msrp_session_start (pair->session, remote, CONFAB_MSRP_SETUP_ACTIVE, NULL,
                                            &error));
  pair->peer = raw_accept (pair->listener);
  bind = raw_read (pair->peer);
  raw_respond (pair->peer, bind, 200);
  wait_state (pair->session, CONFAB_MSRP_SESSION_STATE_CONNECTED);
}

static void
raw_pair_clear (RawPair *pair)
{
  confab_msrp_session_close (pair->session);
  spin (10);
  g_assert_finalize_object (g_steal_pointer (&pair->session));
  g_assert_finalize_object (g_steal_pointer (&pair->endpoint));
  g_clear_pointer (&pair->recorder, recorder_free);
  g_clear_pointer (&pair->peer, raw_free);
  g_clear_pointer (&pair->listener, raw_free);
  spin (10);
}

static void
test_peer_closes (void)
{
  RawPair pair = { 0 };
  gsize size = 2 * 1024 * 1024;
  g_autoptr (GBytes) body = g_bytes_new_take (g_malloc0 (size), size);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  guint8 buffer[1024];
  gsize got = 0;

  raw_pair_connect (&pair, 0);
  id = confab_msrp_session_send (pair.session, "application/octet-stream", body,
                                 CONFAB_MSRP_REPORT_NO, CONFAB_MSRP_REPORT_YES, NULL, &error);
  g_assert_no_error (error);
  /* read part of the first chunk, then hang up */
  while (got < 10000) {
    gssize n = g_socket_receive (pair.peer->socket, (char *) buffer, sizeof buffer, NULL, NULL);

    if (n > 0)
      got += n;
    else
      g_main_context_iteration (NULL, FALSE);
  }
  g_clear_pointer (&pair.peer, raw_free);
  wait_count (pair.recorder->failed, 1);
  expected = g_strdup_printf ("%s 408", id);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->failed, 0), ==, expected);
  g_assert_cmpuint (pair.recorder->sent->len, ==, 0);
  wait_state (pair.session, CONFAB_MSRP_SESSION_STATE_FAILED);
  g_assert_nonnull (confab_msrp_session_get_error_message (pair.session));
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (pair.endpoint), ==, 0);
  raw_pair_clear (&pair);
}

static void
test_queue_bound (void)
{
  g_autoptr (ConfabMsrpEndpoint) endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  g_autoptr (ConfabMsrpSession) session = confab_msrp_endpoint_create_session (endpoint, FALSE);
  gsize size = 20 * 1024 * 1024;
  g_autoptr (GBytes) body = g_bytes_new_take (g_malloc0 (size), size);
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *expected = NULL;
  Recorder *recorder = recorder_new (session);

  prepare (session);
  /* not started yet: sending queues */
  first
      = confab_msrp_session_send (session, "application/octet-stream", body,
                                  CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (confab_msrp_session_get_queued_bytes (session), ==, size);
  second = confab_msrp_session_send (session, "application/octet-stream", body,
                                     CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET, NULL,
                                     &error);
  g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE);
  g_assert_null (second);
  g_assert_cmpuint (confab_msrp_session_get_queued_bytes (session), ==, size);

  confab_msrp_session_close (session);
  g_assert_cmpuint (recorder->failed->len, ==, 1);
  expected = g_strdup_printf ("%s 408", first);
  g_assert_cmpstr (g_ptr_array_index (recorder->failed, 0), ==, expected);
  g_assert_cmpuint (confab_msrp_session_get_queued_bytes (session), ==, 0);
  recorder_free (recorder);
}

static void
test_transaction_timeout (void)
{
  RawPair pair = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *quiet = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (ConfabMsrpMessage) first = NULL;
  g_autoptr (ConfabMsrpMessage) second = NULL;

  raw_pair_connect (&pair, 300);
  /* Failure-Report: no gets no response and cannot time out */
  quiet = send_text (pair.session, "fire and forget", CONFAB_MSRP_REPORT_NO, CONFAB_MSRP_REPORT_NO);
  id = send_text (pair.session, "anyone there?", CONFAB_MSRP_REPORT_UNSET,
                  CONFAB_MSRP_REPORT_UNSET);
  first = raw_read (pair.peer);
  second = raw_read (pair.peer);
  g_assert_cmpstr (first->message_id, ==, quiet);
  g_assert_cmpstr (second->message_id, ==, id);
  wait_count (pair.recorder->failed, 1);
  expected = g_strdup_printf ("%s 408", id);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->failed, 0), ==, expected);
  g_assert_cmpuint (pair.recorder->sent->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->sent, 0), ==, quiet);
  raw_pair_clear (&pair);
}

static gboolean
raw_closed (gpointer data)
{
  Raw *raw = data;
  guint8 buffer[256];
  gssize n = g_socket_receive (raw->socket, (char *) buffer, sizeof buffer, NULL, NULL);

  return n == 0;
}

static void
test_malformed (void)
{
  Pair pair = { 0 };
  g_autoptr (Raw) bad = NULL;
  const char *garbage = "MSRP abcd SEND\r\nTo-Path: not a uri\r\n\r\n-------abcd$\r\n";

  pair_connect (&pair, FALSE);
  bad = raw_connect (confab_msrp_endpoint_get_port (pair.endpoint_b, FALSE, NULL));
  spin (20);
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (pair.endpoint_b), ==, 2);
  g_test_expect_message ("ConfabMsrp", G_LOG_LEVEL_WARNING, "Malformed MSRP from *");
  raw_write (bad, (const guint8 *) garbage, strlen (garbage));
  wait_for (raw_closed, bad);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (pair.endpoint_b), ==, 1);

  /* the good connection is untouched */
  g_assert_cmpint (confab_msrp_session_get_state (pair.b), ==, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  g_free (send_text (pair.a, "still fine", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET));
  wait_count (pair.rb->received, 1);
  pair_clear (&pair);
}

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  ConfabMsrpMessage **response = data;
  g_autoptr (GError) error = NULL;

  *response
      = confab_msrp_session_send_request_finish (CONFAB_MSRP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_other_request (void)
{
  Pair pair = { 0 };
  g_autoptr (ConfabMsrpMessage) nickname = confab_msrp_message_new_request ("NICKNAME", NULL, NULL);
  g_autoptr (ConfabMsrpMessage) unknown
      = confab_msrp_message_new_request ("FROBNICATE", NULL, NULL);
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (ConfabMsrpMessage) response2 = NULL;

  pair_connect (&pair, FALSE);
  confab_msrp_message_add_header (nickname, "Use-Nickname", "\"alice\"");
  pair.rb->request_status = 425;
  confab_msrp_session_send_request_async (pair.a, nickname, NULL, on_request_done, &response);
  wait_for (pointer_set, &response);
  g_assert_cmpuint (response->status, ==, 425);
  g_assert_cmpuint (pair.rb->requests->len, ==, 1);
  g_assert_cmpstr (confab_msrp_message_get_header (g_ptr_array_index (pair.rb->requests, 0),
                                                   "Use-Nickname"),
                   ==, "\"alice\"");

  pair.rb->request_status = 0; /* no answer from the application: 501 */
  confab_msrp_session_send_request_async (pair.a, unknown, NULL, on_request_done, &response2);
  wait_for (pointer_set, &response2);
  g_assert_cmpuint (response2->status, ==, 501);
  pair_clear (&pair);
}

/* RFC 7701 NICKNAME */

typedef struct
{
  gboolean done;
  guint    status;
  GError  *error;
} NicknameResult;

static void
nickname_result_clear (NicknameResult *result)
{
  g_clear_error (&result->error);
  result->done = FALSE;
  result->status = 0;
}

static void
on_nickname_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  NicknameResult *nickname = data;

  g_assert_false (nickname->done);
  nickname->status = confab_msrp_session_send_nickname_finish (CONFAB_MSRP_SESSION (source),
                                                               result, &nickname->error);
  g_assert_true ((nickname->status == 0) == (nickname->error != NULL));
  nickname->done = TRUE;
}

static gboolean
nickname_done (gpointer data)
{
  return ((NicknameResult *) data)->done;
}

/* Reads one request without a body as it is on the wire (up to its
 * end-line), and hands the parsed request back too. */
static char *
raw_read_request_text (Raw                *raw,
                       ConfabMsrpMessage **request)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!(g_str_has_suffix (text->str, "$\r\n") && strstr (text->str, "\r\n-------"))) {
    char buffer[1];
    gssize n;

    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    /* a byte at a time: the request's end is ours to find */
    n = g_socket_receive (raw->socket, buffer, 1, NULL, &error);
    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&error);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
      continue;
    }
    g_assert_cmpint (n, ==, 1);
    g_string_append_len (text, buffer, 1);
  }
  g_assert_true (confab_msrp_parser_feed (raw->parser, (const guint8 *) text->str, text->len,
                                          &error));
  g_assert_no_error (error);
  *request = confab_msrp_parser_pop (raw->parser);
  g_assert_nonnull (*request);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_nickname (void)
{
  RawPair pair = { 0 };
  NicknameResult result = { 0 };
  g_autoptr (ConfabMsrpMessage) request = NULL;
  g_autoptr (ConfabMsrpMessage) second = NULL;
  g_autoptr (ConfabMsrpMessage) third = NULL;
  g_autofree char *wire = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;

  raw_pair_connect (&pair, 1000);
  local = confab_msrp_session_dup_local_path (pair.session);
  remote = g_strdup_printf ("msrp://127.0.0.1:%u/rawsession1234;tcp", pair.listener->port);

  /* the exact request: paths, one quoted Use-Nickname, nothing else */
  confab_msrp_session_send_nickname_async (pair.session, "Al \"the\" \\ Bob", NULL,
                                           on_nickname_done, &result);
  wire = raw_read_request_text (pair.peer, &request);
  expected = g_strdup_printf ("MSRP %s NICKNAME\r\n"
                              "To-Path: %s\r\n"
                              "From-Path: %s\r\n"
                              "Use-Nickname: \"Al \\\"the\\\" \\\\ Bob\"\r\n"
                              "-------%s$\r\n",
                              request->transaction_id, remote, local, request->transaction_id);
  g_assert_cmpstr (wire, ==, expected);
  g_assert_cmpint (request->method, ==, CONFAB_MSRP_METHOD_NICKNAME);
  g_assert_null (request->message_id);
  g_assert_false (request->has_byte_range);
  g_assert_cmpint (request->success_report, ==, CONFAB_MSRP_REPORT_UNSET);
  g_assert_cmpint (request->failure_report, ==, CONFAB_MSRP_REPORT_UNSET);
  g_assert_null (request->body);
  g_assert_false (result.done);
  raw_respond (pair.peer, request, 200);
  wait_for (nickname_done, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.status, ==, 200);
  nickname_result_clear (&result);

  /* taken */
  confab_msrp_session_send_nickname_async (pair.session, "alice", NULL, on_nickname_done,
                                           &result);
  second = raw_read (pair.peer);
  g_assert_cmpstr (confab_msrp_message_get_header (second, "Use-Nickname"), ==, "\"alice\"");
  raw_respond (pair.peer, second, 425);
  wait_for (nickname_done, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.status, ==, 425);
  nickname_result_clear (&result);

  /* no answer within the transaction timeout (1 s here) */
  confab_msrp_session_send_nickname_async (pair.session, "quiet", NULL, on_nickname_done,
                                           &result);
  third = raw_read (pair.peer);
  g_assert_nonnull (third);
  wait_for (nickname_done, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  nickname_result_clear (&result);

  /* names that cannot go out */
  confab_msrp_session_send_nickname_async (pair.session, "", NULL, on_nickname_done, &result);
  wait_for (nickname_done, &result);
  g_assert_error (result.error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
  nickname_result_clear (&result);
  confab_msrp_session_send_nickname_async (pair.session, "two\r\nlines", NULL, on_nickname_done,
                                           &result);
  wait_for (nickname_done, &result);
  g_assert_error (result.error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
  nickname_result_clear (&result);

  g_assert_cmpuint (pair.recorder->failed->len, ==, 0);
  raw_pair_clear (&pair);
}

/* Cancelled: at once, whatever comes later; closed: the session ends
 * before the answer. */
static void
test_nickname_cancel_close (void)
{
  RawPair pair = { 0 };
  NicknameResult result = { 0 };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (ConfabMsrpMessage) request = NULL;
  g_autoptr (ConfabMsrpMessage) second = NULL;

  raw_pair_connect (&pair, 0);
  confab_msrp_session_send_nickname_async (pair.session, "bob", cancellable, on_nickname_done,
                                           &result);
  request = raw_read (pair.peer);
  g_cancellable_cancel (cancellable);
  wait_for (nickname_done, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  nickname_result_clear (&result);
  raw_respond (pair.peer, request, 200); /* too late: dropped */
  spin (50);
  g_assert_false (result.done);

  confab_msrp_session_send_nickname_async (pair.session, "carol", NULL, on_nickname_done,
                                           &result);
  second = raw_read (pair.peer);
  g_assert_nonnull (second);
  confab_msrp_session_close (pair.session);
  wait_for (nickname_done, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  nickname_result_clear (&result);

  /* not connected any more */
  confab_msrp_session_send_nickname_async (pair.session, "dave", NULL, on_nickname_done, &result);
  wait_for (nickname_done, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  nickname_result_clear (&result);
  raw_pair_clear (&pair);
}

/* A raw relay: AUTH with a Digest challenge, Use-Path, then the binding
 * SEND goes through it with our Use-Path first in To-Path. */
static void
test_relay (void)
{
  g_autoptr (ConfabMsrpEndpoint) endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  g_autoptr (ConfabMsrpSession) session = confab_msrp_endpoint_create_session (endpoint, FALSE);
  g_autoptr (Raw) listener = raw_listen ();
  g_autoptr (Raw) relay = NULL;
  g_autoptr (ConfabMsrpMessage) auth1 = NULL;
  g_autoptr (ConfabMsrpMessage) auth2 = NULL;
  g_autoptr (ConfabMsrpMessage) challenge = NULL;
  g_autoptr (ConfabMsrpMessage) ok = NULL;
  g_autoptr (ConfabMsrpMessage) bind = NULL;
  g_autoptr (ConfabMsrpMessage) incoming = NULL;
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *relay_uri = g_strdup_printf ("msrp://127.0.0.1:%u;tcp", listener->port);
  g_autofree char *use_path
      = g_strdup_printf ("msrp://127.0.0.1:%u/relaysess1;tcp", listener->port);
  g_autofree char *local = NULL;
  g_autofree char *to = NULL;
  g_autofree char *expected_to = NULL;
  g_autofree char *ours = NULL;
  const char *remote = "msrp://192.0.2.1:2855/peerrelay;tcp msrp://192.0.2.2:40000/peersess;tcp";
  Recorder *recorder = recorder_new (session);

  confab_msrp_session_set_relay (session, relay_uri, "alice", "secret");
  confab_msrp_session_prepare_async (session, NULL, on_prepared, &error);
  relay = raw_accept (listener);
  auth1 = raw_read (relay);
  g_assert_cmpint (auth1->method, ==, CONFAB_MSRP_METHOD_AUTH);
  g_assert_null (auth1->authorization);
  to = confab_msrp_path_to_string (auth1->to_path);
  g_assert_cmpstr (to, ==, relay_uri);
  challenge = confab_msrp_message_new_response (auth1, 401, NULL);
  challenge->www_authenticate = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (challenge->www_authenticate,
                   g_strdup ("Digest realm=\"relay\", nonce=\"abc123\", qop=\"auth\""));
  raw_send (relay, challenge);

  auth2 = raw_read (relay);
  g_assert_cmpint (auth2->method, ==, CONFAB_MSRP_METHOD_AUTH);
  g_assert_nonnull (auth2->authorization);
  g_assert_nonnull (strstr (auth2->authorization, "username=\"alice\""));
  ok = confab_msrp_message_new_response (auth2, 200, NULL);
  ok->use_path = confab_msrp_path_parse (use_path, strlen (use_path), NULL);
  ok->expires = 600;
  raw_send (relay, ok);
  wait_for (not_preparing, session);
  spin (1);
  g_assert_no_error (error);
  g_assert_cmpint (confab_msrp_session_get_state (session), ==, CONFAB_MSRP_SESSION_STATE_READY);

  local = confab_msrp_session_dup_local_path (session);
  g_assert_true (g_str_has_prefix (local, use_path));
  ours = g_strdup (local + strlen (use_path) + 1);

  g_assert_true (
      confab_msrp_session_start (session, remote, CONFAB_MSRP_SETUP_ACTIVE, NULL, &error));
  bind = raw_read (relay);
  g_free (to);
  to = confab_msrp_path_to_string (bind->to_path);
  expected_to = g_strdup_printf ("%s %s", use_path, remote);
  g_assert_cmpstr (to, ==, expected_to);
  raw_respond (relay, bind, 200);
  wait_state (session, CONFAB_MSRP_SESSION_STATE_CONNECTED);

  /* the relay delivers the peer's message on the same connection */
  {
    g_autofree char *from = g_strdup_printf ("%s %s", use_path, remote);

    incoming = raw_send_for (ours, from, "via relay");
  }
  raw_send (relay, incoming);
  response = raw_read (relay);
  g_assert_cmpuint (response->status, ==, 200);
  wait_count (recorder->received, 1);
  assert_body (g_ptr_array_index (recorder->received, 0), "via relay");
  g_assert_cmpuint (confab_msrp_endpoint_get_n_connections (endpoint), ==, 1);
  confab_msrp_session_close (session);
  recorder_free (recorder);
}

/* Streamed messages: send_streamed() reads the body as the connection has
 * room; a receiver in streaming mode gets every chunk ("chunk-received"). */

#define CHUNK CONFAB_MSRP_DEFAULT_CHUNK_SIZE

typedef struct
{
  guint *value;
  guint  target;
} UintWait;

static gboolean
uint_reached (gpointer data)
{
  UintWait *wait = data;

  return *wait->value >= wait->target;
}

static void
wait_uint (guint *value,
           guint  target)
{
  UintWait wait = { value, target };

  wait_for (uint_reached, &wait);
}

/* The body of a streamed message, read chunk by chunk into fresh buffers
 * whose lives are counted. */
typedef struct
{
  const guint8      *data;       /* the body, or NULL: zeroes */
  guint64            total;
  guint64            next;       /* the offset the next read must ask for */
  guint64            min_offset; /* the lowest asked for */
  guint              calls;
  guint              fail_call;  /* this read (1-based) fails; 0: none */
  guint              alive;      /* buffers handed out and not freed yet */
  guint              max_alive;
  ConfabMsrpSession *session;    /* its queued bytes are looked at on every read */
  gsize              max_queued;
  gboolean           destroyed;
} BodySource;

typedef struct
{
  BodySource *source;
  guint8      data[];
} ChunkBuffer;

static void
chunk_buffer_free (gpointer data)
{
  ChunkBuffer *buffer = data;

  g_assert_cmpuint (buffer->source->alive, >, 0);
  buffer->source->alive--;
  g_free (buffer);
}

static GBytes *
body_source_read (guint64   offset,
                  gsize     max,
                  gpointer  user_data,
                  GError  **error)
{
  BodySource *source = user_data;
  ChunkBuffer *buffer;
  gsize length;

  g_assert_false (source->destroyed);
  g_assert_cmpuint (offset, ==, source->next);
  g_assert_cmpuint (offset, <, source->total); /* nothing is read for an empty rest */
  g_assert_cmpuint (max, >, 0);
  g_assert_cmpuint (max, <=, CHUNK);
  source->calls++;
  source->min_offset = MIN (source->min_offset, offset);
  if (source->session)
    source->max_queued
        = MAX (source->max_queued, confab_msrp_session_get_queued_bytes (source->session));
  if (source->calls == source->fail_call) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "The disk went away");
    return NULL;
  }
  length = (gsize) MIN ((guint64) max, source->total - offset);
  source->next = offset + length;
  buffer = g_malloc (sizeof (ChunkBuffer) + length);
  buffer->source = source;
  if (source->data)
    memcpy (buffer->data, source->data + offset, length);
  else
    memset (buffer->data, 0, length);
  source->alive++;
  source->max_alive = MAX (source->max_alive, source->alive);
  return g_bytes_new_with_free_func (buffer->data, length, chunk_buffer_free, buffer);
}

static void
body_source_destroy (gpointer data)
{
  BodySource *source = data;

  g_assert_false (source->destroyed);
  source->destroyed = TRUE;
}

static void
body_source_init (BodySource   *source,
                  const guint8 *data,
                  guint64       total,
                  guint64       start)
{
  memset (source, 0, sizeof *source);
  source->data = data;
  source->total = total;
  source->next = start;
  source->min_offset = G_MAXUINT64;
}

static char *
send_streamed (ConfabMsrpSession *session,
               BodySource        *source,
               guint64            start,
               ConfabMsrpReport   success)
{
  g_autoptr (GError) error = NULL;
  char *id = confab_msrp_session_send_streamed (session, "application/octet-stream",
                                                source->total, start, body_source_read, source,
                                                body_source_destroy, success,
                                                CONFAB_MSRP_REPORT_YES, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

/* What a streaming receiver got. */
typedef struct
{
  ConfabMsrpSession *session;
  GPtrArray         *chunks;        /* ConfabMsrpMessage*, when keep */
  gboolean           keep;
  guint              n_chunks;
  guint64            n_bytes;
  guint              n_ended;       /* '$' or '#' */
  guint64            expect_start;  /* the next chunk must start here; 0: not checked */
  guint              refuse_chunk;  /* this chunk (1-based) is answered refuse_status */
  guint              refuse_status;
} ChunkRecorder;

static guint
on_chunk_received (ConfabMsrpSession *session,
                   ConfabMsrpMessage *chunk,
                   ChunkRecorder     *recorder)
{
  gsize length = confab_msrp_message_get_body_length (chunk);

  g_assert_true (chunk->has_byte_range);
  g_assert_cmpuint (chunk->byte_range.end, ==, chunk->byte_range.start + length - 1);
  if (recorder->expect_start) {
    g_assert_cmpuint (chunk->byte_range.start, ==, recorder->expect_start);
    recorder->expect_start = chunk->byte_range.end + 1;
  }
  recorder->n_chunks++;
  recorder->n_bytes += length;
  if (chunk->continuation != CONFAB_MSRP_CONTINUATION_MORE)
    recorder->n_ended++;
  if (recorder->keep)
    g_ptr_array_add (recorder->chunks, confab_msrp_message_ref (chunk));
  if (recorder->n_chunks == recorder->refuse_chunk)
    return recorder->refuse_status;
  return 0;
}

static void
chunk_recorder_init (ChunkRecorder     *recorder,
                     ConfabMsrpSession *session,
                     gboolean           keep)
{
  memset (recorder, 0, sizeof *recorder);
  recorder->session = session;
  recorder->keep = keep;
  recorder->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  g_signal_connect (session, "chunk-received", G_CALLBACK (on_chunk_received), recorder);
}

static void
chunk_recorder_clear (ChunkRecorder *recorder)
{
  g_signal_handlers_disconnect_by_data (recorder->session, recorder);
  g_clear_pointer (&recorder->chunks, g_ptr_array_unref);
}

static ConfabMsrpMessage *
chunk_at (ChunkRecorder *recorder,
          guint          index)
{
  g_assert_cmpuint (index, <, recorder->chunks->len);
  return g_ptr_array_index (recorder->chunks, index);
}

static ConfabMsrpMessage *
last_chunk (ChunkRecorder *recorder)
{
  g_assert_cmpuint (recorder->chunks->len, >, 0);
  return chunk_at (recorder, recorder->chunks->len - 1);
}

/* "message-progress" of a sender. */
typedef struct
{
  ConfabMsrpSession *session;
  Recorder          *recorder; /* the sender's: "message-sent" comes after the last */
  const char        *id;       /* the message expected, or NULL */
  GArray            *confirmed; /* guint64 */
  guint              n;
} Progress;

static void
on_message_progress (ConfabMsrpSession *session,
                     const char        *id,
                     guint64            confirmed,
                     Progress          *progress)
{
  if (progress->id)
    g_assert_cmpstr (id, ==, progress->id);
  g_assert_cmpuint (progress->recorder->sent->len, ==, 0);
  if (progress->confirmed->len > 0)
    g_assert_cmpuint (confirmed, >, g_array_index (progress->confirmed, guint64,
                                                   progress->confirmed->len - 1));
  g_array_append_val (progress->confirmed, confirmed);
  progress->n++;
}

static void
progress_init (Progress          *progress,
               ConfabMsrpSession *session,
               Recorder          *recorder)
{
  memset (progress, 0, sizeof *progress);
  progress->session = session;
  progress->recorder = recorder;
  progress->confirmed = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_signal_connect (session, "message-progress", G_CALLBACK (on_message_progress), progress);
}

static void
progress_clear (Progress *progress)
{
  g_signal_handlers_disconnect_by_data (progress->session, progress);
  g_clear_pointer (&progress->confirmed, g_array_unref);
}

static guint64
progress_at (Progress *progress,
             guint     index)
{
  g_assert_cmpuint (index, <, progress->confirmed->len);
  return g_array_index (progress->confirmed, guint64, index);
}

static void
assert_status (GPtrArray  *array,
               guint       index,
               const char *id,
               guint       status)
{
  g_autofree char *expected = g_strdup_printf ("%s %u", id, status);

  g_assert_cmpuint (index, <, array->len);
  g_assert_cmpstr (g_ptr_array_index (array, index), ==, expected);
}

static guint8 *
random_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  return data;
}

static void
test_streamed (gconstpointer data)
{
  gboolean tls = GPOINTER_TO_INT (data);
  Pair pair = { 0 };
  gsize size = 3 * CHUNK + 17;
  g_autofree guint8 *bytes = random_bytes (size);
  g_autoptr (GByteArray) joined = g_byte_array_new ();
  g_autofree char *id = NULL;
  const char continuations[] = "+++$";
  BodySource source;
  ChunkRecorder chunks;
  Progress progress;

  pair_connect (&pair, tls);
  confab_msrp_session_set_streaming (pair.b, TRUE);
  chunk_recorder_init (&chunks, pair.b, TRUE);
  progress_init (&progress, pair.a, pair.ra);
  body_source_init (&source, bytes, size, 0);
  id = send_streamed (pair.a, &source, 0, CONFAB_MSRP_REPORT_YES);
  progress.id = id;
  g_assert_cmpuint (confab_msrp_session_get_queued_bytes (pair.a), ==, 0);

  wait_count (pair.ra->sent, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.ra->sent, 0), ==, id);
  g_assert_cmpuint (chunks.n_ended, ==, 1);
  g_assert_cmpuint (chunks.chunks->len, ==, 4);
  for (guint i = 0; i < 4; i++) {
    ConfabMsrpMessage *chunk = chunk_at (&chunks, i);
    guint64 start = (guint64) i * CHUNK + 1;
    guint64 end = MIN (start + CHUNK - 1, size);
    gsize length = 0;
    const guint8 *body;

    g_assert_cmpint (chunk->method, ==, CONFAB_MSRP_METHOD_SEND);
    g_assert_cmpstr (chunk->message_id, ==, id);
    g_assert_cmpstr (chunk->content_type, ==, "application/octet-stream");
    g_assert_true (chunk->has_byte_range);
    g_assert_cmpuint (chunk->byte_range.start, ==, start);
    g_assert_cmpuint (chunk->byte_range.end, ==, end);
    g_assert_cmpuint (chunk->byte_range.total, ==, size);
    g_assert_cmpint (chunk->continuation, ==, continuations[i]);
    g_assert_nonnull (chunk->body);
    body = g_bytes_get_data (chunk->body, &length);
    g_assert_cmpuint (length, ==, end - start + 1);
    g_byte_array_append (joined, body, length);
  }
  g_assert_cmpmem (joined->data, joined->len, bytes, size);
  g_assert_cmpuint (pair.rb->received->len, ==, 0); /* not put back together */

  /* 200s counted up, then sent */
  g_assert_cmpuint (progress.confirmed->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (progress_at (&progress, i), ==, MIN ((guint64) (i + 1) * CHUNK, size));

  /* Success-Report: yes: one REPORT per chunk */
  wait_count (pair.ra->reports, 4);
  spin (50);
  g_assert_cmpuint (pair.ra->reports->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    assert_status (pair.ra->reports, i, id, 200);
  g_assert_cmpuint (pair.ra->failed->len + pair.rb->failed->len, ==, 0);

  g_assert_cmpuint (source.calls, ==, 4);
  g_assert_cmpuint (source.min_offset, ==, 0);
  g_assert_true (source.destroyed);
  g_assert_cmpuint (source.alive, ==, 0);
  g_assert_cmpuint (confab_msrp_session_get_queued_bytes (pair.a), ==, 0);
  progress_clear (&progress);
  chunk_recorder_clear (&chunks);
  pair_clear (&pair);
}

/* A resumed transfer: from byte 100000 (0-based) of 200000. */
static void
test_streamed_resume (void)
{
  Pair pair = { 0 };
  gsize size = 200000;
  guint64 start = 100000;
  g_autofree guint8 *bytes = random_bytes (size);
  g_autoptr (GByteArray) joined = g_byte_array_new ();
  g_autofree char *id = NULL;
  ConfabMsrpMessage *chunk;
  BodySource source;
  ChunkRecorder chunks;
  Progress progress;

  pair_connect (&pair, FALSE);
  confab_msrp_session_set_streaming (pair.b, TRUE);
  chunk_recorder_init (&chunks, pair.b, TRUE);
  progress_init (&progress, pair.a, pair.ra);
  body_source_init (&source, bytes, size, start);
  id = send_streamed (pair.a, &source, start, CONFAB_MSRP_REPORT_UNSET);
  progress.id = id;

  wait_count (pair.ra->sent, 1);
  g_assert_cmpuint (chunks.chunks->len, ==, 2);
  chunk = chunk_at (&chunks, 0);
  g_assert_cmpuint (chunk->byte_range.start, ==, 100001);
  g_assert_cmpuint (chunk->byte_range.end, ==, 100000 + CHUNK);
  g_assert_cmpuint (chunk->byte_range.total, ==, size);
  g_assert_cmpint (chunk->continuation, ==, CONFAB_MSRP_CONTINUATION_MORE);
  g_byte_array_append (joined, g_bytes_get_data (chunk->body, NULL),
                       g_bytes_get_size (chunk->body));
  chunk = chunk_at (&chunks, 1);
  g_assert_cmpuint (chunk->byte_range.start, ==, 100001 + CHUNK);
  g_assert_cmpuint (chunk->byte_range.end, ==, size);
  g_assert_cmpuint (chunk->byte_range.total, ==, size);
  g_assert_cmpint (chunk->continuation, ==, CONFAB_MSRP_CONTINUATION_COMPLETE);
  g_byte_array_append (joined, g_bytes_get_data (chunk->body, NULL),
                       g_bytes_get_size (chunk->body));
  g_assert_cmpmem (joined->data, joined->len, bytes + start, size - start);

  g_assert_cmpuint (source.min_offset, ==, start);
  g_assert_cmpuint (source.calls, ==, 2);
  /* counted from the start on */
  g_assert_cmpuint (progress.confirmed->len, ==, 2);
  g_assert_cmpuint (progress_at (&progress, 0), ==, CHUNK);
  g_assert_cmpuint (progress_at (&progress, 1), ==, size - start);
  g_assert_cmpuint (pair.ra->failed->len, ==, 0);
  g_assert_true (source.destroyed);
  progress_clear (&progress);
  chunk_recorder_clear (&chunks);
  pair_clear (&pair);
}

/* An empty file: one '$' chunk 1-0/0. Streaming from the start, so the
 * binding SEND comes as a chunk too. */
static void
test_streamed_empty (void)
{
  Pair pair = { 0 };
  g_autofree char *id = NULL;
  ConfabMsrpMessage *empty = NULL;
  BodySource source;
  ChunkRecorder chunks;
  Progress progress;

  pair_setup (&pair, FALSE);
  confab_msrp_session_set_streaming (pair.b, TRUE);
  chunk_recorder_init (&chunks, pair.b, TRUE);
  pair_start (&pair, NULL, NULL);
  wait_state (pair.a, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  wait_state (pair.b, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  progress_init (&progress, pair.a, pair.ra);
  body_source_init (&source, NULL, 0, 0);
  id = send_streamed (pair.a, &source, 0, CONFAB_MSRP_REPORT_YES);
  progress.id = id;

  wait_count (pair.ra->sent, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.ra->sent, 0), ==, id);
  for (guint i = 0; i < chunks.chunks->len; i++) {
    ConfabMsrpMessage *chunk = chunk_at (&chunks, i);

    g_assert_cmpuint (confab_msrp_message_get_body_length (chunk), ==, 0);
    if (g_strcmp0 (chunk->message_id, id) != 0)
      continue; /* the binding SEND */
    g_assert_null (empty);
    empty = chunk;
  }
  g_assert_nonnull (empty);
  g_assert_null (empty->body);
  g_assert_cmpuint (empty->byte_range.start, ==, 1);
  g_assert_cmpuint (empty->byte_range.end, ==, 0);
  g_assert_cmpuint (empty->byte_range.total, ==, 0);
  g_assert_cmpint (empty->continuation, ==, CONFAB_MSRP_CONTINUATION_COMPLETE);
  g_assert_cmpuint (chunks.chunks->len, <=, 2);

  g_assert_cmpuint (source.calls, ==, 0);
  g_assert_true (source.destroyed);
  g_assert_cmpuint (progress.confirmed->len, ==, 1);
  g_assert_cmpuint (progress_at (&progress, 0), ==, 0);
  spin (50);
  g_assert_cmpuint (pair.ra->reports->len, ==, 0); /* no bytes to report on */
  g_assert_cmpuint (pair.ra->failed->len + pair.rb->failed->len, ==, 0);
  progress_clear (&progress);
  chunk_recorder_clear (&chunks);
  pair_clear (&pair);
}

/* The file cannot be read further: the message fails, the receiver gets
 * the abort where the bytes stopped. @at_once: the message is sent with the
 * session connected, so the failing read happens inside send_streamed();
 * otherwise before the session is started, so that the reads happen once
 * it connects. */
static void
streamed_read_error (gboolean at_once)
{
  Pair pair = { 0 };
  gsize size = 4 * CHUNK;
  g_autofree guint8 *bytes = random_bytes (size);
  g_autofree char *id = NULL;
  g_autofree char *prefix = NULL;
  ConfabMsrpMessage *chunk;
  BodySource source;
  ChunkRecorder chunks;

  pair_setup (&pair, FALSE);
  confab_msrp_session_set_streaming (pair.b, TRUE);
  chunk_recorder_init (&chunks, pair.b, TRUE);
  body_source_init (&source, bytes, size, 0);
  source.fail_call = 2;
  if (!at_once)
    id = send_streamed (pair.a, &source, 0, CONFAB_MSRP_REPORT_UNSET);
  pair_start (&pair, NULL, NULL);
  wait_state (pair.a, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  wait_state (pair.b, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  if (at_once)
    id = send_streamed (pair.a, &source, 0, CONFAB_MSRP_REPORT_UNSET);

  wait_count (pair.ra->failed, 1);
  prefix = g_strdup_printf ("%s ", id);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (pair.ra->failed, 0), prefix));
  wait_uint (&chunks.n_ended, 2); /* the binding SEND, then the abort */
  g_assert_cmpuint (chunks.chunks->len, ==, 3);
  g_assert_cmpstr (chunk_at (&chunks, 0)->message_id, !=, id);
  chunk = chunk_at (&chunks, 1);
  g_assert_cmpstr (chunk->message_id, ==, id);
  g_assert_cmpuint (chunk->byte_range.start, ==, 1);
  g_assert_cmpuint (chunk->byte_range.end, ==, CHUNK);
  g_assert_cmpint (chunk->continuation, ==, CONFAB_MSRP_CONTINUATION_MORE);
  g_assert_cmpmem (g_bytes_get_data (chunk->body, NULL), g_bytes_get_size (chunk->body), bytes,
                   CHUNK);
  chunk = chunk_at (&chunks, 2);
  g_assert_cmpstr (chunk->message_id, ==, id);
  g_assert_cmpint (chunk->continuation, ==, CONFAB_MSRP_CONTINUATION_ABORT);
  g_assert_null (chunk->body);
  g_assert_cmpuint (chunk->byte_range.start, ==, CHUNK + 1);
  g_assert_cmpuint (chunk->byte_range.total, ==, size);

  spin (50);
  g_assert_cmpuint (source.calls, ==, 2);
  g_assert_true (source.destroyed);
  g_assert_cmpuint (source.alive, ==, 0);
  g_assert_cmpuint (pair.ra->failed->len, ==, 1);
  g_assert_cmpuint (pair.ra->sent->len, ==, 0);
  g_assert_cmpint (confab_msrp_session_get_state (pair.a), ==, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  chunk_recorder_clear (&chunks);
  pair_clear (&pair);
}

static void
test_streamed_read_error (void)
{
  streamed_read_error (FALSE);
}

static void
test_streamed_read_error_at_once (void)
{
  /* Regression: the read fails inside the pump that send_streamed() runs,
   * message_failed() frees the outgoing message, and send_streamed() then
   * returns g_strdup (out->message_id) from freed memory. */
  streamed_read_error (TRUE);
}

/* The user gives up on a transfer; the session goes on. */
static void
test_streamed_cancel (void)
{
  Pair pair = { 0 };
  gsize size = 16 * 1024 * 1024; /* more than the socket buffers take */
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  ConfabMsrpMessage *abort;
  ConfabMsrpMessage *chunk;
  guint calls;
  guint n_progress;
  BodySource source;
  ChunkRecorder chunks;
  Progress progress;

  pair_connect (&pair, FALSE);
  confab_msrp_session_set_streaming (pair.b, TRUE);
  chunk_recorder_init (&chunks, pair.b, TRUE);
  chunks.expect_start = 1;
  progress_init (&progress, pair.a, pair.ra);
  body_source_init (&source, NULL, size, 0);
  id = send_streamed (pair.a, &source, 0, CONFAB_MSRP_REPORT_YES);
  progress.id = id;

  wait_uint (&progress.n, 1);
  calls = source.calls;
  n_progress = progress.n;
  g_assert_cmpuint (calls, <, size / CHUNK);
  confab_msrp_session_cancel_message (pair.a, id);
  g_assert_true (source.destroyed);

  wait_uint (&chunks.n_ended, 1);
  abort = last_chunk (&chunks);
  g_assert_cmpstr (abort->message_id, ==, id);
  g_assert_cmpint (abort->continuation, ==, CONFAB_MSRP_CONTINUATION_ABORT);
  g_assert_null (abort->body);
  g_assert_cmpuint (abort->byte_range.start, ==, (guint64) calls * CHUNK + 1);
  g_assert_cmpuint (abort->byte_range.total, ==, size);
  /* every chunk read went out before it */
  g_assert_cmpuint (chunks.chunks->len, ==, calls + 1);
  for (guint i = 0; i < calls; i++)
    g_assert_cmpint (chunk_at (&chunks, i)->continuation, ==, CONFAB_MSRP_CONTINUATION_MORE);

  spin (100);
  g_assert_cmpuint (source.calls, ==, calls);
  g_assert_cmpuint (progress.n, ==, n_progress);
  g_assert_cmpuint (pair.ra->failed->len + pair.rb->failed->len, ==, 0);
  g_assert_cmpuint (pair.ra->sent->len, ==, 0);
  g_assert_cmpuint (source.alive, ==, 0);

  /* the session goes on */
  chunks.expect_start = 0;
  id2 = send_text (pair.a, "after the cancel", CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET);
  wait_count (pair.ra->sent, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.ra->sent, 0), ==, id2);
  wait_uint (&chunks.n_ended, 2);
  chunk = last_chunk (&chunks);
  g_assert_cmpstr (chunk->message_id, ==, id2);
  g_assert_cmpint (chunk->continuation, ==, CONFAB_MSRP_CONTINUATION_COMPLETE);
  assert_body (chunk, "after the cancel");
  g_assert_cmpuint (pair.ra->failed->len + pair.rb->failed->len, ==, 0);
  g_assert_cmpint (confab_msrp_session_get_state (pair.a), ==, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  progress_clear (&progress);
  chunk_recorder_clear (&chunks);
  pair_clear (&pair);
}

/* The receiver refuses a chunk (its disk is full): the message fails with
 * that status and the rest is aborted. */
static void
test_streamed_refused (void)
{
  Pair pair = { 0 };
  gsize size = 16 * 1024 * 1024;
  g_autofree char *id = NULL;
  BodySource source;
  ChunkRecorder chunks;

  pair_connect (&pair, FALSE);
  confab_msrp_session_set_streaming (pair.b, TRUE);
  chunk_recorder_init (&chunks, pair.b, TRUE);
  chunks.refuse_chunk = 2;
  chunks.refuse_status = 413;
  body_source_init (&source, NULL, size, 0);
  id = send_streamed (pair.a, &source, 0, CONFAB_MSRP_REPORT_UNSET);

  wait_count (pair.ra->failed, 1);
  assert_status (pair.ra->failed, 0, id, 413);
  g_assert_true (source.destroyed);
  wait_uint (&chunks.n_ended, 1);
  g_assert_cmpint (last_chunk (&chunks)->continuation, ==, CONFAB_MSRP_CONTINUATION_ABORT);
  g_assert_cmpuint (last_chunk (&chunks)->byte_range.start, ==, (guint64) source.calls * CHUNK + 1);
  spin (50);
  g_assert_cmpuint (pair.ra->failed->len, ==, 1);
  g_assert_cmpuint (pair.ra->sent->len, ==, 0);
  g_assert_cmpuint (pair.rb->failed->len, ==, 0);
  chunk_recorder_clear (&chunks);
  pair_clear (&pair);
}

/* FILE_OFFSET (SIP SIMPLE SDK resume): the answer carries Offset. */
static void
test_file_offset (void)
{
  Pair pair = { 0 };
  g_autoptr (ConfabMsrpMessage) request = confab_msrp_message_new_request ("FILE_OFFSET", NULL,
                                                                           NULL);
  g_autoptr (ConfabMsrpMessage) request2 = confab_msrp_message_new_request ("FILE_OFFSET", NULL,
                                                                            NULL);
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (ConfabMsrpMessage) response2 = NULL;

  pair_connect (&pair, FALSE);
  pair.rb->request_status = 200;
  pair.rb->response_header = "Offset";
  pair.rb->response_value = "12345";
  confab_msrp_session_send_request_async (pair.a, request, NULL, on_request_done, &response);
  wait_for (pointer_set, &response);
  g_assert_cmpuint (pair.rb->requests->len, ==, 1);
  g_assert_cmpint (((ConfabMsrpMessage *) g_ptr_array_index (pair.rb->requests, 0))->method, ==,
                   CONFAB_MSRP_METHOD_FILE_OFFSET);
  g_assert_true (response->is_response);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (confab_msrp_message_get_header (response, "Offset"), ==, "12345");

  /* the next response has only what its own handler added */
  pair.rb->response_header = NULL;
  confab_msrp_session_send_request_async (pair.a, request2, NULL, on_request_done, &response2);
  wait_for (pointer_set, &response2);
  g_assert_cmpuint (pair.rb->requests->len, ==, 2);
  g_assert_cmpuint (response2->status, ==, 200);
  g_assert_null (confab_msrp_message_get_header (response2, "Offset"));
  pair_clear (&pair);
}

/* A large file goes out as the connection takes it: nothing in the send
 * queue, only a few chunks in memory at once. */
static void
test_streamed_memory (void)
{
  Pair pair = { 0 };
  gsize size = 64 * 1024 * 1024;
  g_autofree char *id = NULL;
  guint notifications = 0;
  BodySource source;
  ChunkRecorder chunks;
  Progress progress;

  pair_connect (&pair, FALSE);
  confab_msrp_session_set_streaming (pair.b, TRUE);
  chunk_recorder_init (&chunks, pair.b, FALSE);
  chunks.expect_start = 1;
  progress_init (&progress, pair.a, pair.ra);
  g_signal_connect (pair.a, "notify::queued-bytes", G_CALLBACK (on_queued_bytes), &notifications);
  body_source_init (&source, NULL, size, 0);
  source.session = pair.a;
  id = send_streamed (pair.a, &source, 0, CONFAB_MSRP_REPORT_UNSET);
  progress.id = id;

  wait_count (pair.ra->sent, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.ra->sent, 0), ==, id);
  g_assert_cmpuint (chunks.n_chunks, ==, size / CHUNK);
  g_assert_cmpuint (chunks.n_bytes, ==, size);
  g_assert_cmpuint (chunks.n_ended, ==, 1);
  g_assert_cmpuint (chunks.expect_start, ==, size + 1);
  g_assert_cmpuint (progress.n, ==, size / CHUNK);
  g_assert_cmpuint (progress_at (&progress, progress.n - 1), ==, size);
  g_assert_cmpuint (source.calls, ==, size / CHUNK);

  g_assert_cmpuint (source.max_queued, ==, 0);
  g_assert_cmpuint (notifications, ==, 0);
  g_assert_cmpuint (confab_msrp_session_get_queued_bytes (pair.a), ==, 0);
  g_test_message ("at most %u chunk buffers alive at once", source.max_alive);
  g_assert_cmpuint (source.max_alive, <, 64);
  g_assert_cmpuint (source.alive, ==, 0);
  g_assert_true (source.destroyed);
  g_assert_cmpuint (pair.ra->failed->len + pair.rb->failed->len, ==, 0);
  g_signal_handlers_disconnect_by_data (pair.a, &notifications);
  progress_clear (&progress);
  chunk_recorder_clear (&chunks);
  pair_clear (&pair);
}

static void
on_progress_cancel (ConfabMsrpSession *session,
                    const char        *id,
                    guint64            confirmed,
                    gpointer           data)
{
  confab_msrp_session_cancel_message (session, id);
}

/* Cancelling from a "message-progress" handler. */
static void
test_streamed_cancel_in_progress (void)
{
  Pair pair = { 0 };
  g_autofree char *id = NULL;
  BodySource source;
  ChunkRecorder chunks;

  /* Regression: on_chunk_response() reads out->chunked after emitting
   * "message-progress", whose handler may have freed out. */
  pair_connect (&pair, FALSE);
  confab_msrp_session_set_streaming (pair.b, TRUE);
  chunk_recorder_init (&chunks, pair.b, TRUE);
  g_signal_connect (pair.a, "message-progress", G_CALLBACK (on_progress_cancel), NULL);
  body_source_init (&source, NULL, 16 * 1024 * 1024, 0);
  id = send_streamed (pair.a, &source, 0, CONFAB_MSRP_REPORT_UNSET);
  wait_uint (&chunks.n_ended, 1);
  g_assert_cmpint (last_chunk (&chunks)->continuation, ==, CONFAB_MSRP_CONTINUATION_ABORT);
  spin (50);
  g_assert_cmpuint (pair.ra->failed->len + pair.ra->sent->len, ==, 0);
  g_assert_true (source.destroyed);
  chunk_recorder_clear (&chunks);
  pair_clear (&pair);
}

/* send() of a message that cannot be serialized, the session connected. */
static void
test_send_unserializable (void)
{
  Pair pair = { 0 };
  g_autoptr (GBytes) body = text ("hi");
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  /* Regression: the pump that send() runs fails the message and frees it;
   * send() then returns g_strdup (out->message_id) from freed memory. */
  pair_connect (&pair, FALSE);
  id = confab_msrp_session_send (pair.a, "text/plain\r\nX-Evil: yes", body,
                                 CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET, NULL, &error);
  if (id) {
    wait_count (pair.ra->failed, 1);
    g_assert_cmpuint (pair.rb->received->len, ==, 0);
  } else {
    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
  }
  pair_clear (&pair);
}

/* Through a relay (RFC 4976): a raw relay that takes our AUTH at once and
 * stands for the peer behind it, answering and REPORTing chunks as told. */

#define RELAY_CHUNK  CONFAB_MSRP_RELAY_CHUNK_SIZE
#define RELAY_WINDOW (256 * 1024) /* MAX_UNREPORTED_VIA_RELAY in confab-msrp-session-send.c */
#define RELAY_REMOTE "msrp://192.0.2.1:2855/peerrelay;tcp msrp://192.0.2.2:40000/peersess;tcp"

typedef struct
{
  ConfabMsrpEndpoint *endpoint;
  ConfabMsrpSession  *session;
  Recorder           *recorder;
  Raw                *listener;
  Raw                *relay;
  char               *use_path;  /* the relay's URI for us */
  char               *ours;      /* our own URI: the To-Path of what the relay delivers */
  char               *peer_from; /* the From-Path of what the peer sends, as delivered */
} RelayPair;

static void
relay_pair_connect (RelayPair *pair,
                    guint      transaction_ms,
                    guint      keepalive_ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabMsrpMessage) auth = NULL;
  g_autoptr (ConfabMsrpMessage) ok = NULL;
  g_autoptr (ConfabMsrpMessage) bind = NULL;
  g_autofree char *relay_uri = NULL;
  g_autofree char *local = NULL;
  g_autofree char *to = NULL;

  pair->endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  pair->session = confab_msrp_endpoint_create_session (pair->endpoint, FALSE);
  pair->recorder = recorder_new (pair->session);
  pair->listener = raw_listen ();
  relay_uri = g_strdup_printf ("msrp://127.0.0.1:%u;tcp", pair->listener->port);
  pair->use_path = g_strdup_printf ("msrp://127.0.0.1:%u/relaysess1;tcp", pair->listener->port);
  pair->peer_from = g_strdup_printf ("%s %s", pair->use_path, RELAY_REMOTE);
  confab_msrp_session_set_relay (pair->session, relay_uri, "alice", "secret");
  _confab_msrp_session_set_timeouts (pair->session, transaction_ms, keepalive_ms, 0);
  confab_msrp_session_prepare_async (pair->session, NULL, on_prepared, &error);
  pair->relay = raw_accept (pair->listener);
  auth = raw_read (pair->relay);
  g_assert_nonnull (auth);
  g_assert_cmpint (auth->method, ==, CONFAB_MSRP_METHOD_AUTH);
  ok = confab_msrp_message_new_response (auth, 200, NULL);
  ok->use_path = confab_msrp_path_parse (pair->use_path, strlen (pair->use_path), NULL);
  ok->expires = 600;
  raw_send (pair->relay, ok);
  wait_for (not_preparing, pair->session);
  spin (1);
  g_assert_no_error (error);
  g_assert_cmpint (confab_msrp_session_get_state (pair->session), ==,
                   CONFAB_MSRP_SESSION_STATE_READY);

  local = confab_msrp_session_dup_local_path (pair->session);
  g_assert_true (g_str_has_prefix (local, pair->use_path));
  pair->ours = g_strdup (local + strlen (pair->use_path) + 1);
  g_assert_true (confab_msrp_session_start (pair->session, RELAY_REMOTE, CONFAB_MSRP_SETUP_ACTIVE,
                                            NULL, &error));
  bind = raw_read (pair->relay);
  g_assert_nonnull (bind);
  to = confab_msrp_path_to_string (bind->to_path);
  g_assert_cmpstr (to, ==, pair->peer_from); /* Use-Path, then the peer's path */
  raw_respond (pair->relay, bind, 200);
  wait_state (pair->session, CONFAB_MSRP_SESSION_STATE_CONNECTED);
}

static void
relay_pair_clear (RelayPair *pair)
{
  /* The relay hangs up first: what the session still waits for fails at
   * once instead of lingering. */
  g_clear_pointer (&pair->relay, raw_free);
  wait_state (pair->session, CONFAB_MSRP_SESSION_STATE_FAILED);
  confab_msrp_session_close (pair->session);
  spin (10);
  g_assert_finalize_object (g_steal_pointer (&pair->session));
  g_assert_finalize_object (g_steal_pointer (&pair->endpoint));
  g_clear_pointer (&pair->recorder, recorder_free);
  g_clear_pointer (&pair->listener, raw_free);
  g_clear_pointer (&pair->use_path, g_free);
  g_clear_pointer (&pair->ours, g_free);
  g_clear_pointer (&pair->peer_from, g_free);
  spin (10);
}

/* Reads until a message is complete, for at most @ms; NULL when none came
 * in that time (or the other side closed). */
static ConfabMsrpMessage *
raw_read_within (Raw  *raw,
                 guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (TRUE) {
    ConfabMsrpMessage *message = confab_msrp_parser_pop (raw->parser);
    g_autoptr (GError) error = NULL;
    guint8 buffer[4096];
    gssize n;

    if (message)
      return message;
    if (g_get_monotonic_time () >= deadline)
      return NULL;
    n = g_socket_receive (raw->socket, (char *) buffer, sizeof buffer, NULL, &error);
    if (n == 0)
      return NULL;
    if (n < 0) {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        return NULL;
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
      continue;
    }
    g_assert_true (confab_msrp_parser_feed (raw->parser, buffer, n, &error));
  }
}

/* The receiver's REPORT on bytes @start-@end of message @id, as the relay
 * delivers it. */
static void
relay_report (RelayPair  *pair,
              const char *id,
              guint64     start,
              guint64     end,
              guint64     total,
              guint       status,
              const char *comment)
{
  g_autoptr (GPtrArray) to = confab_msrp_path_parse (pair->ours, strlen (pair->ours), NULL);
  g_autoptr (GPtrArray) from = confab_msrp_path_parse (pair->peer_from, strlen (pair->peer_from),
                                                       NULL);
  g_autoptr (ConfabMsrpMessage) report = confab_msrp_message_new_request ("REPORT", to, from);

  report->message_id = g_strdup (id);
  report->has_byte_range = TRUE;
  report->byte_range.start = start;
  report->byte_range.end = end;
  report->byte_range.total = total;
  report->has_report_status = TRUE;
  report->report_status = status;
  report->report_comment = g_strdup (comment ? comment : confab_msrp_status_to_string (status));
  raw_send (pair->relay, report);
}

/* A success REPORT on exactly what @chunk carried. */
static void
relay_report_chunk (RelayPair         *pair,
                    ConfabMsrpMessage *chunk)
{
  relay_report (pair, chunk->message_id, chunk->byte_range.start, chunk->byte_range.end,
                chunk->byte_range.total, 200, NULL);
}

/* @chunk is chunk @index (0-based) of message @id cut in @size bytes. */
static void
assert_chunk (ConfabMsrpMessage *chunk,
              const char        *id,
              guint              index,
              gsize              size,
              guint64            total)
{
  guint64 start = (guint64) index * size + 1;
  guint64 end = MIN (start + size - 1, total);

  g_assert_nonnull (chunk);
  g_assert_false (chunk->is_response);
  g_assert_cmpint (chunk->method, ==, CONFAB_MSRP_METHOD_SEND);
  g_assert_cmpstr (chunk->message_id, ==, id);
  g_assert_true (chunk->has_byte_range);
  g_assert_cmpuint (chunk->byte_range.start, ==, start);
  g_assert_cmpuint (chunk->byte_range.end, ==, end);
  g_assert_cmpuint (chunk->byte_range.total, ==, total);
  g_assert_cmpuint (confab_msrp_message_get_body_length (chunk), ==, end - start + 1);
  g_assert_cmpint (chunk->continuation, ==,
                   end == total ? CONFAB_MSRP_CONTINUATION_COMPLETE
                                : CONFAB_MSRP_CONTINUATION_MORE);
}

/* Through a relay (a To-Path of more than one URI) chunks are of at most
 * CONFAB_MSRP_RELAY_CHUNK_SIZE, streamed or not; direct, of
 * CONFAB_MSRP_DEFAULT_CHUNK_SIZE. */
static void
test_relay_chunk_size (void)
{
  RelayPair pair = { 0 };
  RawPair direct = { 0 };
  guint64 total = 2 * RELAY_CHUNK + 17;
  gsize size = 20000;
  guint64 direct_total = CHUNK + 17;
  g_autoptr (GBytes) body = g_bytes_new_take (g_malloc0 (size), size);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *whole_id = NULL;
  g_autofree char *direct_id = NULL;
  BodySource source;
  BodySource direct_source;

  /* No REPORTs come: sent once the short REPORT wait is over. */
  relay_pair_connect (&pair, 300, 0);
  body_source_init (&source, NULL, total, 0);
  id = send_streamed (pair.session, &source, 0, CONFAB_MSRP_REPORT_YES);
  for (guint i = 0; i < 3; i++) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read (pair.relay);
    g_autofree char *to = NULL;

    assert_chunk (chunk, id, i, RELAY_CHUNK, total);
    to = confab_msrp_path_to_string (chunk->to_path);
    g_assert_cmpstr (to, ==, pair.peer_from);
    raw_respond (pair.relay, chunk, 200);
  }
  wait_count (pair.recorder->sent, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->sent, 0), ==, id);

  /* a message held whole */
  whole_id = confab_msrp_session_send (pair.session, "application/octet-stream", body,
                                       CONFAB_MSRP_REPORT_UNSET, CONFAB_MSRP_REPORT_UNSET, NULL,
                                       &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read (pair.relay);

    assert_chunk (chunk, whole_id, i, RELAY_CHUNK, size);
    raw_respond (pair.relay, chunk, 200);
  }
  wait_count (pair.recorder->sent, 2);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->sent, 1), ==, whole_id);
  g_assert_cmpuint (pair.recorder->failed->len, ==, 0);
  relay_pair_clear (&pair);

  /* direct: the big chunks */
  raw_pair_connect (&direct, 0);
  body_source_init (&direct_source, NULL, direct_total, 0);
  direct_id = send_streamed (direct.session, &direct_source, 0, CONFAB_MSRP_REPORT_UNSET);
  for (guint i = 0; i < 2; i++) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read (direct.peer);

    assert_chunk (chunk, direct_id, i, CHUNK, direct_total);
    raw_respond (direct.peer, chunk, 200);
  }
  wait_count (direct.recorder->sent, 1);
  g_assert_cmpuint (direct.recorder->failed->len, ==, 0);
  raw_pair_clear (&direct);
}

/* Through a relay, once the receiver REPORTs chunks, at most RELAY_WINDOW
 * bytes are out beyond what it REPORTed, and the message is sent when the
 * REPORTs cover it, not when the relay's last 200 comes. */
static void
test_relay_report_window (void)
{
  RelayPair pair = { 0 };
  guint n_chunks = 96;
  /* Before the first REPORT at most 65 chunks can be out (64 in flight
   * and one more on the first 200): REPORTing more than 33 makes the
   * stop depend on the window alone. */
  guint reported = 40;
  guint64 total = (guint64) n_chunks * RELAY_CHUNK;
  g_autoptr (GPtrArray) chunks
      = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  g_autofree char *id = NULL;
  ConfabMsrpMessage *chunk;
  BodySource source;
  Progress progress;

  relay_pair_connect (&pair, 2000, 0);
  progress_init (&progress, pair.session, pair.recorder);
  body_source_init (&source, NULL, total, 0);
  id = send_streamed (pair.session, &source, 0, CONFAB_MSRP_REPORT_YES);
  progress.id = id;

  /* every chunk gets its 200, only the first ones a REPORT: the sender
   * stops with RELAY_WINDOW out beyond them */
  while ((chunk = raw_read_within (pair.relay, 300))) {
    assert_chunk (chunk, id, chunks->len, RELAY_CHUNK, total);
    g_ptr_array_add (chunks, chunk);
    raw_respond (pair.relay, chunk, 200);
    if (chunks->len <= reported)
      relay_report_chunk (&pair, chunk);
  }
  g_assert_cmpuint (chunks->len, ==, reported + RELAY_WINDOW / RELAY_CHUNK);
  g_assert_cmpuint (progress.n, ==, chunks->len);
  g_assert_cmpuint (pair.recorder->sent->len + pair.recorder->failed->len, ==, 0);
  g_assert_cmpuint (pair.recorder->reports->len, ==, 0); /* a chunk's REPORT is not delivery */

  /* the REPORTs come again: it goes on to the end */
  for (guint i = reported; i < chunks->len; i++)
    relay_report_chunk (&pair, g_ptr_array_index (chunks, i));
  while (chunks->len < n_chunks) {
    chunk = raw_read (pair.relay);
    assert_chunk (chunk, id, chunks->len, RELAY_CHUNK, total);
    g_ptr_array_add (chunks, chunk);
    raw_respond (pair.relay, chunk, 200);
    if (chunks->len < n_chunks)
      relay_report_chunk (&pair, chunk);
  }

  /* every 200 is in, the last REPORT is not: not sent yet */
  wait_uint (&progress.n, n_chunks);
  spin (100);
  g_assert_cmpuint (pair.recorder->sent->len + pair.recorder->failed->len, ==, 0);
  relay_report_chunk (&pair, g_ptr_array_index (chunks, n_chunks - 1));
  wait_count (pair.recorder->sent, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->sent, 0), ==, id);
  g_assert_cmpuint (pair.recorder->reports->len, ==, 1);
  assert_status (pair.recorder->reports, 0, id, 200);
  g_assert_cmpuint (pair.recorder->failed->len, ==, 0);
  g_assert_cmpuint (source.calls, ==, n_chunks);
  g_assert_true (source.destroyed);
  progress_clear (&progress);
  relay_pair_clear (&pair);
}

/* A REPORT of the whole message (1-N/N) after one of its first chunk
 * completes it. */
static void
test_relay_report_whole (void)
{
  RelayPair pair = { 0 };
  guint n_chunks = 5;
  guint64 total = (guint64) (n_chunks - 1) * RELAY_CHUNK + 100;
  g_autofree char *id = NULL;
  BodySource source;
  Progress progress;

  relay_pair_connect (&pair, 2000, 0);
  progress_init (&progress, pair.session, pair.recorder);
  body_source_init (&source, NULL, total, 0);
  id = send_streamed (pair.session, &source, 0, CONFAB_MSRP_REPORT_YES);
  progress.id = id;
  for (guint i = 0; i < n_chunks; i++) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read (pair.relay);

    assert_chunk (chunk, id, i, RELAY_CHUNK, total);
    raw_respond (pair.relay, chunk, 200);
    if (i == 0)
      relay_report_chunk (&pair, chunk);
  }
  wait_uint (&progress.n, n_chunks);
  spin (100);
  g_assert_cmpuint (pair.recorder->sent->len + pair.recorder->failed->len, ==, 0);
  g_assert_cmpuint (pair.recorder->reports->len, ==, 0);

  relay_report (&pair, id, 1, total, total, 200, NULL);
  wait_count (pair.recorder->sent, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->sent, 0), ==, id);
  g_assert_cmpuint (pair.recorder->reports->len, ==, 1);
  assert_status (pair.recorder->reports, 0, id, 200);
  g_assert_cmpuint (pair.recorder->failed->len, ==, 0);
  progress_clear (&progress);
  relay_pair_clear (&pair);
}

/* The relay takes every chunk in the time @ms, answering each 200. */
static void
relay_take_chunks (RelayPair  *pair,
                   GPtrArray  *chunks,
                   const char *id,
                   guint64     total,
                   guint       ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end) {
    ConfabMsrpMessage *chunk = raw_read_within (pair->relay, 5);

    if (!chunk)
      continue;
    assert_chunk (chunk, id, chunks->len, RELAY_CHUNK, total);
    g_ptr_array_add (chunks, chunk);
    raw_respond (pair->relay, chunk, 200);
  }
}

/* REPORTs that trickle in, each well within a transaction's time but all
 * of them over several: every one restarts the wait, the message is sent. */
static void
test_relay_report_slow (void)
{
  RelayPair pair = { 0 };
  guint timeout_ms = 400;
  guint n_chunks = 48;
  guint64 total = (guint64) n_chunks * RELAY_CHUNK;
  g_autoptr (GPtrArray) chunks
      = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  g_autofree char *id = NULL;
  gint64 start;
  guint reported = 0;
  BodySource source;

  relay_pair_connect (&pair, timeout_ms, 0);
  body_source_init (&source, NULL, total, 0);
  start = g_get_monotonic_time ();
  id = send_streamed (pair.session, &source, 0, CONFAB_MSRP_REPORT_YES);
  g_ptr_array_add (chunks, raw_read (pair.relay));
  assert_chunk (g_ptr_array_index (chunks, 0), id, 0, RELAY_CHUNK, total);
  raw_respond (pair.relay, g_ptr_array_index (chunks, 0), 200);
  relay_report_chunk (&pair, g_ptr_array_index (chunks, reported++));
  /* four chunks' REPORTs every 100 ms */
  while (reported < n_chunks) {
    relay_take_chunks (&pair, chunks, id, total, 100);
    for (guint i = 0; i < 4 && reported < chunks->len; i++)
      relay_report_chunk (&pair, g_ptr_array_index (chunks, reported++));
    g_assert_cmpuint (pair.recorder->failed->len, ==, 0);
  }
  wait_count (pair.recorder->sent, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >, 2 * (gint64) timeout_ms * 1000);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->sent, 0), ==, id);
  g_assert_cmpuint (pair.recorder->failed->len, ==, 0);
  g_assert_cmpuint (chunks->len, ==, n_chunks);
  relay_pair_clear (&pair);
}

/* The receiver REPORTed the first chunk, then nothing: the message fails
 * (408) a transaction's time after the last progress. @window_full: the
 * sender waits with its window full (the rest aborted); otherwise every
 * chunk went out and got its 200. */
static void
relay_report_timeout (gboolean window_full)
{
  RelayPair pair = { 0 };
  guint timeout_ms = 500;
  guint n_chunks = window_full ? 96 : 4;
  guint64 total = (guint64) n_chunks * RELAY_CHUNK;
  g_autoptr (ConfabMsrpMessage) abort = NULL;
  g_autofree char *id = NULL;
  const char *reason;
  gint64 waiting_since = 0; /* the relay sent what the sender waits after */
  guint n = 0;
  BodySource source;
  Progress progress;

  relay_pair_connect (&pair, timeout_ms, 0);
  progress_init (&progress, pair.session, pair.recorder);
  body_source_init (&source, NULL, total, 0);
  id = send_streamed (pair.session, &source, 0, CONFAB_MSRP_REPORT_YES);
  progress.id = id;
  while (TRUE) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read_within (pair.relay, 200);

    if (!chunk)
      break;
    if (chunk->continuation == CONFAB_MSRP_CONTINUATION_ABORT) {
      abort = g_steal_pointer (&chunk);
      break;
    }
    assert_chunk (chunk, id, n, RELAY_CHUNK, total);
    n++;
    if (!window_full || n == 1)
      waiting_since = g_get_monotonic_time ();
    raw_respond (pair.relay, chunk, 200);
    if (n == 1)
      relay_report_chunk (&pair, chunk);
  }

  wait_count (pair.recorder->failed, 1);
  assert_status (pair.recorder->failed, 0, id, 408);
  reason = g_ptr_array_index (pair.recorder->reasons, 0);
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");
  g_assert_cmpstr (reason, !=, confab_msrp_status_to_string (408)); /* a reason of its own */
  g_assert_cmpint (pair.recorder->failed_at - waiting_since, >=, (gint64) timeout_ms * 1000);
  g_assert_cmpuint (pair.recorder->sent->len, ==, 0);
  /* every chunk out had its 200: the REPORTs were waited for, not a 200 */
  g_assert_cmpuint (progress.n, ==, n);
  g_assert_cmpuint (progress_at (&progress, n - 1), ==, (guint64) n * RELAY_CHUNK);
  if (window_full) {
    g_assert_cmpuint (n, >=, 1 + RELAY_WINDOW / RELAY_CHUNK);
    g_assert_cmpuint (n, <, n_chunks);
    if (!abort)
      abort = raw_read (pair.relay);
    g_assert_nonnull (abort);
    g_assert_cmpstr (abort->message_id, ==, id);
    g_assert_cmpint (abort->continuation, ==, CONFAB_MSRP_CONTINUATION_ABORT);
    g_assert_cmpuint (abort->byte_range.start, ==, (guint64) n * RELAY_CHUNK + 1);
    g_assert_cmpuint (abort->byte_range.total, ==, total);
  } else {
    g_assert_cmpuint (n, ==, n_chunks);
    g_assert_null (abort); /* everything went: nothing to abort */
    abort = raw_read_within (pair.relay, 100);
    g_assert_null (abort);
  }
  g_assert_true (source.destroyed);
  progress_clear (&progress);
  relay_pair_clear (&pair);
}

static void
test_relay_report_timeout_window (void)
{
  relay_report_timeout (TRUE);
}

static void
test_relay_report_timeout_answered (void)
{
  relay_report_timeout (FALSE);
}

/* A receiver that never REPORTs: through a relay the sender first keeps
 * to the window of unREPORTed bytes; when no REPORT came within the
 * transaction time it goes on with the relay's 200s alone, and the
 * message is sent when every chunk got its 200 — not before the wait. */
static void
test_relay_no_reports (void)
{
  RelayPair pair = { 0 };
  guint timeout_ms = 600;
  guint n_chunks = RELAY_WINDOW / RELAY_CHUNK + 8;
  guint64 total = (guint64) (n_chunks - 1) * RELAY_CHUNK + 17;
  g_autofree char *id = NULL;
  gint64 started;
  guint n = 0;
  BodySource source;

  relay_pair_connect (&pair, timeout_ms, 0);
  body_source_init (&source, NULL, total, 0);
  started = g_get_monotonic_time ();
  id = send_streamed (pair.session, &source, 0, CONFAB_MSRP_REPORT_YES);
  /* The window: no more than RELAY_WINDOW before the wait is over. */
  while (n < n_chunks) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read_within (pair.relay, timeout_ms / 3);

    if (!chunk)
      break;
    assert_chunk (chunk, id, n, RELAY_CHUNK, total);
    raw_respond (pair.relay, chunk, 200);
    n++;
  }
  g_assert_cmpuint (n, ==, RELAY_WINDOW / RELAY_CHUNK);
  g_assert_cmpuint (pair.recorder->sent->len + pair.recorder->failed->len, ==, 0);
  /* Then the rest, without REPORTs. */
  while (n < n_chunks) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read (pair.relay);

    assert_chunk (chunk, id, n, RELAY_CHUNK, total);
    raw_respond (pair.relay, chunk, 200);
    n++;
  }
  g_assert_cmpint (g_get_monotonic_time () - started, >=, (gint64) timeout_ms * 1000);
  wait_count (pair.recorder->sent, 1);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->sent, 0), ==, id);
  g_assert_cmpuint (pair.recorder->failed->len + pair.recorder->reports->len, ==, 0);
  g_assert_true (source.destroyed);
  relay_pair_clear (&pair);
}

/* A small message through a relay whose receiver never REPORTs: every
 * chunk has its 200 at once, but it is sent only after the REPORT wait
 * (a failure REPORT could still come in that time). */
static void
test_relay_no_reports_small (void)
{
  RelayPair pair = { 0 };
  guint timeout_ms = 500;
  guint64 total = RELAY_CHUNK + 17;
  g_autofree char *id = NULL;
  gint64 answered;
  BodySource source;

  relay_pair_connect (&pair, timeout_ms, 0);
  body_source_init (&source, NULL, total, 0);
  id = send_streamed (pair.session, &source, 0, CONFAB_MSRP_REPORT_YES);
  for (guint i = 0; i < 2; i++) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read (pair.relay);

    assert_chunk (chunk, id, i, RELAY_CHUNK, total);
    raw_respond (pair.relay, chunk, 200);
  }
  answered = g_get_monotonic_time ();
  spin (timeout_ms / 2);
  g_assert_cmpuint (pair.recorder->sent->len, ==, 0);
  wait_count (pair.recorder->sent, 1);
  g_assert_cmpint (g_get_monotonic_time () - answered, >=, (gint64) timeout_ms * 1000 * 9 / 10);
  g_assert_cmpuint (pair.recorder->failed->len, ==, 0);
  relay_pair_clear (&pair);
}

/* A failure REPORT fails the message with its status and comment; the
 * rest is aborted. */
static void
test_relay_failure_report (void)
{
  RelayPair pair = { 0 };
  guint n_chunks = 96;
  guint64 total = (guint64) n_chunks * RELAY_CHUNK;
  g_autoptr (ConfabMsrpMessage) abort = NULL;
  g_autofree char *id = NULL;
  guint n = 0;
  BodySource source;

  relay_pair_connect (&pair, 2000, 0);
  body_source_init (&source, NULL, total, 0);
  id = send_streamed (pair.session, &source, 0, CONFAB_MSRP_REPORT_YES);
  for (; n < 2; n++) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read (pair.relay);

    assert_chunk (chunk, id, n, RELAY_CHUNK, total);
    raw_respond (pair.relay, chunk, 200);
    if (n == 0)
      relay_report_chunk (&pair, chunk);
    else /* as Confab's receiver does: on the whole message */
      relay_report (&pair, id, 1, total, total, 400, "Disk full");
  }
  wait_count (pair.recorder->failed, 1);
  assert_status (pair.recorder->failed, 0, id, 400);
  g_assert_cmpstr (g_ptr_array_index (pair.recorder->reasons, 0), ==, "Disk full");
  g_assert_cmpuint (pair.recorder->reports->len, ==, 1);
  assert_status (pair.recorder->reports, 0, id, 400);
  g_assert_true (source.destroyed);

  while (!abort) {
    g_autoptr (ConfabMsrpMessage) chunk = raw_read (pair.relay);

    g_assert_nonnull (chunk);
    if (chunk->continuation == CONFAB_MSRP_CONTINUATION_ABORT) {
      abort = g_steal_pointer (&chunk);
      break;
    }
    assert_chunk (chunk, id, n++, RELAY_CHUNK, total);
    raw_respond (pair.relay, chunk, 200);
  }
  g_assert_cmpstr (abort->message_id, ==, id);
  g_assert_cmpuint (abort->byte_range.start, ==, (guint64) n * RELAY_CHUNK + 1);
  g_assert_cmpuint (n, <, n_chunks);
  spin (50);
  g_assert_cmpuint (pair.recorder->sent->len, ==, 0);
  g_assert_cmpuint (pair.recorder->failed->len, ==, 1);
  relay_pair_clear (&pair);
}

/* Through relays, a response to a SEND goes one hop back; one to another
 * method (FILE_OFFSET) end to end, to the whole From-Path. */
static void
test_relay_response_paths (void)
{
  RelayPair pair = { 0 };
  g_autoptr (GPtrArray) to = NULL;
  g_autoptr (GPtrArray) from = NULL;
  g_autoptr (ConfabMsrpMessage) offset = NULL;
  g_autoptr (ConfabMsrpMessage) incoming = NULL;
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (ConfabMsrpMessage) response2 = NULL;
  g_autofree char *response_to = NULL;
  g_autofree char *response_from = NULL;
  g_autofree char *response2_to = NULL;

  relay_pair_connect (&pair, 0, 0);
  pair.recorder->request_status = 200;
  to = confab_msrp_path_parse (pair.ours, strlen (pair.ours), NULL);
  from = confab_msrp_path_parse (pair.peer_from, strlen (pair.peer_from), NULL);
  offset = confab_msrp_message_new_request ("FILE_OFFSET", to, from);
  raw_send (pair.relay, offset);
  response = raw_read (pair.relay);
  g_assert_nonnull (response);
  g_assert_true (response->is_response);
  g_assert_cmpstr (response->transaction_id, ==, offset->transaction_id);
  g_assert_cmpuint (response->status, ==, 200);
  response_to = confab_msrp_path_to_string (response->to_path);
  response_from = confab_msrp_path_to_string (response->from_path);
  g_assert_cmpstr (response_to, ==, pair.peer_from);
  g_assert_cmpstr (response_from, ==, pair.ours);
  g_assert_cmpuint (pair.recorder->requests->len, ==, 1);

  incoming = raw_send_for (pair.ours, pair.peer_from, "via relay");
  raw_send (pair.relay, incoming);
  response2 = raw_read (pair.relay);
  g_assert_nonnull (response2);
  g_assert_cmpuint (response2->status, ==, 200);
  response2_to = confab_msrp_path_to_string (response2->to_path);
  g_assert_cmpstr (response2_to, ==, pair.use_path);
  wait_count (pair.recorder->received, 1);
  relay_pair_clear (&pair);
}

/* A keep-alive answered 481: the relay no longer knows the other end. */
static void
test_keepalive_481 (void)
{
  RelayPair pair = { 0 };
  g_autoptr (ConfabMsrpMessage) keepalive = NULL;
  g_autofree char *to = NULL;
  const char *error_message;
  gint64 answered;

  /* the transaction timeout (10 s) is far: only the 481 can end it soon */
  relay_pair_connect (&pair, 10000, 200);
  keepalive = raw_read (pair.relay);
  g_assert_nonnull (keepalive);
  g_assert_cmpint (keepalive->method, ==, CONFAB_MSRP_METHOD_SEND);
  g_assert_cmpstr (confab_msrp_message_get_header (keepalive, "Keep-Alive"), ==, "yes");
  g_assert_null (keepalive->body);
  to = confab_msrp_path_to_string (keepalive->to_path);
  g_assert_cmpstr (to, ==, pair.peer_from);
  g_assert_cmpint (confab_msrp_session_get_state (pair.session), ==,
                   CONFAB_MSRP_SESSION_STATE_CONNECTED);
  answered = g_get_monotonic_time ();
  raw_respond (pair.relay, keepalive, 481);
  wait_state (pair.session, CONFAB_MSRP_SESSION_STATE_FAILED);
  g_assert_cmpint (g_get_monotonic_time () - answered, <, 5 * G_USEC_PER_SEC);
  error_message = confab_msrp_session_get_error_message (pair.session);
  g_assert_nonnull (error_message);
  g_assert_cmpstr (error_message, !=, "");
  relay_pair_clear (&pair);
}

/* Keep-alives over a relay for @ms: each is answered 200 (by the relay, as
 * it may), and nothing else comes. Returns how many came. */
static guint
relay_answer_keepalives (RelayPair *pair,
                         guint      ms,
                         gboolean   until_failed)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint n = 0;

  while (g_get_monotonic_time () < end) {
    g_autoptr (ConfabMsrpMessage) keepalive = NULL;

    if (until_failed &&
        confab_msrp_session_get_state (pair->session) == CONFAB_MSRP_SESSION_STATE_FAILED)
      return n;
    keepalive = raw_read_within (pair->relay, 10);
    if (!keepalive)
      continue;
    g_assert_cmpint (keepalive->method, ==, CONFAB_MSRP_METHOD_SEND);
    g_assert_cmpstr (confab_msrp_message_get_header (keepalive, "Keep-Alive"), ==, "yes");
    raw_respond (pair->relay, keepalive, 200);
    n++;
  }
  g_assert_false (until_failed);
  return n;
}

/* A file coming in (streaming): two keep-alive intervals without a
 * request from the other side end the session, even with the relay
 * answering our keep-alives. */
static void
test_keepalive_streaming_silent (void)
{
  RelayPair pair = { 0 };
  guint keepalive_ms = 200;
  gint64 start = g_get_monotonic_time ();
  guint n;

  relay_pair_connect (&pair, 0, keepalive_ms);
  confab_msrp_session_set_streaming (pair.session, TRUE);
  n = relay_answer_keepalives (&pair, 3000, TRUE);
  g_assert_cmpint (confab_msrp_session_get_state (pair.session), ==,
                   CONFAB_MSRP_SESSION_STATE_FAILED);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * (gint64) keepalive_ms * 1000);
  g_assert_cmpuint (n, >=, 1); /* answered keep-alives are not the other side */
  g_assert_cmpstr (confab_msrp_session_get_error_message (pair.session), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Nothing came from the other side for too long."));
  relay_pair_clear (&pair);
}

/* A chat idle as long stays, sending a keep-alive at most once an
 * interval. */
static void
test_keepalive_chat_idle (void)
{
  RelayPair pair = { 0 };
  guint keepalive_ms = 200;
  guint window_ms = 5 * keepalive_ms;
  guint n;

  relay_pair_connect (&pair, 0, keepalive_ms);
  n = relay_answer_keepalives (&pair, window_ms, FALSE);
  g_assert_cmpint (confab_msrp_session_get_state (pair.session), ==,
                   CONFAB_MSRP_SESSION_STATE_CONNECTED);
  g_test_message ("%u keep-alives in %u ms", n, window_ms);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (n, <=, window_ms / keepalive_ms + 1);
  g_assert_cmpuint (pair.recorder->failed->len, ==, 0);
  relay_pair_clear (&pair);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/msrp/session/tcp", test_tcp);
  g_test_add_func ("/msrp/session/tls", test_tls);
  g_test_add_func ("/msrp/session/tls-no-fingerprint", test_tls_no_fingerprint);
  g_test_add_func ("/msrp/session/tls-wrong-fingerprint", test_tls_wrong_fingerprint);
  g_test_add_func ("/msrp/session/tls-wrong-client-fingerprint",
                   test_tls_wrong_client_fingerprint);
  g_test_add_func ("/msrp/session/binding", test_binding);
  g_test_add_func ("/msrp/session/early-binding", test_early_binding);
  g_test_add_func ("/msrp/session/many", test_many);
  g_test_add_func ("/msrp/session/large", test_large);
  g_test_add_func ("/msrp/session/shared-connection", test_shared_connection);
  g_test_add_func ("/msrp/session/unknown-session", test_unknown_session);
  g_test_add_func ("/msrp/session/peer-closes", test_peer_closes);
  g_test_add_func ("/msrp/session/queue-bound", test_queue_bound);
  g_test_add_func ("/msrp/session/transaction-timeout", test_transaction_timeout);
  g_test_add_func ("/msrp/session/malformed", test_malformed);
  g_test_add_func ("/msrp/session/other-request", test_other_request);
  g_test_add_func ("/msrp/session/nickname", test_nickname);
  g_test_add_func ("/msrp/session/nickname-cancel-close", test_nickname_cancel_close);
  g_test_add_func ("/msrp/session/relay", test_relay);
  g_test_add_data_func ("/msrp/session/streamed/tcp", GINT_TO_POINTER (FALSE), test_streamed);
  g_test_add_data_func ("/msrp/session/streamed/tls", GINT_TO_POINTER (TRUE), test_streamed);
  g_test_add_func ("/msrp/session/streamed-resume", test_streamed_resume);
  g_test_add_func ("/msrp/session/streamed-empty", test_streamed_empty);
  g_test_add_func ("/msrp/session/streamed-read-error", test_streamed_read_error);
  g_test_add_func ("/msrp/session/streamed-read-error-at-once", test_streamed_read_error_at_once);
  g_test_add_func ("/msrp/session/streamed-cancel", test_streamed_cancel);
  g_test_add_func ("/msrp/session/streamed-cancel-in-progress", test_streamed_cancel_in_progress);
  g_test_add_func ("/msrp/session/send-unserializable", test_send_unserializable);
  g_test_add_func ("/msrp/session/streamed-refused", test_streamed_refused);
  g_test_add_func ("/msrp/session/file-offset", test_file_offset);
  g_test_add_func ("/msrp/session/streamed-memory", test_streamed_memory);
  g_test_add_func ("/msrp/session/relay-chunk-size", test_relay_chunk_size);
  g_test_add_func ("/msrp/session/relay-report-window", test_relay_report_window);
  g_test_add_func ("/msrp/session/relay-report-whole", test_relay_report_whole);
  g_test_add_func ("/msrp/session/relay-report-slow", test_relay_report_slow);
  g_test_add_func ("/msrp/session/relay-report-timeout-window", test_relay_report_timeout_window);
  g_test_add_func ("/msrp/session/relay-report-timeout-answered",
                   test_relay_report_timeout_answered);
  g_test_add_func ("/msrp/session/relay-no-reports", test_relay_no_reports);
  g_test_add_func ("/msrp/session/relay-no-reports-small", test_relay_no_reports_small);
  g_test_add_func ("/msrp/session/relay-failure-report", test_relay_failure_report);
  g_test_add_func ("/msrp/session/relay-response-paths", test_relay_response_paths);
  g_test_add_func ("/msrp/session/keepalive-481", test_keepalive_481);
  g_test_add_func ("/msrp/session/keepalive-streaming-silent", test_keepalive_streaming_silent);
  g_test_add_func ("/msrp/session/keepalive-chat-idle", test_keepalive_chat_idle);

  return g_test_run ();
}
