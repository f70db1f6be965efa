/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSession"

#include "config.h"

#include "confab-session-private.h"
#include "confab-account-private.h"
#include "confab-enums.h"
#include "confab-error.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag_io.h>

/* A SIP dialog carrying N streams. sofia's soa is off
 * (NUTAG_MEDIA_ENABLE(0)), so SDP travels as plain bodies and the session
 * runs offer/answer itself (confab-session-sdp.c). */

G_DEFINE_FINAL_TYPE (ConfabSession, confab_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_REMOTE_URI,
  PROP_REMOTE_DISPLAY,
  PROP_LOCAL_HOLD,
  PROP_REMOTE_HOLD,
  PROP_END_REASON,
  PROP_CONFERENCE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_TRANSFER_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_confab_session_set_state (ConfabSession      *self,
                           ConfabSessionState  state)
{
  if (self->state == state)
    return;
  g_debug ("%s: %s → %s", self->id, confab_session_state_to_string (self->state),
           confab_session_state_to_string (state));
  self->state = state;
  if (state == CONFAB_SESSION_STATE_ESTABLISHED && !self->established_time)
    self->established_time = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static void
stop_streams (ConfabSession *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);

    confab_stream_stop (stream);
  }
}

void
_confab_session_end (ConfabSession *self,
                     guint          status,
                     const char    *reason)
{
  if (self->state == CONFAB_SESSION_STATE_TERMINATED)
    return;
  if (!self->end_reason) {
    self->end_status = status;
    self->end_reason = g_strdup (reason);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_REASON]);
  }
  stop_streams (self);
  self->refer_event = NULL;   /* it lived in the handle's home */
  if (self->nh) {
    nua_handle_bind (self->nh, NULL);
    nua_handle_destroy (self->nh);
    self->nh = NULL;
  }
  _confab_session_set_state (self, CONFAB_SESSION_STATE_TERMINATED);
}

const char *
_confab_session_describe_status (guint status)
{
  switch (status) {
  case 404:
  case 604:
    return _("not found");
  case 408:
  case 480:
    return _("no answer");
  case 486:
  case 600:
    return _("busy");
  case 487:
    return _("cancelled");
  case 488:
  case 606:
    return _("no common media");
  case 603:
    return _("declined");
  case 401:
  case 403:
  case 407:
    return _("not allowed");
  default:
    return NULL;
  }
}

void
_confab_session_respond_with_sdp (ConfabSession *self,
                                  int            status,
                                  const char    *phrase,
                                  const char    *sdp)
{
  nua_respond (self->nh, status, phrase,
               TAG_IF (sdp, SIPTAG_CONTENT_TYPE_STR ("application/sdp")),
               TAG_IF (sdp, SIPTAG_PAYLOAD_STR (sdp)),
               TAG_END ());
}

void
_confab_session_notify_remote_hold (ConfabSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_HOLD]);
}

/* Session refreshes (RFC 4028) go by UPDATE when the peer takes it: no
 * offer/answer, nothing to renegotiate. */
void
_confab_session_note_peer_allow (ConfabSession *self,
                                 const sip_t   *sip)
{
  if (!self->nh || !sip || !sip->sip_allow)
    return;
  nua_set_hparams (self->nh,
                   NUTAG_UPDATE_REFRESH (sip_is_allowed (sip->sip_allow, sip_method_update,
                                                         "UPDATE")),
                   TAG_END ());
}

void
_confab_session_emit_transfer (ConfabSession *self,
                               const char    *target)
{
  g_signal_emit (self, signals[SIGNAL_TRANSFER_REQUESTED], 0, target);
}

