/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSession"

#include "config.h"

#include "confab-session-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>

/* RFC 3264 offer/answer over every m-line of a session: stream i answers
 * m-line i; a declined line is kept with port 0 so later offers keep their
 * order. */

char *
_confab_session_build_sdp_text (ConfabSession *self,
                GPtrArray     *media)
{
  g_autoptr (ConfabSdp) sdp = confab_sdp_new (self->media_address, self->sdp_session_id,
                                              ++self->sdp_version);

  for (guint i = 0; i < media->len; i++)
    confab_sdp_add_media (sdp, g_ptr_array_index (media, i));
  g_ptr_array_set_free_func (media, NULL);
  g_ptr_array_set_size (media, 0);
  g_free (self->local_sdp);
  self->local_sdp = confab_sdp_to_string (sdp);
  return g_strdup (self->local_sdp);
}

/* RFC 3264 §8: an offer with the version of the peer's last SDP changes
 * nothing (a session refresh, or a repeated re-INVITE). */
gboolean
_confab_session_offer_is_unchanged (ConfabSession   *self,
                                    const ConfabSdp *offer)
{
  return self->remote_sdp && self->local_sdp &&
         offer->session_id == self->remote_sdp->session_id &&
         offer->session_version == self->remote_sdp->session_version &&
         g_strcmp0 (offer->origin_username, self->remote_sdp->origin_username) == 0 &&
         g_strcmp0 (offer->origin_address, self->remote_sdp->origin_address) == 0;
}

char *
_confab_session_build_offer (ConfabSession  *self,
             GError        **error)
{
  g_autoptr (GPtrArray) media = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_sdp_media_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);
    ConfabStreamState state = confab_stream_get_state (stream);
    ConfabSdpMedia *m;

    if ((state == CONFAB_STREAM_STATE_ENDED || state == CONFAB_STREAM_STATE_FAILED) &&
        self->remote_sdp && i < self->remote_sdp->media->len) {
      /* A removed stream keeps its place, disabled (RFC 3264 §8.2). */
      g_ptr_array_add (media, confab_sdp_media_new_rejected (
                                g_ptr_array_index (self->remote_sdp->media, i)));
      continue;
    }
    m = confab_stream_create_offer (stream, self->media_address, error);
    if (!m)
      return NULL;
    g_ptr_array_add (media, m);
  }
  self->offer_outstanding = TRUE;
  return _confab_session_build_sdp_text (self, media);
}

/* Our answer to @offer: stream i answers m-line i; extra lines are declined. */
char *
_confab_session_build_answer (ConfabSession    *self,
              const ConfabSdp  *offer,
              GError          **error)
{
  g_autoptr (GPtrArray) media = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_sdp_media_free);
  guint n_streams = g_list_model_get_n_items (G_LIST_MODEL (self->streams));
  gboolean any_accepted = FALSE;

  for (guint i = 0; i < offer->media->len; i++) {
    const ConfabSdpMedia *offered = g_ptr_array_index (offer->media, i);
    g_autoptr (ConfabStream) stream = NULL;
    ConfabSdpMedia *answer = NULL;

    if (i < n_streams)
      stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);
    if (stream && offered->port == 0 &&
        confab_stream_get_state (stream) != CONFAB_STREAM_STATE_ENDED)
      confab_stream_stop (stream);   /* the peer removed it */
    if (stream && offered->port != 0 &&
        g_strcmp0 (confab_stream_get_media_type (stream), offered->media) == 0) {
      g_autoptr (GError) stream_error = NULL;

      answer = confab_stream_create_answer (stream, offer, offered, self->media_address,
                                            &stream_error);
      if (!answer)
        g_info ("%s: m-line %u declined: %s", self->id, i, stream_error->message);
      if (!answer && i == 0 && offer->media->len == 1) {
        g_propagate_error (error, g_steal_pointer (&stream_error));
        return NULL;
      }
    }
    if (answer)
      any_accepted = TRUE;
    else
      answer = confab_sdp_media_new_rejected (offered);
    g_ptr_array_add (media, answer);
  }
  if (!any_accepted) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_REJECTED, _("No acceptable media in the offer"));
    return NULL;
  }
  return _confab_session_build_sdp_text (self, media);
}

