/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-test-audio.h"
#include "confab-test-devices.h"
#include "media/confab-audio-devices.h"
#include "media/confab-audio-devices-private.h"
#include "media/confab-rtp-audio.h"
#include "media/confab-rtp-audio-private.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

/* The device list (GstDeviceMonitor) and the choice of devices for a
 * call. The machine may have no sound device at all: the first test runs
 * with whatever there is, the others with fake devices from a GStreamer
 * device provider registered here (tests/confab-test-devices.c). */

#define TEST_MIC      "confab-test-mic"
#define TEST_SPEAKER  "confab-test-speaker"
#define TEST_TONE     1000.0     /* what the fake microphones play */
/* Goertzel level of the tone over the recording; under sanitizers on a busy
 * machine the first few hundred ms can be silent, so the bar is low and the
 * tone must also stand far above another frequency. */
#define HEARD         0.01
#define OTHER_TONE    1800.0

static char *tmp_dir;

/* The fake devices, from the first test that needs them on. */
static void
use_fake_devices (void)
{
  static gboolean added;

  confab_test_devices_register ();
  if (!added) {
    confab_test_devices_add (TRUE, TEST_MIC, "Test Microphone");
    confab_test_devices_add (FALSE, TEST_SPEAKER, "Test Speaker");
    added = TRUE;
  }
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

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Statistics come every second or so: waits until @audio has taken in
 * some packets. */
static guint64
wait_for_packets (ConfabRtpAudio *audio)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (confab_rtp_audio_get_packets_received (audio) <= 20 &&
         g_get_monotonic_time () < deadline)
    run_for (100);
  return confab_rtp_audio_get_packets_received (audio);
}

/* Iterates the main context until @id is (or is not) in @devices. */
static gboolean
wait_for_device (ConfabAudioDevices *devices,
                 const char         *id,
                 gboolean            present)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (confab_audio_devices_find (devices, id, NULL) != present) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_main_context_iteration (NULL, FALSE);
    g_usleep (1000);
  }
  return TRUE;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  (*changes)++;
}

static void
assert_items_valid (ConfabAudioDevices *devices)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (devices));

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (devices)) == CONFAB_TYPE_AUDIO_DEVICE);
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabAudioDevice) device = g_list_model_get_item (G_LIST_MODEL (devices), i);

    g_test_message ("%s %u: %s (%s)",
                    confab_audio_devices_get_kind (devices) == CONFAB_AUDIO_DEVICE_SOURCE
                    ? "microphone" : "speaker", i, confab_audio_device_get_name (device),
                    confab_audio_device_get_id (device));
    g_assert_nonnull (confab_audio_device_get_id (device));
    g_assert_nonnull (confab_audio_device_get_name (device));
    g_assert_true (confab_audio_device_get_kind (device) == confab_audio_devices_get_kind (devices));
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (devices), n));
}

/* Whatever the machine has, often nothing: the list is consistent, and an
 * unknown device means the system default. */
static void
test_system_devices (void)
{
  g_autoptr (ConfabAudioDevices) sources = confab_audio_devices_new (CONFAB_AUDIO_DEVICE_SOURCE);
  g_autoptr (ConfabAudioDevices) sinks = confab_audio_devices_new (CONFAB_AUDIO_DEVICE_SINK);

  g_test_message ("%u microphones, %u speakers", g_list_model_get_n_items (G_LIST_MODEL (sources)),
                  g_list_model_get_n_items (G_LIST_MODEL (sinks)));
  assert_items_valid (sources);
  assert_items_valid (sinks);
  g_assert_false (confab_audio_devices_find (sources, NULL, NULL));
  g_assert_false (confab_audio_devices_find (sources, "confab-no-such-device", NULL));
  g_assert_null (_confab_audio_devices_create_element (CONFAB_AUDIO_DEVICE_SOURCE,
                                                       "confab-no-such-device"));
  g_assert_null (_confab_audio_devices_create_element (CONFAB_AUDIO_DEVICE_SINK, NULL));
  g_assert_null (_confab_audio_devices_create_element (CONFAB_AUDIO_DEVICE_SINK, ""));
}

/* Microphones and speakers apart, and devices plugged in and out while
 * the list lives. */
