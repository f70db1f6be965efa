/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-session.h"
#include "confab-msrp-connection.h"
#include "confab-msrp-reassembly.h"
#include "confab-msrp-serializer.h"

G_BEGIN_DECLS

/* ConfabMsrpSession is split by concern: confab-msrp-session.c (life
 * cycle, connecting), confab-msrp-session-send.c (the send queue,
 * transactions, reports), confab-msrp-session-requests.c (binding,
 * keep-alive, other methods, NICKNAME), confab-msrp-session-receive.c
 * (incoming requests), confab-msrp-session-relay.c (RFC 4976 AUTH). They
 * share this struct. */

typedef struct _ConfabMsrpOutgoing ConfabMsrpOutgoing;

struct _ConfabMsrpSession
{
  GObject                 parent_instance;

  ConfabMsrpEndpoint     *endpoint;
  gboolean                tls;
  char                   *session_id;
  ConfabMsrpSessionState  state;
  char                   *error_message;

  ConfabMsrpUri          *local_uri;
  GPtrArray              *remote_path;  /* NULL until start() */
  GPtrArray              *to_path;      /* Use-Path + remote path */
  GPtrArray              *from_path;    /* our URI */
  char                   *remote_fingerprint;
  ConfabMsrpSetup         setup;
  gboolean                peer_verified;
  GTask                  *prepare_task;
  GCancellable           *cancellable;  /* of our own async steps */

  ConfabMsrpConnection   *connection;   /* bound (direct) or to the relay */
  ConfabMsrpUri          *early_peer;   /* From-Path end of a request before start() */
  GSource                *connect_timer;

  /* RFC 4976 */
  char                   *relay;
  char                   *relay_username;
  char                   *relay_password;
  ConfabMsrpUri          *relay_uri;
  GPtrArray              *use_path;
  GSource                *reauth_timer;
  gboolean                auth_retried;

  /* Sending */
  GHashTable             *outgoing;     /* Message-ID -> ConfabMsrpOutgoing*, unfinished */
  GQueue                  unfinished;   /* ConfabMsrpOutgoing*, in the order sent */
  GQueue                  send_queue;   /* ConfabMsrpOutgoing* with chunks left to queue */
  gsize                   queued_bytes;
  GHashTable             *reportable;   /* Message-ID of ours a REPORT may name */
  GQueue                  reportable_order;
  GHashTable             *awaiting_report; /* Message-IDs sent with Success-Report yes */
  GSource                *linger_timer;    /* closing: waiting for the last 200s/REPORTs */
  GList                  *request_tasks; /* GTask* of send_request_async */
  gint64                  last_activity;  /* a request in, or one of ours out */
  gint64                  last_keepalive;
  GSource                *keepalive_timer;
  guint                   transaction_timeout_ms;
  guint                   keepalive_ms;
  guint                   connect_timeout_ms;

  /* Receiving */
  ConfabMsrpReassembly   *reassembly;
  gboolean                streaming;    /* chunks go to "chunk-received" */
  GPtrArray              *response_headers; /* "Name: value" for the response being made */
};

ConfabMsrpSession    *_confab_msrp_session_new             (ConfabMsrpEndpoint   *endpoint,
                                                            gboolean              tls);
ConfabMsrpConnection *_confab_msrp_session_get_connection  (ConfabMsrpSession    *self);
void                  _confab_msrp_session_handle_request  (ConfabMsrpSession    *self,
                                                            ConfabMsrpConnection *connection,
                                                            ConfabMsrpMessage    *request);
void                  _confab_msrp_session_connection_closed (ConfabMsrpSession    *self,
                                                              ConfabMsrpConnection *connection,
                                                              const GError         *error);
/* For tests: shorter timeouts, in milliseconds (0 keeps the default). */
void                  _confab_msrp_session_set_timeouts    (ConfabMsrpSession    *self,
                                                            guint                 transaction_ms,
                                                            guint                 keepalive_ms,
                                                            guint                 connect_ms);

/* confab-msrp-session.c */
/* The relay step of prepare_async is over; @error: (transfer full) or NULL. */
void                  _confab_msrp_session_prepare_done    (ConfabMsrpSession    *self,
                                                            GError               *error);
void                  _confab_msrp_session_set_state       (ConfabMsrpSession      *self,
                                                            ConfabMsrpSessionState  state);
/* Bound: messages flow (the binding SEND got its 200, or the peer's
 * first request came). */
void                  _confab_msrp_session_become_connected (ConfabMsrpSession   *self);
void                  _confab_msrp_session_fail            (ConfabMsrpSession    *self,
                                                            const char           *message);
void                  _confab_msrp_session_respond         (ConfabMsrpSession    *self,
                                                            ConfabMsrpConnection *connection,
                                                            ConfabMsrpMessage    *request,
                                                            guint                 status);

void                  _confab_msrp_session_bind_connection (ConfabMsrpSession    *self,
                                                            ConfabMsrpConnection *connection);

/* confab-msrp-session-receive.c */
/* FALSE when a direct TLS peer's certificate is not that of a=fingerprint. */
gboolean              _confab_msrp_session_check_peer_certificate (ConfabMsrpSession    *self,
                                                                   ConfabMsrpConnection *conn);
void                  _confab_msrp_session_fail_certificate (ConfabMsrpSession    *self,
                                                             ConfabMsrpConnection *connection);

/* confab-msrp-session-send.c */
void                  _confab_msrp_session_send_init       (ConfabMsrpSession    *self);
void                  _confab_msrp_session_send_clear      (ConfabMsrpSession    *self);
/* Feeds queued chunks to the connection while it has room. */
void                  _confab_msrp_session_pump            (ConfabMsrpSession    *self);
/* Every unfinished message and request fails with @reason. */
void                  _confab_msrp_session_fail_all        (ConfabMsrpSession    *self,
                                                            const char           *reason);
void                  _confab_msrp_session_handle_report   (ConfabMsrpSession    *self,
                                                            ConfabMsrpMessage    *report);
void                  _confab_msrp_session_touch           (ConfabMsrpSession    *self);

/* confab-msrp-session-requests.c */
void                  _confab_msrp_session_send_binding    (ConfabMsrpSession    *self);
void                  _confab_msrp_session_start_keepalive (ConfabMsrpSession    *self);

/* confab-msrp-session-relay.c */
void                  _confab_msrp_session_relay_prepare   (ConfabMsrpSession    *self);
void                  _confab_msrp_session_relay_clear     (ConfabMsrpSession    *self);

/* signals, emitted by all three parts */
enum
{
  CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_RECEIVED,
  CONFAB_MSRP_SESSION_SIGNAL_REQUEST_RECEIVED,
  CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_SENT,
  CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_REPORT,
  CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_FAILED,
  CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_PROGRESS,
  CONFAB_MSRP_SESSION_SIGNAL_CHUNK_RECEIVED,
  CONFAB_MSRP_SESSION_N_SIGNALS
};

extern guint _confab_msrp_session_signals[CONFAB_MSRP_SESSION_N_SIGNALS];
extern GParamSpec *_confab_msrp_session_queued_bytes_pspec;

/* Whether a closing session still waits for responses or REPORTs. */
gboolean _confab_msrp_session_has_pending   (ConfabMsrpSession *self);
void     _confab_msrp_session_check_linger  (ConfabMsrpSession *self);

G_END_DECLS