static void
confab_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ConfabSession *self = CONFAB_SESSION (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_string (value, self->id);
    break;
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_REMOTE_URI:
    g_value_set_string (value, self->remote_uri);
    break;
  case PROP_REMOTE_DISPLAY:
    g_value_set_string (value, self->remote_display);
    break;
  case PROP_LOCAL_HOLD:
    g_value_set_boolean (value, self->local_hold);
    break;
  case PROP_REMOTE_HOLD:
    g_value_set_boolean (value, self->remote_hold);
    break;
  case PROP_END_REASON:
    g_value_set_string (value, self->end_reason);
    break;
  case PROP_CONFERENCE:
    g_value_set_object (value, self->conference);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_session_dispose (GObject *object)
{
  ConfabSession *self = CONFAB_SESSION (object);

  if (self->nh) {
    nua_handle_bind (self->nh, NULL);
    nua_handle_destroy (self->nh);
    self->nh = NULL;
  }
  if (self->streams) {
    stop_streams (self);
    g_list_store_remove_all (self->streams);
  }
  g_clear_object (&self->streams);
  g_clear_object (&self->conference);
  g_clear_object (&self->invite_referrer);
  self->when_ready = NULL;
  g_clear_object (&self->account);

  G_OBJECT_CLASS (confab_session_parent_class)->dispose (object);
}

static void
confab_session_finalize (GObject *object)
{
  ConfabSession *self = CONFAB_SESSION (object);

  g_free (self->id);
  g_free (self->remote_uri);
  g_free (self->remote_display);
  g_free (self->remote_contact);
  g_free (self->media_address);
  g_free (self->end_reason);
  g_free (self->referred_by);
  g_free (self->pending_answer);
  g_free (self->local_sdp);
  g_clear_pointer (&self->remote_sdp, confab_sdp_free);
  g_clear_pointer (&self->offer_in_2xx, confab_sdp_free);
  g_clear_pointer (&self->offer_to_answer, confab_sdp_free);

  G_OBJECT_CLASS (confab_session_parent_class)->finalize (object);
}

static void
confab_session_class_init (ConfabSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = confab_session_get_property;
  object_class->dispose = confab_session_dispose;
  object_class->finalize = confab_session_finalize;

  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CONFAB_TYPE_SESSION_STATE,
                                         CONFAB_SESSION_STATE_CALLING, ro);
  props[PROP_REMOTE_URI] = g_param_spec_string ("remote-uri", NULL, NULL, NULL, ro);
  props[PROP_REMOTE_DISPLAY] = g_param_spec_string ("remote-display", NULL, NULL, NULL, ro);
  props[PROP_LOCAL_HOLD] = g_param_spec_boolean ("local-hold", NULL, NULL, FALSE, ro);
  props[PROP_REMOTE_HOLD] = g_param_spec_boolean ("remote-hold", NULL, NULL, FALSE, ro);
  props[PROP_END_REASON] = g_param_spec_string ("end-reason", NULL, NULL, NULL, ro);
  props[PROP_CONFERENCE] = g_param_spec_object ("conference", NULL, NULL,
                                                CONFAB_TYPE_CONFERENCE, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The peer asked us (REFER) to call @target instead. */
  signals[SIGNAL_TRANSFER_REQUESTED] =
    g_signal_new ("transfer-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
confab_session_init (ConfabSession *self)
{
  self->streams = g_list_store_new (CONFAB_TYPE_STREAM);
  self->sdp_session_id = g_get_real_time () / G_USEC_PER_SEC;
}

ConfabSession *
_confab_session_new_outgoing (const char    *id,
                              ConfabAccount *account,
                              const char    *remote_uri,
                              GPtrArray     *streams,
                              const char    *media_address)
{
  ConfabSession *self = g_object_new (CONFAB_TYPE_SESSION, NULL);

  self->id = g_strdup (id);
  self->account = g_object_ref (account);
  self->remote_uri = g_strdup (remote_uri);
  self->media_address = g_strdup (media_address);
  self->state = CONFAB_SESSION_STATE_CALLING;
  for (guint i = 0; i < streams->len; i++)
    g_list_store_append (self->streams, g_ptr_array_index (streams, i));
  return self;
}

static void
send_invite_when_ready (ConfabSession *self)
{
  g_autoptr (ConfabSession) referrer = g_steal_pointer (&self->invite_referrer);
  g_autoptr (GError) error = NULL;

  if (self->state >= CONFAB_SESSION_STATE_TERMINATING)
    return;
  if (!_confab_session_send_invite (self, referrer, &error))
    _confab_session_end (self, 500, error->message);
}

/* @referrer: (nullable): the session whose REFER asked for this call; it
 * gets NOTIFYs of the call's progress (RFC 3515). */
gboolean
_confab_session_send_invite (ConfabSession  *self,
                             ConfabSession  *referrer,
                             GError        **error)
{
  nua_handle_t *refer_nh = referrer && referrer->refer_event ? referrer->nh : NULL;
  sip_event_t *refer_event = refer_nh ? referrer->refer_event : NULL;
  nua_t *nua = _confab_account_get_nua (self->account);
  g_autofree char *offer = NULL;

  if (!nua) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK, _("The account %s is not online"),
                 confab_account_get_address (self->account));
    return FALSE;
  }
  if (!_confab_session_prepare_streams (self, NULL, error))
    return FALSE;
  if (!_confab_session_streams_ready (self)) {
    /* ICE still gathers: the INVITE leaves once every candidate is in. */
    g_set_object (&self->invite_referrer, referrer);
    _confab_session_when_ready (self, send_invite_when_ready);
    return TRUE;
  }
  offer = _confab_session_build_offer (self, error);
  if (!offer)
    return FALSE;

  self->nh = nua_handle (nua, self, SIPTAG_TO_STR (self->remote_uri), TAG_END ());
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (offer),
              TAG_IF (refer_nh, NUTAG_NOTIFY_REFER (refer_nh)),
              TAG_IF (refer_nh, NUTAG_REFER_EVENT (refer_event)),
              TAG_END ());
  return TRUE;
}

