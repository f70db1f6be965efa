/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-session-private.h"
#include "confab-msrp-endpoint-private.h"
#include "confab-msrp-auth.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* MSRP relays (RFC 4976): find the relay (an msrps URI, or a domain: SRV
 * _msrps._tcp, else port 2855), connect with TLS verified as for any
 * server, AUTH with Digest credentials, keep the Use-Path, and AUTH again
 * before it expires. Everything the session sends then goes through the
 * relay connection, and the relay delivers the peer's messages on it. */

#define REAUTH_MARGIN_SECONDS 60 /* AUTH again this long before Expires */
#define DEFAULT_EXPIRES       1800

static void send_auth (ConfabMsrpSession *self,
                       const char        *authorization);

static void
relay_failed (ConfabMsrpSession *self,
              GError            *error)
{
  if (self->prepare_task) {
    _confab_msrp_session_prepare_done (self, error);
  } else {
    _confab_msrp_session_fail (self, error->message);
    g_error_free (error);
  }
}

static gboolean
on_reauth (gpointer user_data)
{
  ConfabMsrpSession *self = user_data;

  g_clear_pointer (&self->reauth_timer, g_source_unref);
  self->auth_retried = FALSE;
  if (self->connection)
    send_auth (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_reauth (ConfabMsrpSession *self,
                 gint64             expires)
{
  guint delay;

  if (expires <= 0)
    expires = DEFAULT_EXPIRES;
  delay = (guint) MAX (expires - REAUTH_MARGIN_SECONDS, expires / 2);
  if (self->reauth_timer) {
    g_source_destroy (self->reauth_timer);
    g_clear_pointer (&self->reauth_timer, g_source_unref);
  }
  self->reauth_timer = g_timeout_source_new_seconds (MAX (delay, 1));
  g_source_set_callback (self->reauth_timer, on_reauth, self, NULL);
  g_source_attach (self->reauth_timer, g_main_context_get_thread_default ());
}

static void
on_auth_response (ConfabMsrpConnection *connection,
                  ConfabMsrpMessage    *request,
                  ConfabMsrpMessage    *response,
                  gpointer              user_data)
{
  ConfabMsrpSession *self = user_data;
  g_autofree char *relay_uri = NULL;
  g_autofree char *authorization = NULL;
  GError *error = NULL;

  if (!response) {
    relay_failed (self, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                     _("The MSRP relay %s did not answer."), self->relay));
    return;
  }
  if (response->status == 401 && !self->auth_retried && response->www_authenticate &&
      response->www_authenticate->len > 0) {
    relay_uri = confab_msrp_uri_to_string (self->relay_uri);
    authorization = confab_msrp_auth_build_authorization (
      g_ptr_array_index (response->www_authenticate, 0), relay_uri, self->relay_username,
      self->relay_password, &error);
    if (!authorization) {
      g_prefix_error (&error, _("Cannot log in to the MSRP relay %s: "), self->relay);
      relay_failed (self, error);
      return;
    }
    self->auth_retried = TRUE;
    send_auth (self, authorization);
    return;
  }
  if (response->status != 200) {
    relay_failed (self,
                  g_error_new (G_IO_ERROR, response->status == 401 || response->status == 403
                                             ? G_IO_ERROR_PERMISSION_DENIED
                                             : G_IO_ERROR_FAILED,
                               response->status == 401 || response->status == 403
                                 ? _("The MSRP relay %s refused the account's user name or "
                                     "password (%u).")
                                 : _("The MSRP relay %s refused the session (%u %s)."),
                               self->relay, response->status,
                               response->comment ? response->comment : ""));
    return;
  }
  if (!response->use_path || response->use_path->len == 0) {
    relay_failed (self, g_error_new (CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_MISSING_HEADER,
                                     _("The MSRP relay %s gave no Use-Path."), self->relay));
    return;
  }
  if (self->use_path && !confab_msrp_path_equal (self->use_path, response->use_path))
    g_message ("MSRP relay %s changed the Use-Path; the call keeps the first one", self->relay);
  if (!self->use_path)
    self->use_path = confab_msrp_path_copy (response->use_path);
  schedule_reauth (self, response->expires);
  if (self->prepare_task)
    _confab_msrp_session_prepare_done (self, NULL);
}

static void
send_auth (ConfabMsrpSession *self,
           const char        *authorization)
{
  g_autoptr (GPtrArray) to = confab_msrp_path_new_single (self->relay_uri);
  g_autoptr (ConfabMsrpMessage) auth
      = confab_msrp_message_new_request ("AUTH", to, self->from_path);
  GError *error = NULL;

  if (authorization)
    auth->authorization = g_strdup (authorization);
  if (!confab_msrp_connection_send_request (self->connection, auth, self->transaction_timeout_ms,
                                            self, NULL, on_auth_response, &error))
    relay_failed (self, error);
}

static void
on_relay_open (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (ConfabMsrpSession) self = user_data;
  ConfabMsrpConnection *connection = CONFAB_MSRP_CONNECTION (source);
  GError *error = NULL;

  if (!confab_msrp_connection_wait_open_finish (connection, result, &error)) {
    if (self->connection == connection || self->prepare_task) {
      g_prefix_error (&error, _("Cannot reach the MSRP relay: "));
      relay_failed (self, error);
    } else {
      g_error_free (error);
    }
    return;
  }
  if (self->connection != connection)
    return;
  send_auth (self, NULL);
}

static void
connect_relay (ConfabMsrpSession *self,
               const char        *host,
               guint              port)
{
  g_autoptr (ConfabMsrpConnection) connection = NULL;
  GError *error = NULL;

  connection = _confab_msrp_endpoint_connect (self->endpoint, host, port, self->relay_uri->secure,
                                              TRUE, &error);
  if (!connection) {
    relay_failed (self, error);
    return;
  }
  g_assert (self->connection == NULL);
  self->connection = g_object_ref (connection);
  confab_msrp_connection_wait_open_async (connection, self->cancellable, on_relay_open,
                                          g_object_ref (self));
}

static void
on_srv_resolved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (ConfabMsrpSession) self = user_data;
  g_autoptr (GError) error = NULL;
  GList *targets;

  targets = g_resolver_lookup_service_finish (G_RESOLVER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (targets) {
    GSrvTarget *target = targets->data;

    connect_relay (self, g_srv_target_get_hostname (target), g_srv_target_get_port (target));
  } else {
    connect_relay (self, self->relay_uri->host, CONFAB_MSRP_DEFAULT_PORT);
  }
  g_resolver_free_targets (targets);
}

void
_confab_msrp_session_relay_prepare (ConfabMsrpSession *self)
{
  g_autoptr (GResolver) resolver = NULL;
  GError *error = NULL;

  self->auth_retried = FALSE;
  if (strstr (self->relay, "://")) {
    self->relay_uri = confab_msrp_uri_parse (self->relay, strlen (self->relay), &error);
    if (!self->relay_uri) {
      g_prefix_error (&error, _("The MSRP relay “%s” is not valid: "), self->relay);
      relay_failed (self, error);
      return;
    }
    connect_relay (self, self->relay_uri->host, confab_msrp_uri_get_port (self->relay_uri));
    return;
  }
  /* A bare domain: AUTH to msrps://DOMAIN;tcp, reached through SRV. */
  self->relay_uri = confab_msrp_uri_new (TRUE, self->relay, 0, NULL);
  resolver = g_resolver_get_default ();
  g_resolver_lookup_service_async (resolver, "msrps", "tcp", self->relay, self->cancellable,
                                   on_srv_resolved, g_object_ref (self));
}

void
_confab_msrp_session_relay_clear (ConfabMsrpSession *self)
{
  if (self->reauth_timer) {
    g_source_destroy (self->reauth_timer);
    g_clear_pointer (&self->reauth_timer, g_source_unref);
  }
  g_clear_pointer (&self->relay_uri, confab_msrp_uri_free);
  g_clear_pointer (&self->use_path, g_ptr_array_unref);
}
