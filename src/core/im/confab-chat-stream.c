/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabChat"

#include "config.h"

#include "im/confab-chat-stream.h"
#include "im/confab-chat-stream-private.h"
#include "im/confab-cpim.h"
#include "im/confab-is-composing.h"
#include "msrp/confab-msrp-sdp.h"
#include "msrp/confab-msrp-session.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#define ACCEPT_TYPES         "message/cpim text/* image/* application/im-iscomposing+xml"
#define ACCEPT_WRAPPED_TYPES "text/* image/* application/im-iscomposing+xml"

struct _ConfabChatStream
{
  ConfabStream        parent_instance;

  ConfabMsrpEndpoint *endpoint;
  gboolean            tls;
  char               *relay;
  char               *relay_username;
  char               *relay_password;
  char               *local_uri;
  char               *local_display;
  char               *remote_uri;
  char               *remote_display;

  ConfabMsrpSession  *msrp;
  GCancellable       *cancellable;
  gboolean            prepared;
  gboolean            started;
  ConfabMsrpSetup     role;
  ConfabMsrpSdpInfo   remote;
  gboolean            has_remote;

  GListStore         *messages;
  GHashTable         *outgoing;         /* MSRP Message-ID → ConfabChatMessage */

  gboolean            composing;        /* we told the peer "active" */
  guint               composing_idle_id;
  gboolean            remote_composing;
  guint               remote_composing_id;
  gboolean            connected;        /* last notified */
  gboolean            lingering;        /* stopped; the MSRP session waits for reports */
  guint               fail_id;          /* the connection dropped: failed unless stopped soon */
};

G_DEFINE_FINAL_TYPE (ConfabChatStream, confab_chat_stream, CONFAB_TYPE_STREAM)

enum {
  PROP_0,
  PROP_REMOTE_COMPOSING,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_MESSAGE_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
replace_str (char       **field,
             const char  *value)
{
  if (*field == value)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

#define FAIL_GRACE_MS 2000

static gboolean
on_fail_grace_over (gpointer user_data)
{
  ConfabChatStream *self = user_data;

  self->fail_id = 0;
  if (confab_stream_get_state (CONFAB_STREAM (self)) == CONFAB_STREAM_STATE_ACTIVE)
    _confab_stream_set_state (CONFAB_STREAM (self), CONFAB_STREAM_STATE_FAILED,
                              confab_msrp_session_get_error_message (self->msrp));
  return G_SOURCE_REMOVE;
}

static void
on_msrp_state (ConfabMsrpSession *msrp,
               GParamSpec        *pspec,
               ConfabChatStream  *self)
{
  ConfabMsrpSessionState state = confab_msrp_session_get_state (msrp);

  /* A peer that ends the chat (BYE, or a re-INVITE without it) often
   * closes the connection before its SIP request reaches us: that is only
   * a failure if the session does not end the stream soon after. */
  if (state == CONFAB_MSRP_SESSION_STATE_FAILED && self->started && !self->fail_id &&
      confab_stream_get_state (CONFAB_STREAM (self)) == CONFAB_STREAM_STATE_ACTIVE)
    self->fail_id = g_timeout_add (FAIL_GRACE_MS, on_fail_grace_over, self);
  if (self->connected != (state == CONFAB_MSRP_SESSION_STATE_CONNECTED)) {
    self->connected = !self->connected;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTED]);
  }
  if (self->lingering && (state == CONFAB_MSRP_SESSION_STATE_CLOSED ||
                          state == CONFAB_MSRP_SESSION_STATE_FAILED)) {
    self->lingering = FALSE;
    _confab_chat_stream_fail_pending (self, _("The chat ended before the message was sent"));
    g_object_unref (self);
  }
}

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (ConfabChatStream) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!confab_msrp_session_prepare_finish (CONFAB_MSRP_SESSION (source), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    g_warning ("chat: MSRP not ready: %s", error->message);
    _confab_stream_set_state (CONFAB_STREAM (self), CONFAB_STREAM_STATE_FAILED, error->message);
  }
  self->prepared = TRUE;
  _confab_stream_emit_ready (CONFAB_STREAM (self));
}

