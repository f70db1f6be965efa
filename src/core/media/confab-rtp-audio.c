/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRtpAudio"

#include "config.h"

#include "confab-rtp-audio-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

/* How long stop() and stop_recording() wait for a WAV file to be finished. */
#define FINISH_TIMEOUT_US   (2 * G_USEC_PER_SEC)

enum {
  PROP_0,
  PROP_MUTED,
  PROP_CODEC,
  PROP_CLOCK_RATE,
  PROP_PACKETS_SENT,
  PROP_PACKETS_RECEIVED,
  PROP_PACKET_LOSS,
  PROP_JITTER_MS,
  PROP_RTT_MS,
  PROP_SRTP,
  PROP_LOCAL_PORT,
  PROP_SENDING,
  PROP_RECEIVING,
  PROP_RECORDING,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  SIGNAL_DTMF_RECEIVED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ConfabRtpAudio, confab_rtp_audio, G_TYPE_OBJECT)

static gboolean
comes_from (GstMessage *message,
            GstElement *element)
{
  return element && (GST_MESSAGE_SRC (message) == GST_OBJECT (element) ||
                     gst_object_has_as_ancestor (GST_MESSAGE_SRC (message), GST_OBJECT (element)));
}

/* One error per call reaches the owner: a failing device usually drags a
 * "streaming stopped" error behind it. */
static void
emit_error (ConfabRtpAudio *self,
            GstMessage     *message)
{
  g_autoptr (GError) gst_error = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (message, &gst_error, &debug);
  g_debug ("Audio pipeline error: %s (%s)", gst_error->message, debug ? debug : "");
  if (self->error_emitted)
    return;
  self->error_emitted = TRUE;

  if (comes_from (message, self->mic_source)) {
    error = g_error_new (CONFAB_ERROR, CONFAB_ERROR_FAILED,
                         _("The microphone could not be used: %s Check the sound settings."),
                         gst_error->message);
  } else if (comes_from (message, self->speaker_sink)) {
    error = g_error_new (CONFAB_ERROR, CONFAB_ERROR_FAILED,
                         _("The speaker could not be used: %s Check the sound settings."),
                         gst_error->message);
  } else {
    error = g_error_new (CONFAB_ERROR, CONFAB_ERROR_FAILED, _("The call audio failed: %s"),
                         gst_error->message);
  }
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  ConfabRtpAudio *self = CONFAB_RTP_AUDIO (user_data);
  const GstStructure *structure;

  switch (GST_MESSAGE_TYPE (message)) {
  case GST_MESSAGE_ERROR:
    emit_error (self, message);
    break;
  case GST_MESSAGE_WARNING: {
    g_autoptr (GError) error = NULL;
    g_autofree char *debug = NULL;

    gst_message_parse_warning (message, &error, &debug);
    g_debug ("Audio pipeline warning: %s (%s)", error->message, debug ? debug : "");
    break;
  }
  case GST_MESSAGE_LATENCY:
    /* A new remote stream or a changed jitterbuffer moves the play-out time. */
    if (self->pipeline)
      gst_bin_recalculate_latency (GST_BIN (self->pipeline));
    break;
  case GST_MESSAGE_APPLICATION:
    structure = gst_message_get_structure (message);
    if (gst_structure_has_name (structure, "confab-dtmf-received")) {
      guint event = 0;

      if (gst_structure_get_uint (structure, "event", &event) && self->receiving)
        _confab_rtp_audio_emit_dtmf (self, (guint8) event);
    }
    break;
  default:
    break;
  }

  return G_SOURCE_CONTINUE;
}

static gboolean
validate_params (const ConfabRtpAudioParams *params,
                 GError                    **error)
{
  const ConfabSrtpSuite *suite;

  if (params->remote_port == 0 || params->remote_port > 65535 ||
      params->remote_rtcp_port > 65535) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The remote audio port %u is not valid."), params->remote_port);
    return FALSE;
  }
  if (params->payload_type > 127 ||
      (params->dtmf_payload_type != 0 &&
       (params->dtmf_payload_type > 127 || params->dtmf_payload_type == params->payload_type))) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The audio payload types %u and %u are not valid."), params->payload_type,
                 params->dtmf_payload_type);
    return FALSE;
  }
  if (params->srtp_suite == NULL)
    return TRUE;

  suite = _confab_srtp_suite_find (params->srtp_suite);
  if (suite == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The SRTP crypto suite “%s” is not supported."), params->srtp_suite);
    return FALSE;
  }
  if (params->srtp_local_key == NULL || params->srtp_local_key_len != suite->key_len ||
      params->srtp_remote_key == NULL || params->srtp_remote_key_len != suite->key_len) {
    /* The lengths only: keys never reach a log or a message. */
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The SRTP keys for %s must be %u bytes long."), suite->name,
                 (guint) suite->key_len);
    return FALSE;
  }
  return TRUE;
}

