/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "confab-msrp-message.h"

G_BEGIN_DECLS

/* One MSRP connection (RFC 4975 §6), made or accepted, over TCP or TLS,
 * and shared by every session bound to it. Reads feed the incremental
 * parser; requests go out as "request-received", responses are matched to
 * the transactions sent. Writes are queued and go out one message at a
 * time, the body straight from its GBytes. Internal to the MSRP transport. */
#define CONFAB_TYPE_MSRP_CONNECTION (confab_msrp_connection_get_type ())
G_DECLARE_FINAL_TYPE (ConfabMsrpConnection, confab_msrp_connection, CONFAB, MSRP_CONNECTION,
                      GObject)

typedef enum
{
  CONFAB_MSRP_CONNECTION_OPENING, /* connecting, or the TLS handshake */
  CONFAB_MSRP_CONNECTION_OPEN,
  CONFAB_MSRP_CONNECTION_CLOSED,
} ConfabMsrpConnectionState;

/* Sessions feed chunks while fewer bytes than this wait to be written. */
#define CONFAB_MSRP_CONNECTION_LOW_WATER (256 * 1024)

/* @message was written to the socket. */
typedef void (*ConfabMsrpWrittenFunc)  (ConfabMsrpConnection *connection,
                                        ConfabMsrpMessage    *message,
                                        gpointer              user_data);
/* @response is NULL when none came in time (a 408). */
typedef void (*ConfabMsrpResponseFunc) (ConfabMsrpConnection *connection,
                                        ConfabMsrpMessage    *request,
                                        ConfabMsrpMessage    *response,
                                        gpointer              user_data);

/* @database: for a relay, the trust to verify it with (NULL: the system's);
 * ignored for a direct peer, whose certificate the session checks against
 * its a=fingerprint. */
/* Keep-alive on, and Nagle off: chat is many small writes that each
 * wait for an answer (a delayed ACK costs 40 ms or more a round trip). */
void                      confab_msrp_connection_tune_socket    (GSocketConnection    *connection);
ConfabMsrpConnection     *confab_msrp_connection_new_outgoing   (const char           *host,
                                                                 guint                 port,
                                                                 gboolean              tls,
                                                                 gboolean              relay,
                                                                 GTlsCertificate      *certificate,
                                                                 GTlsDatabase         *database);
/* @stream: a GSocketConnection, or a GTlsServerConnection not yet
 * handshaken. */
ConfabMsrpConnection     *confab_msrp_connection_new_incoming   (GIOStream            *stream);

void      confab_msrp_connection_wait_open_async  (ConfabMsrpConnection *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean  confab_msrp_connection_wait_open_finish (ConfabMsrpConnection *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

ConfabMsrpConnectionState confab_msrp_connection_get_state      (ConfabMsrpConnection *self);
gboolean                  confab_msrp_connection_get_incoming   (ConfabMsrpConnection *self);
gboolean                  confab_msrp_connection_get_tls        (ConfabMsrpConnection *self);
gboolean                  confab_msrp_connection_get_relay      (ConfabMsrpConnection *self);
/* "host:port:tls" of an outgoing connection, NULL for an incoming one. */
const char               *confab_msrp_connection_get_key        (ConfabMsrpConnection *self);
const char               *confab_msrp_connection_get_description (ConfabMsrpConnection *self);
GTlsCertificate          *confab_msrp_connection_get_peer_certificate (ConfabMsrpConnection *self);
gsize                     confab_msrp_connection_get_queued_bytes (ConfabMsrpConnection *self);

/* Queues @message (a response, a REPORT, a request that gets no response). */
gboolean                  confab_msrp_connection_send           (ConfabMsrpConnection *self,
                                                                 ConfabMsrpMessage    *message,
                                                                 gpointer              owner,
                                                                 ConfabMsrpWrittenFunc written,
                                                                 GError              **error);
/* Queues a request whose response goes to @response_func; the timeout runs
 * from when it is written. @owner is the user_data of both callbacks. */
gboolean  confab_msrp_connection_send_request     (ConfabMsrpConnection  *self,
                                                   ConfabMsrpMessage     *request,
                                                   guint                  timeout_ms,
                                                   gpointer               owner,
                                                   ConfabMsrpWrittenFunc  written,
                                                   ConfabMsrpResponseFunc response_func,
                                                   GError               **error);
/* Drops the callbacks for @owner (it goes away); its messages still go out. */
void                      confab_msrp_connection_forget_owner   (ConfabMsrpConnection *self,
                                                                 gpointer              owner);
/* @error: why, or NULL when we close it ourselves. Emits "closed". */
/* Closes once what is queued (our last responses and REPORTs) is written,
 * or after CONFAB_MSRP_CONNECTION_FLUSH_MS at the latest. */
#define CONFAB_MSRP_CONNECTION_FLUSH_MS 10000
void                      confab_msrp_connection_close_when_flushed (ConfabMsrpConnection *self);
void                      confab_msrp_connection_close          (ConfabMsrpConnection *self,
                                                                 const GError         *error);

/* Signals:
 *  "request-received" (ConfabMsrpMessage *request)
 *  "writable" (): a write completed and fewer than LOW_WATER bytes wait
 *  "closed" (GError *error): NULL when closed by us
 */

G_END_DECLS