gboolean
_confab_session_update_remote_hold (ConfabSession   *self,
                    const ConfabSdp *offer)
{
  gboolean hold = offer->media->len > 0;

  /* On hold when no sendrecv/sendonly… stream is left sending to us. */
  for (guint i = 0; i < offer->media->len; i++) {
    const ConfabSdpMedia *m = g_ptr_array_index (offer->media, i);

    if (m->port == 0)
      continue;
    if (!confab_sdp_media_is_hold (offer, m) &&
        (m->direction == CONFAB_SDP_DIRECTION_SENDRECV ||
         m->direction == CONFAB_SDP_DIRECTION_SENDONLY))
      hold = FALSE;
  }
  if (hold != self->remote_hold) {
    self->remote_hold = hold;
    _confab_session_notify_remote_hold (self);
  }
  return hold;
}

ConfabSdp *
_confab_session_parse_body (const sip_t  *sip,
            GError      **error)
{
  if (!sip || !sip->sip_payload || sip->sip_payload->pl_len == 0)
    return NULL;
  if (sip->sip_content_type && sip->sip_content_type->c_type &&
      g_ascii_strcasecmp (sip->sip_content_type->c_type, "application/sdp") != 0) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, "Unsupported session body %s",
                 sip->sip_content_type->c_type);
    return NULL;
  }
  return confab_sdp_parse (sip->sip_payload->pl_data, sip->sip_payload->pl_len, error);
}

gboolean
_confab_session_apply_answer (ConfabSession    *self,
              const ConfabSdp  *answer,
              GError          **error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));

  if (answer->media->len != n) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 "The answer has %u media lines for our %u", answer->media->len, n);
    return FALSE;
  }
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);
    const ConfabSdpMedia *m = g_ptr_array_index (answer->media, i);

    if (m->port == 0) {
      confab_stream_stop (stream);
      continue;
    }
    if (!confab_stream_apply_answer (stream, answer, m, error))
      return FALSE;
  }
  self->offer_outstanding = FALSE;
  return TRUE;
}

void
_confab_session_start_streams (ConfabSession *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);
    g_autoptr (GError) error = NULL;

    if (confab_stream_get_state (stream) != CONFAB_STREAM_STATE_NEGOTIATED &&
        confab_stream_get_state (stream) != CONFAB_STREAM_STATE_ACTIVE)
      continue;
    if (!confab_stream_start (stream, &error))
      g_warning ("%s: %s stream failed: %s", self->id, confab_stream_get_media_type (stream),
                 error->message);
  }
}

/* Opens every stream's ports before the first offer (@offer %NULL) or our
 * answer to @offer; stream i answers m-line i. */
gboolean
_confab_session_prepare_streams (ConfabSession    *self,
                                 const ConfabSdp  *offer,
                                 GError          **error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);
    const ConfabSdpMedia *m = NULL;

    if (offer) {
      if (i >= offer->media->len)
        break;
      m = g_ptr_array_index (offer->media, i);
      if (m->port == 0)
        continue;
    }
    if (!confab_stream_prepare (stream, offer, m, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
_confab_session_streams_ready (ConfabSession *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);

    if (!confab_stream_is_ready (stream))
      return FALSE;
  }
  return TRUE;
}

static void
on_stream_ready (ConfabStream  *stream,
                 ConfabSession *self)
{
  void (*then) (ConfabSession *) = self->when_ready;

  if (then == NULL || !_confab_session_streams_ready (self))
    return;
  self->when_ready = NULL;
  g_object_ref (self);
  then (self);
  g_object_unref (self);
}

/* Runs @then once every stream is ready: at once when they are. Streams
 * bound their own wait (ICE gives STUN/TURN servers 3 s). */
