/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-session-private.h"
#include "confab-msrp-endpoint-private.h"
#include "confab-msrp-tls.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* The life of a session: prepare (listener, relay), start (connect or wait
 * for the peer, RFC 6135), the binding of a connection, the end. Sending
 * is in confab-msrp-session-send.c, receiving in
 * confab-msrp-session-receive.c, the relay's AUTH in
 * confab-msrp-session-relay.c. */

G_DEFINE_FINAL_TYPE (ConfabMsrpSession, confab_msrp_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ENDPOINT,
  PROP_TLS,
  PROP_SESSION_ID,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_QUEUED_BYTES,
  PROP_PEER_VERIFIED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];
guint _confab_msrp_session_signals[CONFAB_MSRP_SESSION_N_SIGNALS];
GParamSpec *_confab_msrp_session_queued_bytes_pspec;

#define signals _confab_msrp_session_signals

gboolean
confab_msrp_setup_parse (const char      *text,
                         ConfabMsrpSetup *setup)
{
  static const char *const names[] = { "active", "passive", "actpass" };

  g_return_val_if_fail (setup != NULL, FALSE);

  for (guint i = 0; text && i < G_N_ELEMENTS (names); i++) {
    if (g_ascii_strcasecmp (text, names[i]) == 0) {
      *setup = (ConfabMsrpSetup) i;
      return TRUE;
    }
  }
  return FALSE;
}

const char *
confab_msrp_setup_to_string (ConfabMsrpSetup setup)
{
  switch (setup) {
  case CONFAB_MSRP_SETUP_ACTIVE:
    return "active";
  case CONFAB_MSRP_SETUP_PASSIVE:
    return "passive";
  case CONFAB_MSRP_SETUP_ACTPASS:
    return "actpass";
  default:
    return NULL;
  }
}

void
_confab_msrp_session_set_state (ConfabMsrpSession     *self,
                                ConfabMsrpSessionState state)
{
  if (self->state == state)
    return;
  g_debug ("MSRP session %s: state %d -> %d", self->session_id, self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static void
clear_source (GSource **source)
{
  if (*source) {
    g_source_destroy (*source);
    g_clear_pointer (source, g_source_unref);
  }
}

static void
on_connection_writable (ConfabMsrpSession *self)
{
  _confab_msrp_session_pump (self);
}

void
_confab_msrp_session_bind_connection (ConfabMsrpSession    *self,
                                      ConfabMsrpConnection *connection)
{
  if (self->connection == connection)
    return;
  g_assert (self->connection == NULL);
  self->connection = g_object_ref (connection);
  g_signal_connect_object (connection, "writable", G_CALLBACK (on_connection_writable), self,
                           G_CONNECT_SWAPPED);
}

/* Lets go of the connection; the endpoint closes it once no session uses it. */
static void
unbind_connection (ConfabMsrpSession *self,
                   gboolean           release)
{
  g_autoptr (ConfabMsrpConnection) connection = g_steal_pointer (&self->connection);

  if (!connection)
    return;
  g_signal_handlers_disconnect_by_data (connection, self);
  confab_msrp_connection_forget_owner (connection, self);
  if (release)
    _confab_msrp_endpoint_release_connection (self->endpoint, connection);
}

/* Stops everything; @emit: tell the application about unfinished messages. */
static void
tear_down (ConfabMsrpSession *self,
           const char        *reason,
           gboolean           emit)
{
  g_cancellable_cancel (self->cancellable);
  clear_source (&self->connect_timer);
  clear_source (&self->keepalive_timer);
  clear_source (&self->linger_timer);
  _confab_msrp_session_relay_clear (self);
  if (emit)
    _confab_msrp_session_fail_all (self, reason);
  unbind_connection (self, TRUE);
  if (self->endpoint)
    _confab_msrp_endpoint_remove_session (self->endpoint, self);
}

void
_confab_msrp_session_fail (ConfabMsrpSession *self,
                           const char        *message)
{
  g_autoptr (ConfabMsrpSession) hold = g_object_ref (self);

  if (self->state == CONFAB_MSRP_SESSION_STATE_CLOSED ||
      self->state == CONFAB_MSRP_SESSION_STATE_FAILED)
    return;
  g_debug ("MSRP session %s failed: %s", self->session_id, message);
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR_MESSAGE]);
  _confab_msrp_session_set_state (self, CONFAB_MSRP_SESSION_STATE_FAILED);
  tear_down (self, message, TRUE);
  if (self->prepare_task) {
    g_autoptr (GTask) task = g_steal_pointer (&self->prepare_task);

    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message);
  }
}

