/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRtpAudio"

#include "config.h"

#include "confab-rtp-audio-private.h"
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
 * Both sockets are ours (prepare()); udpsrc and udpsink share them, so we
 * send from the port we receive on (symmetric RTP). */

/* The mixers' inputs arrive late by up to the jitterbuffer latency. */
#define MIXER_LATENCY_NS (CONFAB_RTP_AUDIO_JITTER_MS * GST_MSECOND)
/* EF, the code point for voice. */
#define VOICE_DSCP       46

static GstElement *
add (ConfabRtpAudio *self,
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
  GstElement *filter = add (self, "capsfilter", error);

  if (filter)
    g_object_set (filter, "caps", caps, NULL);
  return filter;
}

static GstElement *
add_live_silence (ConfabRtpAudio *self,
                  GError        **error)
{
  GstElement *source = add (self, "audiotestsrc", error);

  if (source == NULL)
    return NULL;
  gst_util_set_object_arg (G_OBJECT (source), "wave", "silence");
  g_object_set (source,
                "is-live", TRUE,
                "samplesperbuffer", CONFAB_RTP_AUDIO_RATE * CONFAB_RTP_AUDIO_BLOCK_MS / 1000,
                NULL);
  return source;
}

static GstElement *
add_mixer (ConfabRtpAudio *self,
           GError        **error)
{
  GstElement *mixer = add (self, "audiomixer", error);

  if (mixer) {
    g_object_set (mixer,
                  "output-buffer-duration", (guint64) CONFAB_RTP_AUDIO_BLOCK_MS * GST_MSECOND,
                  "min-upstream-latency", (guint64) MIXER_LATENCY_NS,
                  NULL);
    /* Starting at zero, a mixer woken between the pipeline handing out its
     * clock and its base time races ahead by up to seconds; starting at
     * the first buffer it waits for the live silence, which only flows in
     * PLAYING. */
    gst_util_set_object_arg (G_OBJECT (mixer), "start-time-selection", "first");
  }
  return mixer;
}

