/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRtpAudio"

#include "config.h"

#include "confab-rtp-audio-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Our two UDP sockets, bound at prepare() so offer and answer can carry the
 * port, and the elements around them: udpsrc and udpsink share each socket,
 * so we send from the port we receive on (symmetric RTP keeps NAT bindings
 * open), with SRTP (SDES keys) and RTCP multiplexing as negotiated. */

/* Tries at an even RTP port with the odd one above it free. */
#define PORT_PAIR_ATTEMPTS  32
/* EF, the code point for voice. */
#define VOICE_DSCP          46

void
_confab_rtp_audio_close_sockets (ConfabRtpAudio *self)
{
  if (self->rtp_socket)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket)
    g_socket_close (self->rtcp_socket, NULL);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);
  self->local_port = 0;
  self->local_rtcp_port = 0;
}

static GSocket *
bind_udp (GInetAddress *address,
          guint         port,
          guint        *bound_port,
          GError      **error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) wanted = NULL;
  g_autoptr (GSocketAddress) local = NULL;

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return NULL;

  wanted = g_inet_socket_address_new (address, port);
  if (!g_socket_bind (socket, wanted, FALSE, error))
    return NULL;

  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return NULL;
  *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return g_steal_pointer (&socket);
}

/* RTP on an even port and RTCP right above it (RFC 3550 section 11); the
 * kernel hands out ports of either parity, so take the neighbour. */
gboolean
_confab_rtp_audio_bind_ports (ConfabRtpAudio *self,
                              GInetAddress   *address,
                              GError        **error)
{
  g_autoptr (GSocket) rtp = NULL;
  g_autoptr (GSocket) rtcp = NULL;
  guint rtp_port = 0, rtcp_port = 0;

  for (guint attempt = 0; attempt < PORT_PAIR_ATTEMPTS && rtcp == NULL; attempt++) {
    guint port = 0;

    g_clear_object (&rtp);
    rtp = bind_udp (address, 0, &port, error);
    if (rtp == NULL)
      return FALSE;

    if (port % 2 == 0 && port < 65535) {
      rtp_port = port;
      rtcp = bind_udp (address, port + 1, &rtcp_port, NULL);
    } else if (port % 2 == 1 && port > 1024) {
      /* This one becomes RTCP if the even port below is free. */
      rtcp = g_steal_pointer (&rtp);
      rtcp_port = port;
      rtp = bind_udp (address, port - 1, &rtp_port, NULL);
      if (rtp == NULL)
        g_clear_object (&rtcp);
    }
  }

  if (rtcp == NULL) {
    /* Crowded port space: any two ports, RTCP announced with a=rtcp. */
    g_clear_object (&rtp);
    if (!(rtp = bind_udp (address, 0, &rtp_port, error)) ||
        !(rtcp = bind_udp (address, 0, &rtcp_port, error)))
      return FALSE;
  }

  self->rtp_socket = g_steal_pointer (&rtp);
  self->rtcp_socket = g_steal_pointer (&rtcp);
  self->local_port = rtp_port;
  self->local_rtcp_port = rtcp_port;
  return TRUE;
}

gboolean
_confab_rtp_audio_bind_exact (ConfabRtpAudio *self,
                              GInetAddress   *address,
                              guint           rtp_port,
                              guint           rtcp_port,
                              GError        **error)
{
  g_autoptr (GSocket) rtp = NULL;
  g_autoptr (GSocket) rtcp = NULL;
  guint bound_rtp = 0, bound_rtcp = 0;

  if (!(rtp = bind_udp (address, rtp_port, &bound_rtp, error)))
    return FALSE;
  if (rtcp_port && !(rtcp = bind_udp (address, rtcp_port, &bound_rtcp, error)))
    return FALSE;
  if (rtcp == NULL && !(rtcp = bind_udp (address, 0, &bound_rtcp, error)))
    return FALSE;

  self->rtp_socket = g_steal_pointer (&rtp);
  self->rtcp_socket = g_steal_pointer (&rtcp);
  self->local_port = bound_rtp;
  self->local_rtcp_port = bound_rtcp;
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
  GstElement *sink = _confab_rtp_audio_add (self, "udpsink", error);

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
  GstElement *source = _confab_rtp_audio_add (self, "udpsrc", error);

  if (source) {
    g_object_set (source,
                  "socket", socket,
                  "close-socket", FALSE,
                  "caps", caps,
                  NULL);
  }
  return source;
}

/* With ICE, libnice owns the sockets: nicesink sends on the selected pair
 * of @component and nicesrc receives from it. */
static GstElement *
add_nicesink (ConfabRtpAudio *self,
              guint           component,
              GError        **error)
{
  GstElement *sink = _confab_rtp_audio_make ("nicesink", "gstreamer1.0-nice", error);

  if (sink == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), sink);
  g_object_set (sink,
                "agent", confab_ice_get_agent (self->ice),
                "stream", confab_ice_get_stream_id (self->ice),
                "component", component,
                "sync", FALSE,
                "async", FALSE,
                NULL);
  return sink;
}