void
_confab_msrp_session_respond (ConfabMsrpSession    *self,
                              ConfabMsrpConnection *connection,
                              ConfabMsrpMessage    *request,
                              guint                 status)
{
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (GError) error = NULL;

  if (!confab_msrp_message_needs_response (request, status))
    return;
  response = confab_msrp_message_new_response (request, status, NULL);
  for (guint i = 0; self->response_headers && i + 1 < self->response_headers->len; i += 2)
    confab_msrp_message_add_header (response, g_ptr_array_index (self->response_headers, i),
                                    g_ptr_array_index (self->response_headers, i + 1));
  if (!confab_msrp_connection_send (connection, response, NULL, NULL, &error))
    g_debug ("Could not answer %s: %s", request->transaction_id, error->message);
}

void
_confab_msrp_session_become_connected (ConfabMsrpSession *self)
{
  clear_source (&self->connect_timer);
  _confab_msrp_session_set_state (self, CONFAB_MSRP_SESSION_STATE_CONNECTED);
  _confab_msrp_session_touch (self);
  _confab_msrp_session_start_keepalive (self);
  _confab_msrp_session_pump (self);
}

void
_confab_msrp_session_connection_closed (ConfabMsrpSession    *self,
                                        ConfabMsrpConnection *connection,
                                        const GError         *error)
{
  g_autofree char *message = NULL;

  if (connection != self->connection)
    return;
  unbind_connection (self, FALSE);
  if (error)
    message = g_strdup_printf (_("The connection was lost: %s"), error->message);
  else
    message = g_strdup (_("The connection was closed."));
  _confab_msrp_session_fail (self, message);
}

ConfabMsrpConnection *
_confab_msrp_session_get_connection (ConfabMsrpSession *self)
{
  return self->connection;
}

void
_confab_msrp_session_set_timeouts (ConfabMsrpSession *self,
                                   guint              transaction_ms,
                                   guint              keepalive_ms,
                                   guint              connect_ms)
{
  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));

  if (transaction_ms)
    self->transaction_timeout_ms = transaction_ms;
  if (keepalive_ms)
    self->keepalive_ms = keepalive_ms;
  if (connect_ms)
    self->connect_timeout_ms = connect_ms;
}

