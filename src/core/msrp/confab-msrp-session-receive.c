/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-session-private.h"
#include "confab-msrp-tls.h"

#include <glib/gi18n-lib.h>

/* The receiving half of a session: the request that binds a connection
 * the peer made (RFC 6135), the checks on every request (From-Path, RFC
 * 4975 §7.3; the certificate against a=fingerprint, RFC 8122), SENDs put
 * back together with their responses and REPORTs, and other methods for
 * the application. */

#define signals _confab_msrp_session_signals

/* RFC 4572 / 8122: a direct TLS peer must show the certificate of its
 * a=fingerprint. Peers that send none (Blink, SylkServer) are let in. */
gboolean
_confab_msrp_session_check_peer_certificate (ConfabMsrpSession    *self,
                                             ConfabMsrpConnection *connection)
{
  GTlsCertificate *certificate;

  if (!confab_msrp_connection_get_tls (connection) || confab_msrp_connection_get_relay (connection))
    return TRUE;
  certificate = confab_msrp_connection_get_peer_certificate (connection);
  if (!self->remote_fingerprint) {
    g_message ("MSRP session %s: the peer on %s sent no a=fingerprint; its certificate is "
               "not verified",
               self->session_id, confab_msrp_connection_get_description (connection));
    return TRUE;
  }
  if (!certificate && confab_msrp_connection_get_incoming (connection)) {
    g_message ("MSRP session %s: the peer on %s showed no certificate; it is not verified",
               self->session_id, confab_msrp_connection_get_description (connection));
    return TRUE;
  }
  if (!_confab_msrp_tls_fingerprint_matches (certificate, self->remote_fingerprint))
    return FALSE;
  self->peer_verified = TRUE;
  g_object_notify (G_OBJECT (self), "peer-verified");
  return TRUE;
}

void
_confab_msrp_session_fail_certificate (ConfabMsrpSession    *self,
                                       ConfabMsrpConnection *connection)
{
  g_autofree char *message =
    g_strdup_printf (_("The certificate of %s does not match the fingerprint its call offered: "
                       "someone may be listening in."),
                     confab_msrp_connection_get_description (connection));

  _confab_msrp_session_fail (self, message);
}

static gboolean
from_path_matches (ConfabMsrpSession *self,
                   ConfabMsrpMessage *request)
{
  const ConfabMsrpUri *peer;
  const ConfabMsrpUri *from;

  /* RFC 4975 §7.3, RFC 6714: the sender's URI (the last of From-Path,
   * after any relays) names the peer's session. */
  if (!self->remote_path || request->from_path->len == 0)
    return request->from_path->len > 0;
  peer = g_ptr_array_index (self->remote_path, self->remote_path->len - 1);
  from = g_ptr_array_index (request->from_path, request->from_path->len - 1);
  return confab_msrp_uri_session_id_equal (peer, from);
}

void
confab_msrp_session_set_streaming (ConfabMsrpSession *self,
                                   gboolean           streaming)
{
  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));
  self->streaming = streaming;
}

/* The range a streamed chunk's failure REPORT names: the whole message
 * (1-total/total), so that the sender fails it whatever it counted. */
static void
whole_message_range (const ConfabMsrpMessage *chunk,
                     ConfabMsrpByteRange     *range)
{
  range->start = 1;
  range->total = chunk->byte_range.total;
  range->end = chunk->byte_range.total != CONFAB_MSRP_UNKNOWN && chunk->byte_range.total > 0
                 ? chunk->byte_range.total
                 : chunk->byte_range.end;
}

