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
  char               *media_address;
  ConfabSessionState  state;
  guint               end_status;
  char               *end_reason;
  gboolean            local_hold;
  gboolean            remote_hold;
  GListStore         *streams;
  ConfabSdp          *remote_sdp;        /* the peer's last offer or answer */
  char               *pending_answer;    /* our answer to the initial offer */
  guint64             sdp_session_id;
  guint64             sdp_version;
  gboolean            offer_outstanding; /* we sent an offer, no answer yet */
  guint               auth_attempts;
  gint64              established_time;
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
void       _confab_session_start_streams      (ConfabSession    *self);
void       _confab_session_notify_remote_hold (ConfabSession    *self);

/* Makes the stream answering one offered m-line, or NULL to decline it. */
typedef ConfabStream *(*ConfabStreamFactory) (const ConfabSdpMedia *offer,
                                              gpointer              user_data);

ConfabSession *_confab_session_new_outgoing   (const char          *id,
                                               ConfabAccount       *account,
                                               const char          *remote_uri,
                                               GPtrArray           *streams,
                                               const char          *media_address);
gboolean       _confab_session_send_invite    (ConfabSession       *self,
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
