/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-connection-private.h"
#include "confab-msrp-session.h"

#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <string.h>

/* Opening a connection: connecting (with TLS and its handshake) or taking
 * one a peer made, and waiting for it to be open. */

static gboolean
on_accept_certificate (GTlsConnection      *connection,
                       GTlsCertificate     *peer_certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  ConfabMsrpConnection *self = user_data;

  /* Only called when verification failed: final for a relay (checked
   * like any server); a direct peer's self-signed certificate is checked
   * by each session against the a=fingerprint of its SDP instead. */
  return !self->relay;
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (ConfabMsrpConnection) self = user_data;
  g_autoptr (GError) error = NULL;

  if (self->state == CONFAB_MSRP_CONNECTION_CLOSED)
    return;
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error)) {
    g_prefix_error (&error, _("TLS with %s failed: "), self->description);
    _confab_msrp_connection_close_with_error (self, g_steal_pointer (&error));
    return;
  }
  _confab_msrp_connection_become_open (self);
}

static void
start_handshake (ConfabMsrpConnection *self)
{
  g_signal_connect_object (self->stream, "accept-certificate",
                           G_CALLBACK (on_accept_certificate), self, 0);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (self->stream), G_PRIORITY_DEFAULT,
                                    self->cancellable, on_handshake_done, g_object_ref (self));
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (ConfabMsrpConnection) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GSocketConnectable) identity = NULL;
  GIOStream *tls;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (self->state == CONFAB_MSRP_CONNECTION_CLOSED)
    return;
  if (!connection) {
    g_prefix_error (&error, _("Could not connect to %s: "), self->description);
    _confab_msrp_connection_close_with_error (self, g_steal_pointer (&error));
    return;
  }
  /* the client's timeout was for connecting; reads may wait for minutes */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);
  confab_msrp_connection_tune_socket (connection);
  if (!self->tls) {
    self->stream = G_IO_STREAM (g_steal_pointer (&connection));
    _confab_msrp_connection_become_open (self);
    return;
  }
  identity = g_network_address_new (self->host, self->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  if (!tls) {
    _confab_msrp_connection_close_with_error (self, g_steal_pointer (&error));
    return;
  }
  self->stream = tls;
  if (self->certificate)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (tls), self->certificate);
  if (self->database)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), self->database);
  start_handshake (self);
}

ConfabMsrpConnection *
confab_msrp_connection_new_outgoing (const char      *host,
                                     guint            port,
                                     gboolean         tls,
                                     gboolean         relay,
                                     GTlsCertificate *certificate,
                                     GTlsDatabase    *database)
{
  ConfabMsrpConnection *self;
  g_autoptr (GSocketClient) client = NULL;
  g_autoptr (GSocketConnectable) address = NULL;

  g_return_val_if_fail (host != NULL && port > 0, NULL);

  self = g_object_new (CONFAB_TYPE_MSRP_CONNECTION, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->tls = tls;
  self->relay = relay;
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->database = database ? g_object_ref (database) : NULL;
  self->key = g_strdup_printf ("%s:%u:%s", host, port, tls ? "tls" : "tcp");
  self->description = g_strdup_printf (strchr (host, ':') ? "[%s]:%u%s" : "%s:%u%s", host, port,
                                       tls ? " (TLS)" : "");

  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, CONFAB_MSRP_CONNECT_TIMEOUT);
  address = g_network_address_new (host, port);
  g_socket_client_connect_async (client, address, self->cancellable, on_connected,
                                 g_object_ref (self));
  return self;
}

void
confab_msrp_connection_tune_socket (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr (GError) error = NULL;

  g_socket_set_keepalive (socket, TRUE);
  if (!g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, &error))
    g_debug ("TCP_NODELAY: %s", error->message);
}

ConfabMsrpConnection *
confab_msrp_connection_new_incoming (GIOStream *stream)
{
  ConfabMsrpConnection *self;
  g_autoptr (GSocketAddress) remote = NULL;
  GIOStream *base = stream;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  self = g_object_new (CONFAB_TYPE_MSRP_CONNECTION, NULL);
  self->incoming = TRUE;
  self->tls = G_IS_TLS_CONNECTION (stream);
  self->stream = g_object_ref (stream);
  if (self->tls)
    g_object_get (stream, "base-io-stream", &base, NULL);
  else
    g_object_ref (base);
  if (G_IS_SOCKET_CONNECTION (base))
    remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (base), NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote)) {
    g_autofree char *ip =
      g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

    self->description
        = g_strdup_printf (strchr (ip, ':') ? "[%s]:%u%s" : "%s:%u%s", ip,
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)),
                           self->tls ? " (TLS, incoming)" : " (incoming)");
  } else {
    self->description = g_strdup (_("an incoming connection"));
  }
  g_object_unref (base);
  if (self->tls)
    start_handshake (self);
  else
    _confab_msrp_connection_become_open (self);
  return self;
}

void
confab_msrp_connection_wait_open_async (ConfabMsrpConnection *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CONFAB_IS_MSRP_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_msrp_connection_wait_open_async);
  g_task_set_check_cancellable (task, TRUE);
  switch (self->state) {
  case CONFAB_MSRP_CONNECTION_OPEN:
    g_task_return_boolean (task, TRUE);
    break;
  case CONFAB_MSRP_CONNECTION_CLOSED:
    g_task_return_error (task, _confab_msrp_connection_new_closed_error (self));
    break;
  case CONFAB_MSRP_CONNECTION_OPENING:
  default:
    self->open_waiters = g_list_append (self->open_waiters, g_steal_pointer (&task));
    break;
  }
}

gboolean
confab_msrp_connection_wait_open_finish (ConfabMsrpConnection *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