static void
answer_streamed_chunk (ConfabMsrpSession    *self,
                       ConfabMsrpConnection *connection,
                       ConfabMsrpMessage    *chunk,
                       guint                 status,
                       const char           *comment,
                       gboolean              report_failure)
{
  g_autoptr (ConfabMsrpMessage) report = NULL;
  g_autoptr (GError) error = NULL;

  if (status < 100 || status > 999)
    status = 500;
  if (confab_msrp_message_needs_response (chunk, status)) {
    g_autoptr (ConfabMsrpMessage) response = confab_msrp_message_new_response (chunk, status,
                                                                               comment);

    if (!confab_msrp_connection_send (connection, response, NULL, NULL, &error)) {
      g_debug ("Could not answer %s: %s", chunk->transaction_id, error->message);
      return;
    }
  }
  if (status == 200) {
    if (confab_msrp_message_get_body_length (chunk) > 0 &&
        confab_msrp_message_needs_report (chunk, 200))
      report = confab_msrp_message_new_report (chunk, 200, NULL, &chunk->byte_range);
  } else if (report_failure && confab_msrp_message_needs_report (chunk, status)) {
    ConfabMsrpByteRange whole;

    whole_message_range (chunk, &whole);
    report = confab_msrp_message_new_report (chunk, status, comment, &whole);
  }
  if (report && !confab_msrp_connection_send (connection, report, NULL, NULL, &error))
    g_debug ("Could not send a REPORT: %s", error->message);
}

void
confab_msrp_session_answer_chunk (ConfabMsrpSession *self,
                                  ConfabMsrpMessage *chunk,
                                  guint              status,
                                  const char        *comment)
{
  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));
  g_return_if_fail (chunk != NULL && !chunk->is_response);

  if (!self->connection || self->state != CONFAB_MSRP_SESSION_STATE_CONNECTED) {
    g_debug ("MSRP session %s: no connection to answer %s on", self->session_id,
             chunk->transaction_id);
    return;
  }
  answer_streamed_chunk (self, self->connection, chunk, status, comment, TRUE);
}

/* Streaming mode: each chunk goes to the application as it comes, with
 * its own response and REPORT (the range it covers), now or, when the
 * handler defers it, from confab_msrp_session_answer_chunk(). */
static void
handle_streamed_send (ConfabMsrpSession    *self,
                      ConfabMsrpConnection *connection,
                      ConfabMsrpMessage    *request)
{
  gsize length = confab_msrp_message_get_body_length (request);
  guint status = 0;

  if (confab_msrp_message_get_header (request, "Keep-Alive")) {
    _confab_msrp_session_respond (self, connection, request, 200);
    return;
  }
  /* The range this chunk covers, whatever '*' its sender wrote. */
  if (!request->has_byte_range) {
    request->has_byte_range = TRUE;
    request->byte_range.start = 1;
    request->byte_range.total = CONFAB_MSRP_UNKNOWN;
  }
  if (request->byte_range.start == 0 ||
      request->byte_range.start - 1 > G_MAXUINT64 - length) {
    _confab_msrp_session_respond (self, connection, request, 400);
    return;
  }
  request->byte_range.end = request->byte_range.start + length - 1;
  g_signal_emit (self, signals[CONFAB_MSRP_SESSION_SIGNAL_CHUNK_RECEIVED], 0, request, &status);
  if (status == CONFAB_MSRP_STATUS_DEFERRED || self->connection != connection)
    return;
  /* A failure found while answering goes in the response only (RFC 4975
   * §7.1.2). */
  answer_streamed_chunk (self, connection, request, status ? status : 200, NULL, FALSE);
}

static void
handle_send (ConfabMsrpSession    *self,
             ConfabMsrpConnection *connection,
             ConfabMsrpMessage    *request)
{
  g_autoptr (ConfabMsrpMessage) complete = NULL;
  g_autoptr (GError) error = NULL;

  if (self->streaming) {
    handle_streamed_send (self, connection, request);
    return;
  }

  /* The binding SEND and keep-alives carry nothing for the application. */
  if (confab_msrp_message_get_body_length (request) == 0 &&
      (!request->has_byte_range || request->byte_range.total == 0) &&
      request->continuation != CONFAB_MSRP_CONTINUATION_ABORT) {
    _confab_msrp_session_respond (self, connection, request, 200);
    return;
  }
  if (!confab_msrp_reassembly_add (self->reassembly, request, &complete, &error)) {
    guint status = 400;

    if (g_error_matches (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE))
      status = 413;
    else if (g_error_matches (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_ABORTED))
      status = 200; /* the abort chunk itself arrived fine */
    g_debug ("MSRP session %s: %s", self->session_id, error->message);
    _confab_msrp_session_respond (self, connection, request, status);
    return;
  }
  _confab_msrp_session_respond (self, connection, request, 200);
  if (!complete)
    return;
  if (confab_msrp_message_needs_report (complete, 200)) {
    g_autoptr (ConfabMsrpMessage) report
        = confab_msrp_message_new_report (complete, 200, NULL, NULL);

    if (!confab_msrp_connection_send (connection, report, NULL, NULL, &error))
      g_debug ("Could not send a REPORT: %s", error->message);
  }
  g_signal_emit (self, signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_RECEIVED], 0, complete);
}

