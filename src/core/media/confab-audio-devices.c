/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabAudioDevices"

#include "config.h"

#include "confab-audio-devices-private.h"

struct _ConfabAudioDevices
{
  GObject                parent_instance;

  ConfabAudioDeviceKind  kind;
  GMainContext          *context;
  GPtrArray             *devices;    /* ConfabAudioDevice */
  gboolean               disposed;   /* news still on their way are dropped */
};

static void confab_audio_devices_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabAudioDevices, confab_audio_devices, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      confab_audio_devices_list_model_init))

/* One device monitor for the whole process, for microphones and speakers
 * both, running while any list lives. GStreamer 1.22 tells only one
 * monitor (the last to ask) what a device provider finds, so a second
 * monitor, even a short-lived one, would leave the first deaf. */
static GRecMutex         shared_lock;  /* starting the monitor posts messages */
static GstDeviceMonitor *shared_monitor;
static GPtrArray        *shared_lists;     /* ConfabAudioDevices, not owned */

static void handle_message (ConfabAudioDevices *self,
                            GstMessage         *message);

typedef struct
{
  ConfabAudioDevices *self;
  GstMessage         *message;
} Delivery;

static const char *
device_class_for (ConfabAudioDeviceKind kind)
{
  return kind == CONFAB_AUDIO_DEVICE_SINK ? "Audio/Sink" : "Audio/Source";
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_object_unref (delivery->self);
  gst_message_unref (delivery->message);
  g_free (delivery);
}

static gboolean
deliver (gpointer data)
{
  Delivery *delivery = data;

  handle_message (delivery->self, delivery->message);
  return G_SOURCE_REMOVE;
}

/* Any thread: each list hears of it later, on its own main context. */
static GstBusSyncReply
on_monitor_message (GstBus     *bus,
                    GstMessage *message,
                    gpointer    user_data)
{
  GstMessageType type = GST_MESSAGE_TYPE (message);

  if (type != GST_MESSAGE_DEVICE_ADDED && type != GST_MESSAGE_DEVICE_REMOVED &&
      type != GST_MESSAGE_DEVICE_CHANGED)
    return GST_BUS_DROP;

  g_rec_mutex_lock (&shared_lock);
  for (guint i = 0; shared_lists && i < shared_lists->len; i++) {
    ConfabAudioDevices *list = g_ptr_array_index (shared_lists, i);
    Delivery *delivery = g_new0 (Delivery, 1);
    GSource *source = g_idle_source_new ();

    delivery->self = g_object_ref (list);
    delivery->message = gst_message_ref (message);
    g_source_set_callback (source, deliver, delivery, delivery_free);
    g_source_attach (source, list->context);
    g_source_unref (source);
  }
  g_rec_mutex_unlock (&shared_lock);
  return GST_BUS_DROP;
}

static GstDeviceMonitor *
monitor_new (void)
{
  GstDeviceMonitor *monitor = gst_device_monitor_new ();

  gst_device_monitor_add_filter (monitor, "Audio/Source", NULL);
  gst_device_monitor_add_filter (monitor, "Audio/Sink", NULL);
  return monitor;
}

/* Joins the shared monitor, starting it for the first list; returns the
 * devices there are now. */
static GList *
register_list (ConfabAudioDevices *self)
{
  GList *devices;

  g_rec_mutex_lock (&shared_lock);
  if (!shared_lists)
    shared_lists = g_ptr_array_new ();
  g_ptr_array_add (shared_lists, self);
  if (!shared_monitor) {
    g_autoptr (GstBus) bus = NULL;

    shared_monitor = monitor_new ();
    bus = gst_device_monitor_get_bus (shared_monitor);
    gst_bus_set_sync_handler (bus, on_monitor_message, NULL, NULL);
    /* Without a provider that can start (no sound server) the list is
     * what probing finds once: nothing, usually. */
    if (!gst_device_monitor_start (shared_monitor))
      g_debug ("No sound device provider could start");
  }
  devices = gst_device_monitor_get_devices (shared_monitor);
  g_rec_mutex_unlock (&shared_lock);
  return devices;
}

