/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRtpAudio"

#include "config.h"

#include "confab-rtp-audio-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Blink's order; the session layer decides which one is used. */
static const ConfabRtpCodec codecs[] = {
  { "opus", "OPUS", "opusenc", "rtpopuspay", "rtpopusdepay", "opusdec", 48000,
    "gstreamer1.0-plugins-base" },
  { "G722", "G722", "avenc_g722", "rtpg722pay", "rtpg722depay", "avdec_g722", 16000,
    "gstreamer1.0-libav" },
  { "PCMU", "PCMU", "mulawenc", "rtppcmupay", "rtppcmudepay", "mulawdec", 8000,
    "gstreamer1.0-plugins-good" },
  { "PCMA", "PCMA", "alawenc", "rtppcmapay", "rtppcmadepay", "alawdec", 8000,
    "gstreamer1.0-plugins-good" },
};

/* RFC 4568 suites with their libsrtp profile. SRTCP always carries an 80-bit
 * tag, also in the _32 suites (RFC 4568 section 6.2). */
static const ConfabSrtpSuite suites[] = {
  { "AES_CM_128_HMAC_SHA1_80", "aes-128-icm", "hmac-sha1-80", "hmac-sha1-80", 30 },
  { "AES_CM_128_HMAC_SHA1_32", "aes-128-icm", "hmac-sha1-32", "hmac-sha1-80", 30 },
  { "AES_256_CM_HMAC_SHA1_80", "aes-256-icm", "hmac-sha1-80", "hmac-sha1-80", 46 },
  { "AES_256_CM_HMAC_SHA1_32", "aes-256-icm", "hmac-sha1-32", "hmac-sha1-80", 46 },
};

const ConfabRtpCodec *
_confab_rtp_codec_find (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (codecs); i++) {
    if (g_ascii_strcasecmp (name, codecs[i].name) == 0)
      return &codecs[i];
  }
  return NULL;
}

const ConfabSrtpSuite *
_confab_srtp_suite_find (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (suites); i++) {
    if (g_ascii_strcasecmp (name, suites[i].name) == 0)
      return &suites[i];
  }
  return NULL;
}

/* Caps for one payload type of the negotiated stream, as udpsrc announces
 * them and as rtpbin's request-pt-map must answer. */
GstCaps *
_confab_rtp_audio_rtp_caps (ConfabRtpAudio *self,
                            guint           pt,
                            gboolean        srtp)
{
  const char *media_type = srtp ? "application/x-srtp" : "application/x-rtp";

  if (pt == self->payload_type) {
    GstCaps *caps = gst_caps_new_simple (media_type,
                                         "media", G_TYPE_STRING, "audio",
                                         "clock-rate", G_TYPE_INT, (int) self->clock_rate,
                                         "encoding-name", G_TYPE_STRING, self->codec->rtp_name,
                                         "payload", G_TYPE_INT, (int) pt,
                                         NULL);
    /* opus is always opus/48000/2 in SDP, whatever is sent. */
    if (g_str_equal (self->codec->rtp_name, "OPUS"))
      gst_caps_set_simple (caps, "encoding-params", G_TYPE_STRING, "2", NULL);
    return caps;
  }

  if (self->dtmf_payload_type != 0 && pt == self->dtmf_payload_type) {
    return gst_caps_new_simple (media_type,
                                "media", G_TYPE_STRING, "audio",
                                "clock-rate", G_TYPE_INT, (int) self->dtmf_clock_rate,
                                "encoding-name", G_TYPE_STRING, "TELEPHONE-EVENT",
                                "payload", G_TYPE_INT, (int) pt,
                                NULL);
  }

  return NULL;
}

GstElement *
_confab_rtp_audio_make (const char *factory,
                        const char *package,
                        GError    **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The GStreamer element “%s” is missing: install %s."), factory,
                 package ? package : "gstreamer1.0-plugins-good");
  }
  return element;
}

gboolean
_confab_rtp_audio_check_codec (const ConfabRtpCodec *codec,
                               GError              **error)
{
  const char *factories[] = { codec->encoder, codec->decoder, codec->payloader,
                              codec->depayloader };

  for (guint i = 0; i < G_N_ELEMENTS (factories); i++) {
    g_autoptr (GstElementFactory) factory = gst_element_factory_find (factories[i]);

    if (factory == NULL) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                   _("The %s codec is not available: install %s."), codec->name,
                   i < 2 ? codec->package : "gstreamer1.0-plugins-good");
      return FALSE;
    }
  }
  return TRUE;
}

/* Keys must not linger in freed memory; the compiler may not drop this. */
void
_confab_secure_clear (gpointer data,
                      gsize    len)
{
  volatile guint8 *p = data;

  while (len--)
    *p++ = 0;
}