void
_confab_msrp_session_handle_request (ConfabMsrpSession    *self,
                                     ConfabMsrpConnection *connection,
                                     ConfabMsrpMessage    *request)
{
  g_autoptr (ConfabMsrpSession) hold = g_object_ref (self);
  guint status = 0;

  switch (self->state) {
  case CONFAB_MSRP_SESSION_STATE_READY:
  case CONFAB_MSRP_SESSION_STATE_CONNECTING:
  case CONFAB_MSRP_SESSION_STATE_CONNECTED:
    break;
  case CONFAB_MSRP_SESSION_STATE_NEW:
  case CONFAB_MSRP_SESSION_STATE_PREPARING:
  case CONFAB_MSRP_SESSION_STATE_CLOSED:
  case CONFAB_MSRP_SESSION_STATE_FAILED:
  default:
    _confab_msrp_session_respond (self, connection, request, 481);
    return;
  }
  if (!from_path_matches (self, request)) {
    g_debug ("MSRP session %s: a request from another session's path", self->session_id);
    _confab_msrp_session_respond (self, connection, request, 481);
    return;
  }

  if (!self->connection) {
    /* The peer connected to us (RFC 6135): its first request binds. */
    if (self->relay || (self->remote_path && self->setup == CONFAB_MSRP_SETUP_ACTIVE)) {
      _confab_msrp_session_respond (self, connection, request, 481);
      return;
    }
    if (self->remote_path && !_confab_msrp_session_check_peer_certificate (self, connection)) {
      g_message ("MSRP session %s: %s shows a certificate that does not match a=fingerprint",
                 self->session_id, confab_msrp_connection_get_description (connection));
      _confab_msrp_session_respond (self, connection, request, 481);
      return;
    }
    _confab_msrp_session_bind_connection (self, connection);
    if (!self->remote_path)
      self->early_peer = confab_msrp_uri_copy (g_ptr_array_index (request->from_path,
                                                                  request->from_path->len - 1));
    else
      _confab_msrp_session_become_connected (self);
  } else if (connection != self->connection) {
    _confab_msrp_session_respond (self, connection, request, 506);
    return;
  }

  _confab_msrp_session_touch (self);
  switch (request->method) {
  case CONFAB_MSRP_METHOD_SEND:
    handle_send (self, connection, request);
    break;
  case CONFAB_MSRP_METHOD_REPORT:
    _confab_msrp_session_handle_report (self, request);
    break;
  case CONFAB_MSRP_METHOD_AUTH:
  case CONFAB_MSRP_METHOD_NICKNAME:
  case CONFAB_MSRP_METHOD_FILE_OFFSET:
  case CONFAB_MSRP_METHOD_UNKNOWN:
  default:
    if (self->response_headers)
      g_ptr_array_set_size (self->response_headers, 0);
    g_signal_emit (self, signals[CONFAB_MSRP_SESSION_SIGNAL_REQUEST_RECEIVED], 0, request,
                   &status);
    if (status < 100 || status > 999)
      status = 501;
    if (self->connection == connection)
      _confab_msrp_session_respond (self, connection, request, status);
    if (self->response_headers)
      g_ptr_array_set_size (self->response_headers, 0);
    break;
  }
}