static void
unregister_list (ConfabAudioDevices *self)
{
  GstDeviceMonitor *monitor = NULL;

  g_rec_mutex_lock (&shared_lock);
  if (shared_lists && g_ptr_array_remove (shared_lists, self) && shared_lists->len == 0)
    monitor = g_steal_pointer (&shared_monitor);
  g_rec_mutex_unlock (&shared_lock);

  /* The last list is gone: let go of the sound server. */
  if (monitor) {
    g_autoptr (GstBus) bus = gst_device_monitor_get_bus (monitor);

    gst_device_monitor_stop (monitor);
    gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
    gst_object_unref (monitor);
  }
}

static GType
get_item_type (GListModel *model)
{
  return CONFAB_TYPE_AUDIO_DEVICE;
}

static guint
get_n_items (GListModel *model)
{
  return CONFAB_AUDIO_DEVICES (model)->devices->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  ConfabAudioDevices *self = CONFAB_AUDIO_DEVICES (model);

  if (position >= self->devices->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->devices, position));
}

static void
confab_audio_devices_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gboolean
is_of_kind (ConfabAudioDevices *self,
            GstDevice          *device)
{
  return gst_device_has_classes (device, device_class_for (self->kind));
}

static gboolean
find_gst_device (ConfabAudioDevices *self,
                 GstDevice          *device,
                 guint              *position)
{
  for (guint i = 0; i < self->devices->len; i++) {
    if (_confab_audio_device_get_gst_device (g_ptr_array_index (self->devices, i)) == device) {
      *position = i;
      return TRUE;
    }
  }
  return FALSE;
}

static void
add_device (ConfabAudioDevices *self,
            GstDevice          *device)
{
  g_autoptr (ConfabAudioDevice) item = NULL;
  guint position;

  /* Devices found while the monitor starts may come twice: from the
   * first listing and as messages. */
  if (!is_of_kind (self, device) || find_gst_device (self, device, &position))
    return;
  item = _confab_audio_device_new_for_gst (self->kind, device);
  if (!item || confab_audio_devices_find (self, confab_audio_device_get_id (item), NULL))
    return;
  g_debug ("%s added: %s (%s)", device_class_for (self->kind), confab_audio_device_get_name (item),
           confab_audio_device_get_id (item));
  g_ptr_array_add (self->devices, g_steal_pointer (&item));
  g_list_model_items_changed (G_LIST_MODEL (self), self->devices->len - 1, 0, 1);
}