static void
test_fake_devices (void)
{
  g_autoptr (ConfabAudioDevices) sources = NULL;
  g_autoptr (ConfabAudioDevices) sinks = NULL;
  g_autoptr (ConfabAudioDevice) device = NULL;
  guint position = G_MAXUINT, changes = 0, before;

  use_fake_devices ();
  sources = confab_audio_devices_new (CONFAB_AUDIO_DEVICE_SOURCE);
  sinks = confab_audio_devices_new (CONFAB_AUDIO_DEVICE_SINK);
  assert_items_valid (sources);
  assert_items_valid (sinks);
  g_assert_true (confab_audio_devices_find (sources, TEST_MIC, &position));
  device = g_list_model_get_item (G_LIST_MODEL (sources), position);
  g_assert_cmpstr (confab_audio_device_get_name (device), ==, "Test Microphone");
  g_assert_false (confab_audio_devices_find (sources, TEST_SPEAKER, NULL));
  g_assert_true (confab_audio_devices_find (sinks, TEST_SPEAKER, NULL));
  g_assert_false (confab_audio_devices_find (sinks, TEST_MIC, NULL));

  before = g_list_model_get_n_items (G_LIST_MODEL (sources));
  g_signal_connect (sources, "items-changed", G_CALLBACK (on_items_changed), &changes);
  confab_test_devices_add (TRUE, "confab-test-usb", "USB Headset");
  g_assert_true (wait_for_device (sources, "confab-test-usb", TRUE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sources)), ==, before + 1);
  g_assert_false (confab_audio_devices_find (sinks, "confab-test-usb", NULL));

  confab_test_devices_remove ("confab-test-usb");
  g_assert_true (wait_for_device (sources, "confab-test-usb", FALSE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sources)), ==, before);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_true (confab_audio_devices_find (sources, TEST_MIC, NULL));
}

static void
test_create_element (void)
{
  g_autoptr (GstElement) mic = NULL;
  g_autoptr (GstElement) speaker = NULL;

  use_fake_devices ();
  mic = _confab_audio_devices_create_element (CONFAB_AUDIO_DEVICE_SOURCE, TEST_MIC);
  g_assert_nonnull (mic);
  gst_object_ref_sink (mic);
  g_assert_cmpstr (GST_OBJECT_NAME (mic), ==, TEST_MIC);
  speaker = _confab_audio_devices_create_element (CONFAB_AUDIO_DEVICE_SINK, TEST_SPEAKER);
  g_assert_nonnull (speaker);
  gst_object_ref_sink (speaker);
  g_assert_cmpstr (GST_OBJECT_NAME (speaker), ==, TEST_SPEAKER);
  /* A microphone is no speaker. */
  g_assert_null (_confab_audio_devices_create_element (CONFAB_AUDIO_DEVICE_SINK, TEST_MIC));
}

static gboolean
has_element (GstElement *pipeline,
             const char *factory,
             const char *name)
{
  g_autoptr (GstIterator) it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;
  gboolean found = FALSE;

  while (!found && gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *element = g_value_get_object (&item);
    GstElementFactory *element_factory = gst_element_get_factory (element);

    if ((!factory || (element_factory &&
                      g_str_equal (GST_OBJECT_NAME (element_factory), factory))) &&
        (!name || g_str_equal (GST_OBJECT_NAME (element), name)))
      found = TRUE;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  return found;
}

typedef struct
{
  ConfabRtpAudio *a;        /* on the devices chosen */
  ConfabRtpAudio *b;        /* WAV files */
  char           *b_input;
  char           *b_output;
} Call;

static void
start_side (ConfabRtpAudio *self,
            ConfabRtpAudio *peer)
{
  g_autoptr (GError) error = NULL;
  ConfabRtpAudioParams params = {
    .remote_address = "127.0.0.1",
    .remote_port = confab_rtp_audio_get_local_port (peer),
    .remote_rtcp_port = confab_rtp_audio_get_local_rtcp_port (peer),
    .payload_type = 0,
    .encoding = "PCMU",
    .clock_rate = 8000,
    .channels = 1,
    .ptime = 20,
    .send = TRUE,
    .receive = TRUE,
  };

  confab_rtp_audio_start (self, &params, &error);
  g_assert_no_error (error);
}

static void
call_init (Call       *call,
           const char *input_device,
           const char *output_device,
           gboolean    echo_cancel)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabTestAudio) silence = confab_test_audio_new (8000, 3.0);

  call->b_input = g_build_filename (tmp_dir, "b-in.wav", NULL);
  call->b_output = g_build_filename (tmp_dir, "b-out.wav", NULL);
  confab_test_audio_write_wav (silence, call->b_input, &error);
  g_assert_no_error (error);

  call->a = confab_rtp_audio_new ();
  confab_rtp_audio_set_devices (call->a, input_device, output_device);
  confab_rtp_audio_set_echo_cancel (call->a, echo_cancel);
  call->b = confab_rtp_audio_new ();
  confab_rtp_audio_set_input_file (call->b, call->b_input);
  confab_rtp_audio_set_output_file (call->b, call->b_output);
  confab_rtp_audio_prepare (call->a, "127.0.0.1", &error);
  g_assert_no_error (error);
  confab_rtp_audio_prepare (call->b, "127.0.0.1", &error);
  g_assert_no_error (error);
}

