/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "confab-test-audio.h"
#include "media/confab-rtp-audio.h"
#include "media/confab-rtp-audio-private.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* Two real endpoints on 127.0.0.1: A plays a 1000 Hz tone, B 1800 Hz (both
 * inside G.711's band); each writes what it would play to a WAV file, and
 * the Goertzel detector tells which tone arrived. */

#define TONE_A        1000.0
#define TONE_B        1800.0
#define TONE_LEVEL    0.3
#define CALL_MS       3000
#define HEARD         0.08   /* the other side's tone, at least */
#define NOT_HEARD     0.01   /* a tone that must not be there, at most */

typedef struct
{
  ConfabRtpAudio *audio;
  char           *input;
  char           *output;
  GString        *dtmf;
  guint           errors;
} Endpoint;

typedef struct
{
  const char *encoding;
  guint       payload_type;
  guint       clock_rate;
  guint       input_rate;       /* sample rate of the generated WAV */
  guint       dtmf_payload_type;
  const char *srtp_suite;
  gboolean    rtcp_mux;
  gboolean    wrong_keys;
  double      tone_b_start;     /* B's tone starts late: latency marker */
  gboolean    ipv6;
} Call;

static char *tmp_dir;

static void
on_dtmf_received (ConfabRtpAudio *audio,
                  guint8          event,
                  char            digit,
                  Endpoint       *endpoint)
{
  g_string_append_c (endpoint->dtmf, digit);
}

static void
on_error (ConfabRtpAudio *audio,
          GError         *error,
          Endpoint       *endpoint)
{
  g_test_message ("pipeline error: %s", error->message);
  endpoint->errors++;
}

static void
endpoint_init_full (Endpoint   *endpoint,
                    const char *name,
                    guint       rate,
                    double      frequency,
                    double      tone_start,
                    const char *address)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabTestAudio) tone = confab_test_audio_new (rate, 5.0);
  g_autofree char *in_name = g_strdup_printf ("%s-in.wav", name);
  g_autofree char *out_name = g_strdup_printf ("%s-out.wav", name);

  endpoint->input = g_build_filename (tmp_dir, in_name, NULL);
  endpoint->output = g_build_filename (tmp_dir, out_name, NULL);
  endpoint->dtmf = g_string_new (NULL);
  endpoint->errors = 0;

  confab_test_audio_add_tone (tone, frequency, TONE_LEVEL, tone_start, 5.0);
  confab_test_audio_write_wav (tone, endpoint->input, &error);
  g_assert_no_error (error);

  endpoint->audio = confab_rtp_audio_new ();
  g_signal_connect (endpoint->audio, "dtmf-received", G_CALLBACK (on_dtmf_received), endpoint);
  g_signal_connect (endpoint->audio, "error", G_CALLBACK (on_error), endpoint);
  confab_rtp_audio_prepare (endpoint->audio, address, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (confab_rtp_audio_get_local_port (endpoint->audio), >, 0);
  confab_rtp_audio_set_input_file (endpoint->audio, endpoint->input);
  confab_rtp_audio_set_output_file (endpoint->audio, endpoint->output);
  _confab_rtp_audio_set_rtcp_interval (endpoint->audio, 500);
}

static void
endpoint_init (Endpoint   *endpoint,
               const char *name,
               guint       rate,
               double      frequency,
               double      tone_start)
{
  endpoint_init_full (endpoint, name, rate, frequency, tone_start, "127.0.0.1");
}

static void
endpoint_clear (Endpoint *endpoint)
{
  g_clear_object (&endpoint->audio);
  /* CONFAB_KEEP_AUDIO=1 leaves the WAV files for a listen. */
  if (!g_getenv ("CONFAB_KEEP_AUDIO")) {
    g_unlink (endpoint->input);
    g_unlink (endpoint->output);
  } else {
    g_test_message ("kept %s and %s", endpoint->input, endpoint->output);
  }
  g_clear_pointer (&endpoint->input, g_free);
  g_clear_pointer (&endpoint->output, g_free);
  g_string_free (endpoint->dtmf, TRUE);
}

static void
fill_key (guint8 *key,
          gsize   len,
          guint8  seed)
{
  for (gsize i = 0; i < len; i++)
    key[i] = (guint8) (seed + i * 7);
}

