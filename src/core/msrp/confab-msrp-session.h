/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "confab-msrp-endpoint.h"
#include "confab-msrp-message.h"

G_BEGIN_DECLS

/* One MSRP session (RFC 4975): our URI, the peer's path, the connection
 * (made, accepted or shared), an optional relay (RFC 4976), and the
 * messages in both directions with their reports.
 *
 * Life: create from the endpoint; set_relay (optional); prepare_async
 * (listener up, relay AUTH done: the local path is known); put the local
 * path (and fingerprint for TLS) into SDP; once the peer's path and the
 * setup role are negotiated, start(). Sending before the connection is
 * up queues. */
#define CONFAB_TYPE_MSRP_SESSION (confab_msrp_session_get_type ())
G_DECLARE_FINAL_TYPE (ConfabMsrpSession, confab_msrp_session, CONFAB, MSRP_SESSION, GObject)

typedef enum
{
  CONFAB_MSRP_SETUP_ACTIVE,   /* we connect */
  CONFAB_MSRP_SETUP_PASSIVE,  /* the peer connects to us */
  CONFAB_MSRP_SETUP_ACTPASS,  /* offer only: the answer decides */
} ConfabMsrpSetup;

typedef enum
{
  CONFAB_MSRP_SESSION_STATE_NEW,
  CONFAB_MSRP_SESSION_STATE_PREPARING,  /* listener, relay connection and AUTH */
  CONFAB_MSRP_SESSION_STATE_READY,      /* local path known */
  CONFAB_MSRP_SESSION_STATE_CONNECTING, /* started, no bound connection yet */
  CONFAB_MSRP_SESSION_STATE_CONNECTED,  /* bound: messages flow */
  CONFAB_MSRP_SESSION_STATE_CLOSED,
  CONFAB_MSRP_SESSION_STATE_FAILED,     /* see error-message */
} ConfabMsrpSessionState;

#define CONFAB_MSRP_TRANSACTION_TIMEOUT 30    /* seconds without a response: 408 */
#define CONFAB_MSRP_KEEPALIVE_INTERVAL  60    /* seconds between Keep-Alive SENDs */
#define CONFAB_MSRP_STALL_INTERVAL      15    /* the same while a file comes in */
#define CONFAB_MSRP_CONNECT_TIMEOUT     30    /* seconds for the peer to connect/bind */
#define CONFAB_MSRP_MAX_QUEUED_BYTES    (32 * 1024 * 1024) /* send queue bound */

gboolean               confab_msrp_setup_parse        (const char      *text,
                                                       ConfabMsrpSetup *setup);
const char            *confab_msrp_setup_to_string    (ConfabMsrpSetup setup);

/* Relay (RFC 4976): "msrps://host[:port];tcp", or a bare domain (SRV
 * _msrps._tcp.DOMAIN, else DOMAIN:2855); AUTH with Digest using these
 * credentials. */
void                   confab_msrp_session_set_relay  (ConfabMsrpSession   *self,
                                                       const char          *relay,
                                                       const char          *username,
                                                       const char          *password);