ConfabSession *
_confab_session_new_incoming (const char           *id,
                              ConfabAccount        *account,
                              nua_handle_t         *nh,
                              const sip_t          *sip,
                              const char           *media_address,
                              ConfabStreamFactory   factory,
                              gpointer              factory_data,
                              int                  *reject_status,
                              GError              **error)
{
  g_autoptr (ConfabSession) self = g_object_new (CONFAB_TYPE_SESSION, NULL);
  g_autoptr (ConfabSdp) offer = NULL;
  g_autoptr (GError) parse_error = NULL;
  su_home_t home[1] = { SU_HOME_INIT (home) };

  *reject_status = 488;
  self->stream_factory = (gpointer) factory;
  self->stream_factory_data = factory_data;
  self->id = g_strdup (id);
  self->account = g_object_ref (account);
  self->incoming = TRUE;
  self->media_address = g_strdup (media_address);
  self->state = CONFAB_SESSION_STATE_INCOMING;
  if (sip && sip->sip_from) {
    self->remote_uri = url_as_string (home, sip->sip_from->a_url)
                       ? g_strdup (url_as_string (home, sip->sip_from->a_url)) : NULL;
    self->remote_display = g_strdup (sip->sip_from->a_display);
    if (self->remote_display && self->remote_display[0] == '"') {
      g_autofree char *quoted = self->remote_display;

      self->remote_display = g_strndup (quoted + 1, MAX (strlen (quoted), 2) - 2);
    }
  }
  if (sip && sip->sip_contact && url_as_string (home, sip->sip_contact->m_url))
    self->remote_contact = g_strdup (url_as_string (home, sip->sip_contact->m_url));
  if (sip && sip->sip_referred_by)
    self->referred_by = url_as_string (home, sip->sip_referred_by->b_url)
                        ? g_strdup (url_as_string (home, sip->sip_referred_by->b_url)) : NULL;
  su_home_deinit (home);
  _confab_session_note_focus (self, sip);

  if (sip && sip->sip_payload && sip->sip_payload->pl_len > 0 && sip->sip_content_type &&
      sip->sip_content_type->c_type &&
      g_ascii_strcasecmp (sip->sip_content_type->c_type, "application/sdp") != 0) {
    *reject_status = 415;
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The call’s session description is %s, not SDP"),
                 sip->sip_content_type->c_type);
    return NULL;
  }
  offer = _confab_session_parse_body (sip, &parse_error);
  if (parse_error) {
    *reject_status = 400;
    g_propagate_error (error, g_steal_pointer (&parse_error));
    return NULL;
  }

  if (!offer) {
    /* No offer (RFC 3261 §13.2.1, RFC 3264 §4): ours goes in the 200 and the
     * answer comes in the ACK. */
    ConfabStream *stream;

    while ((stream = factory (self, NULL, G_LIST_MODEL (self->streams), factory_data))) {
      g_list_store_append (self->streams, stream);
      g_object_unref (stream);
    }
    if (g_list_model_get_n_items (G_LIST_MODEL (self->streams)) == 0) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_REJECTED, _("No media to offer"));
      return NULL;
    }
    self->pending_answer = _confab_session_build_offer (self, error);
    if (!self->pending_answer)
      return NULL;
  } else {
    for (guint i = 0; i < offer->media->len; i++) {
      ConfabStream *stream = factory (self, g_ptr_array_index (offer->media, i),
                                      G_LIST_MODEL (self->streams), factory_data);

      if (!stream)
        break;   /* streams must stay index-aligned with m-lines */
      g_list_store_append (self->streams, stream);
      g_object_unref (stream);
    }
    /* ICE may still gather while it rings: the answer is made again at
     * accept() if it was made without every candidate. */
    if (!_confab_session_prepare_streams (self, offer, error))
      return NULL;
    self->answer_stale = !_confab_session_streams_ready (self);
    self->pending_answer = _confab_session_build_answer (self, offer, error);
    if (!self->pending_answer)
      return NULL;
    if (self->answer_stale)
      self->offer_to_answer = confab_sdp_copy (offer);

    self->remote_sdp = g_steal_pointer (&offer);
    _confab_session_update_remote_hold (self, self->remote_sdp);
  }
  /* sofia made the handle for us; we destroy it when the session ends. */
  self->nh = nh;
  nua_handle_bind (nh, self);
  _confab_session_note_peer_allow (self, sip);
  *reject_status = 0;
  nua_respond (nh, SIP_180_RINGING, TAG_END ());
  return g_steal_pointer (&self);
}