static void
start_side (Endpoint   *self,
            Endpoint   *peer,
            const Call *call,
            guint8      send_seed,
            guint8      receive_seed)
{
  g_autoptr (GError) error = NULL;
  guint8 local_key[46], remote_key[46];
  gsize key_len = call->srtp_suite && strstr (call->srtp_suite, "256") ? 46 : 30;
  ConfabRtpAudioParams params = {
    .remote_address = call->ipv6 ? "::1" : "127.0.0.1",
    .remote_port = confab_rtp_audio_get_local_port (peer->audio),
    .remote_rtcp_port = confab_rtp_audio_get_local_rtcp_port (peer->audio),
    .rtcp_mux = call->rtcp_mux,
    .payload_type = call->payload_type,
    .encoding = call->encoding,
    .clock_rate = call->clock_rate,
    .channels = g_str_equal (call->encoding, "opus") ? 2 : 1,
    .dtmf_payload_type = call->dtmf_payload_type,
    .dtmf_clock_rate = call->clock_rate,
    .ptime = 20,
    .srtp_suite = call->srtp_suite,
    .send = TRUE,
    .receive = TRUE,
  };

  if (call->srtp_suite) {
    fill_key (local_key, key_len, send_seed);
    fill_key (remote_key, key_len, receive_seed);
    params.srtp_local_key = local_key;
    params.srtp_local_key_len = key_len;
    params.srtp_remote_key = remote_key;
    params.srtp_remote_key_len = key_len;
  }

  confab_rtp_audio_start (self->audio, &params, &error);
  g_assert_no_error (error);
  g_assert_true (confab_rtp_audio_is_running (self->audio));
}

static void
start_call (Endpoint   *a,
            Endpoint   *b,
            const Call *call)
{
  /* A encrypts with key 1 and B with key 2; wrong_keys makes each side
   * expect a key the other does not use. */
  start_side (a, b, call, 1, call->wrong_keys ? 3 : 2);
  start_side (b, a, call, 2, call->wrong_keys ? 4 : 1);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, on_timeout, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  (void) id;
}

static ConfabTestAudio *
read_output (Endpoint *endpoint)
{
  g_autoptr (GError) error = NULL;
  ConfabTestAudio *audio = confab_test_audio_read_wav (endpoint->output, &error);

  g_assert_no_error (error);
  g_assert_nonnull (audio);
  return audio;
}

static void
assert_hears (const ConfabTestAudio *audio,
              const char            *who,
              double                 heard,
              double                 own,
              double                 from_s)
{
  double level_heard = confab_test_audio_tone_level (audio, heard, from_s, -1);
  double level_own = confab_test_audio_tone_level (audio, own, from_s, -1);

  g_test_message ("%s: %.0f Hz at %.3f, %.0f Hz at %.4f (%.2f s)", who, heard, level_heard, own,
                  level_own, confab_test_audio_duration (audio));
  g_assert_cmpfloat (level_heard, >, HEARD);
  g_assert_cmpfloat (level_own, <, NOT_HEARD);
}

static void
assert_length (const ConfabTestAudio *audio,
               double                 seconds)
{
  g_assert_cmpfloat (confab_test_audio_duration (audio), >, seconds - 0.5);
  g_assert_cmpfloat (confab_test_audio_duration (audio), <, seconds + 0.5);
}

/* Seconds since a pipeline's base time, on the clock pipelines use. */
static double
running_s (GstClockTime base_time)
{
  g_autoptr (GstClock) clock = gst_system_clock_obtain ();

  return (double) (gst_clock_get_time (clock) - base_time) / GST_SECOND;
}