static void
confab_msrp_session_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ConfabMsrpSession *self = CONFAB_MSRP_SESSION (object);

  switch (prop_id) {
  case PROP_ENDPOINT:
    g_value_set_object (value, self->endpoint);
    break;
  case PROP_TLS:
    g_value_set_boolean (value, self->tls);
    break;
  case PROP_SESSION_ID:
    g_value_set_string (value, self->session_id);
    break;
  case PROP_STATE:
    g_value_set_int (value, self->state);
    break;
  case PROP_ERROR_MESSAGE:
    g_value_set_string (value, self->error_message);
    break;
  case PROP_QUEUED_BYTES:
    g_value_set_uint64 (value, self->queued_bytes);
    break;
  case PROP_PEER_VERIFIED:
    g_value_set_boolean (value, self->peer_verified);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_msrp_session_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ConfabMsrpSession *self = CONFAB_MSRP_SESSION (object);

  switch (prop_id) {
  case PROP_ENDPOINT:
    self->endpoint = g_value_dup_object (value);
    break;
  case PROP_TLS:
    self->tls = g_value_get_boolean (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_msrp_session_constructed (GObject *object)
{
  ConfabMsrpSession *self = CONFAB_MSRP_SESSION (object);

  G_OBJECT_CLASS (confab_msrp_session_parent_class)->constructed (object);
  g_assert (self->endpoint != NULL);
  _confab_msrp_endpoint_add_session (self->endpoint, self);
}

static void
confab_msrp_session_dispose (GObject *object)
{
  ConfabMsrpSession *self = CONFAB_MSRP_SESSION (object);

  tear_down (self, NULL, FALSE);
  _confab_msrp_session_send_clear (self);
  g_clear_object (&self->endpoint);
  G_OBJECT_CLASS (confab_msrp_session_parent_class)->dispose (object);
}

static void
confab_msrp_session_finalize (GObject *object)
{
  ConfabMsrpSession *self = CONFAB_MSRP_SESSION (object);

  g_assert (self->prepare_task == NULL);
  g_clear_pointer (&self->reassembly, confab_msrp_reassembly_free);
  g_clear_pointer (&self->response_headers, g_ptr_array_unref);
  g_clear_pointer (&self->local_uri, confab_msrp_uri_free);
  g_clear_pointer (&self->early_peer, confab_msrp_uri_free);
  g_clear_pointer (&self->remote_path, g_ptr_array_unref);
  g_clear_pointer (&self->to_path, g_ptr_array_unref);
  g_clear_pointer (&self->from_path, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->remote_fingerprint);
  g_free (self->session_id);
  g_free (self->error_message);
  g_free (self->relay);
  g_free (self->relay_username);
  g_free (self->relay_password);
  G_OBJECT_CLASS (confab_msrp_session_parent_class)->finalize (object);
}

static void
confab_msrp_session_class_init (ConfabMsrpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->get_property = confab_msrp_session_get_property;
  object_class->set_property = confab_msrp_session_set_property;
  object_class->constructed = confab_msrp_session_constructed;
  object_class->dispose = confab_msrp_session_dispose;
  object_class->finalize = confab_msrp_session_finalize;

  props[PROP_ENDPOINT] =
    g_param_spec_object ("endpoint", NULL, NULL, CONFAB_TYPE_MSRP_ENDPOINT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_TLS] =
    g_param_spec_boolean ("tls", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_SESSION_ID] =
    g_param_spec_string ("session-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* ConfabMsrpSessionState */
  props[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, CONFAB_MSRP_SESSION_STATE_NEW,
                      CONFAB_MSRP_SESSION_STATE_FAILED, CONFAB_MSRP_SESSION_STATE_NEW,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Bytes accepted by send() and not yet handed to the connection. */
  props[PROP_QUEUED_BYTES] =
    g_param_spec_uint64 ("queued-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_PEER_VERIFIED] =
    g_param_spec_boolean ("peer-verified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  _confab_msrp_session_queued_bytes_pspec = props[PROP_QUEUED_BYTES];

  signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  1, CONFAB_MSRP_TYPE_MESSAGE);
  signals[CONFAB_MSRP_SESSION_SIGNAL_REQUEST_RECEIVED] =
    g_signal_new ("request-received", type, G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_first_wins,
                  NULL, NULL, G_TYPE_UINT, 1, CONFAB_MSRP_TYPE_MESSAGE);
  signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_SENT] =
    g_signal_new ("message-sent", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING);
  signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_REPORT] =
    g_signal_new ("message-report", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);
  signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_FAILED] =
    g_signal_new ("message-failed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);
  signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_PROGRESS] =
    g_signal_new ("message-progress", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  2, G_TYPE_STRING, G_TYPE_UINT64);
  signals[CONFAB_MSRP_SESSION_SIGNAL_CHUNK_RECEIVED] =
    g_signal_new ("chunk-received", type, G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_first_wins,
                  NULL, NULL, G_TYPE_UINT, 1, CONFAB_MSRP_TYPE_MESSAGE);
}

static void
confab_msrp_session_init (ConfabMsrpSession *self)
{
  self->session_id = confab_msrp_generate_session_id ();
  self->cancellable = g_cancellable_new ();
  self->reassembly = confab_msrp_reassembly_new (0, 0, 0);
  self->transaction_timeout_ms = CONFAB_MSRP_TRANSACTION_TIMEOUT * 1000;
  self->keepalive_ms = CONFAB_MSRP_KEEPALIVE_INTERVAL * 1000;
  self->connect_timeout_ms = CONFAB_MSRP_CONNECT_TIMEOUT * 1000;
  _confab_msrp_session_send_init (self);
}

ConfabMsrpSession *
_confab_msrp_session_new (ConfabMsrpEndpoint *endpoint,
                          gboolean            tls)
{
  return g_object_new (CONFAB_TYPE_MSRP_SESSION, "endpoint", endpoint, "tls", tls, NULL);
}

void
confab_msrp_session_set_relay (ConfabMsrpSession *self,
                               const char        *relay,
                               const char        *username,
                               const char        *password)
{
  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));
  g_return_if_fail (self->state == CONFAB_MSRP_SESSION_STATE_NEW);

  g_free (self->relay);
  g_free (self->relay_username);
  g_free (self->relay_password);
  self->relay = relay && *relay ? g_strdup (relay) : NULL;
  self->relay_username = g_strdup (username);
  self->relay_password = g_strdup (password);
}

void
_confab_msrp_session_prepare_done (ConfabMsrpSession *self,
                                   GError            *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->prepare_task);

  if (error) {
    g_autoptr (GError) owned = error;

    _confab_msrp_session_fail (self, error->message);
    if (task)
      g_task_return_error (task, g_steal_pointer (&owned));
    return;
  }
  if (self->state == CONFAB_MSRP_SESSION_STATE_PREPARING)
    _confab_msrp_session_set_state (self, CONFAB_MSRP_SESSION_STATE_READY);
  if (task)
    g_task_return_boolean (task, TRUE);
}