static gboolean
link_request (GstElement *src,
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

static gboolean
link_failed (GError **error)
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
      !(mixer = add_mixer (self, error)) ||
      !(mixer_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(filesrc = add (self, "filesrc", error)) ||
      !(wavparse = add (self, "wavparse", error)) ||
      !(convert = add (self, "audioconvert", error)) ||
      !(resample = add (self, "audioresample", error)) ||
      !(file_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(split = add (self, "audiobuffersplit", error)))
    return NULL;

  g_object_set (filesrc, "location", self->input_file, NULL);
  /* File data in blocks the size of the silence's, or the mixer works in
   * pairs of blocks and the packets leave in bursts. */
  gst_util_set_object_arg (G_OBJECT (split), "output-buffer-duration", block);

  if (!gst_element_link_many (silence, silence_caps, mixer, mixer_caps, NULL) ||
      !gst_element_link_many (filesrc, wavparse, convert, resample, file_caps, split, mixer,
                              NULL)) {
    link_failed (error);
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
 * suppressor; it hears the speaker through the echo probe. */
static GstElement *
build_device_input (ConfabRtpAudio *self,
                    GError        **error)
{
  g_autofree char *probe_name = echo_probe_name (self);
  GstElement *source, *convert, *resample, *caps, *dsp;

  if (self->input_device_desc)
    source = add_from_description (self, self->input_device_desc, error);
  else
    source = _confab_rtp_audio_make ("autoaudiosrc", "gstreamer1.0-plugins-good", error);
  if (source == NULL)
    return NULL;
  if (!self->input_device_desc)
    gst_bin_add (GST_BIN (self->pipeline), source);

  if (!(convert = add (self, "audioconvert", error)) ||
      !(resample = add (self, "audioresample", error)) ||
      !(caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)))
    return NULL;

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
    link_failed (error);
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

  if (!(self->mic_volume = add (self, "volume", error)) ||
      !(self->mic_tee = add (self, "tee", error)))
    return FALSE;
  g_object_set (self->mic_volume, "mute", self->muted, NULL);
  g_object_set (self->mic_tee, "allow-not-linked", TRUE, NULL);

  if (!gst_element_link_many (last, self->mic_volume, self->mic_tee, NULL))
    return link_failed (error);
  return TRUE;
}

static gboolean
build_output (ConfabRtpAudio *self,
              GError        **error)
{
  GstElement *silence, *silence_caps, *mixer_caps, *last;

  if (!(silence = add_live_silence (self, error)) ||
      !(silence_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(self->out_mixer = add_mixer (self, error)) ||
      !(mixer_caps = add_caps_filter (self, CONFAB_RTP_AUDIO_CAPS, error)) ||
      !(self->out_tee = add (self, "tee", error)))
    return FALSE;
  g_object_set (self->out_tee, "allow-not-linked", TRUE, NULL);

  if (!gst_element_link_many (silence, silence_caps, self->out_mixer, mixer_caps, NULL))
    return link_failed (error);
  last = mixer_caps;

  /* The echo canceller must hear everything we play. */
  if (self->input_file == NULL) {
    g_autofree char *probe_name = echo_probe_name (self);
    GstElement *probe = _confab_rtp_audio_make ("webrtcechoprobe", "gstreamer1.0-plugins-bad",
                                                error);

    if (probe == NULL)
      return FALSE;
    gst_object_set_name (GST_OBJECT (probe), probe_name);
    gst_bin_add (GST_BIN (self->pipeline), probe);
    if (!gst_element_link (last, probe))
      return link_failed (error);
    last = probe;
  }
  if (!gst_element_link (last, self->out_tee))
    return link_failed (error);

  if (self->output_file) {
    self->output_branch = _confab_wav_branch_new (self->pipeline, self->output_file,
                                                  self->out_tee, NULL, error);
    return self->output_branch != NULL;
  } else {
    GstElement *queue, *convert, *resample, *sink;

    if (!(queue = add (self, "queue", error)) ||
        !(convert = add (self, "audioconvert", error)) ||
        !(resample = add (self, "audioresample", error)))
      return FALSE;
    if (self->output_device_desc) {
      sink = add_from_description (self, self->output_device_desc, error);
    } else {
      sink = _confab_rtp_audio_make ("autoaudiosink", "gstreamer1.0-plugins-good", error);
      if (sink)
        gst_bin_add (GST_BIN (self->pipeline), sink);
    }
    if (sink == NULL)
      return FALSE;
    g_object_set (queue, "max-size-time", (guint64) 200 * GST_MSECOND, "max-size-buffers", 0,
                  "max-size-bytes", 0, NULL);
    gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");

    if (!gst_element_link_many (self->out_tee, queue, convert, resample, sink, NULL))
      return link_failed (error);
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
  if (!(convert = add (self, "audioconvert", error)) ||
      !(resample = add (self, "audioresample", error)) ||
      !(caps = add_caps_filter (self, raw_caps, error)) ||
      !(encoder = add (self, codec->encoder, error)) ||
      !(payloader = add (self, codec->payloader, error)) ||
      !(self->send_valve = add (self, "valve", error)))
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
    return link_failed (error);
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
    if (!(self->dtmf_src = add (self, "rtpdtmfsrc", error)) ||
        !(dtmf_filter = add_caps_filter (self, dtmf_caps, error)) ||
        !(mux = add (self, "rtpdtmfmux", error)))
      return FALSE;
    g_object_set (self->dtmf_src,
                  "pt", self->dtmf_payload_type,
                  "clock-rate", self->dtmf_clock_rate,
                  "packet-redundancy", 3,
                  NULL);
    if (!gst_element_link (self->dtmf_src, dtmf_filter) ||
        !link_request (dtmf_filter, "src", mux, "priority_sink_%u") ||
        !link_request (last, "src", mux, "sink_%u"))
      return link_failed (error);
    last = mux;
  }

  if (!link_request (last, "src", self->rtpbin, "send_rtp_sink_0"))
    return link_failed (error);
  return TRUE;
}

static void
free_key (gpointer key)
{
  _confab_secure_clear (key, CONFAB_RTP_AUDIO_MAX_KEY);
  g_free (key);
}

/* Our copy of a key is wiped when GStreamer lets go of it. */
static GstBuffer *
key_buffer (const guint8 *key,
            gsize         len)
{
  guint8 *copy = g_malloc0 (CONFAB_RTP_AUDIO_MAX_KEY);

  g_assert (len <= CONFAB_RTP_AUDIO_MAX_KEY);
  memcpy (copy, key, len);
  return gst_buffer_new_wrapped_full (0, copy, len, 0, len, copy, free_key);
}

static GstElement *
add_udpsink (ConfabRtpAudio *self,
             GSocket        *socket,
             GInetAddress   *remote,
             guint           port,
             GError        **error)
{
  g_autofree char *host = g_inet_address_to_string (remote);
  GstElement *sink = add (self, "udpsink", error);

  if (sink == NULL)
    return NULL;
  g_object_set (sink,
                g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6 ? "socket-v6" : "socket",
                socket,
                "close-socket", FALSE,
                "host", host,
                "port", (int) port,
                "sync", FALSE,
                "async", FALSE,
                NULL);
  return sink;
}

static GstElement *
add_udpsrc (ConfabRtpAudio *self,
            GSocket        *socket,
            GstCaps        *caps,
            GError        **error)
{
  GstElement *source = add (self, "udpsrc", error);

  if (source) {
    g_object_set (source,
                  "socket", socket,
                  "close-socket", FALSE,
                  "caps", caps,
                  NULL);
  }
  return source;
}

static GstCaps *
on_request_key (GstElement     *srtpdec,
                guint           ssrc,
                ConfabRtpAudio *self)
{
  g_autoptr (GstBuffer) key = NULL;

  key = key_buffer (self->remote_key, self->remote_key_len);
  return gst_caps_new_simple ("application/x-srtp",
                              "srtp-key", GST_TYPE_BUFFER, key,
                              "srtp-cipher", G_TYPE_STRING, self->suite->cipher,
                              "srtp-auth", G_TYPE_STRING, self->suite->rtp_auth,
                              "srtcp-cipher", G_TYPE_STRING, self->suite->cipher,
                              "srtcp-auth", G_TYPE_STRING, self->suite->rtcp_auth,
                              NULL);
}

/* RFC 5761 section 4: RTCP packet types 192-223 sit where RTP would carry
 * the marker bit and payload types 64-95, which RTP never uses with it. */
static gboolean
is_rtcp (GstBuffer *buffer)
{
  guint8 header[2];

  return gst_buffer_extract (buffer, 0, header, 2) == 2 && (header[0] >> 6) == 2 &&
         header[1] >= 192 && header[1] <= 223;
}

static GstPadProbeReturn
on_muxed_packet (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  gboolean want_rtcp = GPOINTER_TO_INT (user_data);

  return is_rtcp (GST_PAD_PROBE_INFO_BUFFER (info)) == want_rtcp ? GST_PAD_PROBE_OK
                                                                  : GST_PAD_PROBE_DROP;
}

/* Plain RTP with RTCP on the same port: a tee hands every packet to both
 * rtpbin inputs and a probe on each side keeps only its kind. rtpsession
 * would take RTCP on its RTP input too, but then computes no round trip. */
static gboolean
add_rtcp_mux_split (ConfabRtpAudio *self,
                    GstElement     *rtp_src,
                    GError        **error)
{
  g_autoptr (GstCaps) rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");
  g_autoptr (GstPad) rtp_pad = NULL;
  g_autoptr (GstPad) rtcp_pad = NULL;
  GstElement *tee, *setter;

  if (!(tee = add (self, "tee", error)) ||
      !(setter = add (self, "capssetter", error)))
    return FALSE;
  g_object_set (setter, "caps", rtcp_caps, "join", FALSE, "replace", TRUE, NULL);

  rtp_pad = gst_element_request_pad_simple (tee, "src_%u");
  rtcp_pad = gst_element_request_pad_simple (tee, "src_%u");
  gst_pad_add_probe (rtp_pad, GST_PAD_PROBE_TYPE_BUFFER, on_muxed_packet, GINT_TO_POINTER (FALSE),
                     NULL);
  gst_pad_add_probe (rtcp_pad, GST_PAD_PROBE_TYPE_BUFFER, on_muxed_packet, GINT_TO_POINTER (TRUE),
                     NULL);

  if (!gst_element_link (rtp_src, tee) ||
      !link_request (tee, GST_PAD_NAME (rtp_pad), self->rtpbin, "recv_rtp_sink_0") ||
      !link_request (tee, GST_PAD_NAME (rtcp_pad), setter, "sink") ||
      !link_request (setter, "src", self->rtpbin, "recv_rtcp_sink_0"))
    return link_failed (error);
  return TRUE;
}

static gboolean
build_transport (ConfabRtpAudio             *self,
                 const ConfabRtpAudioParams *params,
                 GInetAddress               *remote,
                 GError                    **error)
{
  gboolean srtp = self->suite != NULL;
  guint rtcp_port = params->remote_rtcp_port ? params->remote_rtcp_port : params->remote_port + 1;
  GSocket *rtcp_socket = self->rtcp_mux ? self->rtp_socket : self->rtcp_socket;
  g_autoptr (GstCaps) rtp_caps = NULL;
  GstElement *rtp_sink, *rtcp_sink, *rtp_src, *srtpenc = NULL, *srtpdec = NULL;

  if (self->rtcp_mux)
    rtcp_port = params->remote_port;
  if (rtcp_port > 65535)
    rtcp_port = params->remote_port;

  /* Sending. */
  if (!(rtp_sink = add_udpsink (self, self->rtp_socket, remote, params->remote_port, error)) ||
      !(rtcp_sink = add_udpsink (self, rtcp_socket, remote, rtcp_port, error)))
    return FALSE;
  g_object_set (rtp_sink, "qos-dscp", VOICE_DSCP, NULL);

  if (srtp) {
    g_autoptr (GstBuffer) key = key_buffer (params->srtp_local_key, params->srtp_local_key_len);

    srtpenc = _confab_rtp_audio_make ("srtpenc", "gstreamer1.0-plugins-bad", error);
    if (srtpenc == NULL)
      return FALSE;
    gst_bin_add (GST_BIN (self->pipeline), srtpenc);
    g_object_set (srtpenc, "key", key, NULL);
    gst_util_set_object_arg (G_OBJECT (srtpenc), "rtp-cipher", self->suite->cipher);
    gst_util_set_object_arg (G_OBJECT (srtpenc), "rtcp-cipher", self->suite->cipher);
    gst_util_set_object_arg (G_OBJECT (srtpenc), "rtp-auth", self->suite->rtp_auth);
    gst_util_set_object_arg (G_OBJECT (srtpenc), "rtcp-auth", self->suite->rtcp_auth);

    if (!link_request (self->rtpbin, "send_rtp_src_0", srtpenc, "rtp_sink_0") ||
        !link_request (srtpenc, "rtp_src_0", rtp_sink, "sink") ||
        !link_request (self->rtpbin, "send_rtcp_src_0", srtpenc, "rtcp_sink_0") ||
        !link_request (srtpenc, "rtcp_src_0", rtcp_sink, "sink"))
      return link_failed (error);
  } else {
    if (!link_request (self->rtpbin, "send_rtp_src_0", rtp_sink, "sink") ||
        !link_request (self->rtpbin, "send_rtcp_src_0", rtcp_sink, "sink"))
      return link_failed (error);
  }

  /* Receiving. With RTCP muxed (RFC 5761), srtpdec finds it among SRTP
   * packets; plain RTP is split by add_rtcp_mux_split(). */
  rtp_caps = _confab_rtp_audio_rtp_caps (self, self->payload_type, srtp);
  if (!(rtp_src = add_udpsrc (self, self->rtp_socket, rtp_caps, error)))
    return FALSE;

  if (!srtp && self->rtcp_mux) {
    if (!add_rtcp_mux_split (self, rtp_src, error))
      return FALSE;
  } else if (srtp) {
    srtpdec = _confab_rtp_audio_make ("srtpdec", "gstreamer1.0-plugins-bad", error);
    if (srtpdec == NULL)
      return FALSE;
    gst_bin_add (GST_BIN (self->pipeline), srtpdec);
    g_signal_connect_object (srtpdec, "request-key", G_CALLBACK (on_request_key), self, 0);

    if (!link_request (rtp_src, "src", srtpdec, "rtp_sink") ||
        !link_request (srtpdec, "rtp_src", self->rtpbin, "recv_rtp_sink_0") ||
        !link_request (srtpdec, "rtcp_src", self->rtpbin, "recv_rtcp_sink_0"))
      return link_failed (error);
  } else if (!link_request (rtp_src, "src", self->rtpbin, "recv_rtp_sink_0")) {
    return link_failed (error);
  }

  if (!self->rtcp_mux) {
    g_autoptr (GstCaps) rtcp_caps = gst_caps_new_empty_simple (srtp ? "application/x-srtcp"
                                                                    : "application/x-rtcp");
    GstElement *rtcp_src = add_udpsrc (self, self->rtcp_socket, rtcp_caps, error);

    if (rtcp_src == NULL)
      return FALSE;
    if (!link_request (rtcp_src, "src", srtp ? srtpdec : self->rtpbin,
                       srtp ? "rtcp_sink" : "recv_rtcp_sink_0"))
      return link_failed (error);
  }
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

  if (g_str_equal (codec->rtp_name, "OPUS"))
    g_object_set (chain[1], "use-inband-fec", TRUE, "plc", TRUE, NULL);
  {
    g_autoptr (GstCaps) caps = gst_caps_from_string (CONFAB_RTP_AUDIO_CAPS);

    g_object_set (chain[4], "caps", caps, NULL);
  }

  for (guint i = 0; i < G_N_ELEMENTS (chain); i++)
    gst_bin_add (GST_BIN (self->pipeline), chain[i]);

  mixer_pad = gst_element_request_pad_simple (self->out_mixer, "sink_%u");
  g_object_set (mixer_pad, "mute", !self->receiving, NULL);
  caps_pad = gst_element_get_static_pad (chain[4], "src");
  if (gst_pad_link (caps_pad, mixer_pad) != GST_PAD_LINK_OK ||
      !link_and_sync (chain, G_N_ELEMENTS (chain))) {
    g_warning ("Cannot link the %s decoder", codec->name);
    return;
  }
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
  if (!(self->rtpbin = add (self, "rtpbin", error)))
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

  remote = g_inet_address_new_from_string (params->remote_address ? params->remote_address : "");
  local = g_socket_get_local_address (self->rtp_socket, NULL);
  if (remote == NULL || local == NULL ||
      g_inet_address_get_family (remote) !=
      g_socket_address_get_family (local)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The peer's audio address “%s” cannot be reached from this port."),
                 params->remote_address ? params->remote_address : "");
    return FALSE;
  }

  self->payload_type = params->payload_type;
  self->clock_rate = params->clock_rate ? params->clock_rate
                                        : g_str_equal (self->codec->rtp_name, "OPUS") ? 48000 : 8000;
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
      !build_transport (self, params, remote, error))
    return FALSE;

  configure_session (self);
  return TRUE;
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