void
_confab_session_when_ready (ConfabSession  *self,
                            void          (*then) (ConfabSession *self))
{
  if (_confab_session_streams_ready (self)) {
    then (self);
    return;
  }
  self->when_ready = then;
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));

    /* Streams added by re-INVITE join the watch too. */
    for (guint i = 0; i < n; i++) {
      g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);

      if (g_object_get_data (G_OBJECT (stream), "confab-ready-watched"))
        continue;
      g_object_set_data (G_OBJECT (stream), "confab-ready-watched", GINT_TO_POINTER (1));
      g_signal_connect_object (stream, "ready", G_CALLBACK (on_stream_ready), self, 0);
    }
  }
}

/* Streams added or removed while the session runs (RFC 3264 §8.1, §8.2):
 * a new m-line goes at the end; a removed one stays with port 0 so later
 * offers keep the order. */

void
_confab_session_set_stream_factory (ConfabSession       *self,
                                    ConfabStreamFactory  factory,
                                    gpointer             factory_data)
{
  self->stream_factory = (gpointer) factory;
  self->stream_factory_data = factory_data;
}

static void
send_reoffer (ConfabSession *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *offer = NULL;

  if (self->state != CONFAB_SESSION_STATE_ESTABLISHED || !self->nh)
    return;
  offer = _confab_session_build_offer (self, &error);
  if (!offer) {
    g_warning ("%s: no offer for the new stream: %s", self->id, error->message);
    return;
  }
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (offer),
              TAG_END ());
}

static gboolean
check_renegotiable (ConfabSession  *self,
                    GError        **error)
{
  if (self->state != CONFAB_SESSION_STATE_ESTABLISHED || !self->nh) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("The session is not established"));
    return FALSE;
  }
  if (self->offer_outstanding || self->when_ready) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("A renegotiation is in progress"));
    return FALSE;
  }
  return TRUE;
}

gboolean
_confab_session_add_stream (ConfabSession  *self,
                            ConfabStream   *stream,
                            GError        **error)
{
  if (!check_renegotiable (self, error))
    return FALSE;
  if (!confab_stream_prepare (stream, NULL, NULL, error))
    return FALSE;
  g_list_store_append (self->streams, stream);
  _confab_session_when_ready (self, send_reoffer);
  return TRUE;
}

/**
 * confab_session_remove_stream:
 *
 * Ends one stream of a running session: it stops here at once and the
 * peer learns it from a re-INVITE with its m-line at port 0.
 */
gboolean
confab_session_remove_stream (ConfabSession  *self,
                              ConfabStream   *stream,
                              GError        **error)
{
  guint position;

  g_return_val_if_fail (CONFAB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_STREAM (stream), FALSE);

  if (!g_list_store_find (self->streams, stream, &position)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("The stream is not in this session"));
    return FALSE;
  }
  if (!check_renegotiable (self, error))
    return FALSE;
  confab_stream_stop (stream);
  send_reoffer (self);
  return TRUE;
}

void
_confab_session_add_offered_streams (ConfabSession   *self,
                                     const ConfabSdp *offer)
{
  ConfabStreamFactory factory = (ConfabStreamFactory) self->stream_factory;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));

  if (!factory)
    return;
  for (guint i = n; i < offer->media->len; i++) {
    const ConfabSdpMedia *m = g_ptr_array_index (offer->media, i);
    g_autoptr (ConfabStream) stream = NULL;
    g_autoptr (GError) error = NULL;

    if (m->port == 0)
      break;
    stream = factory (self, m, G_LIST_MODEL (self->streams), self->stream_factory_data);
    if (!stream)
      break;   /* streams stay index-aligned with m-lines */
    if (!confab_stream_prepare (stream, offer, m, &error)) {
      g_info ("%s: offered %s stream not prepared: %s", self->id, m->media, error->message);
      break;
    }
    if (!confab_stream_is_ready (stream)) {
      /* A re-INVITE is answered at once: a stream that needs time (a
       * relay's AUTH) is declined; the peer may offer it again. */
      g_info ("%s: offered %s stream not ready in time; declined", self->id, m->media);
      confab_stream_stop (stream);
      break;
    }
    g_list_store_append (self->streams, stream);
  }
}