static gboolean
ensure_msrp (ConfabChatStream  *self,
             gboolean           tls,
             GError           **error)
{
  if (self->msrp) {
    if (confab_msrp_session_get_tls (self->msrp) != tls) {
      g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                   _("The chat transport cannot change during the session"));
      return FALSE;
    }
    return TRUE;
  }
  self->tls = tls;
  self->msrp = confab_msrp_endpoint_create_session (self->endpoint, tls);
  if (self->relay)
    confab_msrp_session_set_relay (self->msrp, self->relay, self->relay_username,
                                   self->relay_password);
  g_signal_connect_object (self->msrp, "notify::state", G_CALLBACK (on_msrp_state), self, 0);
  _confab_chat_stream_connect_messages (self);
  self->cancellable = g_cancellable_new ();
  confab_msrp_session_prepare_async (self->msrp, self->cancellable, on_prepared,
                                     g_object_ref (self));
  return TRUE;
}

static gboolean
confab_chat_stream_prepare (ConfabStream          *stream,
                            const ConfabSdp       *sdp,
                            const ConfabSdpMedia  *offer,
                            GError               **error)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);
  gboolean tls = self->tls;

  if (offer) {
    if (!confab_msrp_sdp_is_msrp (offer)) {
      g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                   _("The chat stream is not MSRP (%s)"), offer->proto);
      return FALSE;
    }
    /* The offerer picks TCP or TLS; a mismatch is fatal for MSRP. */
    tls = g_ascii_strcasecmp (offer->proto, CONFAB_MSRP_PROTO_TLS) == 0;
  }
  return ensure_msrp (self, tls, error);
}

static gboolean
confab_chat_stream_is_ready (ConfabStream *stream)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);

  return self->msrp == NULL || self->prepared ||
         confab_msrp_session_get_state (self->msrp) >= CONFAB_MSRP_SESSION_STATE_READY;
}

static ConfabSdpMedia *
describe (ConfabChatStream  *self,
          const char        *address,
          ConfabMsrpSetup    setup,
          GError           **error)
{
  g_autofree char *path = NULL;
  ConfabSdpMedia *m;

  if (!self->msrp && !ensure_msrp (self, self->tls, error))
    return NULL;
  if (confab_msrp_session_get_state (self->msrp) == CONFAB_MSRP_SESSION_STATE_FAILED) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK, "%s",
                 confab_msrp_session_get_error_message (self->msrp));
    return NULL;
  }
  if (confab_msrp_session_get_state (self->msrp) < CONFAB_MSRP_SESSION_STATE_READY) {
    /* Still preparing (the relay's AUTH): a stand-in that shows the offer
     * is acceptable; the session answers again once we are ready. */
    m = confab_sdp_media_new ("message", 9, self->tls ? CONFAB_MSRP_PROTO_TLS
                                                      : CONFAB_MSRP_PROTO_TCP);
    g_ptr_array_add (m->formats, g_strdup ("*"));
    return m;
  }
  path = confab_msrp_session_dup_local_path (self->msrp);
  if (!path) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("The chat stream is not ready"));
    return NULL;
  }
  m = confab_msrp_sdp_media_new ("message", self->tls, path, setup,
                                 confab_msrp_session_get_fingerprint (self->msrp), address);
  confab_sdp_media_add_attribute (m, "accept-types", ACCEPT_TYPES);
  confab_sdp_media_add_attribute (m, "accept-wrapped-types", ACCEPT_WRAPPED_TYPES);
  return m;
}

static ConfabSdpMedia *
confab_chat_stream_create_offer (ConfabStream  *stream,
                                 const char    *address,
                                 GError       **error)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);

  /* Once running, a re-offer repeats the role in use so the connection
   * stays (RFC 6135 §4.4). */
  return describe (self, address, self->started ? self->role : CONFAB_MSRP_SETUP_ACTPASS, error);
}

