/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "msrp/confab-msrp-stream.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#include <string.h>

typedef struct
{
  ConfabMsrpEndpoint *endpoint;
  gboolean            tls;
  char               *relay;
  char               *relay_username;
  char               *relay_password;

  ConfabMsrpSession  *msrp;
  GCancellable       *cancellable;
  gboolean            prepared;
  gboolean            started;
  ConfabMsrpSetup     role;
  ConfabMsrpSdpInfo   remote;
  gboolean            has_remote;

  gboolean            connected;  /* last notified */
  gboolean            lingering;  /* stopped; the MSRP session waits for reports */
  guint               fail_id;    /* the connection dropped: failed unless stopped soon */
} ConfabMsrpStreamPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (ConfabMsrpStream, confab_msrp_stream, CONFAB_TYPE_STREAM)

#define PRIV(self) ((ConfabMsrpStreamPrivate *) confab_msrp_stream_get_instance_private (self))
#define KLASS(self) CONFAB_MSRP_STREAM_GET_CLASS (self)

enum {
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* A peer that ends the stream (BYE, or a re-INVITE without it) often
 * closes the connection before its SIP request reaches us: that is only a
 * failure if the session does not end the stream soon after. */
#define FAIL_GRACE_MS 2000

static void
replace_str (char       **field,
             const char  *value)
{
  if (*field == value)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
on_fail_grace_over (gpointer user_data)
{
  ConfabMsrpStream *self = user_data;
  ConfabMsrpStreamPrivate *priv = PRIV (self);

  priv->fail_id = 0;
  if (confab_stream_get_state (CONFAB_STREAM (self)) == CONFAB_STREAM_STATE_ACTIVE)
    _confab_stream_set_state (CONFAB_STREAM (self), CONFAB_STREAM_STATE_FAILED,
                              confab_msrp_session_get_error_message (priv->msrp));
  return G_SOURCE_REMOVE;
}

static void
on_msrp_state (ConfabMsrpSession *msrp,
               GParamSpec        *pspec,
               ConfabMsrpStream  *self)
{
  ConfabMsrpStreamPrivate *priv = PRIV (self);
  ConfabMsrpSessionState state = confab_msrp_session_get_state (msrp);

  if (state == CONFAB_MSRP_SESSION_STATE_FAILED && priv->started && !priv->fail_id &&
      confab_stream_get_state (CONFAB_STREAM (self)) == CONFAB_STREAM_STATE_ACTIVE)
    priv->fail_id = g_timeout_add (FAIL_GRACE_MS, on_fail_grace_over, self);
  if (priv->connected != (state == CONFAB_MSRP_SESSION_STATE_CONNECTED)) {
    priv->connected = !priv->connected;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTED]);
  }
  if (priv->lingering && (state == CONFAB_MSRP_SESSION_STATE_CLOSED ||
                          state == CONFAB_MSRP_SESSION_STATE_FAILED)) {
    priv->lingering = FALSE;
    if (KLASS (self)->finished)
      KLASS (self)->finished (self);
    g_object_unref (self);
  }
}

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (ConfabMsrpStream) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!confab_msrp_session_prepare_finish (CONFAB_MSRP_SESSION (source), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    g_warning ("%s: MSRP not ready: %s", KLASS (self)->label, error->message);
    _confab_stream_set_state (CONFAB_STREAM (self), CONFAB_STREAM_STATE_FAILED, error->message);
  }
  PRIV (self)->prepared = TRUE;
  _confab_stream_emit_ready (CONFAB_STREAM (self));
}

static gboolean
ensure_msrp (ConfabMsrpStream  *self,
             gboolean           tls,
             GError           **error)
{
  ConfabMsrpStreamPrivate *priv = PRIV (self);

  if (priv->msrp) {
    if (confab_msrp_session_get_tls (priv->msrp) != tls) {
      g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                   _("The transport of the %s cannot change during the session"),
                   _(KLASS (self)->label));
      return FALSE;
    }
    return TRUE;
  }
  priv->tls = tls;
  priv->msrp = confab_msrp_endpoint_create_session (priv->endpoint, tls);
  if (priv->relay)
    confab_msrp_session_set_relay (priv->msrp, priv->relay, priv->relay_username,
                                   priv->relay_password);
  g_signal_connect_object (priv->msrp, "notify::state", G_CALLBACK (on_msrp_state), self, 0);
  if (KLASS (self)->session_created)
    KLASS (self)->session_created (self, priv->msrp);
  priv->cancellable = g_cancellable_new ();
  confab_msrp_session_prepare_async (priv->msrp, priv->cancellable, on_prepared,
                                     g_object_ref (self));
  return TRUE;
}