static void
run_tone_call (const Call *call)
{
  Endpoint a, b;
  g_autoptr (ConfabTestAudio) heard_by_a = NULL;
  g_autoptr (ConfabTestAudio) heard_by_b = NULL;
  GstClockTime base_a, base_b;
  double seconds, seconds_b;

  endpoint_init_full (&a, "a", call->input_rate, TONE_A, 0, call->ipv6 ? "::1" : "127.0.0.1");
  endpoint_init_full (&b, "b", call->input_rate, TONE_B, call->tone_b_start,
                      call->ipv6 ? "::1" : "127.0.0.1");

  start_call (&a, &b, call);
  base_a = gst_element_get_base_time (_confab_rtp_audio_get_pipeline (a.audio));
  base_b = gst_element_get_base_time (_confab_rtp_audio_get_pipeline (b.audio));
  run_for (CALL_MS);

  g_assert_cmpint (g_ascii_strcasecmp (confab_rtp_audio_get_codec (a.audio), call->encoding), ==,
                   0);
  g_test_message ("A: sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT
                  ", loss %.3f, jitter %.2f ms, rtt %.2f ms",
                  confab_rtp_audio_get_packets_sent (a.audio),
                  confab_rtp_audio_get_packets_received (a.audio),
                  confab_rtp_audio_get_packet_loss (a.audio),
                  confab_rtp_audio_get_jitter_ms (a.audio), confab_rtp_audio_get_rtt_ms (a.audio));

  /* Each file runs from its pipeline's start to its stop(). */
  seconds = running_s (base_a);
  confab_rtp_audio_stop (a.audio);
  seconds_b = running_s (base_b);
  confab_rtp_audio_stop (b.audio);
  g_assert_false (confab_rtp_audio_is_running (a.audio));
  g_assert_cmpuint (confab_rtp_audio_get_local_port (a.audio), ==, 0);

  heard_by_a = read_output (&a);
  heard_by_b = read_output (&b);
  assert_length (heard_by_a, seconds);
  assert_length (heard_by_b, seconds_b);
  g_assert_cmpuint (a.errors + b.errors, ==, 0);

  if (call->wrong_keys) {
    /* Nothing decrypts: silence on both sides, and no crash. */
    g_test_message ("wrong keys: %.4f / %.4f", confab_test_audio_rms (heard_by_a, 0, -1),
                    confab_test_audio_rms (heard_by_b, 0, -1));
    g_assert_cmpfloat (confab_test_audio_tone_level (heard_by_a, TONE_B, 0, -1), <, NOT_HEARD);
    g_assert_cmpfloat (confab_test_audio_tone_level (heard_by_b, TONE_A, 0, -1), <, NOT_HEARD);
    g_assert_cmpfloat (confab_test_audio_rms (heard_by_a, 0, -1), <, NOT_HEARD);
    g_assert_cmpuint (confab_rtp_audio_get_packets_sent (a.audio), >, 50);
    g_assert_cmpuint (confab_rtp_audio_get_packets_received (a.audio), ==, 0);
  } else {
    /* 20 ms packets in real time, no burst. */
    g_assert_cmpuint (confab_rtp_audio_get_packets_sent (a.audio), <=, seconds * 50 + 5);
    g_assert_cmpuint (confab_rtp_audio_get_packets_sent (b.audio), <=, seconds_b * 50 + 5);
    assert_hears (heard_by_a, "A", TONE_B, TONE_A, call->tone_b_start + 0.5);
    assert_hears (heard_by_b, "B", TONE_A, TONE_B, 0.5);
    g_assert_cmpuint (confab_rtp_audio_get_packets_sent (a.audio), >, 100);
    g_assert_cmpuint (confab_rtp_audio_get_packets_received (a.audio), >, 100);
    g_assert_cmpuint (confab_rtp_audio_get_packets_received (b.audio), >, 100);
    g_assert_cmpfloat (confab_rtp_audio_get_packet_loss (a.audio), <, 0.05);
    /* RTCP went both ways: A's sender report came back in B's report. */
    g_assert_cmpfloat (confab_rtp_audio_get_rtt_ms (a.audio), >, 0);
  }

  if (call->tone_b_start > 0) {
    double onset = confab_test_audio_find_tone (heard_by_a, TONE_B, TONE_LEVEL / 3, 0);
    double latency;

    g_assert_cmpfloat (onset, >, 0);
    /* Both pipelines run on the same monotonic clock. */
    latency = (base_a / (double) GST_SECOND + onset) -
              (base_b / (double) GST_SECOND + call->tone_b_start);
    g_test_message ("mouth-to-file latency B→A: %.0f ms", latency * 1000);
    g_assert_cmpfloat (latency, <, 0.3);
  }

  endpoint_clear (&a);
  endpoint_clear (&b);
}

static void
test_opus (void)
{
  Call call = { "opus", 111, 48000, 48000, 0, NULL, FALSE, FALSE, 1.0 };

  run_tone_call (&call);
}