static void
teardown (ConfabRtpAudio *self)
{
  gint64 deadline = g_get_monotonic_time () + FINISH_TIMEOUT_US;
  gboolean was_recording = self->record_branch != NULL;

  if (self->pipeline == NULL)
    return;

  /* WAV files get their final header only from an EOS: send it while the
   * pipeline still runs, then stop everything. */
  if (self->record_branch)
    _confab_wav_branch_finish (g_steal_pointer (&self->record_branch), self->pipeline, deadline);
  if (self->output_branch)
    _confab_wav_branch_finish (g_steal_pointer (&self->output_branch), self->pipeline, deadline);

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_mutex_unlock (&self->lock);

  gst_element_set_state (self->pipeline, GST_STATE_NULL);

  if (self->bus_source) {
    g_source_destroy (self->bus_source);
    g_clear_pointer (&self->bus_source, g_source_unref);
  }

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->remote_pads, 0);
  g_mutex_unlock (&self->lock);

  self->rtpbin = NULL;
  self->srtpdec = NULL;
  self->mic_source = NULL;
  self->speaker_sink = NULL;
  self->mic_volume = NULL;
  self->mic_tee = NULL;
  self->out_mixer = NULL;
  self->out_tee = NULL;
  self->send_valve = NULL;
  self->dtmf_src = NULL;
  memset (self->file_elements, 0, sizeof self->file_elements);
  gst_clear_object (&self->pipeline);

  if (was_recording)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECORDING]);
}

/* A start that failed leaves nothing running; the ports stay open, as the
 * offer or answer already carries them. */
static void
abandon_start (ConfabRtpAudio *self)
{
  teardown (self);
  self->codec = NULL;
  self->suite = NULL;
  _confab_secure_clear (self->remote_key, sizeof self->remote_key);
  self->remote_key_len = 0;
}

#define UPDATE_STAT(field, value, prop)                                      \
  G_STMT_START {                                                             \
    if (self->field != (value)) {                                            \
      self->field = (value);                                                 \
      g_object_notify_by_pspec (G_OBJECT (self), props[prop]);               \
    }                                                                        \
  } G_STMT_END

void
_confab_rtp_audio_update_stats (ConfabRtpAudio *self,
                                guint64         packets_sent,
                                guint64         packets_received,
                                double          packet_loss,
                                double          jitter_ms,
                                double          rtt_ms)
{
  g_object_freeze_notify (G_OBJECT (self));
  UPDATE_STAT (packets_sent, packets_sent, PROP_PACKETS_SENT);
  UPDATE_STAT (packets_received, packets_received, PROP_PACKETS_RECEIVED);
  UPDATE_STAT (packet_loss, packet_loss, PROP_PACKET_LOSS);
  UPDATE_STAT (jitter_ms, jitter_ms, PROP_JITTER_MS);
  UPDATE_STAT (rtt_ms, rtt_ms, PROP_RTT_MS);
  g_object_thaw_notify (G_OBJECT (self));
}

#undef UPDATE_STAT

void
_confab_rtp_audio_emit_dtmf (ConfabRtpAudio *self,
                             guint8          event)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, event,
                 _confab_rtp_audio_dtmf_digit_for_event (event));
}

