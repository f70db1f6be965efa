/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabStream"

#include "config.h"

#include "confab-stream.h"
#include "confab-enums.h"
#include "confab-error.h"

typedef struct
{
  ConfabStreamState state;
  char             *error_message;
  gboolean          local_hold;
} ConfabStreamPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (ConfabStream, confab_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MEDIA_TYPE,
  PROP_STATE,
  PROP_LOCAL_HOLD,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
confab_stream_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ConfabStream *self = CONFAB_STREAM (object);
  ConfabStreamPrivate *priv = confab_stream_get_instance_private (self);

  switch (prop_id) {
  case PROP_MEDIA_TYPE:
    g_value_set_string (value, confab_stream_get_media_type (self));
    break;
  case PROP_STATE:
    g_value_set_enum (value, priv->state);
    break;
  case PROP_LOCAL_HOLD:
    g_value_set_boolean (value, priv->local_hold);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_stream_finalize (GObject *object)
{
  ConfabStreamPrivate *priv = confab_stream_get_instance_private (CONFAB_STREAM (object));

  g_free (priv->error_message);

  G_OBJECT_CLASS (confab_stream_parent_class)->finalize (object);
}

static void
confab_stream_class_init (ConfabStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = confab_stream_get_property;
  object_class->finalize = confab_stream_finalize;

  props[PROP_MEDIA_TYPE] =
    g_param_spec_string ("media-type", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CONFAB_TYPE_STREAM_STATE, CONFAB_STREAM_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_LOCAL_HOLD] =
    g_param_spec_boolean ("local-hold", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The stream finished preparing (see confab_stream_prepare()). */
  signals[SIGNAL_READY] =
    g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
confab_stream_init (ConfabStream *self)
{
}

const char *
confab_stream_get_media_type (ConfabStream *self)
{
  g_return_val_if_fail (CONFAB_IS_STREAM (self), NULL);
  return CONFAB_STREAM_GET_CLASS (self)->media_type;
}

ConfabStreamState
confab_stream_get_state (ConfabStream *self)
{
  ConfabStreamPrivate *priv;

  g_return_val_if_fail (CONFAB_IS_STREAM (self), CONFAB_STREAM_STATE_FAILED);
  priv = confab_stream_get_instance_private (self);
  return priv->state;
}

const char *
confab_stream_get_error_message (ConfabStream *self)
{
  ConfabStreamPrivate *priv;

  g_return_val_if_fail (CONFAB_IS_STREAM (self), NULL);
  priv = confab_stream_get_instance_private (self);
  return priv->error_message;
}

ConfabSdpMedia *
confab_stream_create_offer (ConfabStream  *self,
                            const char    *address,
                            GError       **error)
{
  g_return_val_if_fail (CONFAB_IS_STREAM (self), NULL);
  return CONFAB_STREAM_GET_CLASS (self)->create_offer (self, address, error);
}

gboolean
confab_stream_apply_answer (ConfabStream          *self,
                            const ConfabSdp       *sdp,
                            const ConfabSdpMedia  *answer,
                            GError               **error)
{
  g_return_val_if_fail (CONFAB_IS_STREAM (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);

  if (!CONFAB_STREAM_GET_CLASS (self)->apply_answer (self, sdp, answer, error))
    return FALSE;
  _confab_stream_set_state (self, CONFAB_STREAM_STATE_NEGOTIATED, NULL);
  return TRUE;
}

ConfabSdpMedia *
confab_stream_create_answer (ConfabStream          *self,
                             const ConfabSdp       *sdp,
                             const ConfabSdpMedia  *offer,
                             const char            *address,
                             GError               **error)
{
  ConfabSdpMedia *answer;

  g_return_val_if_fail (CONFAB_IS_STREAM (self), NULL);
  g_return_val_if_fail (offer != NULL, NULL);

  answer = CONFAB_STREAM_GET_CLASS (self)->create_answer (self, sdp, offer, address, error);
  if (answer)
    _confab_stream_set_state (self, CONFAB_STREAM_STATE_NEGOTIATED, NULL);
  return answer;
}

gboolean
confab_stream_start (ConfabStream  *self,
                     GError       **error)
{
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (CONFAB_IS_STREAM (self), FALSE);

  if (!CONFAB_STREAM_GET_CLASS (self)->start (self, &local_error)) {
    _confab_stream_set_state (self, CONFAB_STREAM_STATE_FAILED, local_error->message);
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  _confab_stream_set_state (self, CONFAB_STREAM_STATE_ACTIVE, NULL);
  return TRUE;
}

void
confab_stream_stop (ConfabStream *self)
{
  ConfabStreamPrivate *priv;

  g_return_if_fail (CONFAB_IS_STREAM (self));
  priv = confab_stream_get_instance_private (self);

  if (priv->state == CONFAB_STREAM_STATE_ENDED)
    return;
  CONFAB_STREAM_GET_CLASS (self)->stop (self);
  if (priv->state != CONFAB_STREAM_STATE_FAILED)
    _confab_stream_set_state (self, CONFAB_STREAM_STATE_ENDED, NULL);
}

void
confab_stream_set_local_hold (ConfabStream *self,
                              gboolean      hold)
{
  ConfabStreamPrivate *priv;

  g_return_if_fail (CONFAB_IS_STREAM (self));
  priv = confab_stream_get_instance_private (self);

  hold = !!hold;
  if (priv->local_hold == hold)
    return;
  priv->local_hold = hold;
  if (CONFAB_STREAM_GET_CLASS (self)->set_local_hold)
    CONFAB_STREAM_GET_CLASS (self)->set_local_hold (self, hold);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_HOLD]);
}

gboolean
confab_stream_get_local_hold (ConfabStream *self)
{
  ConfabStreamPrivate *priv;

  g_return_val_if_fail (CONFAB_IS_STREAM (self), FALSE);
  priv = confab_stream_get_instance_private (self);
  return priv->local_hold;
}

void
_confab_stream_set_state (ConfabStream      *self,
                          ConfabStreamState  state,
                          const char        *error_message)
{
  ConfabStreamPrivate *priv = confab_stream_get_instance_private (self);

  g_free (priv->error_message);
  priv->error_message = g_strdup (error_message);
  if (priv->state == state)
    return;
  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/**
 * confab_stream_prepare:
 * @sdp: (nullable): the peer's offer, when we are to answer
 * @offer: (nullable): its m-line for this stream; %NULL: we offer
 *
 * Opens what the stream needs before it can describe itself. Some streams
 * finish later (ICE asks STUN and TURN servers): confab_stream_is_ready()
 * says so, and "ready" fires when they have.
 */
gboolean
confab_stream_prepare (ConfabStream          *self,
                       const ConfabSdp       *sdp,
                       const ConfabSdpMedia  *offer,
                       GError               **error)
{
  g_return_val_if_fail (CONFAB_IS_STREAM (self), FALSE);
  if (CONFAB_STREAM_GET_CLASS (self)->prepare)
    return CONFAB_STREAM_GET_CLASS (self)->prepare (self, sdp, offer, error);
  return TRUE;
}

gboolean
confab_stream_is_ready (ConfabStream *self)
{
  g_return_val_if_fail (CONFAB_IS_STREAM (self), TRUE);
  if (CONFAB_STREAM_GET_CLASS (self)->is_ready)
    return CONFAB_STREAM_GET_CLASS (self)->is_ready (self);
  return TRUE;
}

void
_confab_stream_emit_ready (ConfabStream *self)
{
  g_return_if_fail (CONFAB_IS_STREAM (self));
  g_signal_emit (self, signals[SIGNAL_READY], 0);
}