static gboolean
check_msrp (ConfabMsrpStream      *self,
            const ConfabSdpMedia  *media,
            GError               **error)
{
  if (confab_msrp_sdp_is_msrp (media))
    return TRUE;
  g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
               _("The %s stream is not MSRP (%s)"), _(KLASS (self)->label), media->proto);
  return FALSE;
}

static gboolean
confab_msrp_stream_prepare (ConfabStream          *stream,
                            const ConfabSdp       *sdp,
                            const ConfabSdpMedia  *offer,
                            GError               **error)
{
  ConfabMsrpStream *self = CONFAB_MSRP_STREAM (stream);
  gboolean tls = PRIV (self)->tls;

  if (offer) {
    if (!check_msrp (self, offer, error))
      return FALSE;
    /* The offerer picks TCP or TLS; a mismatch is fatal for MSRP. */
    tls = g_ascii_strcasecmp (offer->proto, CONFAB_MSRP_PROTO_TLS) == 0;
  }
  return ensure_msrp (self, tls, error);
}

static gboolean
confab_msrp_stream_is_ready (ConfabStream *stream)
{
  ConfabMsrpStreamPrivate *priv = PRIV (CONFAB_MSRP_STREAM (stream));

  return priv->msrp == NULL || priv->prepared ||
         confab_msrp_session_get_state (priv->msrp) >= CONFAB_MSRP_SESSION_STATE_READY;
}

static ConfabSdpMedia *
describe (ConfabMsrpStream  *self,
          const char        *address,
          ConfabMsrpSetup    setup,
          gboolean           offer,
          GError           **error)
{
  ConfabMsrpStreamPrivate *priv = PRIV (self);
  const char *media_type = confab_stream_get_media_type (CONFAB_STREAM (self));
  g_autofree char *path = NULL;
  ConfabSdpMedia *m;

  if (!priv->msrp && !ensure_msrp (self, priv->tls, error))
    return NULL;
  if (confab_msrp_session_get_state (priv->msrp) == CONFAB_MSRP_SESSION_STATE_FAILED) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK, "%s",
                 confab_msrp_session_get_error_message (priv->msrp));
    return NULL;
  }
  if (confab_msrp_session_get_state (priv->msrp) < CONFAB_MSRP_SESSION_STATE_READY) {
    /* Still preparing (the relay's AUTH): a stand-in that shows the offer
     * is acceptable; the session answers again once we are ready. */
    m = confab_sdp_media_new (media_type, 9, priv->tls ? CONFAB_MSRP_PROTO_TLS
                                                       : CONFAB_MSRP_PROTO_TCP);
    g_ptr_array_add (m->formats, g_strdup ("*"));
    return m;
  }
  path = confab_msrp_session_dup_local_path (priv->msrp);
  if (!path) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("The %s stream is not ready"),
                 _(KLASS (self)->label));
    return NULL;
  }
  m = confab_msrp_sdp_media_new (media_type, priv->tls, path, setup,
                                 confab_msrp_session_get_fingerprint (priv->msrp), address);
  if (KLASS (self)->describe)
    KLASS (self)->describe (self, m, offer);
  return m;
}

static ConfabSdpMedia *
confab_msrp_stream_create_offer (ConfabStream  *stream,
                                 const char    *address,
                                 GError       **error)
{
  ConfabMsrpStream *self = CONFAB_MSRP_STREAM (stream);
  ConfabMsrpStreamPrivate *priv = PRIV (self);

  /* Once running, a re-offer repeats the role in use so the connection
   * stays (RFC 6135 §4.4). */
  return describe (self, address, priv->started ? priv->role : CONFAB_MSRP_SETUP_ACTPASS, TRUE,
                   error);
}

static gboolean
read_remote (ConfabMsrpStream      *self,
             const ConfabSdp       *sdp,
             const ConfabSdpMedia  *media,
             gboolean               offer,
             GError               **error)
{
  ConfabMsrpStreamPrivate *priv = PRIV (self);
  g_auto (ConfabMsrpSdpInfo) info = { 0 };

  if (!confab_msrp_sdp_info_read (&info, sdp, media, error))
    return FALSE;
  if (info.tls != priv->tls) {
    g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                 _("The peer wants the %s over %s, we offered %s"), _(KLASS (self)->label),
                 info.tls ? "TLS" : "TCP", priv->tls ? "TLS" : "TCP");
    return FALSE;
  }
  if (KLASS (self)->read_remote && !KLASS (self)->read_remote (self, media, offer, error))
    return FALSE;
  if (priv->started && priv->has_remote && g_strcmp0 (info.path, priv->remote.path) != 0)
    g_info ("%s: the peer's path changed mid-session; keeping the connection",
            KLASS (self)->label);
  confab_msrp_sdp_info_clear (&priv->remote);
  priv->remote = info;
  memset (&info, 0, sizeof info);
  priv->has_remote = TRUE;
  return TRUE;
}

