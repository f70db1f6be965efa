/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-test-audio.h"

#include <math.h>
#include <string.h>

#define BLOCK_S 0.005

ConfabTestAudio *
confab_test_audio_new (guint  rate,
                       double seconds)
{
  ConfabTestAudio *audio = g_new0 (ConfabTestAudio, 1);

  g_assert (rate > 0 && seconds >= 0);
  audio->rate = rate;
  audio->n_samples = (gsize) llround (seconds * rate);
  audio->samples = g_new0 (gint16, MAX (audio->n_samples, 1));
  return audio;
}

void
confab_test_audio_free (ConfabTestAudio *audio)
{
  if (audio == NULL)
    return;
  g_free (audio->samples);
  g_free (audio);
}

static void
span (const ConfabTestAudio *audio,
      double                 start_s,
      double                 end_s,
      gsize                 *first,
      gsize                 *last)
{
  double start = MAX (start_s, 0) * audio->rate;
  double end = end_s < 0 ? (double) audio->n_samples : end_s * audio->rate;

  *first = (gsize) MIN (start, (double) audio->n_samples);
  *last = (gsize) MIN (MAX (end, (double) *first), (double) audio->n_samples);
}

void
confab_test_audio_add_tone (ConfabTestAudio *audio,
                            double           frequency,
                            double           amplitude,
                            double           start_s,
                            double           duration_s)
{
  gsize first, last;

  span (audio, start_s, start_s + duration_s, &first, &last);
  for (gsize i = first; i < last; i++) {
    double value = audio->samples[i] +
                   amplitude * 32767.0 * sin (2 * G_PI * frequency * (i - first) / audio->rate);

    audio->samples[i] = (gint16) CLAMP (lround (value), -32768, 32767);
  }
}

double
confab_test_audio_duration (const ConfabTestAudio *audio)
{
  return (double) audio->n_samples / audio->rate;
}

static void
put_u32 (guint8 *p,
         guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, 4);
}

static void
put_u16 (guint8 *p,
         guint16 v)
{
  v = GUINT16_TO_LE (v);
  memcpy (p, &v, 2);
}

gboolean
confab_test_audio_write_wav (const ConfabTestAudio *audio,
                             const char            *path,
                             GError               **error)
{
  gsize data_len = audio->n_samples * 2;
  g_autofree guint8 *file = g_malloc0 (44 + data_len);

  memcpy (file, "RIFF", 4);
  put_u32 (file + 4, (guint32) (36 + data_len));
  memcpy (file + 8, "WAVEfmt ", 8);
  put_u32 (file + 16, 16);
  put_u16 (file + 20, 1);                        /* PCM */
  put_u16 (file + 22, 1);                        /* mono */
  put_u32 (file + 24, audio->rate);
  put_u32 (file + 28, audio->rate * 2);          /* bytes per second */
  put_u16 (file + 32, 2);                        /* block align */
  put_u16 (file + 34, 16);                       /* bits per sample */
  memcpy (file + 36, "data", 4);
  put_u32 (file + 40, (guint32) data_len);
  for (gsize i = 0; i < audio->n_samples; i++)
    put_u16 (file + 44 + 2 * i, (guint16) audio->samples[i]);

  return g_file_set_contents (path, (const char *) file, (gssize) (44 + data_len), error);
}

static guint32
get_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static guint16
get_u16 (const guint8 *p)
{
  guint16 v;

  memcpy (&v, p, 2);
  return GUINT16_FROM_LE (v);
}

ConfabTestAudio *
confab_test_audio_read_wav (const char *path,
                            GError    **error)
{
  g_autofree char *contents = NULL;
  const guint8 *p, *end;
  gsize length = 0;
  guint channels = 0, rate = 0, bits = 0;
  ConfabTestAudio *audio;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  p = (const guint8 *) contents;
  end = p + length;

  if (length < 12 || memcmp (p, "RIFF", 4) != 0 || memcmp (p + 8, "WAVE", 4) != 0)
    goto bad;
  p += 12;

  /* Walk the chunks; a header not rewritten at the end reads as empty. */
  while (end - p >= 8) {
    guint32 size = get_u32 (p + 4);
    const guint8 *body = p + 8;

    if (memcmp (p, "fmt ", 4) == 0 && size >= 16 && end - body >= 16) {
      if (get_u16 (body) != 1)
        goto bad;
      channels = get_u16 (body + 2);
      rate = get_u32 (body + 4);
      bits = get_u16 (body + 14);
    } else if (memcmp (p, "data", 4) == 0) {
      gsize frames;

      if (channels == 0 || rate == 0 || bits != 16)
        goto bad;
      size = (guint32) MIN ((gsize) size, (gsize) (end - body));
      frames = size / (2 * channels);
      audio = confab_test_audio_new (rate, 0);
      g_free (audio->samples);
      audio->n_samples = frames;
      audio->samples = g_new0 (gint16, MAX (frames, 1));
      for (gsize i = 0; i < frames; i++) {
        int sum = 0;

        for (guint c = 0; c < channels; c++)
          sum += (gint16) get_u16 (body + 2 * (i * channels + c));
        audio->samples[i] = (gint16) (sum / (int) channels);
      }
      return audio;
    }
    if ((gsize) (end - body) < size)
      break;
    p = body + size + (size & 1);
  }

bad:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is not a 16-bit PCM WAV file", path);
  return NULL;
}

static double
goertzel (const gint16 *samples,
          gsize         n,
          guint         rate,
          double        frequency)
{
  double coeff = 2 * cos (2 * G_PI * frequency / rate);
  double s1 = 0, s2 = 0, power;

  if (n == 0)
    return 0;
  for (gsize i = 0; i < n; i++) {
    double s0 = samples[i] / 32768.0 + coeff * s1 - s2;

    s2 = s1;
    s1 = s0;
  }
  power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  /* A sine of amplitude A over n samples gives a magnitude of A * n / 2. */
  return 2 * sqrt (MAX (power, 0)) / n;
}

double
confab_test_audio_tone_level (const ConfabTestAudio *audio,
                              double                 frequency,
                              double                 start_s,
                              double                 end_s)
{
  gsize first, last;

  span (audio, start_s, end_s, &first, &last);
  return goertzel (audio->samples + first, last - first, audio->rate, frequency);
}

double
confab_test_audio_rms (const ConfabTestAudio *audio,
                       double                 start_s,
                       double                 end_s)
{
  gsize first, last;
  double sum = 0;

  span (audio, start_s, end_s, &first, &last);
  if (last == first)
    return 0;
  for (gsize i = first; i < last; i++)
    sum += (audio->samples[i] / 32768.0) * (audio->samples[i] / 32768.0);
  return sqrt (sum / (last - first));
}

double
confab_test_audio_find_tone (const ConfabTestAudio *audio,
                             double                 frequency,
                             double                 threshold,
                             double                 start_s)
{
  double duration = confab_test_audio_duration (audio);

  for (double t = MAX (start_s, 0); t + BLOCK_S <= duration; t += BLOCK_S) {
    if (confab_test_audio_tone_level (audio, frequency, t, t + BLOCK_S) >= threshold)
      return t;
  }
  return -1;
}