void
confab_msrp_session_prepare_async (ConfabMsrpSession  *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  guint port;

  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_msrp_session_prepare_async);
  if (self->state != CONFAB_MSRP_SESSION_STATE_NEW) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                             _("This session was prepared already."));
    return;
  }
  _confab_msrp_session_set_state (self, CONFAB_MSRP_SESSION_STATE_PREPARING);
  self->prepare_task = g_steal_pointer (&task);

  port = confab_msrp_endpoint_get_port (self->endpoint, self->tls, &error);
  if (!port) {
    _confab_msrp_session_prepare_done (self, error);
    return;
  }
  self->local_uri = confab_msrp_uri_new (
      self->tls, confab_msrp_endpoint_get_address (self->endpoint), port, self->session_id);
  self->from_path = confab_msrp_path_new_single (self->local_uri);
  if (self->relay)
    _confab_msrp_session_relay_prepare (self);
  else
    _confab_msrp_session_prepare_done (self, NULL);
}

gboolean
confab_msrp_session_prepare_finish (ConfabMsrpSession *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

ConfabMsrpSessionState
confab_msrp_session_get_state (ConfabMsrpSession *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), CONFAB_MSRP_SESSION_STATE_FAILED);

  return self->state;
}

const char *
confab_msrp_session_get_error_message (ConfabMsrpSession *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), NULL);

  return self->error_message;
}

gboolean
confab_msrp_session_get_tls (ConfabMsrpSession *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), FALSE);

  return self->tls;
}

const char *
confab_msrp_session_get_session_id (ConfabMsrpSession *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), NULL);

  return self->session_id;
}

char *
confab_msrp_session_dup_local_path (ConfabMsrpSession *self)
{
  g_autoptr (GPtrArray) path = NULL;

  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), NULL);

  if (!self->local_uri)
    return NULL;
  path = self->use_path ? confab_msrp_path_copy (self->use_path) : confab_msrp_path_new ();
  g_ptr_array_add (path, confab_msrp_uri_copy (self->local_uri));
  return confab_msrp_path_to_string (path);
}

const char *
confab_msrp_session_get_fingerprint (ConfabMsrpSession *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), NULL);

  if (!self->tls)
    return NULL;
  return confab_msrp_endpoint_get_fingerprint (self->endpoint, NULL);
}

