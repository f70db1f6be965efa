/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-ice.h"
#include "confab-rtp-audio.h"

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/* Everything inside the pipeline runs on this raw format: the echo canceller
 * works best at 32 kHz (Blink found it does not engage at 44.1 kHz). */
#define CONFAB_RTP_AUDIO_RATE       32000
#define CONFAB_RTP_AUDIO_CAPS       "audio/x-raw, format=(string)S16LE, " \
                                    "layout=(string)interleaved, rate=(int)32000, channels=(int)1"
/* Live sources and mixers move audio in blocks of this length. */
#define CONFAB_RTP_AUDIO_BLOCK_MS   20
#define CONFAB_RTP_AUDIO_JITTER_MS  60
#define CONFAB_RTP_AUDIO_MAX_KEY    46

typedef struct
{
  const char *name;           /* as in SDP, matched case-insensitively */
  const char *rtp_name;       /* encoding-name in RTP caps */
  const char *encoder;
  const char *payloader;
  const char *depayloader;
  const char *decoder;
  guint       raw_rate;       /* sample rate the encoder is fed */
  const char *package;        /* Debian package holding the encoder */
} ConfabRtpCodec;

typedef struct
{
  const char *name;           /* RFC 4568 crypto-suite */
  const char *cipher;         /* srtpenc/srtpdec enum nicks */
  const char *rtp_auth;
  const char *rtcp_auth;
  gsize       key_len;        /* master key + salt */
} ConfabSrtpSuite;

typedef struct _ConfabWavBranch ConfabWavBranch;

struct _ConfabRtpAudio
{
  GObject                parent_instance;

  GMainContext          *context;

  /* From prepare() until stop(). */
  GSocket               *rtp_socket;
  GSocket               *rtcp_socket;
  guint                  local_port;
  guint                  local_rtcp_port;
  ConfabIce             *ice;           /* instead of the sockets */

  /* Settings applied at the next start(). */
  char                  *input_file;
  char                  *output_file;
  char                  *input_device_desc;   /* tests: replaces the device source */
  char                  *output_device_desc;  /* tests: replaces the device sink */
  char                  *input_device;        /* a ConfabAudioDevice id; NULL: default */
  char                  *output_device;
  gboolean               echo_cancel;         /* webrtcdsp and its probe */
  guint                  rtcp_interval_ms;

  /* The running call. */
  GstElement            *pipeline;
  GstElement            *rtpbin;
  GstElement            *mic_source;    /* the device, to name it in errors */
  GstElement            *speaker_sink;
  GstElement            *mic_volume;
  GstElement            *mic_tee;
  GstElement            *out_mixer;
  GstElement            *out_tee;
  GstElement            *send_valve;
  GstElement            *dtmf_src;
  GstElement            *srtpdec;
  GstElement            *file_elements[6];  /* input file branch, downstream first */
  GSource               *bus_source;
  GSource               *stats_source;
  gboolean               error_emitted;
  ConfabWavBranch       *output_branch;
  ConfabWavBranch       *record_branch;

  const ConfabRtpCodec  *codec;
  const ConfabSrtpSuite *suite;
  guint                  payload_type;
  guint                  clock_rate;
  guint                  dtmf_payload_type;
  guint                  dtmf_clock_rate;
  guint                  ptime;
  gboolean               rtcp_mux;
  guint8                 remote_key[CONFAB_RTP_AUDIO_MAX_KEY];
  gsize                  remote_key_len;

  gboolean               sending;
  gboolean               receiving;
  gboolean               muted;

  /* Guards what streaming threads touch: the remote branches and stopping. */
  GMutex                 lock;
  GPtrArray             *remote_pads;  /* out_mixer pads fed by remote streams */
  gboolean               stopping;

  GQueue                 dtmf_queue;
  GSource               *dtmf_source;
  gboolean               dtmf_tone_on;

  guint64                packets_sent;
  guint64                packets_received;
  double                 packet_loss;
  double                 jitter_ms;
  double                 rtt_ms;
  guint64                last_expected;
  guint64                last_received;
};

/* confab-rtp-audio.c */
void                   _confab_rtp_audio_notify_local_port (ConfabRtpAudio *self);
void                   _confab_rtp_audio_update_stats (ConfabRtpAudio *self,
                                                       guint64         packets_sent,
                                                       guint64         packets_received,
                                                       double          packet_loss,
                                                       double          jitter_ms,
                                                       double          rtt_ms);
