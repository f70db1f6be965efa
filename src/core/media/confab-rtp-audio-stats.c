/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRtpAudio"

#include "config.h"

#include "confab-rtp-audio-private.h"

#define STATS_INTERVAL_S 1

typedef struct
{
  guint64  packets_sent;
  guint64  packets_received;
  guint64  expected;
  double   jitter_ms;
  double   rtt_ms;
} Totals;

static void
add_source (Totals             *totals,
            const GstStructure *source)
{
  gboolean internal = FALSE, have_rb = FALSE;
  guint64 count = 0;
  guint jitter = 0, round_trip = 0;
  int clock_rate = 0, lost = 0;

  gst_structure_get_boolean (source, "internal", &internal);

  if (internal) {
    if (gst_structure_get_uint64 (source, "packets-sent", &count))
      totals->packets_sent += count;
    return;
  }

  if (gst_structure_get_uint64 (source, "packets-received", &count)) {
    totals->packets_received += count;
    gst_structure_get_int (source, "packets-lost", &lost);
    totals->expected += count + (guint64) MAX (lost, 0);
  }
  if (gst_structure_get_uint (source, "jitter", &jitter) &&
      gst_structure_get_int (source, "clock-rate", &clock_rate) && clock_rate > 0)
    totals->jitter_ms = MAX (totals->jitter_ms, jitter * 1000.0 / clock_rate);

  /* The report block this peer sent about our stream gives the round trip,
   * in 1/65536 s. */
  if (gst_structure_get_boolean (source, "have-rb", &have_rb) && have_rb &&
      gst_structure_get_uint (source, "rb-round-trip", &round_trip) && round_trip > 0)
    totals->rtt_ms = MAX (totals->rtt_ms, round_trip * 1000.0 / 65536.0);
}

static gboolean
on_stats_tick (gpointer user_data)
{
  ConfabRtpAudio *self = CONFAB_RTP_AUDIO (user_data);
  g_autoptr (GObject) session = NULL;
  g_autoptr (GstStructure) stats = NULL;
  const GValue *sources;
  Totals totals = { 0, };
  double loss = 0;

  if (self->rtpbin == NULL)
    return G_SOURCE_CONTINUE;

  g_signal_emit_by_name (self->rtpbin, "get-internal-session", 0, &session);
  if (session == NULL)
    return G_SOURCE_CONTINUE;
  g_object_get (session, "stats", &stats, NULL);
  if (stats == NULL)
    return G_SOURCE_CONTINUE;

  /* rtpsession still hands out a GValueArray. */
  sources = gst_structure_get_value (stats, "source-stats");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (sources && G_VALUE_HOLDS (sources, g_value_array_get_type ())) {
    GValueArray *array = g_value_get_boxed (sources);

    for (guint i = 0; array && i < array->n_values; i++) {
      const GstStructure *source = gst_value_get_structure (&array->values[i]);

      if (source)
        add_source (&totals, source);
    }
  }
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* Loss over the last interval, from sequence numbers expected and seen. */
  if (totals.expected > self->last_expected && totals.packets_received >= self->last_received) {
    guint64 expected = totals.expected - self->last_expected;
    guint64 received = totals.packets_received - self->last_received;

    loss = received >= expected ? 0.0 : (double) (expected - received) / expected;
  }
  self->last_expected = totals.expected;
  self->last_received = totals.packets_received;

  _confab_rtp_audio_update_stats (self, totals.packets_sent, totals.packets_received, loss,
                                  totals.jitter_ms, totals.rtt_ms > 0 ? totals.rtt_ms
                                                                      : self->rtt_ms);
  return G_SOURCE_CONTINUE;
}

void
_confab_rtp_audio_stats_start (ConfabRtpAudio *self)
{
  _confab_rtp_audio_stats_stop (self);
  self->stats_source = g_timeout_source_new_seconds (STATS_INTERVAL_S);
  g_source_set_callback (self->stats_source, on_stats_tick, self, NULL);
  g_source_attach (self->stats_source, self->context);
}

/* One last reading, so the figures cover the whole call. */
void
_confab_rtp_audio_stats_stop (ConfabRtpAudio *self)
{
  if (self->stats_source == NULL)
    return;

  g_source_destroy (self->stats_source);
  g_clear_pointer (&self->stats_source, g_source_unref);
  on_stats_tick (self);
}