const char *
confab_session_get_id (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);
  return self->id;
}

ConfabAccount *
confab_session_get_account (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);
  return self->account;
}

gboolean
confab_session_is_incoming (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), FALSE);
  return self->incoming;
}

const char *
confab_session_get_remote_uri (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);
  return self->remote_uri;
}

/**
 * confab_session_get_callback_uri:
 *
 * Where to reach the other party again (to send a file once the session
 * has ended, retry or resume a transfer). Through a provider that is its
 * address. An account with neither proxy nor registration sends straight
 * to the request's host, and a caller's address there may name no port
 * (a local account is `sip:user@localhost`): then it is the Contact the
 * caller gave, which says where it listens.
 *
 * Returns: (nullable): a SIP URI
 */
const char *
confab_session_get_callback_uri (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);

  if (self->incoming && self->remote_contact && self->account &&
      !confab_account_get_proxy (self->account) && !confab_account_get_register (self->account))
    return self->remote_contact;
  return self->remote_uri;
}

const char *
confab_session_get_remote_display (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);
  return self->remote_display;
}

ConfabSessionState
confab_session_get_state (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), CONFAB_SESSION_STATE_TERMINATED);
  return self->state;
}

guint
confab_session_get_end_status (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), 0);
  return self->end_status;
}

const char *
confab_session_get_end_reason (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);
  return self->end_reason;
}

gboolean
confab_session_get_local_hold (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), FALSE);
  return self->local_hold;
}