static void
confab_rtp_audio_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ConfabRtpAudio *self = CONFAB_RTP_AUDIO (object);

  switch (prop_id) {
  case PROP_MUTED:
    g_value_set_boolean (value, self->muted);
    break;
  case PROP_CODEC:
    g_value_set_string (value, confab_rtp_audio_get_codec (self));
    break;
  case PROP_CLOCK_RATE:
    g_value_set_uint (value, self->codec ? self->clock_rate : 0);
    break;
  case PROP_PACKETS_SENT:
    g_value_set_uint64 (value, self->packets_sent);
    break;
  case PROP_PACKETS_RECEIVED:
    g_value_set_uint64 (value, self->packets_received);
    break;
  case PROP_PACKET_LOSS:
    g_value_set_double (value, self->packet_loss);
    break;
  case PROP_JITTER_MS:
    g_value_set_double (value, self->jitter_ms);
    break;
  case PROP_RTT_MS:
    g_value_set_double (value, self->rtt_ms);
    break;
  case PROP_SRTP:
    g_value_set_boolean (value, self->suite != NULL);
    break;
  case PROP_LOCAL_PORT:
    g_value_set_uint (value, self->local_port);
    break;
  case PROP_SENDING:
    g_value_set_boolean (value, self->sending);
    break;
  case PROP_RECEIVING:
    g_value_set_boolean (value, self->receiving);
    break;
  case PROP_RECORDING:
    g_value_set_boolean (value, self->record_branch != NULL);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_rtp_audio_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ConfabRtpAudio *self = CONFAB_RTP_AUDIO (object);

  switch (prop_id) {
  case PROP_MUTED:
    confab_rtp_audio_set_muted (self, g_value_get_boolean (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_rtp_audio_dispose (GObject *object)
{
  ConfabRtpAudio *self = CONFAB_RTP_AUDIO (object);

  confab_rtp_audio_stop (self);

  G_OBJECT_CLASS (confab_rtp_audio_parent_class)->dispose (object);
}

static void
confab_rtp_audio_finalize (GObject *object)
{
  ConfabRtpAudio *self = CONFAB_RTP_AUDIO (object);

  g_free (self->input_file);
  g_free (self->output_file);
  g_free (self->input_device_desc);
  g_free (self->output_device_desc);
  g_free (self->input_device);
  g_free (self->output_device);
  g_ptr_array_unref (self->remote_pads);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (confab_rtp_audio_parent_class)->finalize (object);
}

static void
confab_rtp_audio_class_init (ConfabRtpAudioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  object_class->get_property = confab_rtp_audio_get_property;
  object_class->set_property = confab_rtp_audio_set_property;
  object_class->dispose = confab_rtp_audio_dispose;
  object_class->finalize = confab_rtp_audio_finalize;

  props[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_CODEC] = g_param_spec_string ("codec", NULL, NULL, NULL, ro);
  props[PROP_CLOCK_RATE] = g_param_spec_uint ("clock-rate", NULL, NULL, 0, G_MAXUINT, 0, ro);
  props[PROP_PACKETS_SENT] =
    g_param_spec_uint64 ("packets-sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_PACKETS_RECEIVED] =
    g_param_spec_uint64 ("packets-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_PACKET_LOSS] = g_param_spec_double ("packet-loss", NULL, NULL, 0, 1, 0, ro);
  props[PROP_JITTER_MS] = g_param_spec_double ("jitter-ms", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  props[PROP_RTT_MS] = g_param_spec_double ("rtt-ms", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  props[PROP_SRTP] = g_param_spec_boolean ("srtp", NULL, NULL, FALSE, ro);
  props[PROP_LOCAL_PORT] = g_param_spec_uint ("local-port", NULL, NULL, 0, 65535, 0, ro);
  props[PROP_SENDING] = g_param_spec_boolean ("sending", NULL, NULL, TRUE, ro);
  props[PROP_RECEIVING] = g_param_spec_boolean ("receiving", NULL, NULL, TRUE, ro);
  props[PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* A GStreamer failure while the call runs, already worded for the user. */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* An RFC 4733 event from the peer: its code and the key (0 if none). */
  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UCHAR, G_TYPE_CHAR);
}

static void
confab_rtp_audio_init (ConfabRtpAudio *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->remote_pads = g_ptr_array_new_with_free_func (gst_object_unref);
  self->sending = TRUE;
  self->receiving = TRUE;
  self->echo_cancel = TRUE;
  g_mutex_init (&self->lock);
  g_queue_init (&self->dtmf_queue);
}

ConfabRtpAudio *
confab_rtp_audio_new (void)
{
  return g_object_new (CONFAB_TYPE_RTP_AUDIO, NULL);
}

void
_confab_rtp_audio_notify_local_port (ConfabRtpAudio *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_PORT]);
}

/* Play this WAV once instead of the microphone, in real time, then
 * silence. Applies at the next start(); NULL returns to the microphone. */
void
confab_rtp_audio_set_input_file (ConfabRtpAudio *self,
                                 const char     *wav_path)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  g_free (self->input_file);
  self->input_file = g_strdup (wav_path);
}

/* Write what would be played to this WAV instead of the speaker. Applies
 * at the next start(); the file is complete once stop() returns. */
void
confab_rtp_audio_set_output_file (ConfabRtpAudio *self,
                                  const char     *wav_path)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  g_free (self->output_file);
  self->output_file = g_strdup (wav_path);
}

/**
 * confab_rtp_audio_set_devices:
 * @input_device: (nullable): the microphone's ConfabAudioDevice id
 * @output_device: (nullable): the speaker's
 *
 * Applies at the next start(); %NULL, or a device not connected then,
 * means the system default.
 */
void
confab_rtp_audio_set_devices (ConfabRtpAudio *self,
                              const char     *input_device,
                              const char     *output_device)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  g_free (self->input_device);
  self->input_device = input_device && *input_device ? g_strdup (input_device) : NULL;
  g_free (self->output_device);
  self->output_device = output_device && *output_device ? g_strdup (output_device) : NULL;
}

/* Echo cancellation and noise suppression for the microphone, on by
 * default; applies at the next start(). */
void
confab_rtp_audio_set_echo_cancel (ConfabRtpAudio *self,
                                  gboolean        echo_cancel)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  self->echo_cancel = !!echo_cancel;
}

gboolean
confab_rtp_audio_start (ConfabRtpAudio             *self,
                        const ConfabRtpAudioParams *params,
                        GError                    **error)
{
  g_autoptr (GstBus) bus = NULL;
  GstStateChangeReturn ret;

  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->pipeline == NULL, FALSE);

  if (self->rtp_socket == NULL && self->ice == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The audio ports are not open; the call cannot start."));
    return FALSE;
  }
  if (!validate_params (params, error))
    return FALSE;

  self->stopping = FALSE;
  self->error_emitted = FALSE;
  self->packets_sent = self->packets_received = 0;
  self->packet_loss = self->jitter_ms = self->rtt_ms = 0;
  self->last_expected = self->last_received = 0;

  if (!_confab_rtp_audio_build (self, params, error)) {
    abandon_start (self);
    return FALSE;
  }

  /* One clock and base time for every element before anything runs: left
   * to the pipeline, a mixer fed by a file could see the clock before its
   * base time and race seconds ahead. The system clock also keeps device
   * clocks from drifting against RTP's arrival times. */
  {
    g_autoptr (GstClock) clock = gst_system_clock_obtain ();

    gst_pipeline_use_clock (GST_PIPELINE (self->pipeline), clock);
    gst_element_set_start_time (self->pipeline, GST_CLOCK_TIME_NONE);
    gst_element_set_base_time (self->pipeline, gst_clock_get_time (clock));
  }

  bus = gst_element_get_bus (self->pipeline);
  ret = gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    g_autoptr (GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    g_autoptr (GError) gst_error = NULL;

    if (message)
      gst_message_parse_error (message, &gst_error, NULL);
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("The call audio could not start: %s"),
                 gst_error ? gst_error->message : _("unknown GStreamer failure"));
    abandon_start (self);
    return FALSE;
  }

  _confab_rtp_audio_play_file (self);

  /* Messages posted while starting wait in the bus for this watch. */
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus_message), self, NULL);
  g_source_attach (self->bus_source, self->context);

  _confab_rtp_audio_stats_start (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CODEC]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CLOCK_RATE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SRTP]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECEIVING]);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/* Ends the call audio within a bounded time, finishes the WAV files and
 * releases the ports; prepare() is needed before the next start(). */