static void
remove_device (ConfabAudioDevices *self,
               GstDevice          *device)
{
  guint position;

  if (!find_gst_device (self, device, &position))
    return;
  g_debug ("%s removed: %s", device_class_for (self->kind),
           confab_audio_device_get_name (g_ptr_array_index (self->devices, position)));
  g_ptr_array_remove_index (self->devices, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
handle_message (ConfabAudioDevices *self,
                GstMessage         *message)
{
  g_autoptr (GstDevice) device = NULL;
  g_autoptr (GstDevice) old = NULL;
  guint position;

  if (self->disposed)
    return;

  switch (GST_MESSAGE_TYPE (message)) {
  case GST_MESSAGE_DEVICE_ADDED:
    gst_message_parse_device_added (message, &device);
    add_device (self, device);
    break;
  case GST_MESSAGE_DEVICE_REMOVED:
    gst_message_parse_device_removed (message, &device);
    remove_device (self, device);
    break;
  case GST_MESSAGE_DEVICE_CHANGED:
    /* A new name, say: the entry is replaced where it stands. */
    gst_message_parse_device_changed (message, &device, &old);
    if (find_gst_device (self, old, &position)) {
      ConfabAudioDevice *item = _confab_audio_device_new_for_gst (self->kind, device);

      if (item) {
        g_object_unref (g_ptr_array_index (self->devices, position));
        g_ptr_array_index (self->devices, position) = item;
        g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
      }
    }
    break;
  default:
    break;
  }
}

static void
confab_audio_devices_dispose (GObject *object)
{
  ConfabAudioDevices *self = CONFAB_AUDIO_DEVICES (object);

  self->disposed = TRUE;
  unregister_list (self);
  g_ptr_array_set_size (self->devices, 0);

  G_OBJECT_CLASS (confab_audio_devices_parent_class)->dispose (object);
}

static void
confab_audio_devices_finalize (GObject *object)
{
  ConfabAudioDevices *self = CONFAB_AUDIO_DEVICES (object);

  g_ptr_array_unref (self->devices);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (confab_audio_devices_parent_class)->finalize (object);
}

static void
confab_audio_devices_class_init (ConfabAudioDevicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  object_class->dispose = confab_audio_devices_dispose;
  object_class->finalize = confab_audio_devices_finalize;
}

static void
confab_audio_devices_init (ConfabAudioDevices *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * confab_audio_devices_new:
 * @kind: microphones or speakers
 *
 * Lists the devices of @kind now and follows them until disposed.
 */
ConfabAudioDevices *
confab_audio_devices_new (ConfabAudioDeviceKind kind)
{
  ConfabAudioDevices *self = g_object_new (CONFAB_TYPE_AUDIO_DEVICES, NULL);
  GList *devices;

  self->kind = kind;
  devices = register_list (self);
  for (GList *l = devices; l; l = l->next)
    add_device (self, l->data);
  g_list_free_full (devices, gst_object_unref);
  return self;
}

ConfabAudioDeviceKind
confab_audio_devices_get_kind (ConfabAudioDevices *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_DEVICES (self), CONFAB_AUDIO_DEVICE_SOURCE);
  return self->kind;
}

/**
 * confab_audio_devices_find:
 * @id: a device id
 * @position: (out) (optional): where it is in the list
 *
 * Returns: whether the device with @id is connected
 */
gboolean
confab_audio_devices_find (ConfabAudioDevices *self,
                           const char         *id,
                           guint              *position)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_DEVICES (self), FALSE);

  for (guint i = 0; id && i < self->devices->len; i++) {
    if (g_strcmp0 (confab_audio_device_get_id (g_ptr_array_index (self->devices, i)), id) == 0) {
      if (position)
        *position = i;
      return TRUE;
    }
  }
  return FALSE;
}

/* From the running monitor while a list lives (the preferences are open),
 * else by probing once, with the lock held so that no list starts the
 * shared monitor meanwhile: a call starts seldom enough, and a monitor
 * kept running would hold the sound server's connection for nothing. */
GstElement *
_confab_audio_devices_create_element (ConfabAudioDeviceKind  kind,
                                      const char            *id)
{
  GstElement *element = NULL;
  GList *devices;

  if (!id || !*id)
    return NULL;
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  g_rec_mutex_lock (&shared_lock);
  if (shared_monitor) {
    devices = gst_device_monitor_get_devices (shared_monitor);
  } else {
    GstDeviceMonitor *probe = monitor_new ();

    devices = gst_device_monitor_get_devices (probe);
    gst_object_unref (probe);
  }
  g_rec_mutex_unlock (&shared_lock);

  for (GList *l = devices; l && !element; l = l->next) {
    g_autofree char *device_id = NULL;

    if (!gst_device_has_classes (l->data, device_class_for (kind)))
      continue;
    device_id = _confab_audio_device_id_for_gst (l->data);
    if (g_strcmp0 (device_id, id) == 0) {
      element = gst_device_create_element (l->data, NULL);
      if (!element)
        g_info ("The audio device %s could not be opened", id);
    }
  }
  g_list_free_full (devices, gst_object_unref);
  if (!element)
    g_info ("The audio device %s is not connected; using the system default", id);
  return element;
}
