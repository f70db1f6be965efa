/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRtpAudio"

#include "config.h"

#include "confab-rtp-audio-private.h"
#include "confab-audio-devices-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

/* The pipeline, left to right:
 *
 *   mic (device + webrtcdsp, or WAV file mixed over live silence) → volume → mic_tee
 *   mic_tee → convert → encoder → payloader → valve → rtpdtmfmux ← rtpdtmfsrc
 *           → rtpbin → [srtpenc] → udpsink (RTP socket)
 *   rtpbin RTCP → [srtpenc] → udpsink (RTCP socket, or the RTP one when muxed)
 *   udpsrc (RTP socket) → [srtpdec: decrypts and splits muxed RTCP] → rtpbin
 *   udpsrc (RTCP socket, unless muxed) → [srtpdec] → rtpbin
 *   rtpbin per SSRC and payload type → depayloader → decoder → out_mixer
 *   live silence → out_mixer → [echo probe] → out_tee → speaker or WAV file
 *
 * The transport part lives in confab-rtp-audio-transport.c. */

/* The mixers' inputs arrive late by up to the jitterbuffer latency. */
#define MIXER_LATENCY_NS (CONFAB_RTP_AUDIO_JITTER_MS * GST_MSECOND)

GstElement *
_confab_rtp_audio_add (ConfabRtpAudio *self,
                       const char     *factory,
                       GError        **error)
{
  GstElement *element = _confab_rtp_audio_make (factory, NULL, error);

  if (element)
    gst_bin_add (GST_BIN (self->pipeline), element);
  return element;
}

static GstElement *
add_caps_filter (ConfabRtpAudio *self,
                 const char     *caps_string,
                 GError        **error)
{
  g_autoptr (GstCaps) caps = gst_caps_from_string (caps_string);
  GstElement *filter = _confab_rtp_audio_add (self, "capsfilter", error);

  if (filter)
    g_object_set (filter, "caps", caps, NULL);
  return filter;
}

static GstElement *
add_live_silence (ConfabRtpAudio *self,
                  GError        **error)
{
  GstElement *source = _confab_rtp_audio_add (self, "audiotestsrc", error);

  if (source == NULL)
    return NULL;
  gst_util_set_object_arg (G_OBJECT (source), "wave", "silence");
  g_object_set (source,
                "is-live", TRUE,
                "samplesperbuffer", CONFAB_RTP_AUDIO_RATE * CONFAB_RTP_AUDIO_BLOCK_MS / 1000,
                NULL);
  return source;
}

/* start_first: the first output starts with the first buffer in; else at
 * running time zero, so a WAV written from it maps sample to running time. */
static GstElement *
add_mixer (ConfabRtpAudio *self,
           gboolean        start_first,
           GError        **error)
{
  GstElement *mixer = _confab_rtp_audio_add (self, "audiomixer", error);

  if (mixer) {
    g_object_set (mixer,
                  "output-buffer-duration", (guint64) CONFAB_RTP_AUDIO_BLOCK_MS * GST_MSECOND,
                  "min-upstream-latency", (guint64) MIXER_LATENCY_NS,
                  NULL);
    gst_util_set_object_arg (G_OBJECT (mixer), "start-time-selection",
                             start_first ? "first" : "zero");
  }
  return mixer;
}

/* Links by pad name, requesting the pads that do not exist yet. */
gboolean
_confab_rtp_audio_link_pads (GstElement *src,
                             const char *src_pad,
                             GstElement *sink,
                             const char *sink_pad)
{
  g_autoptr (GstPad) srcpad = NULL;
  g_autoptr (GstPad) sinkpad = NULL;

  srcpad = gst_element_get_static_pad (src, src_pad);
  if (srcpad == NULL)
    srcpad = gst_element_request_pad_simple (src, src_pad);
  sinkpad = gst_element_get_static_pad (sink, sink_pad);
  if (sinkpad == NULL)
    sinkpad = gst_element_request_pad_simple (sink, sink_pad);

  return srcpad && sinkpad && gst_pad_link (srcpad, sinkpad) == GST_PAD_LINK_OK;
}

gboolean
_confab_rtp_audio_link_failed (GError **error)
{
  g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
               _("The call audio could not be set up (GStreamer elements do not fit)."));
  return FALSE;
}

