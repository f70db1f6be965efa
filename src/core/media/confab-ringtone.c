/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRingtone"

#include "config.h"

#include "confab-ringtone.h"

#include <gst/gst.h>

/* The cadence of the ring, and its two tones (those of a North American
 * ring, which most people read as "a phone"). */
#define RING_ON_MS    2000
#define RING_OFF_MS   4000
/* A string: printf would write "0,12" in some locales. */
#define TONE_VOLUME   "0.12"

struct _ConfabRingtone
{
  GObject       parent_instance;

  GMainContext *context;
  char         *sink_description;   /* NULL: autoaudiosink */

  GstElement   *pipeline;
  GstElement   *gate;               /* a volume element, muted between rings */
  GSource      *bus_source;
  GSource      *cadence_source;
  gboolean      playing;
  gboolean      sounding;
};

G_DEFINE_FINAL_TYPE (ConfabRingtone, confab_ringtone, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PLAYING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void schedule_cadence (ConfabRingtone *self);

static void
teardown (ConfabRingtone *self)
{
  if (self->cadence_source) {
    g_source_destroy (self->cadence_source);
    g_clear_pointer (&self->cadence_source, g_source_unref);
  }
  if (self->bus_source) {
    g_source_destroy (self->bus_source);
    g_clear_pointer (&self->bus_source, g_source_unref);
  }
  if (self->pipeline)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  self->gate = NULL;
  gst_clear_object (&self->pipeline);
}

static gboolean
on_cadence (gpointer user_data)
{
  ConfabRingtone *self = CONFAB_RINGTONE (user_data);

  self->sounding = !self->sounding;
  if (self->gate)
    g_object_set (self->gate, "mute", !self->sounding, NULL);
  g_clear_pointer (&self->cadence_source, g_source_unref);
  schedule_cadence (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_cadence (ConfabRingtone *self)
{
  self->cadence_source = g_timeout_source_new (self->sounding ? RING_ON_MS : RING_OFF_MS);
  g_source_set_callback (self->cadence_source, on_cadence, self, NULL);
  g_source_attach (self->cadence_source, self->context);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  ConfabRingtone *self = CONFAB_RINGTONE (user_data);
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return G_SOURCE_CONTINUE;

  /* No sound device, most likely: the call still rings on screen. */
  gst_message_parse_error (message, &error, &debug);
  g_info ("The ringtone cannot play: %s (%s)", error->message, debug ? debug : "");
  if (self->cadence_source) {
    g_source_destroy (self->cadence_source);
    g_clear_pointer (&self->cadence_source, g_source_unref);
  }
  if (self->pipeline)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_pointer (&self->bus_source, g_source_unref);
  self->gate = NULL;
  gst_clear_object (&self->pipeline);
  return G_SOURCE_REMOVE;
}

static GstElement *
build_pipeline (ConfabRingtone  *self,
                GError         **error)
{
  g_autofree char *description = NULL;

  description = g_strdup_printf ("audiotestsrc is-live=true wave=sine volume=%s freq=440 "
                                 "samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! m. "
                                 "audiotestsrc is-live=true wave=sine volume=%s freq=480 "
                                 "samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! m. "
                                 "audiomixer name=m ! volume name=gate ! audioconvert ! "
                                 "audioresample ! %s",
                                 TONE_VOLUME, TONE_VOLUME,
                                 self->sink_description ? self->sink_description
                                                        : "autoaudiosink");
  return gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
}

static void
confab_ringtone_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ConfabRingtone *self = CONFAB_RINGTONE (object);

  switch (prop_id) {
  case PROP_PLAYING:
    g_value_set_boolean (value, self->playing);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_ringtone_dispose (GObject *object)
{
  ConfabRingtone *self = CONFAB_RINGTONE (object);

  teardown (self);

  G_OBJECT_CLASS (confab_ringtone_parent_class)->dispose (object);
}

static void
confab_ringtone_finalize (GObject *object)
{
  ConfabRingtone *self = CONFAB_RINGTONE (object);

  g_free (self->sink_description);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (confab_ringtone_parent_class)->finalize (object);
}

static void
confab_ringtone_class_init (ConfabRingtoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  object_class->get_property = confab_ringtone_get_property;
  object_class->dispose = confab_ringtone_dispose;
  object_class->finalize = confab_ringtone_finalize;

  /**
   * ConfabRingtone:playing:
   *
   * Whether the ringtone was started and not stopped, heard or not.
   */
  props[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_ringtone_init (ConfabRingtone *self)
{
  self->context = g_main_context_ref_thread_default ();
}

ConfabRingtone *
confab_ringtone_new (void)
{
  return g_object_new (CONFAB_TYPE_RINGTONE, NULL);
}

/**
 * confab_ringtone_set_sink:
 * @description: (nullable): a gst-launch description of where the ring
 *   goes ("fakesink sync=true" in tests); %NULL for the default speaker
 *
 * Applies at the next start.
 */
void
confab_ringtone_set_sink (ConfabRingtone *self,
                          const char     *description)
{
  g_return_if_fail (CONFAB_IS_RINGTONE (self));

  g_free (self->sink_description);
  self->sink_description = g_strdup (description);
}

/* Rings until confab_ringtone_stop(); starting again changes nothing. */
void
confab_ringtone_start (ConfabRingtone *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstBus) bus = NULL;

  g_return_if_fail (CONFAB_IS_RINGTONE (self));

  if (self->playing)
    return;
  self->playing = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);

  self->pipeline = build_pipeline (self, &error);
  if (!self->pipeline) {
    g_info ("The ringtone cannot play: %s", error->message);
    return;
  }
  gst_object_ref_sink (self->pipeline);
  self->gate = gst_bin_get_by_name (GST_BIN (self->pipeline), "gate");
  /* The pipeline holds it; we only point at it. */
  gst_object_unref (self->gate);

  bus = gst_element_get_bus (self->pipeline);
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus_message), self, NULL);
  g_source_attach (self->bus_source, self->context);

  self->sounding = TRUE;
  schedule_cadence (self);
  /* Asynchronous: a sink that takes its time to open holds up nothing. */
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    g_info ("The ringtone cannot play: no usable sound output");
}

void
confab_ringtone_stop (ConfabRingtone *self)
{
  g_return_if_fail (CONFAB_IS_RINGTONE (self));

  if (!self->playing)
    return;
  teardown (self);
  self->playing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
}

gboolean
confab_ringtone_is_playing (ConfabRingtone *self)
{
  g_return_val_if_fail (CONFAB_IS_RINGTONE (self), FALSE);
  return self->playing;
}
