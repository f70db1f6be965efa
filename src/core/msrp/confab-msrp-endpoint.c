/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-endpoint-private.h"
#include "confab-msrp-session-private.h"
#include "confab-msrp-serializer.h"
#include "confab-msrp-tls.h"
#include "confab-local-address.h"
#include "confab-tls-trust.h"

#include <glib/gi18n-lib.h>

/* Incoming requests are routed by the session-id of the first To-Path URI
 * alone (RFC 6714), whichever connection they came on: a relay's, one we
 * made, or one a peer made to our listener. */

struct _ConfabMsrpEndpoint
{
  GObject          parent_instance;

  char            *bind_address; /* as given */
  char            *address;      /* written into our URIs */
  char            *ca_file;
  GSocketService  *services[2];  /* [tls] */
  guint            ports[2];
  GTlsCertificate *certificate;
  char            *fingerprint;
  GTlsDatabase    *relay_database;
  char            *trust_dir;      /* the bundle behind relay_database: read at each handshake */

  GPtrArray       *connections; /* ConfabMsrpConnection*, open or opening */
  GHashTable      *outgoing;    /* key -> ConfabMsrpConnection* (in connections) */
  GHashTable      *sessions;    /* session-id -> ConfabMsrpSession* (unowned) */
  GHashTable      *bind_timers; /* incoming ConfabMsrpConnection* -> GSource* */
};

typedef struct
{
  ConfabMsrpEndpoint   *endpoint;
  ConfabMsrpConnection *connection;
} BindWait;

G_DEFINE_FINAL_TYPE (ConfabMsrpEndpoint, confab_msrp_endpoint, G_TYPE_OBJECT)

static gboolean
connection_in_use (ConfabMsrpEndpoint   *self,
                   ConfabMsrpConnection *connection)
{
  GHashTableIter iter;
  ConfabMsrpSession *session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session)) {
    if (_confab_msrp_session_get_connection (session) == connection)
      return TRUE;
  }
  return FALSE;
}

static void
forget_connection (ConfabMsrpEndpoint   *self,
                   ConfabMsrpConnection *connection)
{
  const char *key = confab_msrp_connection_get_key (connection);

  if (key && g_hash_table_lookup (self->outgoing, key) == connection)
    g_hash_table_remove (self->outgoing, key);
  g_hash_table_remove (self->bind_timers, connection);
  g_signal_handlers_disconnect_by_data (connection, self);
  g_ptr_array_remove (self->connections, connection);
}

static void
on_connection_closed (ConfabMsrpConnection *connection,
                      const GError         *error,
                      gpointer              user_data)
{
  ConfabMsrpEndpoint *self = user_data;
  g_autoptr (ConfabMsrpConnection) hold = g_object_ref (connection);
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  ConfabMsrpSession *session;

  forget_connection (self, connection);
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session)) {
    if (_confab_msrp_session_get_connection (session) == connection)
      g_ptr_array_add (users, g_object_ref (session));
  }
  for (guint i = 0; i < users->len; i++)
    _confab_msrp_session_connection_closed (g_ptr_array_index (users, i), connection, error);
}

static void
reply (ConfabMsrpConnection *connection,
       ConfabMsrpMessage    *request,
       guint                 status)
{
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (GError) error = NULL;

  if (!confab_msrp_message_needs_response (request, status))
    return;
  response = confab_msrp_message_new_response (request, status, NULL);
  if (!confab_msrp_connection_send (connection, response, NULL, NULL, &error))
    g_debug ("Could not answer %s: %s", request->transaction_id, error->message);
}