/* The WAV plays once, paced by the live silence it is mixed over. */
static GstElement *
build_file_input (ConfabRtpAudio *self,
                  GError        **error)
{
  g_autofree char *block = g_strdup_printf ("%d/1000", CONFAB_RTP_AUDIO_BLOCK_MS);
  GstElement *silence, *silence_caps, *mixer, *mixer_caps, *filesrc, *wavparse, *convert,
             *resample, *file_caps, *split;

  if (!g_file_test (self->input_file, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND,
                 _("The audio file “%s” does not exist."), self->input_file);
    return NULL;
  }

  if (!(silence = add_live_silence (self, error)) ||
      !(silence_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(mixer = add_mixer (self, TRUE, error)) ||
      !(mixer_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(filesrc = _confab_rtp_audio_add (self, "filesrc", error)) ||
      !(wavparse = _confab_rtp_audio_add (self, "wavparse", error)) ||
      !(convert = _confab_rtp_audio_add (self, "audioconvert", error)) ||
      !(resample = _confab_rtp_audio_add (self, "audioresample", error)) ||
      !(file_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(split = _confab_rtp_audio_add (self, "audiobuffersplit", error)))
    return NULL;

  g_object_set (filesrc, "location", self->input_file, NULL);
  /* File data in blocks the size of the silence's, or the mixer works in
   * pairs of blocks and the packets leave in bursts. */
  gst_util_set_object_arg (G_OBJECT (split), "output-buffer-duration", block);

  /* The file waits for PLAYING (_confab_rtp_audio_play_file()): read
   * earlier, the time spent starting would leave in one burst of packets. */
  self->file_elements[0] = split;
  self->file_elements[1] = file_caps;
  self->file_elements[2] = resample;
  self->file_elements[3] = convert;
  self->file_elements[4] = wavparse;
  self->file_elements[5] = filesrc;
  for (guint i = 0; i < G_N_ELEMENTS (self->file_elements); i++)
    gst_element_set_locked_state (self->file_elements[i], TRUE);

  if (!gst_element_link_many (silence, silence_caps, mixer, mixer_caps, NULL) ||
      !gst_element_link_many (filesrc, wavparse, convert, resample, file_caps, split, mixer,
                              NULL)) {
    _confab_rtp_audio_link_failed (error);
    return NULL;
  }
  return mixer_caps;
}

static char *
echo_probe_name (ConfabRtpAudio *self)
{
  return g_strdup_printf ("confab-echo-probe-%p", (void *) self);
}

static GstElement *
add_from_description (ConfabRtpAudio *self,
                      const char     *description,
                      GError        **error)
{
  g_autoptr (GError) parse_error = NULL;
  GstElement *element = gst_parse_bin_from_description (description, TRUE, &parse_error);

  if (element == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("Bad audio device “%s”: %s"),
                 description, parse_error->message);
    return NULL;
  }
  gst_bin_add (GST_BIN (self->pipeline), element);
  return element;
}

/* The microphone, cleaned by the WebRTC echo canceller and noise
 * suppressor (unless turned off); it hears the speaker through the echo probe. */
static GstElement *
build_device_input (ConfabRtpAudio *self,
                    GError        **error)
{
  g_autofree char *probe_name = echo_probe_name (self);
  GstElement *source, *convert, *resample, *caps, *dsp;

  if (self->input_device_desc) {
    source = add_from_description (self, self->input_device_desc, error);
  } else {
    /* The chosen microphone, else (unplugged, say) the system default. */
    source = _confab_audio_devices_create_element (CONFAB_AUDIO_DEVICE_SOURCE,
                                                   self->input_device);
    if (source == NULL)
      source = _confab_rtp_audio_make ("autoaudiosrc", "gstreamer1.0-plugins-good", error);
  }
  if (source == NULL)
    return NULL;
  if (!self->input_device_desc)
    gst_bin_add (GST_BIN (self->pipeline), source);
  self->mic_source = source;

  if (!(convert = _confab_rtp_audio_add (self, "audioconvert", error)) ||
      !(resample = _confab_rtp_audio_add (self, "audioresample", error)) ||
      !(caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)))
    return NULL;

  if (!self->echo_cancel) {
    if (!gst_element_link_many (source, convert, resample, caps, NULL)) {
      _confab_rtp_audio_link_failed (error);
      return NULL;
    }
    return caps;
  }

  dsp = _confab_rtp_audio_make ("webrtcdsp", "gstreamer1.0-plugins-bad", error);
  if (dsp == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), dsp);
  g_object_set (dsp,
                "probe", probe_name,
                "echo-cancel", TRUE,
                "noise-suppression", TRUE,
                "high-pass-filter", TRUE,
                "delay-agnostic", TRUE,
                "extended-filter", TRUE,
                NULL);

  if (!gst_element_link_many (source, convert, resample, caps, dsp, NULL)) {
    _confab_rtp_audio_link_failed (error);
    return NULL;
  }
  return dsp;
}