void
confab_rtp_audio_stop (ConfabRtpAudio *self)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  _confab_rtp_audio_dtmf_reset (self);
  _confab_rtp_audio_stats_stop (self);
  teardown (self);
  _confab_rtp_audio_close_sockets (self);
  g_clear_object (&self->ice);
  _confab_secure_clear (self->remote_key, sizeof self->remote_key);
  self->remote_key_len = 0;
}

/**
 * confab_rtp_audio_set_remote_key:
 * @key: the peer's new master key || salt, for the suite in use
 *
 * The peer re-keyed (a new a=crypto in a re-INVITE or its answer): SRTP
 * from it is decrypted with @key from now on.
 */
gboolean
confab_rtp_audio_set_remote_key (ConfabRtpAudio *self,
                                 const guint8   *key,
                                 gsize           key_len)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);

  if (self->suite == NULL || self->srtpdec == NULL || key == NULL ||
      key_len != self->suite->key_len || key_len > sizeof self->remote_key)
    return FALSE;
  g_mutex_lock (&self->lock);
  memcpy (self->remote_key, key, key_len);
  self->remote_key_len = key_len;
  g_mutex_unlock (&self->lock);
  /* srtpdec asks again ("request-key") at the next packet. */
  g_signal_emit_by_name (self->srtpdec, "clear-keys");
  return TRUE;
}