gboolean
confab_msrp_session_get_peer_verified (ConfabMsrpSession *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), FALSE);

  return self->peer_verified;
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  ConfabMsrpSession *self = user_data;

  g_clear_pointer (&self->connect_timer, g_source_unref);
  _confab_msrp_session_fail (self, _("The other side did not connect in time."));
  return G_SOURCE_REMOVE;
}

static void
on_connection_open (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (ConfabMsrpSession) self = user_data;
  ConfabMsrpConnection *connection = CONFAB_MSRP_CONNECTION (source);
  g_autoptr (GError) error = NULL;

  if (!confab_msrp_connection_wait_open_finish (connection, result, &error)) {
    if (self->connection == connection)
      _confab_msrp_session_connection_closed (self, connection, error);
    return;
  }
  if (self->connection != connection || self->state != CONFAB_MSRP_SESSION_STATE_CONNECTING)
    return;
  if (!_confab_msrp_session_check_peer_certificate (self, connection)) {
    _confab_msrp_session_fail_certificate (self, connection);
    return;
  }
  _confab_msrp_session_send_binding (self);
}

/* Through a relay, To-Path starts with our own relays (RFC 4976 §7). */
static GPtrArray *
make_to_path (ConfabMsrpSession *self)
{
  GPtrArray *path
      = self->use_path ? confab_msrp_path_copy (self->use_path) : confab_msrp_path_new ();

  for (guint i = 0; i < self->remote_path->len; i++)
    g_ptr_array_add (path, confab_msrp_uri_copy (g_ptr_array_index (self->remote_path, i)));
  return path;
}

gboolean
confab_msrp_session_start (ConfabMsrpSession *self,
                           const char        *remote_path,
                           ConfabMsrpSetup    setup,
                           const char        *remote_fingerprint,
                           GError           **error)
{
  g_autoptr (GPtrArray) path = NULL;
  g_autoptr (ConfabMsrpConnection) connection = NULL;
  const ConfabMsrpUri *first;
  const ConfabMsrpUri *last;

  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), FALSE);
  g_return_val_if_fail (remote_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state != CONFAB_MSRP_SESSION_STATE_READY) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                 _("The session cannot start: it is not prepared, or it ended."));
    return FALSE;
  }
  if (setup != CONFAB_MSRP_SETUP_ACTIVE && setup != CONFAB_MSRP_SETUP_PASSIVE) {
    g_set_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID,
                 _("The session cannot start: who connects was not decided."));
    return FALSE;
  }
  path = confab_msrp_path_parse (remote_path, strlen (remote_path), error);
  if (!path)
    return FALSE;
  first = path->len ? g_ptr_array_index (path, 0) : NULL;
  last = path->len ? g_ptr_array_index (path, path->len - 1) : NULL;
  if (!last || !last->session_id) {
    g_set_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_URI,
                 _("The other side's chat address has no session."));
    return FALSE;
  }
  if (!self->relay && first->secure != self->tls) {
    g_set_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID,
                 self->tls ? _("The other side offers chat without TLS; this session uses TLS.")
                           : _("The other side offers chat over TLS; this session does not."));
    return FALSE;
  }

  self->remote_path = g_steal_pointer (&path);
  self->to_path = make_to_path (self);
  self->setup = setup;
  g_free (self->remote_fingerprint);
  self->remote_fingerprint = g_strdup (remote_fingerprint);
  _confab_msrp_session_set_state (self, CONFAB_MSRP_SESSION_STATE_CONNECTING);

  if (self->early_peer && !confab_msrp_uri_session_id_equal (self->early_peer, last)) {
    _confab_msrp_session_fail (self, _("Another party connected to this chat."));
    return TRUE;
  }
  if (self->relay) {
    if (setup == CONFAB_MSRP_SETUP_ACTIVE)
      _confab_msrp_session_send_binding (self);
    else
      _confab_msrp_session_become_connected (self);
  } else if (self->connection) {
    /* the peer bound a connection before we knew its path */
    if (!_confab_msrp_session_check_peer_certificate (self, self->connection))
      _confab_msrp_session_fail_certificate (self, self->connection);
    else
      _confab_msrp_session_become_connected (self);
  } else if (setup == CONFAB_MSRP_SETUP_ACTIVE) {
    GError *local_error = NULL;

    connection = _confab_msrp_endpoint_connect (self->endpoint, first->host,
                                                confab_msrp_uri_get_port (first), first->secure,
                                                FALSE, &local_error);
    if (!connection) {
      _confab_msrp_session_fail (self, local_error->message);
      g_error_free (local_error);
      return TRUE;
    }
    _confab_msrp_session_bind_connection (self, connection);
    confab_msrp_connection_wait_open_async (connection, self->cancellable, on_connection_open,
                                            g_object_ref (self));
  } else {
    self->connect_timer = g_timeout_source_new (self->connect_timeout_ms);
    g_source_set_callback (self->connect_timer, on_connect_timeout, self, NULL);
    g_source_attach (self->connect_timer, g_main_context_get_thread_default ());
  }
  return TRUE;
}