static gboolean
confab_msrp_stream_apply_answer (ConfabStream          *stream,
                                 const ConfabSdp       *sdp,
                                 const ConfabSdpMedia  *answer,
                                 GError               **error)
{
  ConfabMsrpStream *self = CONFAB_MSRP_STREAM (stream);
  ConfabMsrpStreamPrivate *priv = PRIV (self);

  if (!read_remote (self, sdp, answer, FALSE, error))
    return FALSE;
  if (!priv->started)
    priv->role = confab_msrp_sdp_offer_role (&priv->remote);
  if (confab_stream_get_state (stream) == CONFAB_STREAM_STATE_NEW)
    _confab_stream_set_state (stream, CONFAB_STREAM_STATE_NEGOTIATED, NULL);
  return TRUE;
}

static ConfabSdpMedia *
confab_msrp_stream_create_answer (ConfabStream          *stream,
                                  const ConfabSdp       *sdp,
                                  const ConfabSdpMedia  *offer,
                                  const char            *address,
                                  GError               **error)
{
  ConfabMsrpStream *self = CONFAB_MSRP_STREAM (stream);
  ConfabMsrpStreamPrivate *priv = PRIV (self);
  ConfabSdpMedia *m;

  if (!check_msrp (self, offer, error))
    return NULL;
  if (!priv->msrp &&
      !ensure_msrp (self, g_ascii_strcasecmp (offer->proto, CONFAB_MSRP_PROTO_TLS) == 0, error))
    return NULL;
  if (!read_remote (self, sdp, offer, TRUE, error))
    return NULL;
  if (!priv->started)
    priv->role = confab_msrp_sdp_answer_role (&priv->remote);
  m = describe (self, address, priv->role, FALSE, error);
  if (m && confab_stream_get_state (stream) == CONFAB_STREAM_STATE_NEW)
    _confab_stream_set_state (stream, CONFAB_STREAM_STATE_NEGOTIATED, NULL);
  return m;
}

static gboolean
confab_msrp_stream_start (ConfabStream  *stream,
                          GError       **error)
{
  ConfabMsrpStream *self = CONFAB_MSRP_STREAM (stream);
  ConfabMsrpStreamPrivate *priv = PRIV (self);

  if (priv->started)
    return TRUE;
  if (!priv->has_remote || !priv->msrp) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("The %s was not negotiated"),
                 _(KLASS (self)->label));
    return FALSE;
  }
  if (!confab_msrp_session_start (priv->msrp, priv->remote.path, priv->role,
                                  priv->remote.fingerprint, error)) {
    _confab_stream_set_state (stream, CONFAB_STREAM_STATE_FAILED, (*error)->message);
    return FALSE;
  }
  priv->started = TRUE;
  _confab_stream_set_state (stream, CONFAB_STREAM_STATE_ACTIVE, NULL);
  if (KLASS (self)->started)
    KLASS (self)->started (self);
  return TRUE;
}

static void
confab_msrp_stream_stop (ConfabStream *stream)
{
  ConfabMsrpStream *self = CONFAB_MSRP_STREAM (stream);
  ConfabMsrpStreamPrivate *priv = PRIV (self);
  gboolean was_lingering = priv->lingering;

  g_cancellable_cancel (priv->cancellable);
  g_clear_handle_id (&priv->fail_id, g_source_remove);
  if (priv->msrp && !priv->lingering) {
    confab_msrp_session_close (priv->msrp);
    /* Still connected: it waits for the last 200s and REPORTs, and we
     * stay to take them (see on_msrp_state). */
    if (confab_msrp_session_get_state (priv->msrp) == CONFAB_MSRP_SESSION_STATE_CONNECTED) {
      priv->lingering = TRUE;
      g_object_ref (self);
    }
  }
  if (!was_lingering && KLASS (self)->stopping)
    KLASS (self)->stopping (self, priv->lingering);
  if (confab_stream_get_state (stream) != CONFAB_STREAM_STATE_FAILED)
    _confab_stream_set_state (stream, CONFAB_STREAM_STATE_ENDED, NULL);
}