static void
test_g722 (void)
{
  Call call = { "G722", 9, 8000, 16000, 0, NULL, FALSE, FALSE, 0 };

  run_tone_call (&call);
}

static void
test_pcmu (void)
{
  Call call = { "PCMU", 0, 8000, 8000, 0, NULL, FALSE, FALSE, 1.0 };

  run_tone_call (&call);
}

static void
test_pcma (void)
{
  Call call = { "pcma", 8, 8000, 8000, 0, NULL, FALSE, FALSE, 0 };

  run_tone_call (&call);
}

static void
test_opus_srtp80 (void)
{
  Call call = { "opus", 111, 48000, 48000, 0, "AES_CM_128_HMAC_SHA1_80", FALSE, FALSE, 0 };

  run_tone_call (&call);
}

static void
test_pcmu_srtp32 (void)
{
  Call call = { "PCMU", 0, 8000, 8000, 0, "AES_CM_128_HMAC_SHA1_32", FALSE, FALSE, 0 };

  run_tone_call (&call);
}

static void
test_rtcp_mux (void)
{
  Call call = { "opus", 96, 48000, 48000, 0, NULL, TRUE, FALSE, 0 };

  run_tone_call (&call);
}

static void
test_opus_srtp_mux (void)
{
  Call call = { "opus", 111, 48000, 48000, 0, "AES_CM_128_HMAC_SHA1_80", TRUE, FALSE, 0 };

  run_tone_call (&call);
}