static gboolean
read_remote (ConfabChatStream      *self,
             const ConfabSdp       *sdp,
             const ConfabSdpMedia  *media,
             GError               **error)
{
  g_auto (ConfabMsrpSdpInfo) info = { 0 };

  if (!confab_msrp_sdp_info_read (&info, sdp, media, error))
    return FALSE;
  if (info.tls != self->tls) {
    g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                 _("The peer wants chat over %s, we offered %s"), info.tls ? "TLS" : "TCP",
                 self->tls ? "TLS" : "TCP");
    return FALSE;
  }
  if (self->started && self->has_remote && g_strcmp0 (info.path, self->remote.path) != 0)
    g_info ("chat: the peer's path changed mid-session; keeping the connection");
  confab_msrp_sdp_info_clear (&self->remote);
  self->remote = info;
  memset (&info, 0, sizeof info);
  self->has_remote = TRUE;
  return TRUE;
}

static gboolean
confab_chat_stream_apply_answer (ConfabStream          *stream,
                                 const ConfabSdp       *sdp,
                                 const ConfabSdpMedia  *answer,
                                 GError               **error)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);

  if (!read_remote (self, sdp, answer, error))
    return FALSE;
  if (!self->started)
    self->role = confab_msrp_sdp_offer_role (&self->remote);
  if (confab_stream_get_state (stream) == CONFAB_STREAM_STATE_NEW)
    _confab_stream_set_state (stream, CONFAB_STREAM_STATE_NEGOTIATED, NULL);
  return TRUE;
}

static ConfabSdpMedia *
confab_chat_stream_create_answer (ConfabStream          *stream,
                                  const ConfabSdp       *sdp,
                                  const ConfabSdpMedia  *offer,
                                  const char            *address,
                                  GError               **error)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);
  ConfabSdpMedia *m;

  if (!confab_msrp_sdp_is_msrp (offer)) {
    g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                 _("The chat stream is not MSRP (%s)"), offer->proto);
    return NULL;
  }
  if (!self->msrp && !ensure_msrp (self, g_ascii_strcasecmp (offer->proto,
                                                             CONFAB_MSRP_PROTO_TLS) == 0, error))
    return NULL;
  if (!read_remote (self, sdp, offer, error))
    return NULL;
  if (!self->started)
    self->role = confab_msrp_sdp_answer_role (&self->remote);
  m = describe (self, address, self->role, error);
  if (m && confab_stream_get_state (stream) == CONFAB_STREAM_STATE_NEW)
    _confab_stream_set_state (stream, CONFAB_STREAM_STATE_NEGOTIATED, NULL);
  return m;
}

static gboolean
confab_chat_stream_start (ConfabStream  *stream,
                          GError       **error)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);

  if (self->started)
    return TRUE;
  if (!self->has_remote || !self->msrp) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("The chat was not negotiated"));
    return FALSE;
  }
  if (!confab_msrp_session_start (self->msrp, self->remote.path, self->role,
                                  self->remote.fingerprint, error)) {
    _confab_stream_set_state (stream, CONFAB_STREAM_STATE_FAILED, (*error)->message);
    return FALSE;
  }
  self->started = TRUE;
  _confab_stream_set_state (stream, CONFAB_STREAM_STATE_ACTIVE, NULL);
  return TRUE;
}

static void
confab_chat_stream_stop (ConfabStream *stream)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->composing_idle_id, g_source_remove);
  g_clear_handle_id (&self->remote_composing_id, g_source_remove);
  g_clear_handle_id (&self->fail_id, g_source_remove);
  if (self->remote_composing) {
    self->remote_composing = FALSE;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_COMPOSING]);
  }
  if (self->msrp && !self->lingering) {
    confab_msrp_session_close (self->msrp);
    /* Still connected: it waits for the last 200s and REPORTs, and we
     * stay to take them (see on_msrp_state). */
    if (confab_msrp_session_get_state (self->msrp) == CONFAB_MSRP_SESSION_STATE_CONNECTED) {
      self->lingering = TRUE;
      g_object_ref (self);
    }
  }
  if (!self->lingering)
    _confab_chat_stream_fail_pending (self, _("The chat ended before the message was sent"));
  if (confab_stream_get_state (stream) != CONFAB_STREAM_STATE_FAILED)
    _confab_stream_set_state (stream, CONFAB_STREAM_STATE_ENDED, NULL);
}