static void
on_request_received (ConfabMsrpConnection *connection,
                     ConfabMsrpMessage    *request,
                     gpointer              user_data)
{
  ConfabMsrpEndpoint *self = user_data;
  const ConfabMsrpUri *to = request->to_path->len ? g_ptr_array_index (request->to_path, 0) : NULL;
  ConfabMsrpSession *session = NULL;

  if (to && to->session_id)
    session = g_hash_table_lookup (self->sessions, to->session_id);
  if (!session) {
    /* Another request on this connection may name a session of ours. */
    g_debug ("%s %s on %s names no session of ours", request->method_name,
             request->transaction_id, confab_msrp_connection_get_description (connection));
    reply (connection, request, 481);
    return;
  }
  _confab_msrp_session_handle_request (session, connection, request);
}

static void
track_connection (ConfabMsrpEndpoint   *self,
                  ConfabMsrpConnection *connection)
{
  g_ptr_array_add (self->connections, connection);
  g_signal_connect (connection, "request-received", G_CALLBACK (on_request_received), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_connection_closed), self);
}

static void
destroy_source (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

/* A connection made to us that no session claims in time is closed, so
 * that idle strangers do not hold sockets. */
static gboolean
on_bind_timeout (gpointer user_data)
{
  BindWait *wait = user_data;
  ConfabMsrpEndpoint *self = wait->endpoint;
  g_autoptr (ConfabMsrpConnection) connection = g_object_ref (wait->connection);
  GSource *source = NULL;

  /* the context holds the source until this returns */
  if (g_hash_table_steal_extended (self->bind_timers, connection, NULL, (gpointer *) &source))
    g_source_unref (source);
  if (!connection_in_use (self, connection)) {
    g_debug ("No session claimed %s", confab_msrp_connection_get_description (connection));
    forget_connection (self, connection);
    confab_msrp_connection_close (connection, NULL);
  }
  return G_SOURCE_REMOVE;
}

static void
start_bind_timer (ConfabMsrpEndpoint   *self,
                  ConfabMsrpConnection *connection)
{
  GSource *source = g_timeout_source_new_seconds (CONFAB_MSRP_CONNECT_TIMEOUT);
  BindWait *wait = g_new0 (BindWait, 1);

  wait->endpoint = self;
  wait->connection = connection;
  g_source_set_callback (source, on_bind_timeout, wait, g_free);
  g_source_set_static_name (source, "[confab] MSRP bind wait");
  g_source_attach (source, g_main_context_get_thread_default ());
  g_hash_table_insert (self->bind_timers, connection, source);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *socket_connection,
             GObject           *source_object,
             gpointer           user_data)
{
  ConfabMsrpEndpoint *self = user_data;
  ConfabMsrpConnection *connection;
  g_autoptr (GIOStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  confab_msrp_connection_tune_socket (socket_connection);
  if (service == self->services[TRUE]) {
    stream = g_tls_server_connection_new (G_IO_STREAM (socket_connection), self->certificate,
                                          &error);
    if (!stream) {
      g_warning ("Cannot accept an MSRP connection over TLS: %s", error->message);
      return TRUE;
    }
    /* The peer's certificate is checked against its a=fingerprint once
     * its first request says which session it is for. */
    g_object_set (stream, "authentication-mode", G_TLS_AUTHENTICATION_REQUESTED, NULL);
  } else {
    stream = G_IO_STREAM (g_object_ref (socket_connection));
  }
  connection = confab_msrp_connection_new_incoming (stream);
  track_connection (self, connection);
  start_bind_timer (self, connection);
  return TRUE;
}

static void
confab_msrp_endpoint_dispose (GObject *object)
{
  ConfabMsrpEndpoint *self = CONFAB_MSRP_ENDPOINT (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->services); i++) {
    if (self->services[i]) {
      g_socket_service_stop (self->services[i]);
      g_socket_listener_close (G_SOCKET_LISTENER (self->services[i]));
      g_signal_handlers_disconnect_by_data (self->services[i], self);
    }
    g_clear_object (&self->services[i]);
  }
  while (self->connections && self->connections->len > 0) {
    ConfabMsrpConnection *connection = g_object_ref (g_ptr_array_index (self->connections, 0));

    forget_connection (self, connection);
    confab_msrp_connection_close (connection, NULL);
    g_object_unref (connection);
  }
  g_clear_object (&self->certificate);
  g_clear_object (&self->relay_database);
  G_OBJECT_CLASS (confab_msrp_endpoint_parent_class)->dispose (object);
}

static void
confab_msrp_endpoint_finalize (GObject *object)
{
  ConfabMsrpEndpoint *self = CONFAB_MSRP_ENDPOINT (object);

  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_pointer (&self->outgoing, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->bind_timers, g_hash_table_unref);
  g_free (self->bind_address);
  g_free (self->address);
  g_free (self->ca_file);
  g_free (self->fingerprint);
  if (self->trust_dir)
    confab_tls_trust_remove_dir (self->trust_dir);
  g_free (self->trust_dir);
  G_OBJECT_CLASS (confab_msrp_endpoint_parent_class)->finalize (object);
}

static void
confab_msrp_endpoint_class_init (ConfabMsrpEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_msrp_endpoint_dispose;
  object_class->finalize = confab_msrp_endpoint_finalize;
}

static void
confab_msrp_endpoint_init (ConfabMsrpEndpoint *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->outgoing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bind_timers = g_hash_table_new_full (NULL, NULL, NULL, destroy_source);
}

ConfabMsrpEndpoint *
confab_msrp_endpoint_new (const char *bind_address)
{
  ConfabMsrpEndpoint *self = g_object_new (CONFAB_TYPE_MSRP_ENDPOINT, NULL);

  self->bind_address = g_strdup (bind_address);
  self->address = confab_local_address_pick (bind_address);
  if (!self->address)
    self->address = g_strdup ("127.0.0.1");
  return self;
}

/* @ca_file: (nullable): a PEM bundle trusted for relays besides the
 * system store. */
void
confab_msrp_endpoint_set_ca_file (ConfabMsrpEndpoint *self,
                                  const char         *ca_file)
{
  g_return_if_fail (CONFAB_IS_MSRP_ENDPOINT (self));

  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_clear_object (&self->relay_database);
  if (self->trust_dir)
    confab_tls_trust_remove_dir (self->trust_dir);
  g_clear_pointer (&self->trust_dir, g_free);
}

const char *
confab_msrp_endpoint_get_address (ConfabMsrpEndpoint *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (self), NULL);

  return self->address;
}

