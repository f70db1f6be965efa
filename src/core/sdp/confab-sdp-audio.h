/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-sdp.h"

G_BEGIN_DECLS

/* Audio offer/answer (RFC 3264) with SRTP keyed in SDP (SDES, RFC 4568). */

/* What a negotiation settled, for the media layer. */
typedef struct
{
  ConfabSdpCodec    *codec;            /* the peer's payload type and fmtp */
  ConfabSdpCodec    *dtmf;             /* telephone-event, or NULL */
  char              *remote_address;
  guint              remote_port;
  guint              remote_rtcp_port; /* a=rtcp, else port + 1; the RTP port with rtcp-mux */
  gboolean           rtcp_mux;
  ConfabSdpDirection direction;        /* ours: what we send and receive */
  gboolean           srtp;
  char              *srtp_suite;       /* "AES_CM_128_HMAC_SHA1_80" */
  char              *local_key;        /* base64 key||salt we send with */
  char              *remote_key;       /* base64 key||salt we receive with */
  guint              ptime;            /* packet time the peer asked for, ms */
} ConfabSdpAudioResult;

GPtrArray       *confab_sdp_audio_default_codecs  (const char                 *names);
ConfabSdpMedia  *confab_sdp_audio_build_offer     (const char                 *address,
                                                   guint                       port,
                                                   GPtrArray                  *codecs,
                                                   ConfabSrtpMode              srtp,
                                                   gboolean                    rtcp_mux,
                                                   ConfabSdpDirection          direction,
                                                   char                      **out_local_key);
ConfabSdpMedia  *confab_sdp_audio_negotiate_answer (const ConfabSdp           *offer_sdp,
                                                    const ConfabSdpMedia      *offer,
                                                    GPtrArray                 *local_codecs,
                                                    ConfabSrtpMode             srtp,
                                                    const char                *address,
                                                    guint                      port,
                                                    ConfabSdpDirection         local_direction,
                                                    ConfabSdpAudioResult      *result,
                                                    GError                   **error);
gboolean         confab_sdp_audio_apply_answer    (const ConfabSdpMedia       *our_offer,
                                                   const ConfabSdp            *answer_sdp,
                                                   const ConfabSdpMedia       *answer,
                                                   ConfabSdpAudioResult       *result,
                                                   GError                    **error);

void             confab_sdp_audio_result_clear    (ConfabSdpAudioResult       *result);
void             confab_sdp_audio_result_free     (ConfabSdpAudioResult       *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConfabSdpAudioResult, confab_sdp_audio_result_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabSdpAudioResult, confab_sdp_audio_result_free)

G_END_DECLS