static void
confab_chat_stream_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (object);

  switch (prop_id) {
  case PROP_REMOTE_COMPOSING:
    g_value_set_boolean (value, self->remote_composing);
    break;
  case PROP_CONNECTED:
    g_value_set_boolean (value, confab_chat_stream_is_connected (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_chat_stream_dispose (GObject *object)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->composing_idle_id, g_source_remove);
  g_clear_handle_id (&self->remote_composing_id, g_source_remove);
  g_clear_handle_id (&self->fail_id, g_source_remove);
  if (self->msrp) {
    g_signal_handlers_disconnect_by_data (self->msrp, self);
    confab_msrp_session_close (self->msrp);
  }
  g_clear_object (&self->msrp);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->endpoint);

  G_OBJECT_CLASS (confab_chat_stream_parent_class)->dispose (object);
}

static void
confab_chat_stream_finalize (GObject *object)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (object);

  g_free (self->relay);
  g_free (self->relay_username);
  if (self->relay_password)
    explicit_bzero (self->relay_password, strlen (self->relay_password));
  g_free (self->relay_password);
  g_free (self->local_uri);
  g_free (self->local_display);
  g_free (self->remote_uri);
  g_free (self->remote_display);
  confab_msrp_sdp_info_clear (&self->remote);
  g_clear_object (&self->messages);
  g_clear_pointer (&self->outgoing, g_hash_table_unref);

  G_OBJECT_CLASS (confab_chat_stream_parent_class)->finalize (object);
}

static void
confab_chat_stream_class_init (ConfabChatStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ConfabStreamClass *stream_class = CONFAB_STREAM_CLASS (klass);

  object_class->get_property = confab_chat_stream_get_property;
  object_class->dispose = confab_chat_stream_dispose;
  object_class->finalize = confab_chat_stream_finalize;

  stream_class->media_type = "message";
  stream_class->prepare = confab_chat_stream_prepare;
  stream_class->is_ready = confab_chat_stream_is_ready;
  stream_class->create_offer = confab_chat_stream_create_offer;
  stream_class->apply_answer = confab_chat_stream_apply_answer;
  stream_class->create_answer = confab_chat_stream_create_answer;
  stream_class->start = confab_chat_stream_start;
  stream_class->stop = confab_chat_stream_stop;

  props[PROP_REMOTE_COMPOSING] =
    g_param_spec_boolean ("remote-composing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, CONFAB_TYPE_CHAT_MESSAGE);
}

static void
confab_chat_stream_init (ConfabChatStream *self)
{
  self->tls = TRUE;
  self->messages = g_list_store_new (CONFAB_TYPE_CHAT_MESSAGE);
  self->outgoing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* For confab-chat-stream-messages.c */
ConfabChatStreamParts
_confab_chat_stream_get_parts (ConfabChatStream *self)
{
  return (ConfabChatStreamParts) {
    .msrp = self->msrp,
    .messages = self->messages,
    .outgoing = self->outgoing,
    .local_uri = self->local_uri,
    .local_display = self->local_display,
    .remote_uri = self->remote_uri,
    .remote_display = self->remote_display,
    .remote_accept_types = self->has_remote ? self->remote.accept_types : NULL,
    .remote_accept_wrapped_types = self->has_remote ? self->remote.accept_wrapped_types : NULL,
  };
}

static gboolean
on_remote_composing_expired (gpointer user_data)
{
  ConfabChatStream *self = user_data;

  self->remote_composing_id = 0;
  _confab_chat_stream_set_remote_composing (self, FALSE, 0);
  return G_SOURCE_REMOVE;
}

void
_confab_chat_stream_set_remote_composing (ConfabChatStream *self,
                                          gboolean          composing,
                                          guint             timeout)
{
  g_clear_handle_id (&self->remote_composing_id, g_source_remove);
  if (composing && timeout > 0)
    self->remote_composing_id = g_timeout_add_seconds (timeout, on_remote_composing_expired, self);
  if (self->remote_composing == composing)
    return;
  self->remote_composing = composing;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_COMPOSING]);
}