static gboolean
build_input (ConfabRtpAudio *self,
             GError        **error)
{
  GstElement *last;

  last = self->input_file ? build_file_input (self, error) : build_device_input (self, error);
  if (last == NULL)
    return FALSE;

  if (!(self->mic_volume = _confab_rtp_audio_add (self, "volume", error)) ||
      !(self->mic_tee = _confab_rtp_audio_add (self, "tee", error)))
    return FALSE;
  g_object_set (self->mic_volume, "mute", self->muted, NULL);
  g_object_set (self->mic_tee, "allow-not-linked", TRUE, NULL);

  if (!gst_element_link_many (last, self->mic_volume, self->mic_tee, NULL))
    return _confab_rtp_audio_link_failed (error);
  return TRUE;
}

static gboolean
build_output (ConfabRtpAudio *self,
              GError        **error)
{
  GstElement *silence, *silence_caps, *mixer_caps, *last;

  if (!(silence = add_live_silence (self, error)) ||
      !(silence_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(self->out_mixer = add_mixer (self, FALSE, error)) ||
      !(mixer_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(self->out_tee = _confab_rtp_audio_add (self, "tee", error)))
    return FALSE;
  g_object_set (self->out_tee, "allow-not-linked", TRUE, NULL);

  if (!gst_element_link_many (silence, silence_caps, self->out_mixer, mixer_caps, NULL))
    return _confab_rtp_audio_link_failed (error);
  last = mixer_caps;

  /* The echo canceller must hear everything we play. */
  if (self->input_file == NULL && self->echo_cancel) {
    g_autofree char *probe_name = echo_probe_name (self);
    GstElement *probe = _confab_rtp_audio_make ("webrtcechoprobe", "gstreamer1.0-plugins-bad",
                                                error);

    if (probe == NULL)
      return FALSE;
    gst_object_set_name (GST_OBJECT (probe), probe_name);
    gst_bin_add (GST_BIN (self->pipeline), probe);
    if (!gst_element_link (last, probe))
      return _confab_rtp_audio_link_failed (error);
    last = probe;
  }
  if (!gst_element_link (last, self->out_tee))
    return _confab_rtp_audio_link_failed (error);

  if (self->output_file) {
    self->output_branch = _confab_wav_branch_new (self->pipeline, self->output_file,
                                                  self->out_tee, NULL, error);
    return self->output_branch != NULL;
  } else {
    GstElement *queue, *convert, *resample, *sink;

    if (!(queue = _confab_rtp_audio_add (self, "queue", error)) ||
        !(convert = _confab_rtp_audio_add (self, "audioconvert", error)) ||
        !(resample = _confab_rtp_audio_add (self, "audioresample", error)))
      return FALSE;
    if (self->output_device_desc) {
      sink = add_from_description (self, self->output_device_desc, error);
    } else {
      sink = _confab_audio_devices_create_element (CONFAB_AUDIO_DEVICE_SINK,
                                                   self->output_device);
      if (sink == NULL)
        sink = _confab_rtp_audio_make ("autoaudiosink", "gstreamer1.0-plugins-good", error);
      if (sink)
        gst_bin_add (GST_BIN (self->pipeline), sink);
    }
    if (sink == NULL)
      return FALSE;
    self->speaker_sink = sink;
    g_object_set (queue, "max-size-time", (guint64) 200 * GST_MSECOND, "max-size-buffers", 0,
                  "max-size-bytes", 0, NULL);
    gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");

    if (!gst_element_link_many (self->out_tee, queue, convert, resample, sink, NULL))
      return _confab_rtp_audio_link_failed (error);
  }
  return TRUE;
}

static gboolean
build_send (ConfabRtpAudio *self,
            GError        **error)
{
  const ConfabRtpCodec *codec = self->codec;
  g_autofree char *raw_caps = NULL;
  GstElement *convert, *resample, *caps, *encoder, *payloader, *last;

  raw_caps = g_strdup_printf ("audio/x-raw, rate=(int)%u, channels=(int)1", codec->raw_rate);
  if (!(convert = _confab_rtp_audio_add (self, "audioconvert", error)) ||
      !(resample = _confab_rtp_audio_add (self, "audioresample", error)) ||
      !(caps = add_caps_filter (self, raw_caps, error)) ||
      !(encoder = _confab_rtp_audio_add (self, codec->encoder, error)) ||
      !(payloader = _confab_rtp_audio_add (self, codec->payloader, error)) ||
      !(self->send_valve = _confab_rtp_audio_add (self, "valve", error)))
    return FALSE;

  if (g_str_equal (codec->rtp_name, "OPUS")) {
    g_autofree char *frame = g_strdup_printf ("%u", self->ptime);

    g_object_set (encoder,
                  "bitrate", 32000,
                  "inband-fec", TRUE,
                  "packet-loss-percentage", 5,
                  NULL);
    gst_util_set_object_arg (G_OBJECT (encoder), "audio-type", "voice");
    /* opus frames are 10, 20, 40 or 60 ms. */
    if (self->ptime == 10 || self->ptime == 20 || self->ptime == 40 || self->ptime == 60)
      gst_util_set_object_arg (G_OBJECT (encoder), "frame-size", frame);
    else
      gst_util_set_object_arg (G_OBJECT (encoder), "frame-size", "20");
  } else {
    g_object_set (payloader,
                  "min-ptime", (gint64) self->ptime * GST_MSECOND,
                  "max-ptime", (gint64) self->ptime * GST_MSECOND,
                  NULL);
  }
  g_object_set (payloader, "pt", self->payload_type, NULL);
  g_object_set (self->send_valve, "drop", !self->sending, NULL);

  if (!gst_element_link_many (self->mic_tee, convert, resample, caps, encoder, payloader,
                              self->send_valve, NULL))
    return _confab_rtp_audio_link_failed (error);
  last = self->send_valve;

  /* telephone-event shares SSRC, sequence numbers and timestamps with the
   * audio: rtpdtmfmux rewrites both inputs into one stream. */
  if (self->dtmf_payload_type != 0) {
    g_autofree char *dtmf_caps = NULL;
    GstElement *dtmf_filter, *mux;

    dtmf_caps = g_strdup_printf ("application/x-rtp, media=(string)audio, payload=(int)%u, "
                                 "clock-rate=(int)%u, encoding-name=(string)TELEPHONE-EVENT, "
                                 "ptime=(uint)%u",
                                 self->dtmf_payload_type, self->dtmf_clock_rate, self->ptime);
    if (!(self->dtmf_src = _confab_rtp_audio_add (self, "rtpdtmfsrc", error)) ||
        !(dtmf_filter = add_caps_filter (self, dtmf_caps, error)) ||
        !(mux = _confab_rtp_audio_add (self, "rtpdtmfmux", error)))
      return FALSE;
    g_object_set (self->dtmf_src,
                  "pt", self->dtmf_payload_type,
                  "clock-rate", self->dtmf_clock_rate,
                  "packet-redundancy", 3,
                  NULL);
    if (!gst_element_link (self->dtmf_src, dtmf_filter) ||
        !_confab_rtp_audio_link_pads (dtmf_filter, "src", mux, "priority_sink_%u") ||
        !_confab_rtp_audio_link_pads (last, "src", mux, "sink_%u"))
      return _confab_rtp_audio_link_failed (error);
    last = mux;
  }

  if (!_confab_rtp_audio_link_pads (last, "src", self->rtpbin, "send_rtp_sink_0"))
    return _confab_rtp_audio_link_failed (error);
  return TRUE;
}

static GstCaps *
on_request_pt_map (GstElement     *rtpbin,
                   guint           session,
                   guint           pt,
                   ConfabRtpAudio *self)
{
  return _confab_rtp_audio_rtp_caps (self, pt, FALSE);
}

static gboolean
link_and_sync (GstElement **chain,
               guint        n)
{
  for (guint i = 0; i + 1 < n; i++) {
    if (!gst_element_link (chain[i], chain[i + 1]))
      return FALSE;
  }
  /* Downstream first, so nothing pushes into an element not yet playing. */
  for (guint i = n; i > 0; i--)
    gst_element_sync_state_with_parent (chain[i - 1]);
  return TRUE;
}

/* Called with self->lock held, from a streaming thread. */
static void
link_decoder (ConfabRtpAudio *self,
              GstPad         *pad)
{
  const ConfabRtpCodec *codec = self->codec;
  g_autoptr (GstPad) mixer_pad = NULL;
  g_autoptr (GstPad) caps_pad = NULL;
  GstElement *chain[5];

  chain[0] = gst_element_factory_make (codec->depayloader, NULL);
  chain[1] = gst_element_factory_make (codec->decoder, NULL);
  chain[2] = gst_element_factory_make ("audioconvert", NULL);
  chain[3] = gst_element_factory_make ("audioresample", NULL);
  chain[4] = gst_element_factory_make ("capsfilter", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (chain); i++) {
    if (chain[i] == NULL) {
      for (guint j = 0; j < G_N_ELEMENTS (chain); j++)
        gst_clear_object (&chain[j]);
      g_warning ("Cannot decode %s: elements missing", codec->name);
      return;
    }
  }

  /* Concealment, but no in-band FEC decoding: with it opusdec declares
   * 120 ms of latency, which the speaker would add to every call. */
  if (g_str_equal (codec->rtp_name, "OPUS"))
    g_object_set (chain[1], "use-inband-fec", FALSE, "plc", TRUE, NULL);
  {
    g_autoptr (GstCaps) caps = gst_caps_from_string (CONFAB_RTP_AUDIO_CAPS);

    g_object_set (chain[4], "caps", caps, NULL);
  }

  for (guint i = 0; i < G_N_ELEMENTS (chain); i++)
    gst_bin_add (GST_BIN (self->pipeline), chain[i]);

  mixer_pad = gst_element_request_pad_simple (self->out_mixer, "sink_%u");
  caps_pad = gst_element_get_static_pad (chain[4], "src");
  if (mixer_pad == NULL || gst_pad_link (caps_pad, mixer_pad) != GST_PAD_LINK_OK ||
      !link_and_sync (chain, G_N_ELEMENTS (chain))) {
    g_warning ("Cannot link the %s decoder", codec->name);
    return;
  }
  g_object_set (mixer_pad, "mute", !self->receiving, NULL);
  g_ptr_array_add (self->remote_pads, g_object_ref (mixer_pad));

  {
    g_autoptr (GstPad) depay_pad = gst_element_get_static_pad (chain[0], "sink");

    if (gst_pad_link (pad, depay_pad) != GST_PAD_LINK_OK)
      g_warning ("Cannot link the remote %s stream", codec->name);
  }

  /* The jitterbuffer of this stream now adds to the play-out latency. */
  gst_element_post_message (self->pipeline,
                            gst_message_new_latency (GST_OBJECT (self->pipeline)));
}

/* Anything we do not decode still has to go somewhere, or rtpbin stalls. */
static void
link_fakesink (ConfabRtpAudio *self,
               GstPad         *pad)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr (GstPad) sinkpad = NULL;

  if (sink == NULL)
    return;
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (self->pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
}

static void
on_rtpbin_pad_added (GstElement     *rtpbin,
                     GstPad         *pad,
                     ConfabRtpAudio *self)
{
  g_autofree char *name = gst_pad_get_name (pad);
  guint session, ssrc, pt;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC ||
      sscanf (name, "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3)
    return;

  g_debug ("Remote stream SSRC %08x, payload type %u", ssrc, pt);

  g_mutex_lock (&self->lock);
  if (!self->stopping) {
    if (pt == self->payload_type) {
      link_decoder (self, pad);
    } else {
      if (self->dtmf_payload_type != 0 && pt == self->dtmf_payload_type)
        _confab_rtp_audio_dtmf_watch_pad (self, pad);
      link_fakesink (self, pad);
    }
  }
  g_mutex_unlock (&self->lock);
}

static gboolean
build_rtpbin (ConfabRtpAudio *self,
              GError        **error)
{
  if (!(self->rtpbin = _confab_rtp_audio_add (self, "rtpbin", error)))
    return FALSE;

  g_object_set (self->rtpbin,
                "latency", CONFAB_RTP_AUDIO_JITTER_MS,
                "do-retransmission", FALSE,
                "do-lost", TRUE,
                "drop-on-latency", TRUE,
                NULL);
  g_signal_connect_object (self->rtpbin, "request-pt-map", G_CALLBACK (on_request_pt_map), self,
                           0);
  g_signal_connect_object (self->rtpbin, "pad-added", G_CALLBACK (on_rtpbin_pad_added), self, 0);
  return TRUE;
}

static void
configure_session (ConfabRtpAudio *self)
{
  g_autoptr (GstElement) session = NULL;

  if (self->rtcp_interval_ms == 0)
    return;
  g_signal_emit_by_name (self->rtpbin, "get-session", 0, &session);
  if (session) {
    g_object_set (session, "rtcp-min-interval", (guint64) self->rtcp_interval_ms * GST_MSECOND,
                  NULL);
  }
}

gboolean
_confab_rtp_audio_build (ConfabRtpAudio             *self,
                         const ConfabRtpAudioParams *params,
                         GError                    **error)
{
  g_autoptr (GInetAddress) remote = NULL;
  g_autoptr (GSocketAddress) local = NULL;

  self->codec = _confab_rtp_codec_find (params->encoding);
  if (self->codec == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The audio codec “%s” is not supported."),
                 params->encoding ? params->encoding : "");
    return FALSE;
  }
  if (!_confab_rtp_audio_check_codec (self->codec, error))
    return FALSE;

  /* With ICE the checks find the way; the SDP address is only a default. */
  remote = g_inet_address_new_from_string (params->remote_address ? params->remote_address : "");
  if (self->rtp_socket)
    local = g_socket_get_local_address (self->rtp_socket, NULL);
  if (remote == NULL || (self->ice == NULL && (local == NULL ||
      g_inet_address_get_family (remote) != g_socket_address_get_family (local)))) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The peer's audio address “%s” cannot be reached from this port."),
                 params->remote_address ? params->remote_address : "");
    return FALSE;
  }

  self->payload_type = params->payload_type;
  self->clock_rate = params->clock_rate;
  if (self->clock_rate == 0)
    self->clock_rate = g_str_equal (self->codec->rtp_name, "OPUS") ? 48000 : 8000;
  self->dtmf_payload_type = params->dtmf_payload_type;
  self->dtmf_clock_rate = params->dtmf_clock_rate ? params->dtmf_clock_rate : self->clock_rate;
  self->ptime = params->ptime ? CLAMP (params->ptime, 10, 120) : 20;
  self->rtcp_mux = params->rtcp_mux;
  self->sending = params->send;
  self->receiving = params->receive;
  self->suite = _confab_srtp_suite_find (params->srtp_suite);
  if (self->suite) {
    memcpy (self->remote_key, params->srtp_remote_key, params->srtp_remote_key_len);
    self->remote_key_len = params->srtp_remote_key_len;
  }

  self->pipeline = gst_pipeline_new (NULL);

  if (!build_rtpbin (self, error) ||
      !build_input (self, error) ||
      !build_output (self, error) ||
      !build_send (self, error) ||
      !_confab_rtp_audio_build_transport (self, params, remote, error))
    return FALSE;

  configure_session (self);
  return TRUE;
}

/* Starts the input file now that the pipeline plays, its first sample at
 * the current running time. */
void
_confab_rtp_audio_play_file (ConfabRtpAudio *self)
{
  g_autoptr (GstClock) clock = gst_element_get_clock (self->pipeline);
  g_autoptr (GstPad) pad = NULL;
  GstClockTime now;

  if (self->file_elements[0] == NULL || clock == NULL)
    return;

  now = gst_clock_get_time (clock) - gst_element_get_base_time (self->pipeline);
  pad = gst_element_get_static_pad (self->file_elements[0], "src");
  gst_pad_set_offset (pad, (gint64) now);

  for (guint i = 0; i < G_N_ELEMENTS (self->file_elements); i++) {
    gst_element_set_locked_state (self->file_elements[i], FALSE);
    gst_element_sync_state_with_parent (self->file_elements[i]);
  }
}

/* Mutes the remote streams in the mixer: the decoders keep running, so
 * resuming needs no resynchronisation. */
void
_confab_rtp_audio_apply_receiving (ConfabRtpAudio *self)
{
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->remote_pads->len; i++)
    g_object_set (g_ptr_array_index (self->remote_pads, i), "mute", !self->receiving, NULL);
  g_mutex_unlock (&self->lock);
}