guint
confab_msrp_endpoint_get_port (ConfabMsrpEndpoint *self,
                               gboolean            tls,
                               GError            **error)
{
  g_autoptr (GSocketService) service = NULL;
  g_autoptr (GInetAddress) inet = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocketAddress) effective = NULL;

  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  tls = !!tls;
  if (self->services[tls])
    return self->ports[tls];
  if (tls && !_confab_msrp_endpoint_get_certificate (self, error))
    return 0;

  /* Never the wildcard address: only the one our URIs name. */
  inet = g_inet_address_new_from_string (self->address);
  if (!inet) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("Cannot listen for chat and file transfer on “%s”: not an IP address."),
                 self->address);
    return 0;
  }
  address = g_inet_socket_address_new (inet, 0);
  service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error)) {
    g_prefix_error (error, _("Cannot listen for chat and file transfer on %s: "), self->address);
    return 0;
  }
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (service);
  self->ports[tls] = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->services[tls] = g_steal_pointer (&service);
  g_debug ("MSRP%s listening on %s port %u", tls ? "S" : "", self->address, self->ports[tls]);
  return self->ports[tls];
}

GTlsCertificate *
_confab_msrp_endpoint_get_certificate (ConfabMsrpEndpoint *self,
                                       GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (self), NULL);

  if (!self->certificate) {
    self->certificate = _confab_msrp_tls_make_identity (error);
    if (!self->certificate)
      return NULL;
    self->fingerprint = _confab_msrp_tls_fingerprint (self->certificate, "sha-256");
  }
  return self->certificate;
}