gboolean
confab_rtp_audio_is_running (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);

  return self->pipeline != NULL;
}

/* Hold and resume without tearing down: not sending stops our RTP (RTCP
 * goes on), not receiving silences what arrives. */
void
confab_rtp_audio_set_direction (ConfabRtpAudio *self,
                                gboolean        send,
                                gboolean        receive)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  send = !!send;
  receive = !!receive;

  if (self->send_valve)
    g_object_set (self->send_valve, "drop", !send, NULL);
  if (!send)
    _confab_rtp_audio_dtmf_reset (self);

  g_mutex_lock (&self->lock);
  self->receiving = receive;
  g_mutex_unlock (&self->lock);
  _confab_rtp_audio_apply_receiving (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->sending != send) {
    self->sending = send;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SENDING]);
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECEIVING]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
confab_rtp_audio_get_muted (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);

  return self->muted;
}

/* Muted sends silence: RTP keeps flowing, so NATs and the peer's
 * jitterbuffer see no gap. */
void
confab_rtp_audio_set_muted (ConfabRtpAudio *self,
                            gboolean        muted)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  muted = !!muted;
  if (self->muted == muted)
    return;

  self->muted = muted;
  if (self->mic_volume)
    g_object_set (self->mic_volume, "mute", muted, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTED]);
}

/* Queues one RFC 4733 event (0-9, *, #, A-D); events go out one after the
 * other, each at least 250 ms long. */
gboolean
confab_rtp_audio_send_dtmf (ConfabRtpAudio *self,
                            char            digit,
                            guint           duration_ms)
{
  guint8 event;

  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);

  if (self->dtmf_src == NULL || !self->sending)
    return FALSE;
  if (!_confab_rtp_audio_dtmf_event_for_digit (digit, &event))
    return FALSE;

  return _confab_rtp_audio_dtmf_queue (self, event, duration_ms);
}

/* Records both directions, mixed, to a WAV file until stop_recording()
 * or stop(). */
gboolean
confab_rtp_audio_start_recording (ConfabRtpAudio *self,
                                  const char     *wav_path,
                                  GError        **error)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);
  g_return_val_if_fail (wav_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->pipeline == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("There is no call audio to record."));
    return FALSE;
  }
  if (self->record_branch) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The call is already being recorded."));
    return FALSE;
  }

  self->record_branch =
    _confab_wav_branch_new (self->pipeline, wav_path, self->mic_tee, self->out_tee, error);
  if (self->record_branch == NULL)
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECORDING]);
  return TRUE;
}

/* Blocks for at most a couple of seconds while the WAV header is written. */
void
confab_rtp_audio_stop_recording (ConfabRtpAudio *self)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  if (self->record_branch == NULL)
    return;

  _confab_wav_branch_finish (g_steal_pointer (&self->record_branch), self->pipeline,
                             g_get_monotonic_time () + FINISH_TIMEOUT_US);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECORDING]);
}

gboolean
confab_rtp_audio_is_recording (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);

  return self->record_branch != NULL;
}

/* "opus", "G722", "PCMU" or "PCMA" while a call runs or after it ended. */
const char *
confab_rtp_audio_get_codec (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), NULL);

  return self->codec ? self->codec->name : NULL;
}

guint64
confab_rtp_audio_get_packets_sent (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), 0);

  return self->packets_sent;
}

guint64
confab_rtp_audio_get_packets_received (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), 0);

  return self->packets_received;
}

double
confab_rtp_audio_get_packet_loss (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), 0);

  return self->packet_loss;
}

double
confab_rtp_audio_get_jitter_ms (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), 0);

  return self->jitter_ms;
}

double
confab_rtp_audio_get_rtt_ms (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), 0);

  return self->rtt_ms;
}

void
_confab_rtp_audio_set_device_elements (ConfabRtpAudio *self,
                                       const char     *source_desc,
                                       const char     *sink_desc)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  g_free (self->input_device_desc);
  self->input_device_desc = g_strdup (source_desc);
  g_free (self->output_device_desc);
  self->output_device_desc = g_strdup (sink_desc);
}

void
_confab_rtp_audio_set_rtcp_interval (ConfabRtpAudio *self,
                                     guint           interval_ms)
{
  g_return_if_fail (CONFAB_IS_RTP_AUDIO (self));

  self->rtcp_interval_ms = interval_ms;
}

GstElement *
_confab_rtp_audio_get_pipeline (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), NULL);

  return self->pipeline;
}