static GstElement *
add_nicesrc (ConfabRtpAudio *self,
             guint           component,
             GstCaps        *caps,
             GError        **error)
{
  GstElement *source = _confab_rtp_audio_make ("nicesrc", "gstreamer1.0-nice", error);
  GstElement *filter;

  if (source == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), source);
  g_object_set (source,
                "agent", confab_ice_get_agent (self->ice),
                "stream", confab_ice_get_stream_id (self->ice),
                "component", component,
                NULL);
  /* nicesrc says nothing of what it carries. */
  if (!(filter = _confab_rtp_audio_add (self, "capsfilter", error)))
    return NULL;
  g_object_set (filter, "caps", caps, NULL);
  if (!gst_element_link (source, filter)) {
    _confab_rtp_audio_link_failed (error);
    return NULL;
  }
  return filter;
}

static GstCaps *
on_request_key (GstElement     *srtpdec,
                guint           ssrc,
                ConfabRtpAudio *self)
{
  g_autoptr (GstBuffer) key = NULL;

  /* The key may change under a running call (a re-INVITE's new a=crypto). */
  g_mutex_lock (&self->lock);
  key = key_buffer (self->remote_key, self->remote_key_len);
  g_mutex_unlock (&self->lock);
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

  if (!(tee = _confab_rtp_audio_add (self, "tee", error)) ||
      !(setter = _confab_rtp_audio_add (self, "capssetter", error)))
    return FALSE;
  g_object_set (setter, "caps", rtcp_caps, "join", FALSE, "replace", TRUE, NULL);

  rtp_pad = gst_element_request_pad_simple (tee, "src_%u");
  rtcp_pad = gst_element_request_pad_simple (tee, "src_%u");
  gst_pad_add_probe (rtp_pad, GST_PAD_PROBE_TYPE_BUFFER, on_muxed_packet, GINT_TO_POINTER (FALSE),
                     NULL);
  gst_pad_add_probe (rtcp_pad, GST_PAD_PROBE_TYPE_BUFFER, on_muxed_packet, GINT_TO_POINTER (TRUE),
                     NULL);

  if (!gst_element_link (rtp_src, tee) ||
      !_confab_rtp_audio_link_pads (tee, GST_PAD_NAME (rtp_pad), self->rtpbin, "recv_rtp_sink_0") ||
      !_confab_rtp_audio_link_pads (tee, GST_PAD_NAME (rtcp_pad), setter, "sink") ||
      !_confab_rtp_audio_link_pads (setter, "src", self->rtpbin, "recv_rtcp_sink_0"))
    return _confab_rtp_audio_link_failed (error);
  return TRUE;
}

/* Sockets to rtpbin and back, through SRTP when keys were agreed. */
gboolean
_confab_rtp_audio_build_transport (ConfabRtpAudio             *self,
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
  if (self->ice) {
    if (!(rtp_sink = add_nicesink (self, 1, error)) ||
        !(rtcp_sink = add_nicesink (self, self->rtcp_mux ? 1 : 2, error)))
      return FALSE;
  } else {
    if (!(rtp_sink = add_udpsink (self, self->rtp_socket, remote, params->remote_port, error)) ||
        !(rtcp_sink = add_udpsink (self, rtcp_socket, remote, rtcp_port, error)))
      return FALSE;
    g_object_set (rtp_sink, "qos-dscp", VOICE_DSCP, NULL);
  }

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

    if (!_confab_rtp_audio_link_pads (self->rtpbin, "send_rtp_src_0", srtpenc, "rtp_sink_0") ||
        !_confab_rtp_audio_link_pads (srtpenc, "rtp_src_0", rtp_sink, "sink") ||
        !_confab_rtp_audio_link_pads (self->rtpbin, "send_rtcp_src_0", srtpenc, "rtcp_sink_0") ||
        !_confab_rtp_audio_link_pads (srtpenc, "rtcp_src_0", rtcp_sink, "sink"))
      return _confab_rtp_audio_link_failed (error);
  } else {
    if (!_confab_rtp_audio_link_pads (self->rtpbin, "send_rtp_src_0", rtp_sink, "sink") ||
        !_confab_rtp_audio_link_pads (self->rtpbin, "send_rtcp_src_0", rtcp_sink, "sink"))
      return _confab_rtp_audio_link_failed (error);
  }

  /* Receiving. With RTCP muxed (RFC 5761), srtpdec finds it among SRTP
   * packets; plain RTP is split by add_rtcp_mux_split(). */
  rtp_caps = _confab_rtp_audio_rtp_caps (self, self->payload_type, srtp);
  rtp_src = self->ice ? add_nicesrc (self, 1, rtp_caps, error)
                      : add_udpsrc (self, self->rtp_socket, rtp_caps, error);
  if (rtp_src == NULL)
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
    self->srtpdec = srtpdec;

    if (!_confab_rtp_audio_link_pads (rtp_src, "src", srtpdec, "rtp_sink") ||
        !_confab_rtp_audio_link_pads (srtpdec, "rtp_src", self->rtpbin, "recv_rtp_sink_0") ||
        !_confab_rtp_audio_link_pads (srtpdec, "rtcp_src", self->rtpbin, "recv_rtcp_sink_0"))
      return _confab_rtp_audio_link_failed (error);
  } else if (!_confab_rtp_audio_link_pads (rtp_src, "src", self->rtpbin, "recv_rtp_sink_0")) {
    return _confab_rtp_audio_link_failed (error);
  }

  if (!self->rtcp_mux) {
    g_autoptr (GstCaps) rtcp_caps = gst_caps_new_empty_simple (srtp ? "application/x-srtcp"
                                                                    : "application/x-rtcp");
    GstElement *rtcp_src = self->ice ? add_nicesrc (self, 2, rtcp_caps, error)
                                     : add_udpsrc (self, self->rtcp_socket, rtcp_caps, error);

    if (rtcp_src == NULL)
      return FALSE;
    if (!_confab_rtp_audio_link_pads (rtcp_src, "src", srtp ? srtpdec : self->rtpbin,
                       srtp ? "rtcp_sink" : "recv_rtcp_sink_0"))
      return _confab_rtp_audio_link_failed (error);
  }
  return TRUE;
}

