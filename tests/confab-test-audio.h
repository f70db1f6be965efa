/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Test audio: 16-bit mono PCM WAV files, tones, and a Goertzel detector to
 * tell which tone a recording holds. */

typedef struct
{
  guint   rate;
  gsize   n_samples;
  gint16 *samples;
} ConfabTestAudio;

ConfabTestAudio *confab_test_audio_new         (guint            rate,
                                                double           seconds);
void             confab_test_audio_free        (ConfabTestAudio *audio);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabTestAudio, confab_test_audio_free)

/* Adds a sine of the given frequency and peak amplitude (0..1 of full
 * scale) from start_s for duration_s seconds (clipped to the buffer). */
void             confab_test_audio_add_tone    (ConfabTestAudio *audio,
                                                double           frequency,
                                                double           amplitude,
                                                double           start_s,
                                                double           duration_s);
double           confab_test_audio_duration    (const ConfabTestAudio *audio);

gboolean         confab_test_audio_write_wav   (const ConfabTestAudio *audio,
                                                const char      *path,
                                                GError         **error);
/* Reads a PCM WAV of 16-bit samples; several channels are averaged. */
ConfabTestAudio *confab_test_audio_read_wav    (const char      *path,
                                                GError         **error);

/* Amplitude (0..1 of full scale) of the sine at this frequency between
 * start_s and end_s (end_s < 0: to the end), by the Goertzel algorithm. */
double           confab_test_audio_tone_level  (const ConfabTestAudio *audio,
                                                double           frequency,
                                                double           start_s,
                                                double           end_s);
/* RMS level (0..1 of full scale) between start_s and end_s. */
double           confab_test_audio_rms         (const ConfabTestAudio *audio,
                                                double           start_s,
                                                double           end_s);
/* Start of the first 5 ms block from start_s on where the tone's amplitude
 * reaches threshold; -1 if it never does. */
double           confab_test_audio_find_tone   (const ConfabTestAudio *audio,
                                                double           frequency,
                                                double           threshold,
                                                double           start_s);

G_END_DECLS