static void
test_ipv6 (void)
{
  Call call = { "PCMA", 8, 8000, 8000, 0, "AES_256_CM_HMAC_SHA1_80", FALSE, FALSE, 0, TRUE };
  g_autoptr (GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  if (probe == NULL || !g_socket_bind (probe, address, FALSE, NULL)) {
    g_test_skip ("no IPv6 loopback");
    return;
  }
  run_tone_call (&call);
}

static void
test_srtp_wrong_keys (void)
{
  Call call = { "opus", 111, 48000, 48000, 0, "AES_CM_128_HMAC_SHA1_80", FALSE, TRUE, 0 };

  run_tone_call (&call);
}

static void
test_dtmf (void)
{
  Call call = { "opus", 111, 48000, 48000, 101, NULL, FALSE, FALSE, 0 };
  Endpoint a, b;
  gint64 deadline;

  endpoint_init (&a, "a", 48000, TONE_A, 0);
  endpoint_init (&b, "b", 48000, TONE_B, 0);
  start_call (&a, &b, &call);
  run_for (300);

  for (const char *digit = "123#"; *digit; digit++)
    g_assert_true (confab_rtp_audio_send_dtmf (a.audio, *digit, 100));
  g_assert_false (confab_rtp_audio_send_dtmf (a.audio, 'x', 100));
  g_assert_false (confab_rtp_audio_send_dtmf (b.audio, '\0', 100));

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (b.dtmf->len < 4 && g_get_monotonic_time () < deadline)
    run_for (100);
  run_for (300);
  g_test_message ("B received DTMF “%s”", b.dtmf->str);
  g_assert_cmpstr (b.dtmf->str, ==, "123#");
  g_assert_cmpstr (a.dtmf->str, ==, "");

  confab_rtp_audio_stop (a.audio);
  confab_rtp_audio_stop (b.audio);
  g_assert_cmpuint (a.errors + b.errors, ==, 0);
  endpoint_clear (&a);
  endpoint_clear (&b);
}

/* Hold without tearing down: A stops sending, then resumes while it stops
 * listening instead. */
static void
test_hold (void)
{
  Call call = { "PCMU", 0, 8000, 8000, 0, NULL, FALSE, FALSE, 0 };
  g_autoptr (ConfabTestAudio) heard_by_b = NULL;
  g_autoptr (ConfabTestAudio) heard_by_a = NULL;
  Endpoint a, b;
  GstClockTime base_a, base_b;
  double held_at, resumed_at, held_at_a, resumed_at_a;
  double before, on_hold, resumed, holding, deaf;

  endpoint_init (&a, "a", 8000, TONE_A, 0);
  endpoint_init (&b, "b", 8000, TONE_B, 0);
  start_call (&a, &b, &call);
  base_a = gst_element_get_base_time (_confab_rtp_audio_get_pipeline (a.audio));
  base_b = gst_element_get_base_time (_confab_rtp_audio_get_pipeline (b.audio));
  /* Long enough that start-up (jitter buffer, file branch) is well over. */
  run_for (2000);

  /* Marks in B's file and in A's, each on its own pipeline's time. Audio
   * lands where its RTP timestamp puts it: what resumes may show up a few
   * tens of ms before the call that resumed it, being captured earlier. */
  held_at = running_s (base_b);
  held_at_a = running_s (base_a);
  confab_rtp_audio_set_direction (a.audio, FALSE, TRUE);
  g_assert_false (confab_rtp_audio_send_dtmf (a.audio, '1', 100));
  run_for (1200);

  resumed_at = running_s (base_b);
  resumed_at_a = running_s (base_a);
  confab_rtp_audio_set_direction (a.audio, TRUE, FALSE);
  run_for (2000);

  confab_rtp_audio_stop (a.audio);
  confab_rtp_audio_stop (b.audio);

  heard_by_b = read_output (&b);
  heard_by_a = read_output (&a);
  before = confab_test_audio_tone_level (heard_by_b, TONE_A, 0.8, held_at - 0.1);
  on_hold = confab_test_audio_rms (heard_by_b, held_at + 0.3, resumed_at - 0.2);
  /* Bounded: B goes on recording (silence) while A is being stopped. */
  resumed = confab_test_audio_tone_level (heard_by_b, TONE_A, resumed_at + 0.6, resumed_at + 1.8);
  holding = confab_test_audio_tone_level (heard_by_a, TONE_B, held_at_a + 0.3, resumed_at_a - 0.2);
  deaf = confab_test_audio_rms (heard_by_a, resumed_at_a + 0.6, -1);
  g_test_message ("B hears A: %.3f, on hold RMS %.4f, resumed %.3f; A hears B while holding "
                  "%.3f, RMS when not listening %.4f", before, on_hold, resumed, holding, deaf);
  g_assert_cmpfloat (before, >, HEARD);
  g_assert_cmpfloat (on_hold, <, NOT_HEARD);
  g_assert_cmpfloat (resumed, >, HEARD);
  /* A went on hearing B while holding, and stopped when told to. */
  g_assert_cmpfloat (holding, >, HEARD);
  g_assert_cmpfloat (deaf, <, NOT_HEARD);
  g_assert_cmpuint (a.errors + b.errors, ==, 0);
  endpoint_clear (&a);
  endpoint_clear (&b);
}

/* The WAV file at @path lasts @seconds and has both sides' tones. */
static void
assert_recording (const char *path,
                  const char *what,
                  double      seconds)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabTestAudio) recording = confab_test_audio_read_wav (path, &error);
  double level_a, level_b;

  g_assert_no_error (error);
  level_a = confab_test_audio_tone_level (recording, TONE_A, 0.2, -1);
  level_b = confab_test_audio_tone_level (recording, TONE_B, 0.2, -1);
  g_test_message ("%s: %.2f s, %.0f Hz at %.3f, %.0f Hz at %.3f", what,
                  confab_test_audio_duration (recording), TONE_A, level_a, TONE_B, level_b);
  assert_length (recording, seconds);
  g_assert_cmpfloat (level_a, >, HEARD);
  g_assert_cmpfloat (level_b, >, HEARD);
}

