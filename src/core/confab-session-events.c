/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSession"

#include "config.h"

#include "confab-session-private.h"
#include "confab-account-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag_io.h>

/* What the dialog's requests and responses do to a session: re-INVITEs and
 * UPDATEs (hold, session refresh, RFC 4028), answers and the ACKs that carry
 * them (sofia's auto-ACK is off so an offer in a 2xx gets its answer),
 * REFER and NOTIFY (transfer, RFC 3515), and the end of the dialog. */

#define MAX_AUTH_ATTEMPTS 2

/* Answers the request being reported (inside the nua callback): with
 * several server transactions open, sofia must be told which one. */
static void
respond (ConfabSession *self,
         int            status,
         const char    *phrase,
         const char    *sdp)
{
  nua_t *nua = _confab_account_get_nua (self->account);

  nua_respond (self->nh, status, phrase,
               TAG_IF (nua, NUTAG_WITH_THIS (nua)),
               TAG_IF (sdp, SIPTAG_CONTENT_TYPE_STR ("application/sdp")),
               TAG_IF (sdp, SIPTAG_PAYLOAD_STR (sdp)),
               TAG_END ());
}

/* Our answer to an offer in a re-INVITE, UPDATE or 2xx. An unchanged offer
 * (a session refresh) gets our last SDP again, so nothing is renegotiated. */
static char *
answer_offer (ConfabSession    *self,
              const ConfabSdp  *offer,
              gboolean         *changed,
              GError          **error)
{
  *changed = FALSE;
  if (_confab_session_offer_is_unchanged (self, offer))
    return g_strdup (self->local_sdp);
  *changed = TRUE;
  return _confab_session_build_answer (self, offer, error);
}

static void
adopt_remote_offer (ConfabSession *self,
                    ConfabSdp     *offer)
{
  g_clear_pointer (&self->remote_sdp, confab_sdp_free);
  self->remote_sdp = offer;
  _confab_session_update_remote_hold (self, self->remote_sdp);
  _confab_session_start_streams (self);
}

/* A re-INVITE or UPDATE from the peer: hold, resume, codec change, refresh. */
static void
on_session_offer (ConfabSession *self,
                  const sip_t   *sip,
                  gboolean       update)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabSdp) offer = _confab_session_parse_body (sip, &error);
  g_autofree char *text = NULL;
  gboolean changed = FALSE;

  _confab_session_note_peer_allow (self, sip);
  if (!offer && !error) {
    if (update) {
      /* An UPDATE without a body refreshes the session timer only. */
      respond (self, SIP_200_OK, NULL);
      return;
    }
    /* Offerless re-INVITE (a refresh, or 3pcc): our last SDP goes in the
     * 200 again, the answer comes in the ACK (RFC 6337 §5.3). */
    if (self->local_sdp && !self->offer_outstanding) {
      self->offer_outstanding = TRUE;
      self->repeating_offer = TRUE;
      respond (self, SIP_200_OK, self->local_sdp);
      return;
    }
    g_set_error (&error, CONFAB_ERROR, CONFAB_ERROR_FAILED, "no session description to offer");
  }
  if (offer && !_confab_session_offer_is_unchanged (self, offer))
    _confab_session_add_offered_streams (self, offer);
  if (offer)
    text = answer_offer (self, offer, &changed, &error);
  if (!text) {
    g_info ("%s: %s refused: %s", self->id, update ? "UPDATE" : "re-INVITE",
            error ? error->message : "");
    respond (self, SIP_488_NOT_ACCEPTABLE, NULL);
    return;
  }
  respond (self, SIP_200_OK, text);
  if (changed)
    adopt_remote_offer (self, g_steal_pointer (&offer));
}