static void
confab_msrp_stream_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabMsrpStream *self = CONFAB_MSRP_STREAM (object);

  switch (prop_id) {
  case PROP_CONNECTED:
    g_value_set_boolean (value, confab_msrp_stream_is_connected (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_msrp_stream_dispose (GObject *object)
{
  ConfabMsrpStreamPrivate *priv = PRIV (CONFAB_MSRP_STREAM (object));

  g_cancellable_cancel (priv->cancellable);
  g_clear_handle_id (&priv->fail_id, g_source_remove);
  if (priv->msrp) {
    g_signal_handlers_disconnect_by_data (priv->msrp, object);
    confab_msrp_session_close (priv->msrp);
  }
  g_clear_object (&priv->msrp);
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->endpoint);

  G_OBJECT_CLASS (confab_msrp_stream_parent_class)->dispose (object);
}

static void
confab_msrp_stream_finalize (GObject *object)
{
  ConfabMsrpStreamPrivate *priv = PRIV (CONFAB_MSRP_STREAM (object));

  g_free (priv->relay);
  g_free (priv->relay_username);
  if (priv->relay_password)
    explicit_bzero (priv->relay_password, strlen (priv->relay_password));
  g_free (priv->relay_password);
  confab_msrp_sdp_info_clear (&priv->remote);

  G_OBJECT_CLASS (confab_msrp_stream_parent_class)->finalize (object);
}

static void
confab_msrp_stream_class_init (ConfabMsrpStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ConfabStreamClass *stream_class = CONFAB_STREAM_CLASS (klass);

  object_class->get_property = confab_msrp_stream_get_property;
  object_class->dispose = confab_msrp_stream_dispose;
  object_class->finalize = confab_msrp_stream_finalize;

  stream_class->prepare = confab_msrp_stream_prepare;
  stream_class->is_ready = confab_msrp_stream_is_ready;
  stream_class->create_offer = confab_msrp_stream_create_offer;
  stream_class->apply_answer = confab_msrp_stream_apply_answer;
  stream_class->create_answer = confab_msrp_stream_create_answer;
  stream_class->start = confab_msrp_stream_start;
  stream_class->stop = confab_msrp_stream_stop;
  klass->label = N_("MSRP");

  props[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_msrp_stream_init (ConfabMsrpStream *self)
{
  PRIV (self)->tls = TRUE;
}

void
_confab_msrp_stream_construct (ConfabMsrpStream   *self,
                               ConfabMsrpEndpoint *endpoint,
                               gboolean            tls)
{
  ConfabMsrpStreamPrivate *priv = PRIV (self);

  g_return_if_fail (CONFAB_IS_MSRP_STREAM (self));
  g_return_if_fail (CONFAB_IS_MSRP_ENDPOINT (endpoint));

  g_set_object (&priv->endpoint, endpoint);
  priv->tls = tls;
}

void
confab_msrp_stream_set_relay (ConfabMsrpStream *self,
                              const char       *relay,
                              const char       *username,
                              const char       *password)
{
  ConfabMsrpStreamPrivate *priv;

  g_return_if_fail (CONFAB_IS_MSRP_STREAM (self));
  priv = PRIV (self);
  replace_str (&priv->relay, relay);
  replace_str (&priv->relay_username, username);
  if (priv->relay_password)
    explicit_bzero (priv->relay_password, strlen (priv->relay_password));
  replace_str (&priv->relay_password, password);
}

/**
 * confab_msrp_stream_get_session:
 *
 * Returns: (transfer none) (nullable): the MSRP session
 */
ConfabMsrpSession *
confab_msrp_stream_get_session (ConfabMsrpStream *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_STREAM (self), NULL);
  return PRIV (self)->msrp;
}

gboolean
confab_msrp_stream_get_tls (ConfabMsrpStream *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_STREAM (self), FALSE);
  return PRIV (self)->tls;
}

gboolean
confab_msrp_stream_get_peer_verified (ConfabMsrpStream *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_STREAM (self), FALSE);
  return PRIV (self)->msrp && confab_msrp_session_get_peer_verified (PRIV (self)->msrp);
}

gboolean
confab_msrp_stream_is_connected (ConfabMsrpStream *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_STREAM (self), FALSE);
  return PRIV (self)->msrp &&
         confab_msrp_session_get_state (PRIV (self)->msrp) == CONFAB_MSRP_SESSION_STATE_CONNECTED;
}

gboolean
confab_msrp_stream_is_started (ConfabMsrpStream *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_STREAM (self), FALSE);
  return PRIV (self)->started;
}

const ConfabMsrpSdpInfo *
confab_msrp_stream_get_remote (ConfabMsrpStream *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_STREAM (self), NULL);
  return PRIV (self)->has_remote ? &PRIV (self)->remote : NULL;
}