gboolean
confab_session_get_remote_hold (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), FALSE);
  return self->remote_hold;
}

/**
 * confab_session_get_streams:
 *
 * Returns: (transfer none): the streams, as a model of #ConfabStream
 */
GListModel *
confab_session_get_streams (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->streams);
}

/**
 * confab_session_find_stream:
 *
 * Returns: (transfer none) (nullable): the first stream of @type
 */
ConfabStream *
confab_session_find_stream (ConfabSession *self,
                            GType          type)
{
  guint n;

  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);

    if (G_TYPE_CHECK_INSTANCE_TYPE (stream, type))
      return stream;
  }
  return NULL;
}

gint64
confab_session_get_established_time (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), 0);
  return self->established_time;
}

static void
accept_when_ready (ConfabSession *self)
{
  g_autoptr (ConfabSdp) offer = g_steal_pointer (&self->offer_to_answer);
  g_autoptr (GError) error = NULL;
  char *answer;

  self->answer_stale = FALSE;
  if (self->state != CONFAB_SESSION_STATE_INCOMING || !self->nh)
    return;
  /* Every candidate is in now: answer again with all of them. */
  answer = offer ? _confab_session_build_answer (self, offer, &error) : NULL;
  if (answer) {
    g_free (self->pending_answer);
    self->pending_answer = answer;
  } else if (error) {
    /* The first answer was made before the streams were ready and cannot
     * stand in for the real one. */
    g_message ("%s: no answer once ready: %s", self->id, error->message);
    nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
    _confab_session_end (self, 488, error->message);
    return;
  }
  confab_session_accept (self);
}

/**
 * confab_session_accept:
 *
 * Answers an incoming call: 200 OK with our SDP answer, or with our offer
 * when the INVITE had none (the answer then comes in the ACK).
 */
void
confab_session_accept (ConfabSession *self)
{
  g_return_if_fail (CONFAB_IS_SESSION (self));

  if (self->state != CONFAB_SESSION_STATE_INCOMING || !self->nh)
    return;
  if (self->answer_stale) {
    _confab_session_when_ready (self, accept_when_ready);
    return;
  }
  _confab_session_respond_with_sdp (self, SIP_200_OK, self->pending_answer);
  g_clear_pointer (&self->pending_answer, g_free);
  _confab_session_set_state (self, CONFAB_SESSION_STATE_CONNECTING);
  _confab_session_start_streams (self);
}

/**
 * confab_session_reject:
 * @status: 486 (busy), 603 (decline), 480…
 */
void
confab_session_reject (ConfabSession *self,
                       guint          status)
{
  g_autofree char *reason = NULL;
  const char *words;

  g_return_if_fail (CONFAB_IS_SESSION (self));
  g_return_if_fail (status >= 300 && status < 700);

  if (self->state != CONFAB_SESSION_STATE_INCOMING || !self->nh)
    return;
  nua_respond (self->nh, status, sip_status_phrase (status), TAG_END ());
  words = _confab_session_describe_status (status);
  reason = g_strdup_printf (_("rejected here: %s"), words ? words : sip_status_phrase (status));
  _confab_session_end (self, status, reason);
}

/**
 * confab_session_hangup:
 *
 * Ends the session whatever its state: CANCEL, BYE or 603 for a ringing
 * incoming call.
 */
void
confab_session_hangup (ConfabSession *self)
{
  g_return_if_fail (CONFAB_IS_SESSION (self));

  self->when_ready = NULL;
  if (!self->nh || self->state >= CONFAB_SESSION_STATE_TERMINATING) {
    _confab_session_end (self, 0, _("hung up"));
    return;
  }
  switch (self->state) {
  case CONFAB_SESSION_STATE_INCOMING:
    confab_session_reject (self, 603);
    return;
  case CONFAB_SESSION_STATE_CALLING:
  case CONFAB_SESSION_STATE_RINGING:
  case CONFAB_SESSION_STATE_EARLY_MEDIA:
    nua_cancel (self->nh, TAG_END ());
    self->end_status = 487;
    self->end_reason = g_strdup (_("cancelled"));
    break;
  default:
    nua_bye (self->nh, TAG_END ());
    break;
  }
  _confab_session_set_state (self, CONFAB_SESSION_STATE_TERMINATING);
}

