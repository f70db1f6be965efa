/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-session.h"
#include "confab-engine-private.h"

G_BEGIN_DECLS

struct _ConfabSession
{
  GObject             parent_instance;

  char               *id;
  ConfabAccount      *account;
  nua_handle_t       *nh;
  gboolean            incoming;
  char               *remote_uri;
  char               *remote_display;
  char               *remote_contact;    /* Contact of an incoming INVITE */
  char               *media_address;
  ConfabSessionState  state;
  guint               end_status;
  char               *end_reason;
  gboolean            local_hold;
  gboolean            remote_hold;
  GListStore         *streams;
  ConfabSdp          *remote_sdp;        /* the peer's last offer or answer */
  char               *pending_answer;    /* our SDP for the 200: the answer, or our
                                            offer when the INVITE had none */
  guint64             sdp_session_id;
  guint64             sdp_version;
  gboolean            offer_outstanding; /* we sent an offer, no answer yet */
  gboolean            repeating_offer;   /* …and it repeats our last SDP (refresh) */
  char               *local_sdp;         /* the last SDP we sent */
  ConfabSdp          *offer_in_2xx;      /* an offer in a 2xx to our INVITE, answered in the ACK */
  gboolean            bye_after_ack;     /* hung up while the INVITE was in flight */
  sip_event_t        *refer_event;       /* the peer's REFER, for our NOTIFYs (handle home) */
  guint               auth_attempts;
  gint64              established_time;
  gboolean            remote_focus;      /* ;isfocus on the peer's Contact */
  ConfabConference   *conference;        /* the room, when remote_focus */
  char               *referred_by;       /* Referred-By of an incoming INVITE */

  /* Streams still preparing (ICE asking STUN/TURN servers): what to do
   * once they are all ready (confab-session-sdp.c). */
  void              (*when_ready)        (ConfabSession *self);
  ConfabSession      *invite_referrer;   /* for the INVITE that waits */
  ConfabSdp          *offer_to_answer;   /* the INVITE's offer, answered once ready */
  gboolean            answer_stale;      /* pending_answer was made before then */

  /* Makes streams for m-lines a peer's re-INVITE adds (the session
   * manager's factory). */
  gpointer            stream_factory;    /* ConfabStreamFactory */
  gpointer            stream_factory_data;
};

/* Offer/answer over all m-lines (confab-session-sdp.c). */
char      *_confab_session_build_sdp_text     (ConfabSession    *self,
                                               GPtrArray        *media);
char      *_confab_session_build_offer        (ConfabSession    *self,
                                               GError          **error);
char      *_confab_session_build_answer       (ConfabSession    *self,
                                               const ConfabSdp  *offer,
                                               GError          **error);
gboolean   _confab_session_update_remote_hold (ConfabSession    *self,
                                               const ConfabSdp  *offer);
ConfabSdp *_confab_session_parse_body         (const sip_t      *sip,
                                               GError          **error);
gboolean   _confab_session_apply_answer       (ConfabSession    *self,
                                               const ConfabSdp  *answer,
                                               GError          **error);
gboolean   _confab_session_offer_is_unchanged (ConfabSession    *self,
                                               const ConfabSdp  *offer);
void       _confab_session_start_streams      (ConfabSession    *self);
gboolean   _confab_session_prepare_streams    (ConfabSession    *self,
                                               const ConfabSdp  *offer,
                                               GError          **error);
gboolean   _confab_session_streams_ready      (ConfabSession    *self);
void       _confab_session_when_ready         (ConfabSession    *self,
                                               void            (*then) (ConfabSession *self));
void       _confab_session_notify_remote_hold (ConfabSession    *self);

/* Conferences: notes ;isfocus from an INVITE or its 2xx (confab-session.c). */
void       _confab_session_note_focus         (ConfabSession      *self,
                                               const sip_t        *sip);
void       _confab_session_set_conference     (ConfabSession      *self,
                                               ConfabConference   *conference);

/* Shared by confab-session.c and confab-session-events.c. */
void       _confab_session_set_state          (ConfabSession      *self,
                                               ConfabSessionState  state);
void       _confab_session_end                (ConfabSession      *self,
                                               guint               status,
                                               const char         *reason);
const char *_confab_session_describe_status   (guint               status);
void       _confab_session_respond_with_sdp   (ConfabSession      *self,
                                               int                 status,
                                               const char         *phrase,
                                               const char         *sdp);
void       _confab_session_note_peer_allow    (ConfabSession      *self,
                                               const sip_t        *sip);
void       _confab_session_emit_transfer      (ConfabSession      *self,
                                               const char         *target);

/* Makes the stream answering one offered m-line, or NULL to decline it;
 * @streams holds those made so far. With @offer NULL (an INVITE without an
 * offer) it makes the streams to offer, one a call, until it returns NULL. */
typedef ConfabStream *(*ConfabStreamFactory) (ConfabSession        *session,
                                              const ConfabSdpMedia *offer,
                                              GListModel           *streams,
                                              gpointer              user_data);

void           _confab_session_set_stream_factory (ConfabSession       *self,
                                                   ConfabStreamFactory  factory,
                                                   gpointer             factory_data);
gboolean       _confab_session_add_stream     (ConfabSession       *self,
                                               ConfabStream        *stream,
                                               GError             **error);
/* For m-lines beyond our streams in a peer's offer (re-INVITE). */
void           _confab_session_add_offered_streams (ConfabSession   *self,
                                                    const ConfabSdp *offer);

ConfabSession *_confab_session_new_outgoing   (const char          *id,
                                               ConfabAccount       *account,
                                               const char          *remote_uri,
                                               GPtrArray           *streams,
                                               const char          *media_address);
gboolean       _confab_session_send_invite    (ConfabSession       *self,
                                               ConfabSession       *referrer,
                                               GError             **error);
ConfabSession *_confab_session_new_incoming   (const char          *id,
                                               ConfabAccount       *account,
                                               nua_handle_t        *nh,
                                               const sip_t         *sip,
                                               const char          *media_address,
                                               ConfabStreamFactory  factory,
                                               gpointer             factory_data,
                                               int                 *reject_status,
                                               GError             **error);
void           _confab_session_handle_event   (ConfabSession       *self,
                                               nua_event_t          event,
                                               int                  status,
                                               const char          *phrase,
                                               nua_handle_t        *nh,
                                               const sip_t         *sip,
                                               tagi_t               tags[]);

G_END_DECLS