void                   _confab_rtp_audio_emit_dtmf    (ConfabRtpAudio *self,
                                                       guint8          event);

/* confab-rtp-audio-codec.c */
const ConfabRtpCodec  *_confab_rtp_codec_find         (const char     *name);
const ConfabSrtpSuite *_confab_srtp_suite_find        (const char     *name);
GstCaps               *_confab_rtp_audio_rtp_caps     (ConfabRtpAudio *self,
                                                       guint           pt,
                                                       gboolean        srtp);
GstElement            *_confab_rtp_audio_make         (const char     *factory,
                                                       const char     *package,
                                                       GError        **error);
gboolean               _confab_rtp_audio_check_codec  (const ConfabRtpCodec *codec,
                                                       GError        **error);
void                   _confab_secure_clear           (gpointer        data,
                                                       gsize           len);

/* confab-rtp-audio-pipeline.c */
gboolean               _confab_rtp_audio_build        (ConfabRtpAudio *self,
                                                       const ConfabRtpAudioParams *params,
                                                       GError        **error);
void                   _confab_rtp_audio_apply_receiving (ConfabRtpAudio *self);
void                   _confab_rtp_audio_play_file    (ConfabRtpAudio *self);
GstElement            *_confab_rtp_audio_add          (ConfabRtpAudio *self,
                                                       const char     *factory,
                                                       GError        **error);
gboolean               _confab_rtp_audio_link_pads    (GstElement     *src,
                                                       const char     *src_pad,
                                                       GstElement     *sink,
                                                       const char     *sink_pad);
gboolean               _confab_rtp_audio_link_failed  (GError        **error);

/* confab-rtp-audio-transport.c */
gboolean               _confab_rtp_audio_bind_ports   (ConfabRtpAudio *self,
                                                       GInetAddress   *address,
                                                       GError        **error);
gboolean               _confab_rtp_audio_bind_exact   (ConfabRtpAudio *self,
                                                       GInetAddress   *address,
                                                       guint           rtp_port,
                                                       guint           rtcp_port,
                                                       GError        **error);
void                   _confab_rtp_audio_close_sockets (ConfabRtpAudio *self);
gboolean               _confab_rtp_audio_build_transport (ConfabRtpAudio *self,
                                                          const ConfabRtpAudioParams *params,
                                                          GInetAddress   *remote,
                                                          GError        **error);

/* confab-rtp-audio-record.c */
ConfabWavBranch       *_confab_wav_branch_new         (GstElement     *pipeline,
                                                       const char     *path,
                                                       GstElement     *tee_a,
                                                       GstElement     *tee_b,
                                                       GError        **error);
void                   _confab_wav_branch_finish      (ConfabWavBranch *branch,
                                                       GstElement      *pipeline,
                                                       gint64           deadline_us);
void                   _confab_wav_branch_free        (ConfabWavBranch *branch);

/* confab-rtp-audio-dtmf.c */
gboolean               _confab_rtp_audio_dtmf_event_for_digit (char digit,
                                                               guint8 *event);
char                   _confab_rtp_audio_dtmf_digit_for_event (guint8 event);
void                   _confab_rtp_audio_dtmf_watch_pad (ConfabRtpAudio *self,
                                                        GstPad         *pad);
void                   _confab_rtp_audio_dtmf_reset   (ConfabRtpAudio *self);
gboolean               _confab_rtp_audio_dtmf_queue   (ConfabRtpAudio *self,
                                                       guint8          event,
                                                       guint           duration_ms);

/* confab-rtp-audio-stats.c */
void                   _confab_rtp_audio_stats_start  (ConfabRtpAudio *self);
void                   _confab_rtp_audio_stats_stop   (ConfabRtpAudio *self);

/* For tests: a gst-launch description of the elements standing in for the
 * microphone and the speaker (e.g. "audiotestsrc is-live=true"), so the echo
 * canceller path runs without sound hardware; and a shorter RTCP interval. */
void                   _confab_rtp_audio_set_device_elements (ConfabRtpAudio *self,
                                                              const char     *source_desc,
                                                              const char     *sink_desc);
void                   _confab_rtp_audio_set_rtcp_interval   (ConfabRtpAudio *self,
                                                              guint           interval_ms);
GstElement            *_confab_rtp_audio_get_pipeline        (ConfabRtpAudio *self);

G_END_DECLS
