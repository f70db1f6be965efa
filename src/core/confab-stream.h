/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sdp/confab-sdp.h"

G_BEGIN_DECLS

typedef enum
{
  CONFAB_STREAM_STATE_NEW,
  CONFAB_STREAM_STATE_NEGOTIATED,
  CONFAB_STREAM_STATE_ACTIVE,
  CONFAB_STREAM_STATE_ENDED,
  CONFAB_STREAM_STATE_FAILED,
} ConfabStreamState;

/* One m-line of a session: it describes itself in SDP and runs once the
 * offer/answer is done. Audio, chat, file transfer and screen sharing are
 * subclasses; the session knows none of them in particular. */
#define CONFAB_TYPE_STREAM (confab_stream_get_type ())
G_DECLARE_DERIVABLE_TYPE (ConfabStream, confab_stream, CONFAB, STREAM, GObject)

struct _ConfabStreamClass
{
  GObjectClass parent_class;

  const char     *media_type;   /* "audio", "message", … as on the m= line */

  /* Our offer for this stream; the stream remembers what it offered. */
  ConfabSdpMedia *(*create_offer)  (ConfabStream         *self,
                                    const char           *address,
                                    GError              **error);
  /* The peer's answer to our offer. */
  gboolean        (*apply_answer)  (ConfabStream         *self,
                                    const ConfabSdp      *sdp,
                                    const ConfabSdpMedia *answer,
                                    GError              **error);
  /* Our answer to the peer's offer. */
  ConfabSdpMedia *(*create_answer) (ConfabStream         *self,
                                    const ConfabSdp      *sdp,
                                    const ConfabSdpMedia *offer,
                                    const char           *address,
                                    GError              **error);
  gboolean        (*start)         (ConfabStream         *self,
                                    GError              **error);
  void            (*stop)          (ConfabStream         *self);
  /* Local hold changes what the next offer/answer says. */
  void            (*set_local_hold) (ConfabStream        *self,
                                     gboolean             hold);
  /* Optional: opens ports (and starts ICE gathering) ahead of the first
   * offer (@offer %NULL) or answer; the session waits for "ready" before
   * it describes the stream. */
  gboolean        (*prepare)       (ConfabStream         *self,
                                    const ConfabSdp      *sdp,
                                    const ConfabSdpMedia *offer,
                                    GError              **error);
  gboolean        (*is_ready)      (ConfabStream         *self);
};

const char        *confab_stream_get_media_type   (ConfabStream         *self);
ConfabStreamState  confab_stream_get_state        (ConfabStream         *self);
const char        *confab_stream_get_error_message (ConfabStream        *self);
ConfabSdpMedia    *confab_stream_create_offer     (ConfabStream         *self,
                                                   const char           *address,
                                                   GError              **error);
gboolean           confab_stream_apply_answer     (ConfabStream         *self,
                                                   const ConfabSdp      *sdp,
                                                   const ConfabSdpMedia *answer,
                                                   GError              **error);
ConfabSdpMedia    *confab_stream_create_answer    (ConfabStream         *self,
                                                   const ConfabSdp      *sdp,
                                                   const ConfabSdpMedia *offer,
                                                   const char           *address,
                                                   GError              **error);
gboolean           confab_stream_start            (ConfabStream         *self,
                                                   GError              **error);
void               confab_stream_stop             (ConfabStream         *self);
void               confab_stream_set_local_hold   (ConfabStream         *self,
                                                   gboolean              hold);
gboolean           confab_stream_get_local_hold   (ConfabStream         *self);

gboolean           confab_stream_prepare          (ConfabStream         *self,
                                                   const ConfabSdp      *sdp,
                                                   const ConfabSdpMedia *offer,
                                                   GError              **error);
gboolean           confab_stream_is_ready         (ConfabStream         *self);

/* For subclasses. */
void               _confab_stream_set_state       (ConfabStream         *self,
                                                   ConfabStreamState     state,
                                                   const char           *error_message);
void               _confab_stream_emit_ready      (ConfabStream         *self);

G_END_DECLS