static void
on_invite_response (ConfabSession *self,
                    int            status,
                    const char    *phrase,
                    const sip_t   *sip)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabSdp) answer = NULL;
  gboolean initial = self->state < CONFAB_SESSION_STATE_ESTABLISHED;

  if (status < 200 && status != 180 && status != 183)
    return;

  if ((status == 401 || status == 407) && self->auth_attempts < MAX_AUTH_ATTEMPTS) {
    g_autofree char *creds = _confab_account_build_credentials (self->account, sip);

    if (creds) {
      self->auth_attempts++;
      nua_authenticate (self->nh, NUTAG_AUTH (creds), TAG_END ());
      memset (creds, 0, strlen (creds));
      return;
    }
  }

  if (status >= 300) {
    if (initial) {
      const char *words = _confab_session_describe_status (status);
      g_autofree char *reason = g_strdup_printf ("%s (%d %s)", words ? words : _("failed"),
                                                 status, phrase ? phrase : "");
      _confab_session_end (self, status, reason);
    } else {
      /* A refused re-INVITE leaves the call as it was. */
      g_info ("%s: re-INVITE answered %d %s", self->id, status, phrase);
      self->offer_outstanding = FALSE;
    }
    return;
  }

  if (status >= 200) {
    _confab_session_note_peer_allow (self, sip);
    _confab_session_note_focus (self, sip);
    /* Cancelled too late: the call was answered anyway, so it ends with a
     * BYE once acknowledged. */
    if (self->state == CONFAB_SESSION_STATE_TERMINATING && self->established_time == 0) {
      self->bye_after_ack = TRUE;
      return;
    }
  }

  if (self->offer_outstanding) {
    answer = _confab_session_parse_body (sip, &error);
    if (answer && !_confab_session_apply_answer (self, answer, &error))
      g_clear_pointer (&answer, confab_sdp_free);
    if (!answer && error) {
      g_warning ("%s: unusable answer: %s", self->id, error->message);
      if (status >= 200) {
        self->end_status = 488;
        self->end_reason = g_strdup (_("the answer could not be used"));
        self->bye_after_ack = TRUE;
        _confab_session_set_state (self, CONFAB_SESSION_STATE_TERMINATING);
      }
      return;
    }
    if (answer) {
      g_clear_pointer (&self->remote_sdp, confab_sdp_free);
      self->remote_sdp = g_steal_pointer (&answer);
      _confab_session_start_streams (self);
    }
  } else if (status >= 200) {
    /* Our INVITE had no offer of ours (a refresh sofia sent): if the 2xx
     * offers, the ACK answers (see on_completing). */
    g_clear_pointer (&self->offer_in_2xx, confab_sdp_free);
    self->offer_in_2xx = _confab_session_parse_body (sip, NULL);
  }

  if (status == 180 && initial)
    _confab_session_set_state (self, CONFAB_SESSION_STATE_RINGING);
  else if (status == 183 && initial && self->remote_sdp)
    _confab_session_set_state (self, CONFAB_SESSION_STATE_EARLY_MEDIA);
  else if (status >= 200 && self->state < CONFAB_SESSION_STATE_TERMINATING)
    _confab_session_set_state (self, CONFAB_SESSION_STATE_ESTABLISHED);
}

/* A 2xx to our INVITE waits for our ACK (NUTAG_AUTOACK(0)): with the answer
 * when the 2xx made an offer, then a BYE when the call is to end. */
static void
on_completing (ConfabSession *self,
               gboolean       offer_received)
{
  g_autoptr (ConfabSdp) offer = g_steal_pointer (&self->offer_in_2xx);
  g_autoptr (GError) error = NULL;
  g_autofree char *answer = NULL;
  gboolean changed = FALSE;

  if (!self->nh)
    return;
  if (offer && offer_received && !self->bye_after_ack) {
    answer = answer_offer (self, offer, &changed, &error);
    if (!answer) {
      g_info ("%s: the offer in the 2xx is unusable: %s", self->id, error->message);
      if (!self->end_reason) {
        self->end_status = 488;
        self->end_reason = g_strdup (_("the peer’s offer could not be used"));
      }
      self->bye_after_ack = TRUE;
    }
  }
  nua_ack (self->nh,
           TAG_IF (answer, SIPTAG_CONTENT_TYPE_STR ("application/sdp")),
           TAG_IF (answer, SIPTAG_PAYLOAD_STR (answer)),
           TAG_END ());
  if (changed)
    adopt_remote_offer (self, g_steal_pointer (&offer));
  if (self->bye_after_ack) {
    self->bye_after_ack = FALSE;
    nua_bye (self->nh,
             TAG_IF (self->end_status == 488,
                     SIPTAG_REASON_STR ("SIP;cause=488;text=\"Unusable SDP\"")),
             TAG_END ());
    _confab_session_set_state (self, CONFAB_SESSION_STATE_TERMINATING);
  }
}

/* The ACK for our 2xx: it carries the answer when the 2xx offered. */
static void
on_ack (ConfabSession *self,
        const sip_t   *sip)
{
  if (self->offer_outstanding) {
    g_autoptr (GError) error = NULL;
    g_autoptr (ConfabSdp) answer = _confab_session_parse_body (sip, &error);

    if (self->repeating_offer) {
      /* Our offer repeated the last one: whatever the answer, nothing changed. */
      self->offer_outstanding = FALSE;
      self->repeating_offer = FALSE;
    } else if (answer && _confab_session_apply_answer (self, answer, &error)) {
      g_clear_pointer (&self->remote_sdp, confab_sdp_free);
      self->remote_sdp = g_steal_pointer (&answer);
      _confab_session_update_remote_hold (self, self->remote_sdp);
      _confab_session_start_streams (self);
    } else {
      /* RFC 3264 §4: the ACK had to carry the answer to the offer in our 2xx. */
      g_info ("%s: no usable answer in the ACK: %s", self->id,
              error ? error->message : "no body");
      self->offer_outstanding = FALSE;
      if (self->state < CONFAB_SESSION_STATE_ESTABLISHED) {
        self->end_status = 488;
        self->end_reason = g_strdup (_("the caller sent no usable answer"));
        nua_bye (self->nh, SIPTAG_REASON_STR ("SIP;cause=488;text=\"No answer in ACK\""),
                 TAG_END ());
        _confab_session_set_state (self, CONFAB_SESSION_STATE_TERMINATING);
        return;
      }
    }
  }
  if (self->state == CONFAB_SESSION_STATE_CONNECTING)
    _confab_session_set_state (self, CONFAB_SESSION_STATE_ESTABLISHED);
}

