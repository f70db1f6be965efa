/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabAudioDevices"

#include "config.h"

#include "confab-audio-devices-private.h"

struct _ConfabAudioDevice
{
  GObject                parent_instance;

  ConfabAudioDeviceKind  kind;
  char                  *id;
  char                  *name;
  GstDevice             *device;   /* NULL for "System default" and the like */
};

G_DEFINE_FINAL_TYPE (ConfabAudioDevice, confab_audio_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Sound servers name their devices: PipeWire's node.name and PulseAudio's
 * sink and source names ("alsa_input.usb-…") survive reboots and
 * replugging, unlike indexes or object ids. */
char *
_confab_audio_device_id_for_gst (GstDevice *device)
{
  static const char *const fallback_keys[] = { "object.path", "device.name" };
  g_autoptr (GstStructure) properties = gst_device_get_properties (device);
  const char *value;
  GParamSpec *internal;

  if (properties && g_strcmp0 (gst_structure_get_string (properties, "device.class"),
                               "monitor") == 0)
    return NULL;

  value = properties ? gst_structure_get_string (properties, "node.name") : NULL;
  if (value && *value)
    return g_strdup (value);
  /* pulsedeviceprovider and alsadeviceprovider. */
  internal = g_object_class_find_property (G_OBJECT_GET_CLASS (device), "internal-name");
  if (internal && G_PARAM_SPEC_VALUE_TYPE (internal) == G_TYPE_STRING) {
    g_autofree char *name = NULL;

    g_object_get (device, "internal-name", &name, NULL);
    if (name && *name)
      return g_steal_pointer (&name);
  }
  for (guint i = 0; properties && i < G_N_ELEMENTS (fallback_keys); i++) {
    value = gst_structure_get_string (properties, fallback_keys[i]);
    if (value && *value)
      return g_strdup (value);
  }
  return gst_device_get_display_name (device);
}

static void
confab_audio_device_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ConfabAudioDevice *self = CONFAB_AUDIO_DEVICE (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_string (value, self->id);
    break;
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_audio_device_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ConfabAudioDevice *self = CONFAB_AUDIO_DEVICE (object);

  switch (prop_id) {
  case PROP_ID:
    self->id = g_value_dup_string (value);
    break;
  case PROP_NAME:
    self->name = g_value_dup_string (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_audio_device_dispose (GObject *object)
{
  ConfabAudioDevice *self = CONFAB_AUDIO_DEVICE (object);

  gst_clear_object (&self->device);

  G_OBJECT_CLASS (confab_audio_device_parent_class)->dispose (object);
}

static void
confab_audio_device_finalize (GObject *object)
{
  ConfabAudioDevice *self = CONFAB_AUDIO_DEVICE (object);

  g_free (self->id);
  g_free (self->name);

  G_OBJECT_CLASS (confab_audio_device_parent_class)->finalize (object);
}

static void
confab_audio_device_class_init (ConfabAudioDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = confab_audio_device_get_property;
  object_class->set_property = confab_audio_device_set_property;
  object_class->dispose = confab_audio_device_dispose;
  object_class->finalize = confab_audio_device_finalize;

  /**
   * ConfabAudioDevice:id:
   *
   * What settings store; %NULL for an entry standing for the system
   * default.
   */
  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  /**
   * ConfabAudioDevice:name:
   *
   * The name to show, like "Built-in Audio Analog Stereo".
   */
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_audio_device_init (ConfabAudioDevice *self)
{
}

/**
 * confab_audio_device_new:
 * @id: (nullable): the stable id; %NULL for the system default
 * @name: what to show
 *
 * A device entry of one's own, such as "System default" in a list of
 * devices.
 */
ConfabAudioDevice *
confab_audio_device_new (ConfabAudioDeviceKind  kind,
                         const char            *id,
                         const char            *name)
{
  ConfabAudioDevice *self = g_object_new (CONFAB_TYPE_AUDIO_DEVICE, "id", id, "name", name, NULL);

  self->kind = kind;
  return self;
}

/* NULL when the device is one we do not offer. */
ConfabAudioDevice *
_confab_audio_device_new_for_gst (ConfabAudioDeviceKind  kind,
                                  GstDevice             *device)
{
  g_autofree char *id = _confab_audio_device_id_for_gst (device);
  g_autofree char *name = NULL;
  ConfabAudioDevice *self;

  if (!id)
    return NULL;
  name = gst_device_get_display_name (device);
  self = confab_audio_device_new (kind, id, name && *name ? name : id);
  self->device = gst_object_ref (device);
  return self;
}

GstDevice *
_confab_audio_device_get_gst_device (ConfabAudioDevice *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_DEVICE (self), NULL);
  return self->device;
}

ConfabAudioDeviceKind
confab_audio_device_get_kind (ConfabAudioDevice *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_DEVICE (self), CONFAB_AUDIO_DEVICE_SOURCE);
  return self->kind;
}

/**
 * confab_audio_device_get_id:
 *
 * Returns: (nullable): the stable id, %NULL for the system default
 */
const char *
confab_audio_device_get_id (ConfabAudioDevice *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_DEVICE (self), NULL);
  return self->id;
}

const char *
confab_audio_device_get_name (ConfabAudioDevice *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_DEVICE (self), NULL);
  return self->name;
}