void                   confab_msrp_session_prepare_async  (ConfabMsrpSession   *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean               confab_msrp_session_prepare_finish (ConfabMsrpSession   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

ConfabMsrpSessionState confab_msrp_session_get_state  (ConfabMsrpSession   *self);
const char            *confab_msrp_session_get_error_message (ConfabMsrpSession *self);
gboolean               confab_msrp_session_get_tls    (ConfabMsrpSession   *self);
const char            *confab_msrp_session_get_session_id (ConfabMsrpSession *self);
/* For a=path: the relay's Use-Path then our URI; valid once READY. */
char                  *confab_msrp_session_dup_local_path (ConfabMsrpSession *self);
/* "sha-256 …" for a=fingerprint when TLS, else NULL. */
const char            *confab_msrp_session_get_fingerprint (ConfabMsrpSession *self);
/* Whether a direct TLS peer was checked against its a=fingerprint. */
gboolean               confab_msrp_session_get_peer_verified (ConfabMsrpSession *self);

/* @remote_path: the peer's a=path (space separated); @setup: our role,
 * ACTIVE or PASSIVE (decided by offer/answer); @remote_fingerprint: the
 * peer's a=fingerprint or NULL. Through a relay we always send through the
 * relay connection. Emits notify::state. */
gboolean               confab_msrp_session_start      (ConfabMsrpSession   *self,
                                                       const char          *remote_path,
                                                       ConfabMsrpSetup      setup,
                                                       const char          *remote_fingerprint,
                                                       GError             **error);
void                   confab_msrp_session_close      (ConfabMsrpSession   *self);

/* Queues a message (chunked at 64 KiB, sent in order); returns its
 * Message-ID. Fails with CONFAB_MSRP_ERROR_TOO_LARGE when the queue would
 * go over CONFAB_MSRP_MAX_QUEUED_BYTES: wait for notify::queued-bytes.
 * @extra_headers: NULL-terminated "Name: value" strings, or NULL. */
char                  *confab_msrp_session_send       (ConfabMsrpSession   *self,
                                                       const char          *content_type,
                                                       GBytes              *body,
                                                       ConfabMsrpReport     success_report,
                                                       ConfabMsrpReport     failure_report,
                                                       const char * const  *extra_headers,
                                                       GError             **error);
/* Any other request (NICKNAME, FILE_OFFSET…) with To-/From-Path filled
 * in; the response comes back to @callback (408 on timeout). */
void                   confab_msrp_session_send_request_async  (ConfabMsrpSession   *self,
                                                                ConfabMsrpMessage   *request,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
ConfabMsrpMessage     *confab_msrp_session_send_request_finish (ConfabMsrpSession   *self,
                                                                GAsyncResult        *result,
                                                                GError             **error);
/* RFC 7701 §5: a NICKNAME request, Use-Nickname: "@nickname" (quoted
 * and escaped here), without Message-ID, Byte-Range or report headers.
 * The result is the room's status code: 200 (the name is ours), 425 (in
 * use), 403 (not allowed)… 0 with an error: CONFAB_MSRP_ERROR_INVALID
 * (empty, not UTF-8, control characters), G_IO_ERROR_NOT_CONNECTED,
 * G_IO_ERROR_TIMED_OUT (no answer within the transaction timeout, or a
 * relay's 408), G_IO_ERROR_CLOSED (the session ended first) or
 * G_IO_ERROR_CANCELLED (at once). */
void                   confab_msrp_session_send_nickname_async  (ConfabMsrpSession   *self,
                                                                 const char          *nickname,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
guint                  confab_msrp_session_send_nickname_finish (ConfabMsrpSession   *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);
gsize                  confab_msrp_session_get_queued_bytes (ConfabMsrpSession *self);
/* From a "request-received" handler: a header for its response. */
void                   confab_msrp_session_add_response_header (ConfabMsrpSession *self,
                                                                const char        *name,
                                                                const char        *value);

/* A message whose body is read as it goes out (a file): @read is called
 * on the session's thread whenever the connection has room, for the next
 * at most @max bytes at 0-based @offset, and returns exactly
 * MIN (@max, @total - @offset) bytes, or NULL with an error, which fails
 * the message (the receiver gets the '#' abort). Chunks go out from byte
 * @start (0-based; a resumed transfer), each with its exact Byte-Range
 * (start-end/total). Nothing of it counts against the send queue bound. */
typedef GBytes        *(*ConfabMsrpBodyReadFunc) (guint64   offset,
                                                  gsize     max,
                                                  gpointer  user_data,
                                                  GError  **error);
char                  *confab_msrp_session_send_streamed (ConfabMsrpSession      *self,
                                                          const char             *content_type,
                                                          guint64                 total,
                                                          guint64                 start,
                                                          ConfabMsrpBodyReadFunc  read,
                                                          gpointer                user_data,
                                                          GDestroyNotify          destroy,
                                                          ConfabMsrpReport        success_report,
                                                          ConfabMsrpReport        failure_report,
                                                          GError                **error);
/* Gives up on one of our messages: what is left is not sent, the receiver
 * gets the '#' abort, and "message-failed" is not emitted for it. */
void                   confab_msrp_session_cancel_message (ConfabMsrpSession   *self,
                                                           const char          *message_id);
/* Incoming SENDs with a body are handed over chunk by chunk
 * ("chunk-received") instead of being put back together: for files of any
 * size. Each accepted chunk is answered and, when asked, REPORTed with its
 * own Byte-Range (as the SIP SIMPLE SDK does). */
void                   confab_msrp_session_set_streaming (ConfabMsrpSession   *self,
                                                          gboolean             streaming);
/* A "chunk-received" handler returns this to answer the chunk later (it
 * keeps a reference): the sender waits, at most its transaction timeout. */
#define CONFAB_MSRP_STATUS_DEFERRED 1
/* Answers a streamed chunk: @status with @comment (NULL: the usual text);
 * for 200 the success REPORT of its range when asked for; for a failure
 * also a failure REPORT of the whole message, since through an RFC 4976
 * relay only REPORTs reach the sender. Nothing goes out once the session
 * has no connection. */
void                   confab_msrp_session_answer_chunk  (ConfabMsrpSession   *self,
                                                          ConfabMsrpMessage   *chunk,
                                                          guint                status,
                                                          const char          *comment);

/* Signals:
 *  "message-received" (ConfabMsrpMessage *send): a whole SEND, reassembled;
 *      the 200 and the REPORTs it asked for are already sent.
 *  "request-received" (ConfabMsrpMessage *request) -> guint status: other
 *      methods (NICKNAME, FILE_OFFSET…); the handler returns the status to
 *      answer (0: 501).
 *  "message-sent" (const char *message_id): every chunk got its 200.
 *  "message-report" (const char *message_id, guint status, const char *comment):
 *      a REPORT for one of ours (status 200: delivered).
 *  "message-failed" (const char *message_id, guint status, const char *reason):
 *      an error response, a 408 timeout, or the connection was lost.
 *  "message-progress" (const char *message_id, guint64 confirmed): a chunk
 *      of a streamed message got its 200; @confirmed counts the message's
 *      bytes the peer has confirmed (from @start on).
 *  "chunk-received" (ConfabMsrpMessage *chunk) -> guint status: streaming
 *      mode: one chunk (its body, Byte-Range with a known end, continuation
 *      '+', '$' or '#'); the handler returns the status to answer (0: 200;
 *      CONFAB_MSRP_STATUS_DEFERRED: confab_msrp_session_answer_chunk() later).
 */

G_END_DECLS