static void
on_refer (ConfabSession *self,
          nua_handle_t  *nh,
          const sip_t   *sip,
          tagi_t         tags[])
{
  sip_event_t const *event = NULL;
  g_autofree char *target = NULL;
  su_home_t home[1] = { SU_HOME_INIT (home) };

  if (sip && sip->sip_refer_to)
    target = g_strdup (url_as_string (home, sip->sip_refer_to->r_url));
  su_home_deinit (home);
  tl_gets (tags, NUTAG_REFER_EVENT_REF (event), TAG_END ());
  if (!target || self->state != CONFAB_SESSION_STATE_ESTABLISHED) {
    g_info ("%s: REFER ignored", self->id);
    return;
  }
  /* Kept in the handle's home so the new call's NOTIFYs can name it. */
  self->refer_event = event ? sip_event_dup (nua_handle_home (nh), event) : NULL;
  _confab_session_emit_transfer (self, target);
}

/* Progress of our REFER (a message/sipfrag): a 2xx means the peer now talks
 * to the transfer target, so our leg ends. */
static void
on_notify (ConfabSession *self,
           const sip_t   *sip)
{
  const char *frag;
  guint status = 0;

  if (!sip || !sip->sip_event || g_ascii_strncasecmp (sip->sip_event->o_type, "refer", 5) != 0 ||
      !sip->sip_payload || !sip->sip_payload->pl_data || sip->sip_payload->pl_len < 12)
    return;
  frag = sip->sip_payload->pl_data;
  if (g_ascii_strncasecmp (frag, "SIP/2.0 ", 8) == 0)
    status = (guint) g_ascii_strtoull (frag + 8, NULL, 10);
  if (status >= 200 && status < 300 && self->state == CONFAB_SESSION_STATE_ESTABLISHED) {
    g_info ("%s: transfer done, hanging up", self->id);
    if (!self->end_reason) {
      self->end_status = 200;
      self->end_reason = g_strdup (_("transferred"));
    }
    nua_bye (self->nh, TAG_END ());
    _confab_session_set_state (self, CONFAB_SESSION_STATE_TERMINATING);
  } else if (status >= 300) {
    g_info ("%s: the transfer failed (%u); the call goes on", self->id, status);
  }
}

void
_confab_session_handle_event (ConfabSession *self,
                              nua_event_t    event,
                              int            status,
                              const char    *phrase,
                              nua_handle_t  *nh,
                              const sip_t   *sip,
                              tagi_t         tags[])
{
  g_autoptr (ConfabSession) hold = g_object_ref (self);

  switch (event) {
  case nua_r_invite:
    on_invite_response (self, status, phrase, sip);
    break;

  case nua_i_invite:
    on_session_offer (self, sip, FALSE);
    break;

  case nua_i_update:
    on_session_offer (self, sip, TRUE);
    break;

  case nua_i_ack:
    on_ack (self, sip);
    break;

  case nua_i_cancel:
    _confab_session_end (self, 487, _("cancelled by the caller"));
    break;

  case nua_i_bye:
    _confab_session_end (self, 200, _("hung up by the other side"));
    break;

  case nua_r_bye:
    _confab_session_end (self, 200, _("hung up"));
    break;

  case nua_r_refer:
    if (status >= 300)
      g_info ("%s: transfer refused: %d %s", self->id, status, phrase);
    break;

  case nua_i_refer:
    on_refer (self, nh, sip, tags);
    break;

  case nua_i_notify:
    on_notify (self, sip);
    break;

  case nua_i_state:
    {
      int callstate = nua_callstate_init;
      int offer_recv = 0;

      tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), NUTAG_OFFER_RECV_REF (offer_recv),
               TAG_END ());
      if (callstate == nua_callstate_completing)
        on_completing (self, offer_recv);
      else if (callstate == nua_callstate_ready && self->state < CONFAB_SESSION_STATE_ESTABLISHED)
        _confab_session_set_state (self, CONFAB_SESSION_STATE_ESTABLISHED);
      else if (callstate == nua_callstate_terminated)
        _confab_session_end (self, status, phrase);
    }
    break;

  case nua_i_terminated:
    _confab_session_end (self, status, phrase);
    break;

  default:
    break;
  }
}
