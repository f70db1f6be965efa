/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "confab-account.h"
#include "confab-stream.h"
#include "conference/confab-conference.h"

G_BEGIN_DECLS

typedef enum
{
  CONFAB_SESSION_STATE_INCOMING,      /* an offer arrived; ringing here */
  CONFAB_SESSION_STATE_CALLING,       /* INVITE sent */
  CONFAB_SESSION_STATE_RINGING,       /* 180 from the peer */
  CONFAB_SESSION_STATE_EARLY_MEDIA,   /* 183 with an answer */
  CONFAB_SESSION_STATE_CONNECTING,    /* answered, waiting for ACK */
  CONFAB_SESSION_STATE_ESTABLISHED,
  CONFAB_SESSION_STATE_TERMINATING,
  CONFAB_SESSION_STATE_TERMINATED,
} ConfabSessionState;

/* One SIP dialog with N streams; runs offer/answer over all of them. */
#define CONFAB_TYPE_SESSION (confab_session_get_type ())
G_DECLARE_FINAL_TYPE (ConfabSession, confab_session, CONFAB, SESSION, GObject)

const char         *confab_session_get_id            (ConfabSession *self);
ConfabAccount      *confab_session_get_account       (ConfabSession *self);
gboolean            confab_session_is_incoming       (ConfabSession *self);
const char         *confab_session_get_remote_uri    (ConfabSession *self);
const char         *confab_session_get_remote_display (ConfabSession *self);
const char         *confab_session_get_callback_uri  (ConfabSession *self);
ConfabSessionState  confab_session_get_state         (ConfabSession *self);
/* Why it ended: SIP status (486, 603, 404, 487, 408…) and words for it. */
guint               confab_session_get_end_status    (ConfabSession *self);
const char         *confab_session_get_end_reason    (ConfabSession *self);
gboolean            confab_session_get_local_hold    (ConfabSession *self);
gboolean            confab_session_get_remote_hold   (ConfabSession *self);
GListModel         *confab_session_get_streams       (ConfabSession *self);
ConfabStream       *confab_session_find_stream       (ConfabSession *self,
                                                      GType          type);
gint64              confab_session_get_established_time (ConfabSession *self);

void                confab_session_accept            (ConfabSession *self);
void                confab_session_reject            (ConfabSession *self,
                                                      guint          status);
void                confab_session_hangup            (ConfabSession *self);
gboolean            confab_session_set_hold          (ConfabSession *self,
                                                      gboolean       hold,
                                                      GError       **error);
gboolean            confab_session_transfer          (ConfabSession *self,
                                                      const char    *target,
                                                      GError       **error);

/* Removes a stream from a running session by re-INVITE (port 0). */
gboolean            confab_session_remove_stream     (ConfabSession *self,
                                                      ConfabStream  *stream,
                                                      GError       **error);
const char         *confab_session_state_to_string   (ConfabSessionState state);

/* Conferences: whether the peer is a conference focus (";isfocus" on its
 * Contact, RFC 4579), and then the room it reports (property
 * "conference", set by the session manager once the session is up). */
gboolean            confab_session_is_focus          (ConfabSession *self);
ConfabConference   *confab_session_get_conference    (ConfabSession *self);
/* Who asked the focus to bring us in (Referred-By of an incoming INVITE),
 * else NULL. */
const char         *confab_session_get_referred_by   (ConfabSession *self);

G_END_DECLS