const char *
confab_msrp_endpoint_get_fingerprint (ConfabMsrpEndpoint *self,
                                      GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (self), NULL);

  if (!_confab_msrp_endpoint_get_certificate (self, error))
    return NULL;
  return self->fingerprint;
}

ConfabMsrpSession *
confab_msrp_endpoint_create_session (ConfabMsrpEndpoint *self,
                                     gboolean            tls)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (self), NULL);

  return _confab_msrp_session_new (self, tls);
}

guint
confab_msrp_endpoint_get_n_connections (ConfabMsrpEndpoint *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (self), 0);

  return self->connections->len;
}

/* The system store plus the CA file, in one bundle as for SIP. */
static GTlsDatabase *
get_relay_database (ConfabMsrpEndpoint *self,
                    GError            **error)
{
  g_autofree char *bundle = NULL;

  if (!self->ca_file || self->relay_database)
    return self->relay_database;
  /* The file database reads its file again at each handshake: the bundle
   * stays until the endpoint goes. */
  if (!self->trust_dir)
    self->trust_dir = confab_tls_trust_make_dir (self->ca_file, error);
  if (!self->trust_dir)
    return NULL;
  bundle = confab_tls_trust_dir_get_bundle (self->trust_dir);
  self->relay_database = g_tls_file_database_new (bundle, error);
  return self->relay_database;
}

ConfabMsrpConnection *
_confab_msrp_endpoint_connect (ConfabMsrpEndpoint *self,
                               const char         *host,
                               guint               port,
                               gboolean            tls,
                               gboolean            relay,
                               GError            **error)
{
  ConfabMsrpConnection *connection;
  g_autofree char *key = NULL;
  GTlsCertificate *certificate = NULL;
  GTlsDatabase *database = NULL;

  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (self), NULL);

  key = g_strdup_printf ("%s:%u:%s", host, port, tls ? "tls" : "tcp");
  connection = g_hash_table_lookup (self->outgoing, key);
  if (connection && confab_msrp_connection_get_relay (connection) == relay)
    return g_object_ref (connection);

  if (tls) {
    certificate = _confab_msrp_endpoint_get_certificate (self, error);
    if (!certificate)
      return NULL;
    if (relay && self->ca_file) {
      database = get_relay_database (self, error);
      if (!database)
        return NULL;
    }
  }
  connection = confab_msrp_connection_new_outgoing (host, port, tls, relay, certificate, database);
  track_connection (self, connection);
  g_hash_table_replace (self->outgoing, g_steal_pointer (&key), connection);
  return g_object_ref (connection);
}

void
_confab_msrp_endpoint_release_connection (ConfabMsrpEndpoint   *self,
                                          ConfabMsrpConnection *connection)
{
  g_autoptr (ConfabMsrpConnection) hold = NULL;

  g_return_if_fail (CONFAB_IS_MSRP_ENDPOINT (self));

  if (!g_ptr_array_find (self->connections, connection, NULL) ||
      connection_in_use (self, connection))
    return;
  hold = g_object_ref (connection);
  forget_connection (self, connection);
  /* Our last 200s and REPORTs still go out: the peer waits for them. */
  confab_msrp_connection_close_when_flushed (connection);
}

void
_confab_msrp_endpoint_add_session (ConfabMsrpEndpoint *self,
                                   ConfabMsrpSession  *session)
{
  g_return_if_fail (CONFAB_IS_MSRP_ENDPOINT (self));

  g_hash_table_insert (self->sessions, g_strdup (confab_msrp_session_get_session_id (session)),
                       session);
}

void
_confab_msrp_endpoint_remove_session (ConfabMsrpEndpoint *self,
                                      ConfabMsrpSession  *session)
{
  const char *id = confab_msrp_session_get_session_id (session);

  g_return_if_fail (CONFAB_IS_MSRP_ENDPOINT (self));

  if (g_hash_table_lookup (self->sessions, id) == session)
    g_hash_table_remove (self->sessions, id);
}