#define LINGER_MS 10000 /* at most: a closing session waits for its last reports, or the peer closing */

static void close_now (ConfabMsrpSession *self);

static gboolean
on_linger_done (gpointer user_data)
{
  ConfabMsrpSession *self = user_data;

  close_now (self);
  return G_SOURCE_REMOVE;
}

/* Called as responses and REPORTs arrive while closing: once none is
 * missing, the close goes ahead (from an idle, out of the signal chain). */
void
_confab_msrp_session_check_linger (ConfabMsrpSession *self)
{
  if (!self->linger_timer || _confab_msrp_session_has_pending (self))
    return;
  clear_source (&self->linger_timer);
  self->linger_timer = g_idle_source_new ();
  g_source_set_callback (self->linger_timer, on_linger_done, g_object_ref (self), g_object_unref);
  g_source_attach (self->linger_timer, g_main_context_get_thread_default ());
}

/* The end of the session. A connected session first waits (up to
 * LINGER_MS) for the 200s and REPORTs of what it sent: the peer that hung
 * up has them on the wire already. Then unfinished messages fail. */
void
confab_msrp_session_close (ConfabMsrpSession *self)
{
  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));

  if (self->state == CONFAB_MSRP_SESSION_STATE_CLOSED || self->linger_timer)
    return;
  if (self->state == CONFAB_MSRP_SESSION_STATE_CONNECTED && _confab_msrp_session_has_pending (self)) {
    self->linger_timer = g_timeout_source_new (LINGER_MS);
    g_source_set_callback (self->linger_timer, on_linger_done, g_object_ref (self),
                           g_object_unref);
    g_source_attach (self->linger_timer, g_main_context_get_thread_default ());
    return;
  }
  close_now (self);
}

static void
close_now (ConfabMsrpSession *self)
{
  g_autoptr (ConfabMsrpSession) hold = NULL;

  if (self->state == CONFAB_MSRP_SESSION_STATE_CLOSED)
    return;
  hold = g_object_ref (self);
  clear_source (&self->linger_timer);
  _confab_msrp_session_set_state (self, CONFAB_MSRP_SESSION_STATE_CLOSED);
  tear_down (self, _("The chat session was closed."), TRUE);
  if (self->prepare_task) {
    g_autoptr (GTask) task = g_steal_pointer (&self->prepare_task);

    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The chat session was closed."));
  }
}

/**
 * confab_msrp_session_add_response_header:
 *
 * From a "request-received" handler: the response to that request
 * carries this header (FILE_OFFSET's Offset).
 */
void
confab_msrp_session_add_response_header (ConfabMsrpSession *self,
                                         const char        *name,
                                         const char        *value)
{
  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));
  g_return_if_fail (name != NULL && value != NULL);

  if (!self->response_headers)
    self->response_headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->response_headers, g_strdup (name));
  g_ptr_array_add (self->response_headers, g_strdup (value));
}
