/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "confab-ice.h"

G_BEGIN_DECLS

/* ConfabRtpAudio: one RTP audio stream on GStreamer, headless. The session
 * layer does SIP and SDP; this object only moves audio:
 *
 *   prepare()  binds the UDP ports now, for the offer or answer (or
 *              prepare_ice() sends and receives through ICE instead);
 *   start()    runs the call with what offer/answer agreed on;
 *   stop()     ends it (bounded), finishes WAV files, releases the ports.
 *
 * Microphone and speaker by default (the system's, or those chosen with
 * set_devices(); with echo cancellation and noise suppression at 32 kHz
 * unless set_echo_cancel() turns them off); WAV files instead with
 * set_input_file() and set_output_file(). Statistics are properties, refreshed every second;
 * failures arrive as the "error" signal, DTMF from the peer as
 * "dtmf-received". Everything is reported on the thread-default main
 * context of the thread that created the object. */

/* What offer/answer agreed on for one audio stream; the session layer fills
 * it from the negotiated SDP. Strings and keys are copied by start(). */
typedef struct
{
  const char   *remote_address;      /* numeric IPv4 or IPv6 address */
  guint         remote_port;
  guint         remote_rtcp_port;    /* 0: remote_port + 1 */
  gboolean      rtcp_mux;            /* RFC 5761: RTCP on the RTP ports */
  guint         payload_type;
  const char   *encoding;            /* "opus", "G722", "PCMU", "PCMA" (any case) */
  guint         clock_rate;          /* RTP clock: 48000 opus, 8000 G722/PCMU/PCMA */
  guint         channels;            /* from the rtpmap; we send mono */
  guint         dtmf_payload_type;   /* telephone-event; 0: none */
  guint         dtmf_clock_rate;     /* 0: clock_rate */
  guint         ptime;               /* ms per packet; 0: 20 */
  const char   *srtp_suite;          /* NULL: plain RTP; "AES_CM_128_HMAC_SHA1_80", ... */
  const guint8 *srtp_local_key;      /* master key || salt we encrypt with */
  gsize         srtp_local_key_len;
  const guint8 *srtp_remote_key;     /* master key || salt the peer encrypts with */
  gsize         srtp_remote_key_len;
  gboolean      send;                /* initial direction; see set_direction() */
  gboolean      receive;
} ConfabRtpAudioParams;

#define CONFAB_TYPE_RTP_AUDIO (confab_rtp_audio_get_type ())
G_DECLARE_FINAL_TYPE (ConfabRtpAudio, confab_rtp_audio, CONFAB, RTP_AUDIO, GObject)

ConfabRtpAudio *confab_rtp_audio_new                 (void);

gboolean        confab_rtp_audio_prepare             (ConfabRtpAudio             *self,
                                                      const char                 *bind_address,
                                                      GError                    **error);
gboolean        confab_rtp_audio_prepare_ice         (ConfabRtpAudio             *self,
                                                      ConfabIce                  *ice,
                                                      GError                    **error);
gboolean        confab_rtp_audio_prepare_ports       (ConfabRtpAudio             *self,
                                                      const char                 *bind_address,
                                                      guint                       rtp_port,
                                                      guint                       rtcp_port,
                                                      GError                    **error);
guint           confab_rtp_audio_get_local_port      (ConfabRtpAudio             *self);
guint           confab_rtp_audio_get_local_rtcp_port (ConfabRtpAudio             *self);

void            confab_rtp_audio_set_input_file      (ConfabRtpAudio             *self,
                                                      const char                 *wav_path);
void            confab_rtp_audio_set_output_file     (ConfabRtpAudio             *self,
                                                      const char                 *wav_path);
void            confab_rtp_audio_set_devices         (ConfabRtpAudio             *self,
                                                      const char                 *input_device,
                                                      const char                 *output_device);
void            confab_rtp_audio_set_echo_cancel     (ConfabRtpAudio             *self,
                                                      gboolean                    echo_cancel);

gboolean        confab_rtp_audio_start               (ConfabRtpAudio             *self,
                                                      const ConfabRtpAudioParams *params,
                                                      GError                    **error);
void            confab_rtp_audio_stop                (ConfabRtpAudio             *self);
gboolean        confab_rtp_audio_is_running          (ConfabRtpAudio             *self);
gboolean        confab_rtp_audio_set_remote_key      (ConfabRtpAudio             *self,
                                                      const guint8               *key,
                                                      gsize                       key_len);

void            confab_rtp_audio_set_direction       (ConfabRtpAudio             *self,
                                                      gboolean                    send,
                                                      gboolean                    receive);
gboolean        confab_rtp_audio_get_muted           (ConfabRtpAudio             *self);
void            confab_rtp_audio_set_muted           (ConfabRtpAudio             *self,
                                                      gboolean                    muted);
gboolean        confab_rtp_audio_send_dtmf           (ConfabRtpAudio             *self,
                                                      char                        digit,
                                                      guint                       duration_ms);

gboolean        confab_rtp_audio_start_recording     (ConfabRtpAudio             *self,
                                                      const char                 *wav_path,
                                                      GError                    **error);
void            confab_rtp_audio_stop_recording      (ConfabRtpAudio             *self);
gboolean        confab_rtp_audio_is_recording        (ConfabRtpAudio             *self);

const char     *confab_rtp_audio_get_codec           (ConfabRtpAudio             *self);
guint64         confab_rtp_audio_get_packets_sent    (ConfabRtpAudio             *self);
guint64         confab_rtp_audio_get_packets_received (ConfabRtpAudio            *self);
double          confab_rtp_audio_get_packet_loss     (ConfabRtpAudio             *self);
double          confab_rtp_audio_get_jitter_ms       (ConfabRtpAudio             *self);
double          confab_rtp_audio_get_rtt_ms          (ConfabRtpAudio             *self);

G_END_DECLS