/* --- opening the ports (public API) --------------------------------------- */

/* Binds the UDP sockets now, so offer or answer can carry the port. */
gboolean
confab_rtp_audio_prepare (ConfabRtpAudio *self,
                          const char     *bind_address,
                          GError        **error)
{
  g_autoptr (GInetAddress) address = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->pipeline == NULL, FALSE);

  _confab_rtp_audio_close_sockets (self);
  g_clear_object (&self->ice);

  if (bind_address && *bind_address)
    address = g_inet_address_new_from_string (bind_address);
  else
    address = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  if (address == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("“%s” is not an IP address to receive audio on."), bind_address);
    return FALSE;
  }

  if (!_confab_rtp_audio_bind_ports (self, address, &local_error)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("Could not open a port for the call audio: %s"), local_error->message);
    return FALSE;
  }

  g_debug ("Audio ports %u/%u", self->local_port, self->local_rtcp_port);
  _confab_rtp_audio_notify_local_port (self);
  return TRUE;
}

/**
 * confab_rtp_audio_prepare_ice:
 * @ice: an agent that has gathered its candidates
 *
 * The call's audio goes through @ice (nicesrc and nicesink) instead of
 * our own sockets; the local ports are those of its default candidates.
 */
gboolean
confab_rtp_audio_prepare_ice (ConfabRtpAudio  *self,
                              ConfabIce       *ice,
                              GError         **error)
{
  guint port = 0, rtcp_port = 0;

  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_ICE (ice), FALSE);
  g_return_val_if_fail (self->pipeline == NULL, FALSE);

  if (!confab_ice_get_default (ice, 1, NULL, NULL, NULL, &port)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("ICE found no address to receive audio on."));
    return FALSE;
  }
  confab_ice_get_default (ice, 2, NULL, NULL, NULL, &rtcp_port);

  _confab_rtp_audio_close_sockets (self);
  g_set_object (&self->ice, ice);
  self->local_port = port;
  self->local_rtcp_port = rtcp_port;
  _confab_rtp_audio_notify_local_port (self);
  return TRUE;
}

/**
 * confab_rtp_audio_prepare_ports:
 * @rtp_port: the port to bind for RTP
 * @rtcp_port: the port for RTCP; 0 for none (rtcp-mux only)
 *
 * Binds these exact ports: when we offered ICE and the peer answered
 * without it, audio goes on plain RTP on the ports the offer announced
 * (the ICE agent let go of them first).
 */
gboolean
confab_rtp_audio_prepare_ports (ConfabRtpAudio  *self,
                                const char      *bind_address,
                                guint            rtp_port,
                                guint            rtcp_port,
                                GError         **error)
{
  g_autoptr (GInetAddress) address = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), FALSE);
  g_return_val_if_fail (self->pipeline == NULL, FALSE);

  _confab_rtp_audio_close_sockets (self);
  g_clear_object (&self->ice);

  if (bind_address && *bind_address)
    address = g_inet_address_new_from_string (bind_address);
  else
    address = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  if (address == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("“%s” is not an IP address to receive audio on."), bind_address);
    return FALSE;
  }
  if (!_confab_rtp_audio_bind_exact (self, address, rtp_port, rtcp_port, &local_error)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("Could not open a port for the call audio: %s"), local_error->message);
    return FALSE;
  }
  _confab_rtp_audio_notify_local_port (self);
  return TRUE;
}

guint
confab_rtp_audio_get_local_port (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), 0);

  return self->local_port;
}

guint
confab_rtp_audio_get_local_rtcp_port (ConfabRtpAudio *self)
{
  g_return_val_if_fail (CONFAB_IS_RTP_AUDIO (self), 0);

  return self->local_rtcp_port;
}