static void
test_recording (void)
{
  Call call = { "PCMA", 8, 8000, 8000, 0, NULL, FALSE, FALSE, 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "call.wav", NULL);
  g_autofree char *bad_path = g_build_filename (tmp_dir, "no-such-folder", "call.wav", NULL);
  Endpoint a, b;

  endpoint_init (&a, "a", 8000, TONE_A, 0);
  endpoint_init (&b, "b", 8000, TONE_B, 0);
  start_call (&a, &b, &call);
  run_for (500);

  confab_rtp_audio_start_recording (a.audio, path, &error);
  g_assert_no_error (error);
  g_assert_true (confab_rtp_audio_is_recording (a.audio));
  confab_rtp_audio_start_recording (a.audio, path, &error);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED);
  g_clear_error (&error);
  run_for (1500);
  confab_rtp_audio_stop_recording (a.audio);
  g_assert_false (confab_rtp_audio_is_recording (a.audio));

  /* Both directions, mixed, for the time the recording ran. */
  assert_recording (path, "recording", 1.5);

  /* A file that cannot be written is an error, and the call goes on. */
  g_assert_false (confab_rtp_audio_start_recording (a.audio, bad_path, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (confab_rtp_audio_is_recording (a.audio));

  /* Recordings started and stopped in quick succession: attaching and
   * detaching the branch must never stop either direction of the call
   * (a branch linked before it ran once silenced one for good). */
  for (guint i = 0; i < 10; i++) {
    confab_rtp_audio_start_recording (a.audio, path, &error);
    g_assert_no_error (error);
    run_for (20 + 10 * i);
    confab_rtp_audio_stop_recording (a.audio);
  }

  /* Recording again while the call goes on, ended by stop(): both
   * directions are still there. */
  confab_rtp_audio_start_recording (a.audio, path, &error);
  g_assert_no_error (error);
  run_for (800);
  confab_rtp_audio_stop (a.audio);
  confab_rtp_audio_stop (b.audio);
  assert_recording (path, "recording after the cycles", 0.8);

  g_assert_cmpuint (a.errors + b.errors, ==, 0);
  g_unlink (path);
  endpoint_clear (&a);
  endpoint_clear (&b);
}

static void
test_bad_params (void)
{
  g_autoptr (ConfabRtpAudio) audio = confab_rtp_audio_new ();
  g_autoptr (GError) error = NULL;
  guint8 key[30] = { 0, };
  ConfabRtpAudioParams params = {
    .remote_address = "127.0.0.1",
    .remote_port = 40000,
    .payload_type = 0,
    .encoding = "PCMU",
    .clock_rate = 8000,
    .send = TRUE,
    .receive = TRUE,
  };

  /* Not prepared. */
  g_assert_false (confab_rtp_audio_start (audio, &params, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_false (confab_rtp_audio_prepare (audio, "not-an-address", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (confab_rtp_audio_prepare (audio, "127.0.0.1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (confab_rtp_audio_get_local_port (audio) % 2, ==, 0);
  g_assert_cmpuint (confab_rtp_audio_get_local_rtcp_port (audio), ==,
                    confab_rtp_audio_get_local_port (audio) + 1);

  params.encoding = "speex";
  g_assert_false (confab_rtp_audio_start (audio, &params, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);

  params.encoding = "PCMU";
  params.remote_address = "::1";
  g_assert_false (confab_rtp_audio_start (audio, &params, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);

  params.remote_address = "127.0.0.1";
  params.srtp_suite = "AES_CM_128_HMAC_SHA1_80";
  params.srtp_local_key = key;
  params.srtp_local_key_len = 16;
  params.srtp_remote_key = key;
  params.srtp_remote_key_len = 30;
  g_assert_false (confab_rtp_audio_start (audio, &params, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);

  params.srtp_suite = "F8_128_HMAC_SHA1_80";
  g_assert_false (confab_rtp_audio_start (audio, &params, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);

  params.srtp_suite = NULL;
  confab_rtp_audio_set_input_file (audio, "/nonexistent/confab.wav");
  g_assert_false (confab_rtp_audio_start (audio, &params, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (confab_rtp_audio_is_running (audio));
  /* A failed start keeps the ports the offer or answer announced. */
  g_assert_cmpuint (confab_rtp_audio_get_local_port (audio), >, 0);
  g_assert_false (confab_rtp_audio_start_recording (audio, "/tmp/x.wav", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED);
}

/* The device path with its echo canceller and noise suppressor, with
 * stand-ins for sound hardware; muting sends silence but keeps RTP going. */
static void
test_device_path (void)
{
  Call call = { "opus", 111, 48000, 48000, 0, NULL, FALSE, FALSE, 0 };
  g_autoptr (ConfabTestAudio) heard_by_b = NULL;
  Endpoint a, b;
  GstClockTime base_b;
  double muted_at;
  guint64 received_before;

  endpoint_init (&a, "a", 48000, TONE_A, 0);
  endpoint_init (&b, "b", 48000, TONE_B, 0);
  confab_rtp_audio_set_input_file (a.audio, NULL);
  confab_rtp_audio_set_output_file (a.audio, NULL);
  _confab_rtp_audio_set_device_elements (a.audio, "audiotestsrc is-live=true freq=1000 volume=0.3",
                                         "fakesink sync=true");
  start_call (&a, &b, &call);
  base_b = gst_element_get_base_time (_confab_rtp_audio_get_pipeline (b.audio));
  run_for (1200);

  {
    g_autoptr (GstQuery) query = gst_query_new_latency ();
    GstClockTime min_latency = 0;

    /* What the speaker adds to the network path: mixer, jitter margin. */
    if (gst_element_query (_confab_rtp_audio_get_pipeline (a.audio), query)) {
      gst_query_parse_latency (query, NULL, &min_latency, NULL);
      g_test_message ("device path: play-out latency %.0f ms",
                      (double) min_latency / GST_MSECOND);
    }
  }

  muted_at = running_s (base_b);
  g_object_set (a.audio, "muted", TRUE, NULL);
  g_assert_true (confab_rtp_audio_get_muted (a.audio));
  run_for (1200);
  confab_rtp_audio_stop (a.audio);
  received_before = confab_rtp_audio_get_packets_received (b.audio);
  confab_rtp_audio_stop (b.audio);

  heard_by_b = read_output (&b);
  g_test_message ("device path: B heard %.0f Hz at %.3f before mute, RMS %.4f after; "
                  "A sent %" G_GUINT64_FORMAT ", B received %" G_GUINT64_FORMAT, TONE_A,
                  confab_test_audio_tone_level (heard_by_b, TONE_A, 0.3, muted_at - 0.1),
                  confab_test_audio_rms (heard_by_b, muted_at + 0.3, -1),
                  confab_rtp_audio_get_packets_sent (a.audio), received_before);
  g_assert_cmpuint (confab_rtp_audio_get_packets_sent (a.audio), >, 100);
  g_assert_cmpuint (confab_rtp_audio_get_packets_received (a.audio), >, 100);
  /* Muted, packets still flowed. */
  g_assert_cmpuint (confab_rtp_audio_get_packets_received (b.audio), >, 100);
  g_assert_cmpfloat (confab_test_audio_rms (heard_by_b, muted_at + 0.3, -1), <, NOT_HEARD);
  g_assert_cmpuint (a.errors + b.errors, ==, 0);
  endpoint_clear (&a);
  endpoint_clear (&b);
}

static void
cpu_seconds (double *user,
             double *system)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  *user = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
  *system = usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* Child process for the figures: B of a call with A in the parent. */
static int
run_peer (guint remote_port,
          guint seconds)
{
  Call call = { "opus", 111, 48000, 48000, 0, NULL, FALSE, FALSE, 0 };
  g_autoptr (GError) error = NULL;
  Endpoint b;
  double user0, sys0, user1, sys1;
  ConfabRtpAudioParams params = {
    .remote_address = "127.0.0.1", .remote_port = remote_port,
    .payload_type = call.payload_type, .encoding = call.encoding,
    .clock_rate = call.clock_rate, .ptime = 20, .send = TRUE, .receive = TRUE,
  };
  char line[32];

  tmp_dir = g_dir_make_tmp ("confab-rtp-peer-XXXXXX", NULL);
  endpoint_init (&b, "peer", 48000, TONE_B, 0);
  printf ("PORT %u\n", confab_rtp_audio_get_local_port (b.audio));
  fflush (stdout);
  if (fgets (line, sizeof line, stdin) == NULL)
    return 1;

  cpu_seconds (&user0, &sys0);
  confab_rtp_audio_start (b.audio, &params, &error);
  g_assert_no_error (error);
  run_for (seconds * 1000);
  confab_rtp_audio_stop (b.audio);
  cpu_seconds (&user1, &sys1);
  printf ("user %.2f s, system %.2f s\n", user1 - user0, sys1 - sys0);
  endpoint_clear (&b);
  g_rmdir (tmp_dir);
  return 0;
}

/* One 10 s opus call against a peer process; A uses the microphone path
 * (echo canceller, noise suppressor) with stand-ins when with_dsp. */
static void
measure_call (gboolean with_dsp)
{
  const char *argv[] = { NULL, "--peer", NULL, "10", NULL };
  Call call = { "opus", 111, 48000, 48000, 0, NULL, FALSE, FALSE, 0 };
  g_autoptr (GSubprocess) peer = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *port_arg = NULL;
  g_autofree char *port_line = NULL;
  g_autofree char *cpu_line = NULL;
  Endpoint a;
  guint peer_port = 0;
  double user0, sys0, user1, sys1;

  endpoint_init (&a, "a", 48000, TONE_A, 0);
  if (with_dsp) {
    confab_rtp_audio_set_input_file (a.audio, NULL);
    confab_rtp_audio_set_output_file (a.audio, NULL);
    _confab_rtp_audio_set_device_elements (a.audio, "audiotestsrc is-live=true volume=0.3",
                                           "fakesink sync=true");
  }
  port_arg = g_strdup_printf ("%u", confab_rtp_audio_get_local_port (a.audio));
  argv[0] = g_test_get_filename (G_TEST_BUILT, "test-rtp-audio", NULL);
  argv[2] = port_arg;
  peer = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer));
  port_line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (port_line && sscanf (port_line, "PORT %u", &peer_port) == 1);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (peer), "go\n", 3, NULL, NULL, &error);
  g_assert_no_error (error);

  cpu_seconds (&user0, &sys0);
  {
    ConfabRtpAudioParams params = {
      .remote_address = "127.0.0.1", .remote_port = peer_port,
      .payload_type = call.payload_type, .encoding = call.encoding,
      .clock_rate = call.clock_rate, .ptime = 20, .send = TRUE, .receive = TRUE,
    };

    confab_rtp_audio_start (a.audio, &params, &error);
    g_assert_no_error (error);
  }
  run_for (10000);
  confab_rtp_audio_stop (a.audio);
  cpu_seconds (&user1, &sys1);

  cpu_line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (peer, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("10 s opus call%s: A sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT
                  ", jitter %.2f ms, rtt %.2f ms",
                  with_dsp ? " (A with echo canceller)" : "",
                  confab_rtp_audio_get_packets_sent (a.audio),
                  confab_rtp_audio_get_packets_received (a.audio),
                  confab_rtp_audio_get_jitter_ms (a.audio), confab_rtp_audio_get_rtt_ms (a.audio));
  g_test_message ("  CPU A: user %.2f s, system %.2f s; B (WAV in/out): %s", user1 - user0,
                  sys1 - sys0, cpu_line ? cpu_line : "?");
  endpoint_clear (&a);
}

/* Figures, with -m perf: CPU per side for 10 s opus calls, each side in
 * its own process. */
static void
test_figures (void)
{
  if (!g_test_perf ()) {
    g_test_skip ("figures run with -m perf");
    return;
  }
  measure_call (FALSE);
  measure_call (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (argc == 4 && g_str_equal (argv[1], "--peer"))
    return run_peer ((guint) atoi (argv[2]), (guint) atoi (argv[3]));

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("confab-rtp-audio-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/rtp-audio/bad-params", test_bad_params);
  g_test_add_func ("/rtp-audio/opus", test_opus);
  g_test_add_func ("/rtp-audio/g722", test_g722);
  g_test_add_func ("/rtp-audio/pcmu", test_pcmu);
  g_test_add_func ("/rtp-audio/pcma", test_pcma);
  g_test_add_func ("/rtp-audio/opus-srtp-80", test_opus_srtp80);
  g_test_add_func ("/rtp-audio/pcmu-srtp-32", test_pcmu_srtp32);
  g_test_add_func ("/rtp-audio/rtcp-mux", test_rtcp_mux);
  g_test_add_func ("/rtp-audio/opus-srtp-mux", test_opus_srtp_mux);
  g_test_add_func ("/rtp-audio/ipv6-srtp-256", test_ipv6);
  g_test_add_func ("/rtp-audio/srtp-wrong-keys", test_srtp_wrong_keys);
  g_test_add_func ("/rtp-audio/dtmf", test_dtmf);
  g_test_add_func ("/rtp-audio/hold", test_hold);
  g_test_add_func ("/rtp-audio/recording", test_recording);
  g_test_add_func ("/rtp-audio/device-path", test_device_path);
  g_test_add_func ("/rtp-audio/figures", test_figures);

  ret = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
