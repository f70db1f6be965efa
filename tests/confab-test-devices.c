/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-test-devices.h"

#define TEST_TYPE_DEVICE (test_device_get_type ())
G_DECLARE_FINAL_TYPE (TestDevice, test_device, TEST, DEVICE, GstDevice)

struct _TestDevice
{
  GstDevice parent_instance;
  gboolean  source;
  char     *id;
};

G_DEFINE_FINAL_TYPE (TestDevice, test_device, GST_TYPE_DEVICE)

static GstElement *
test_device_create_element (GstDevice  *device,
                            const char *name)
{
  TestDevice *self = TEST_DEVICE (device);
  GstElement *element;

  if (self->source) {
    element = gst_element_factory_make ("audiotestsrc", self->id);
    g_object_set (element, "is-live", TRUE, "freq", 1000.0, "volume", 0.25, NULL);
  } else {
    element = gst_element_factory_make ("fakesink", self->id);
    g_object_set (element, "sync", TRUE, NULL);
  }
  return element;
}

static void
test_device_finalize (GObject *object)
{
  g_free (TEST_DEVICE (object)->id);
  G_OBJECT_CLASS (test_device_parent_class)->finalize (object);
}

static void
test_device_class_init (TestDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_device_finalize;
  GST_DEVICE_CLASS (klass)->create_element = test_device_create_element;
}

static void
test_device_init (TestDevice *self)
{
}

#define TEST_TYPE_DEVICE_PROVIDER (test_device_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestDeviceProvider, test_device_provider, TEST, DEVICE_PROVIDER,
                      GstDeviceProvider)

struct _TestDeviceProvider
{
  GstDeviceProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (TestDeviceProvider, test_device_provider, GST_TYPE_DEVICE_PROVIDER)

typedef struct
{
  gboolean source;
  char    *id;
  char    *name;
} Entry;

static GPtrArray *entries;      /* Entry */
static gboolean registered;
static GPtrArray *running;      /* GstDeviceProvider: one per monitor, or shared */

static GstDevice *
device_for (const Entry *entry)
{
  g_autoptr (GstCaps) caps = gst_caps_new_empty_simple ("audio/x-raw");
  GstStructure *properties = gst_structure_new ("properties",
                                                "node.name", G_TYPE_STRING, entry->id,
                                                "device.api", G_TYPE_STRING, "confab-test",
                                                NULL);
  TestDevice *device = g_object_new (TEST_TYPE_DEVICE,
                                     "display-name", entry->name,
                                     "caps", caps,
                                     "device-class", entry->source ? "Audio/Source" : "Audio/Sink",
                                     "properties", properties,
                                     NULL);

  gst_structure_free (properties);
  device->source = entry->source;
  device->id = g_strdup (entry->id);
  return GST_DEVICE (device);
}

static GList *
test_device_provider_probe (GstDeviceProvider *provider)
{
  GList *devices = NULL;

  for (guint i = 0; entries && i < entries->len; i++)
    devices = g_list_append (devices, gst_object_ref_sink (device_for (entries->pdata[i])));
  return devices;
}

static gboolean
test_device_provider_start (GstDeviceProvider *provider)
{
  if (!running)
    running = g_ptr_array_new ();
  g_ptr_array_add (running, provider);
  for (guint i = 0; entries && i < entries->len; i++)
    gst_device_provider_device_add (provider, device_for (entries->pdata[i]));
  return TRUE;
}

static void
test_device_provider_stop (GstDeviceProvider *provider)
{
  GList *devices;

  /* gst_device_provider_get_devices() would wait for the stop to end. */
  GST_OBJECT_LOCK (provider);
  devices = g_list_copy_deep (provider->devices, (GCopyFunc) (void (*) (void)) gst_object_ref,
                              NULL);
  GST_OBJECT_UNLOCK (provider);
  for (GList *l = devices; l; l = l->next)
    gst_device_provider_device_remove (provider, l->data);
  g_list_free_full (devices, gst_object_unref);
  g_ptr_array_remove (running, provider);
}

static void
test_device_provider_class_init (TestDeviceProviderClass *klass)
{
  GstDeviceProviderClass *provider_class = GST_DEVICE_PROVIDER_CLASS (klass);

  provider_class->probe = test_device_provider_probe;
  provider_class->start = test_device_provider_start;
  provider_class->stop = test_device_provider_stop;
  gst_device_provider_class_set_static_metadata (provider_class, "Confab test devices",
                                                 "Audio/Source/Sink", "Fake sound devices",
                                                 "Confab");
}

static void
test_device_provider_init (TestDeviceProvider *self)
{
}

void
confab_test_devices_register (void)
{
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  if (registered)
    return;
  registered = TRUE;
  g_assert_true (gst_device_provider_register (NULL, "confabtestdeviceprovider",
                                               GST_RANK_PRIMARY, TEST_TYPE_DEVICE_PROVIDER));
}

void
confab_test_devices_add (gboolean    source,
                         const char *id,
                         const char *name)
{
  Entry *entry = g_new0 (Entry, 1);

  if (!entries)
    entries = g_ptr_array_new ();
  entry->source = source;
  entry->id = g_strdup (id);
  entry->name = g_strdup (name);
  g_ptr_array_add (entries, entry);
  for (guint i = 0; running && i < running->len; i++)
    gst_device_provider_device_add (running->pdata[i], device_for (entry));
}

void
confab_test_devices_remove (const char *id)
{
  for (guint i = 0; entries && i < entries->len; i++) {
    Entry *entry = entries->pdata[i];

    if (g_strcmp0 (entry->id, id) != 0)
      continue;
    for (guint j = 0; running && j < running->len; j++) {
      GList *devices = gst_device_provider_get_devices (running->pdata[j]);

      for (GList *l = devices; l; l = l->next) {
        if (g_strcmp0 (TEST_DEVICE (l->data)->id, id) == 0)
          gst_device_provider_device_remove (running->pdata[j], l->data);
      }
      g_list_free_full (devices, gst_object_unref);
    }
    g_ptr_array_remove_index (entries, i);
    g_free (entry->id);
    g_free (entry->name);
    g_free (entry);
    return;
  }
}
