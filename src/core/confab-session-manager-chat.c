/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSessionManager"

#include "config.h"

#include "confab-session-manager-private.h"
#include "confab-error.h"
#include "confab-uri.h"
#include "im/confab-chat-stream.h"

#include <glib/gi18n-lib.h>

/* The session manager's MSRP side: one endpoint (listener, TLS identity,
 * shared connections) for every chat stream, the relay and CA settings,
 * and chat-only sessions or chat added to a call. */

ConfabMsrpEndpoint *
_confab_session_manager_get_msrp_endpoint (ConfabSessionManager *self)
{
  if (!self->msrp_endpoint) {
    g_autofree char *address = _confab_session_manager_media_address (self);

    self->msrp_endpoint = confab_msrp_endpoint_new (address);
    if (self->msrp_ca_file)
      confab_msrp_endpoint_set_ca_file (self->msrp_endpoint, self->msrp_ca_file);
  }
  return self->msrp_endpoint;
}

static void setup_chat_stream (ConfabSessionManager *self,
                               ConfabSession        *session,
                               ConfabChatStream     *stream);

/* Identities and relay are set before the stream prepares: the relay's
 * AUTH happens then. */
ConfabStream *
_confab_session_manager_create_chat_stream (ConfabSessionManager *self,
                                            ConfabSession        *session)
{
  ConfabChatStream *stream = confab_chat_stream_new (_confab_session_manager_get_msrp_endpoint (self), self->msrp_tls);

  if (session)
    setup_chat_stream (self, session, stream);
  return CONFAB_STREAM (stream);
}

/* CPIM From must equal the INVITE's From (SylkServer drops others), so the
 * chat stream learns both identities from its session. */
static void
setup_chat_stream (ConfabSessionManager *self,
                   ConfabSession        *session,
                   ConfabChatStream     *stream)
{
  ConfabAccount *account = confab_session_get_account (session);
  g_autofree char *local = confab_uri_normalize (confab_account_get_address (account), NULL);

  confab_chat_stream_set_identities (stream, local ? local : confab_account_get_address (account),
                                     confab_account_get_display_name (account),
                                     confab_session_get_remote_uri (session),
                                     confab_session_get_remote_display (session));
  _confab_session_manager_setup_msrp_stream (self, session, CONFAB_MSRP_STREAM (stream));
}

void
_confab_session_manager_setup_msrp_stream (ConfabSessionManager *self,
                                           ConfabSession        *session,
                                           ConfabMsrpStream     *stream)
{
  ConfabAccount *account = confab_session_get_account (session);
  const char *user = confab_account_get_auth_username (account);
  g_autoptr (ConfabUri) address = NULL;

  if (!self->msrp_relay)
    return;
  address = confab_uri_parse (confab_account_get_address (account), NULL);
  if ((!user || !*user) && address)
    user = address->user;
  confab_msrp_stream_set_relay (stream, self->msrp_relay, user,
                                confab_account_get_password (account));
}

/* Every message of a chat goes into the history as it appears: an outgoing
 * one before it is on the wire, so quitting mid-send loses nothing. */
static void
on_chat_messages_changed (GListModel           *messages,
                          guint                 position,
                          guint                 removed,
                          guint                 added,
                          ConfabSessionManager *self)
{
  for (guint i = position; self->history && i < position + added; i++) {
    g_autoptr (ConfabChatMessage) message = g_list_model_get_item (messages, i);
    g_autoptr (GError) error = NULL;

    /* Confab's own status lines belong to the session on screen, not to
     * the history; a room's notices are part of the conversation. */
    if (confab_chat_message_get_status_kind (message) == CONFAB_CHAT_STATUS_KIND_LOCAL ||
        confab_chat_message_get_row_id (message) > 0)
      continue;
    if (!confab_history_add (self->history, message, &error))
      g_warning ("Chat history: %s", error->message);
  }
}

static void
on_streams_changed (GListModel    *streams,
                    guint          position,
                    guint          removed,
                    guint          added,
                    ConfabSession *session)
{
  for (guint i = position; i < position + added; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);

    if (CONFAB_IS_CHAT_STREAM (stream)) {
      ConfabSessionManager *self = g_object_get_data (G_OBJECT (session), "confab-session-manager");
      ConfabChatStream *chat = CONFAB_CHAT_STREAM (stream);

      /* The remote display name may have come since (incoming calls). */
      setup_chat_stream (self, session, chat);
      g_signal_connect_object (confab_chat_stream_get_messages (chat), "items-changed",
                               G_CALLBACK (on_chat_messages_changed), self, 0);
    } else if (CONFAB_IS_FILE_TRANSFER_STREAM (stream)) {
      ConfabSessionManager *self = g_object_get_data (G_OBJECT (session), "confab-session-manager");

      _confab_session_manager_watch_file_stream (self, session,
                                                 CONFAB_FILE_TRANSFER_STREAM (stream));
    }
  }
}

