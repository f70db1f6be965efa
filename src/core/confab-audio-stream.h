/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-stream.h"
#include "media/confab-ice.h"

G_BEGIN_DECLS

/* The audio m-line: SDP offer/answer (core/sdp) driving an RTP endpoint
 * (core/media). Headless runs play and record WAV files. */
#define CONFAB_TYPE_AUDIO_STREAM (confab_audio_stream_get_type ())
G_DECLARE_FINAL_TYPE (ConfabAudioStream, confab_audio_stream, CONFAB, AUDIO_STREAM, ConfabStream)

ConfabAudioStream *confab_audio_stream_new            (const char        *bind_address);
void               confab_audio_stream_set_codecs     (ConfabAudioStream *self,
                                                       const char        *codecs);
void               confab_audio_stream_set_srtp_mode  (ConfabAudioStream *self,
                                                       int                mode);
void               confab_audio_stream_set_files      (ConfabAudioStream *self,
                                                       const char        *play_wav,
                                                       const char        *record_wav);
gboolean           confab_audio_stream_send_dtmf      (ConfabAudioStream *self,
                                                       const char        *digits,
                                                       GError           **error);
void               confab_audio_stream_set_muted      (ConfabAudioStream *self,
                                                       gboolean           muted);
/* "Opus 48 kHz · SRTP · 1% loss" */
char              *confab_audio_stream_dup_summary    (ConfabAudioStream *self);
const char        *confab_audio_stream_get_codec      (ConfabAudioStream *self);
guint              confab_audio_stream_get_clock_rate (ConfabAudioStream *self);
gboolean           confab_audio_stream_get_srtp       (ConfabAudioStream *self);
void               confab_audio_stream_set_ice        (ConfabAudioStream      *self,
                                                       gboolean                offer,
                                                       gboolean                accept,
                                                       const ConfabIceServers *servers);
gboolean           confab_audio_stream_get_ice        (ConfabAudioStream *self);
const char        *confab_audio_stream_get_ice_pair_type (ConfabAudioStream *self);
const char        *confab_audio_stream_get_ice_state  (ConfabAudioStream *self);
char             **confab_audio_stream_dup_ice_candidates (ConfabAudioStream *self,
                                                           gboolean           remote);

void               confab_audio_stream_set_devices     (ConfabAudioStream *self,
                                                        const char        *input_device,
                                                        const char        *output_device);
void               confab_audio_stream_set_echo_cancel (ConfabAudioStream *self,
                                                        gboolean           echo_cancel);
gboolean           confab_audio_stream_start_recording (ConfabAudioStream *self,
                                                        const char        *wav_path,
                                                        GError           **error);
void               confab_audio_stream_stop_recording  (ConfabAudioStream *self);
gboolean           confab_audio_stream_is_recording    (ConfabAudioStream *self);

G_END_DECLS