/**
 * confab_session_set_hold:
 *
 * Puts the call on hold (re-INVITE with sendonly/inactive, RFC 3264 §8.4)
 * or resumes it.
 */
gboolean
confab_session_set_hold (ConfabSession  *self,
                         gboolean        hold,
                         GError        **error)
{
  g_autofree char *offer = NULL;
  guint n;

  g_return_val_if_fail (CONFAB_IS_SESSION (self), FALSE);

  hold = !!hold;
  if (self->state != CONFAB_SESSION_STATE_ESTABLISHED || !self->nh) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("The call is not established"));
    return FALSE;
  }
  if (self->local_hold == hold)
    return TRUE;
  if (self->offer_outstanding) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("A renegotiation is in progress"));
    return FALSE;
  }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (G_LIST_MODEL (self->streams), i);

    confab_stream_set_local_hold (stream, hold);
  }
  offer = _confab_session_build_offer (self, error);
  if (!offer)
    return FALSE;
  self->local_hold = hold;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_HOLD]);
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (offer),
              TAG_END ());
  return TRUE;
}

/**
 * confab_session_transfer:
 * @target: where the peer should call instead
 *
 * Blind transfer (REFER, RFC 3515); our leg ends once the peer reports
 * success.
 */
gboolean
confab_session_transfer (ConfabSession  *self,
                         const char     *target,
                         GError        **error)
{
  g_autofree char *uri = NULL;

  g_return_val_if_fail (CONFAB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  uri = confab_uri_normalize (target, NULL);
  if (!uri) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not an address"), target);
    return FALSE;
  }
  if (self->state != CONFAB_SESSION_STATE_ESTABLISHED || !self->nh) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("The call is not established"));
    return FALSE;
  }
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (uri), TAG_END ());
  return TRUE;
}

const char *
confab_session_state_to_string (ConfabSessionState state)
{
  switch (state) {
  case CONFAB_SESSION_STATE_INCOMING:
    return "incoming";
  case CONFAB_SESSION_STATE_CALLING:
    return "calling";
  case CONFAB_SESSION_STATE_RINGING:
    return "ringing";
  case CONFAB_SESSION_STATE_EARLY_MEDIA:
    return "early-media";
  case CONFAB_SESSION_STATE_CONNECTING:
    return "connecting";
  case CONFAB_SESSION_STATE_ESTABLISHED:
    return "established";
  case CONFAB_SESSION_STATE_TERMINATING:
    return "terminating";
  case CONFAB_SESSION_STATE_TERMINATED:
    return "terminated";
  default:
    return "unknown";
  }
}

void
_confab_session_note_focus (ConfabSession *self,
                            const sip_t   *sip)
{
  if (!sip || !sip->sip_contact || self->remote_focus)
    return;
  if (msg_params_find (sip->sip_contact->m_params, "isfocus")) {
    g_info ("%s: the peer is a conference focus", self->id);
    self->remote_focus = TRUE;
  }
}

void
_confab_session_set_conference (ConfabSession    *self,
                                ConfabConference *conference)
{
  if (g_set_object (&self->conference, conference))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONFERENCE]);
}

gboolean
confab_session_is_focus (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), FALSE);
  return self->remote_focus;
}

/**
 * confab_session_get_conference:
 *
 * Returns: (transfer none) (nullable): the room, when the peer is a focus
 */
ConfabConference *
confab_session_get_conference (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);
  return self->conference;
}

const char *
confab_session_get_referred_by (ConfabSession *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION (self), NULL);
  return self->referred_by;
}