static void
call_clear (Call *call)
{
  g_clear_object (&call->a);
  g_clear_object (&call->b);
  g_unlink (call->b_input);
  g_unlink (call->b_output);
  g_clear_pointer (&call->b_input, g_free);
  g_clear_pointer (&call->b_output, g_free);
}

static double
tone_heard_by_b (Call *call)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabTestAudio) heard = NULL;
  double level, other;

  confab_rtp_audio_stop (call->a);
  confab_rtp_audio_stop (call->b);
  heard = confab_test_audio_read_wav (call->b_output, &error);
  g_assert_no_error (error);
  level = confab_test_audio_tone_level (heard, TEST_TONE, 0.5, -1);
  other = confab_test_audio_tone_level (heard, OTHER_TONE, 0.5, -1);
  g_test_message ("B heard %.0f Hz at %.3f (%.0f Hz at %.2e) over %.2f s", TEST_TONE, level,
                  OTHER_TONE, other, confab_test_audio_duration (heard));
  g_assert_cmpfloat (level, >, 20 * other);
  return level;
}

/* The chosen microphone and speaker are the ones in the pipeline; without
 * echo cancellation the microphone goes out untouched. */
static void
test_call_uses_devices (void)
{
  Call call = { 0 };
  GstElement *pipeline;

  use_fake_devices ();
  call_init (&call, TEST_MIC, TEST_SPEAKER, FALSE);
  start_side (call.a, call.b);
  start_side (call.b, call.a);
  pipeline = _confab_rtp_audio_get_pipeline (call.a);
  g_assert_true (has_element (pipeline, NULL, TEST_MIC));
  g_assert_true (has_element (pipeline, NULL, TEST_SPEAKER));
  g_assert_false (has_element (pipeline, "webrtcdsp", NULL));
  g_assert_false (has_element (pipeline, "webrtcechoprobe", NULL));
  g_assert_false (has_element (pipeline, "autoaudiosrc", NULL));
  run_for (2500);
  g_assert_cmpuint (wait_for_packets (call.b), >, 20);
  g_assert_cmpfloat (tone_heard_by_b (&call), >, HEARD);
  call_clear (&call);
}

/* On by default: the canceller and its probe sit in the device path. */
static void
test_call_echo_cancel (void)
{
  Call call = { 0 };
  GstElement *pipeline;

  use_fake_devices ();
  call_init (&call, TEST_MIC, TEST_SPEAKER, TRUE);
  start_side (call.a, call.b);
  start_side (call.b, call.a);
  pipeline = _confab_rtp_audio_get_pipeline (call.a);
  g_assert_true (has_element (pipeline, NULL, TEST_MIC));
  g_assert_true (has_element (pipeline, "webrtcdsp", NULL));
  g_assert_true (has_element (pipeline, "webrtcechoprobe", NULL));
  g_assert_cmpuint (wait_for_packets (call.b), >, 20);
  call_clear (&call);
}

/* A device that is gone (unplugged since it was chosen): the system
 * default stands in. */
static void
test_call_missing_device (void)
{
  g_autoptr (GError) error = NULL;
  Call call = { 0 };
  ConfabRtpAudioParams params = {
    .remote_address = "127.0.0.1",
    .payload_type = 0,
    .encoding = "PCMU",
    .clock_rate = 8000,
    .channels = 1,
    .send = TRUE,
    .receive = TRUE,
  };

  use_fake_devices ();
  call_init (&call, "confab-unplugged-mic", "confab-unplugged-speaker", FALSE);
  params.remote_port = confab_rtp_audio_get_local_port (call.b);
  params.remote_rtcp_port = confab_rtp_audio_get_local_rtcp_port (call.b);
  if (!confab_rtp_audio_start (call.a, &params, &error)) {
    /* No default device either on this machine: that is all we can say. */
    g_test_message ("the default devices do not start here: %s", error->message);
    call_clear (&call);
    g_test_skip ("no default sound devices");
    return;
  }
  g_assert_true (has_element (_confab_rtp_audio_get_pipeline (call.a), "autoaudiosrc", NULL));
  g_assert_true (has_element (_confab_rtp_audio_get_pipeline (call.a), "autoaudiosink", NULL));
  g_assert_false (has_element (_confab_rtp_audio_get_pipeline (call.a), NULL, TEST_MIC));
  call_clear (&call);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("confab-test-devices-XXXXXX", &error);
  g_assert_no_error (error);

  /* Before the fake provider exists. */
  g_test_add_func ("/audio-devices/system", test_system_devices);
  g_test_add_func ("/audio-devices/fake", test_fake_devices);
  g_test_add_func ("/audio-devices/create-element", test_create_element);
  g_test_add_func ("/audio-devices/call-uses-devices", test_call_uses_devices);
  g_test_add_func ("/audio-devices/call-echo-cancel", test_call_echo_cancel);
  g_test_add_func ("/audio-devices/call-missing-device", test_call_missing_device);
  ret = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