void
_confab_session_manager_watch_streams (ConfabSessionManager *self,
                                       ConfabSession        *session)
{
  GListModel *streams = confab_session_get_streams (session);

  if (g_object_get_data (G_OBJECT (session), "confab-session-manager"))
    return;
  g_object_set_data (G_OBJECT (session), "confab-session-manager", self);
  on_streams_changed (streams, 0, 0, g_list_model_get_n_items (streams), session);
  g_signal_connect_object (streams, "items-changed", G_CALLBACK (on_streams_changed), session, 0);
}

void
_confab_session_manager_clear_msrp (ConfabSessionManager *self)
{
  g_clear_object (&self->msrp_endpoint);
  g_clear_pointer (&self->msrp_relay, g_free);
  g_clear_pointer (&self->msrp_ca_file, g_free);
  g_clear_object (&self->history);
}

void
confab_session_manager_set_history (ConfabSessionManager *self,
                                    ConfabHistory        *history)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  g_return_if_fail (!history || CONFAB_IS_HISTORY (history));

  g_set_object (&self->history, history);
}

/**
 * confab_session_manager_get_history:
 *
 * Returns: (transfer none) (nullable): where chat messages are kept
 */
ConfabHistory *
confab_session_manager_get_history (ConfabSessionManager *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  return self->history;
}

/**
 * confab_session_manager_chat:
 * @uri: whom to chat with
 *
 * Starts a chat-only session (one m=message line over MSRP).
 *
 * Returns: (transfer none): the session
 */
ConfabSession *
confab_session_manager_chat (ConfabSessionManager  *self,
                             ConfabAccount         *account,
                             const char            *uri,
                             GError               **error)
{
  g_autoptr (GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *target = NULL;

  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  target = confab_uri_normalize (uri, NULL);
  if (!target) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not an address"), uri);
    return NULL;
  }
  g_ptr_array_add (streams, _confab_session_manager_create_chat_stream (self, NULL));
  return _confab_session_manager_invite (self, account, target, streams, error);
}

/* An outgoing session with @streams to @target (normalised). */
ConfabSession *
_confab_session_manager_invite (ConfabSessionManager  *self,
                                ConfabAccount         *account,
                                const char            *target,
                                GPtrArray             *streams,
                                GError               **error)
{
  g_autoptr (ConfabSession) session = NULL;
  g_autofree char *id = _confab_session_manager_next_id (self);
  g_autofree char *address = _confab_session_manager_media_address (self);

  session = _confab_session_new_outgoing (id, account, target, streams, address);
  /* Identities and relay before the INVITE: the relay AUTH needs them. */
  _confab_session_manager_watch_streams (self, session);
  if (!_confab_session_send_invite (session, NULL, error))
    return NULL;
  _confab_session_manager_add_session (self, session);
  return session;
}

/**
 * confab_session_manager_add_chat:
 *
 * Adds a chat stream to an established session (re-INVITE with one more
 * m-line). A session that already has one keeps it.
 */
gboolean
confab_session_manager_add_chat (ConfabSessionManager  *self,
                                 ConfabSession         *session,
                                 GError               **error)
{
  g_autoptr (ConfabStream) stream = NULL;

  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_SESSION (session), FALSE);

  if (confab_session_find_stream (session, CONFAB_TYPE_CHAT_STREAM)) {
    ConfabStream *existing = confab_session_find_stream (session, CONFAB_TYPE_CHAT_STREAM);
    ConfabStreamState state = confab_stream_get_state (existing);

    if (state != CONFAB_STREAM_STATE_ENDED && state != CONFAB_STREAM_STATE_FAILED)
      return TRUE;
  }
  stream = _confab_session_manager_create_chat_stream (self, session);
  return _confab_session_add_stream (session, stream, error);
}

void
confab_session_manager_set_msrp (ConfabSessionManager *self,
                                 gboolean              tls,
                                 const char           *relay,
                                 const char           *ca_file)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));

  self->msrp_tls = tls;
  g_free (self->msrp_relay);
  self->msrp_relay = relay && *relay ? g_strdup (relay) : NULL;
  g_free (self->msrp_ca_file);
  self->msrp_ca_file = ca_file && *ca_file ? g_strdup (ca_file) : NULL;
  if (self->msrp_endpoint && self->msrp_ca_file)
    confab_msrp_endpoint_set_ca_file (self->msrp_endpoint, self->msrp_ca_file);
}
