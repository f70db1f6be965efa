/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRtpAudio"

#include "config.h"

#include "confab-rtp-audio-private.h"

#include <gst/rtp/rtp.h>
#include <string.h>

/* rtpdtmfsrc stretches shorter events to 250 ms and keeps 100 ms between
 * two; our timers follow the same rhythm so the queue stays in step. */
#define DTMF_MIN_MS    250
#define DTMF_MAX_MS    5000
#define DTMF_GAP_MS    100
/* -10 dBm0, the level RFC 4733 examples use. */
#define DTMF_VOLUME    10

typedef struct
{
  guint8 event;
  guint  duration_ms;
} DtmfTone;

static const char dtmf_digits[] = "0123456789*#ABCD";

gboolean
_confab_rtp_audio_dtmf_event_for_digit (char    digit,
                                        guint8 *event)
{
  const char *found;

  if (digit == '\0')
    return FALSE;
  found = strchr (dtmf_digits, g_ascii_toupper (digit));
  if (found == NULL)
    return FALSE;
  *event = (guint8) (found - dtmf_digits);
  return TRUE;
}

char
_confab_rtp_audio_dtmf_digit_for_event (guint8 event)
{
  return event < 16 ? dtmf_digits[event] : '\0';
}

static void
send_dtmf_event (ConfabRtpAudio *self,
                 gboolean        start,
                 guint8          event)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (self->dtmf_src, "src");
  GstStructure *structure;

  structure = gst_structure_new ("dtmf-event",
                                 "type", G_TYPE_INT, 1,
                                 "method", G_TYPE_INT, 1,
                                 "start", G_TYPE_BOOLEAN, start,
                                 "number", G_TYPE_INT, (int) event,
                                 "volume", G_TYPE_INT, DTMF_VOLUME,
                                 NULL);
  /* Into the source pad, as if from downstream: basesrc's send_event
   * does not take custom events. */
  if (!gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, structure)))
    g_debug ("rtpdtmfsrc refused a DTMF %s", start ? "start" : "stop");
}

static void
schedule (ConfabRtpAudio *self,
          guint           delay_ms,
          GSourceFunc     func)
{
  g_clear_pointer (&self->dtmf_source, g_source_unref);
  self->dtmf_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (self->dtmf_source, func, self, NULL);
  g_source_attach (self->dtmf_source, self->context);
}

static gboolean
on_dtmf_timer (gpointer user_data)
{
  ConfabRtpAudio *self = CONFAB_RTP_AUDIO (user_data);
  g_autofree DtmfTone *tone = NULL;

  if (self->dtmf_src == NULL)
    return G_SOURCE_REMOVE;

  if (self->dtmf_tone_on) {
    send_dtmf_event (self, FALSE, 0);
    self->dtmf_tone_on = FALSE;
    schedule (self, DTMF_GAP_MS, on_dtmf_timer);
    return G_SOURCE_REMOVE;
  }

  tone = g_queue_pop_head (&self->dtmf_queue);
  if (tone == NULL) {
    g_clear_pointer (&self->dtmf_source, g_source_unref);
    return G_SOURCE_REMOVE;
  }

  send_dtmf_event (self, TRUE, tone->event);
  self->dtmf_tone_on = TRUE;
  schedule (self, tone->duration_ms, on_dtmf_timer);
  return G_SOURCE_REMOVE;
}

gboolean
_confab_rtp_audio_dtmf_queue (ConfabRtpAudio *self,
                              guint8          event,
                              guint           duration_ms)
{
  DtmfTone *tone = g_new0 (DtmfTone, 1);

  tone->event = event;
  tone->duration_ms = CLAMP (duration_ms, DTMF_MIN_MS, DTMF_MAX_MS);
  g_queue_push_tail (&self->dtmf_queue, tone);

  if (self->dtmf_source == NULL)
    on_dtmf_timer (self);
  return TRUE;
}

/* Drops queued events; one already sounding is ended properly. */
void
_confab_rtp_audio_dtmf_reset (ConfabRtpAudio *self)
{
  g_queue_clear_full (&self->dtmf_queue, g_free);
  if (self->dtmf_source) {
    g_source_destroy (self->dtmf_source);
    g_clear_pointer (&self->dtmf_source, g_source_unref);
  }
  if (self->dtmf_tone_on && self->dtmf_src)
    send_dtmf_event (self, FALSE, 0);
  self->dtmf_tone_on = FALSE;
}

typedef struct
{
  GstBus  *bus;
  gboolean have_event;
  guint32  timestamp;
} DtmfWatch;

static void
dtmf_watch_free (gpointer data)
{
  DtmfWatch *watch = data;

  gst_object_unref (watch->bus);
  g_free (watch);
}

/* RFC 4733: every packet of one event carries the event's start timestamp,
 * and the end is repeated; report each event once, at its first packet. */
static GstPadProbeReturn
on_dtmf_buffer (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  DtmfWatch *watch = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint32 timestamp;
  guint8 event;

  if (!gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return GST_PAD_PROBE_OK;

  if (gst_rtp_buffer_get_payload_len (&rtp) < 4) {
    gst_rtp_buffer_unmap (&rtp);
    return GST_PAD_PROBE_OK;
  }
  event = ((const guint8 *) gst_rtp_buffer_get_payload (&rtp))[0];
  timestamp = gst_rtp_buffer_get_timestamp (&rtp);
  gst_rtp_buffer_unmap (&rtp);

  if (!watch->have_event || timestamp != watch->timestamp) {
    GstStructure *structure;

    watch->have_event = TRUE;
    watch->timestamp = timestamp;
    structure = gst_structure_new ("confab-dtmf-received", "event", G_TYPE_UINT, (guint) event,
                                   NULL);
    gst_bus_post (watch->bus, gst_message_new_application (NULL, structure));
  }
  return GST_PAD_PROBE_OK;
}

/* Called from a streaming thread with self->lock held. */
void
_confab_rtp_audio_dtmf_watch_pad (ConfabRtpAudio *self,
                                  GstPad         *pad)
{
  DtmfWatch *watch = g_new0 (DtmfWatch, 1);

  watch->bus = gst_element_get_bus (self->pipeline);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_dtmf_buffer, watch, dtmf_watch_free);
}