void
_confab_chat_stream_emit_received (ConfabChatStream  *self,
                                   ConfabChatMessage *message)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, message);
}

/* Local is-composing state: "active" goes out on the first keystroke,
 * "idle" after CONFAB_IS_COMPOSING_IDLE_AFTER seconds without one. */
static gboolean
on_composing_idle (gpointer user_data)
{
  ConfabChatStream *self = user_data;

  self->composing_idle_id = 0;
  confab_chat_stream_set_composing (self, FALSE);
  return G_SOURCE_REMOVE;
}

gboolean
_confab_chat_stream_take_composing (ConfabChatStream *self)
{
  gboolean was = self->composing;

  self->composing = FALSE;
  g_clear_handle_id (&self->composing_idle_id, g_source_remove);
  return was;
}

ConfabChatStream *
confab_chat_stream_new (ConfabMsrpEndpoint *endpoint,
                        gboolean            tls)
{
  ConfabChatStream *self;

  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (endpoint), NULL);

  self = g_object_new (CONFAB_TYPE_CHAT_STREAM, NULL);
  self->endpoint = g_object_ref (endpoint);
  self->tls = tls;
  return self;
}

void
confab_chat_stream_set_identities (ConfabChatStream *self,
                                   const char       *local_uri,
                                   const char       *local_display,
                                   const char       *remote_uri,
                                   const char       *remote_display)
{
  g_return_if_fail (CONFAB_IS_CHAT_STREAM (self));

  replace_str (&self->local_uri, local_uri);
  replace_str (&self->local_display, local_display);
  replace_str (&self->remote_uri, remote_uri);
  replace_str (&self->remote_display, remote_display);
}

void
confab_chat_stream_set_relay (ConfabChatStream *self,
                              const char       *relay,
                              const char       *username,
                              const char       *password)
{
  g_return_if_fail (CONFAB_IS_CHAT_STREAM (self));

  replace_str (&self->relay, relay);
  replace_str (&self->relay_username, username);
  if (self->relay_password)
    explicit_bzero (self->relay_password, strlen (self->relay_password));
  replace_str (&self->relay_password, password);
}

/**
 * confab_chat_stream_get_messages:
 *
 * Returns: (transfer none): this session's ConfabChatMessages, in order
 */
GListModel *
confab_chat_stream_get_messages (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), NULL);
  return G_LIST_MODEL (self->messages);
}

void
confab_chat_stream_set_composing (ConfabChatStream *self,
                                  gboolean          composing)
{
  g_return_if_fail (CONFAB_IS_CHAT_STREAM (self));

  if (composing) {
    g_clear_handle_id (&self->composing_idle_id, g_source_remove);
    self->composing_idle_id = g_timeout_add_seconds (CONFAB_IS_COMPOSING_IDLE_AFTER,
                                                     on_composing_idle, self);
    if (self->composing)
      return;
    self->composing = TRUE;
  } else {
    g_clear_handle_id (&self->composing_idle_id, g_source_remove);
    if (!self->composing)
      return;
    self->composing = FALSE;
  }
  _confab_chat_stream_send_composing (self, composing);
}

gboolean
confab_chat_stream_get_remote_composing (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), FALSE);
  return self->remote_composing;
}

gboolean
confab_chat_stream_is_connected (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), FALSE);
  return self->msrp &&
         confab_msrp_session_get_state (self->msrp) == CONFAB_MSRP_SESSION_STATE_CONNECTED;
}

gboolean
confab_chat_stream_get_tls (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), FALSE);
  return self->tls;
}

gboolean
confab_chat_stream_get_peer_verified (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), FALSE);
  return self->msrp && confab_msrp_session_get_peer_verified (self->msrp);
}
