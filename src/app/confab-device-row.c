/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-device-row.h"

#include <glib/gi18n.h>

/* The list is "System default", then (when the chosen device is not
 * connected) that device marked as such, then the devices connected now;
 * the row's subtitle shows the one chosen.
 * The row's selection follows the setting; only the user's choices write
 * it: changes of the list move the selection too, and must not. */

struct _ConfabDeviceRow
{
  AdwComboRow         parent_instance;

  ConfabAudioDevices *devices;
  GListStore         *fixed;      /* "System default" and a missing device */
  GHashTable         *names;      /* id → name of the devices seen */
  GSettings          *settings;
  char               *key;
  gboolean            syncing;
};

G_DEFINE_FINAL_TYPE (ConfabDeviceRow, confab_device_row, ADW_TYPE_COMBO_ROW)

static ConfabAudioDevice *
dup_fixed_item (ConfabDeviceRow *self,
                guint            position)
{
  return g_list_model_get_item (G_LIST_MODEL (self->fixed), position);
}

/* Keeps the second fixed entry in step: the chosen device, when it is not
 * connected, so that the list says so and "System default" can be picked. */
static void
update_missing_entry (ConfabDeviceRow *self,
                      const char      *missing_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->fixed));
  g_autoptr (ConfabAudioDevice) current = n > 1 ? dup_fixed_item (self, 1) : NULL;

  if (current && g_strcmp0 (confab_audio_device_get_id (current), missing_id) == 0)
    return;
  if (current)
    g_list_store_remove (self->fixed, 1);
  if (missing_id) {
    const char *known = g_hash_table_lookup (self->names, missing_id);
    /* Translators: %s is a sound device's name, like "USB Headset" */
    g_autofree char *name = g_strdup_printf (_("%s (not connected: calls use the system default)"),
                                             known ? known : missing_id);
    g_autoptr (ConfabAudioDevice) item =
      confab_audio_device_new (confab_audio_devices_get_kind (self->devices), missing_id, name);

    g_list_store_append (self->fixed, item);
  }
}

/* Names of devices once seen, to name one that was unplugged since. */
static void
remember_names (ConfabDeviceRow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabAudioDevice) device = g_list_model_get_item (G_LIST_MODEL (self->devices), i);

    g_hash_table_replace (self->names, g_strdup (confab_audio_device_get_id (device)),
                          g_strdup (confab_audio_device_get_name (device)));
  }
}

static void
sync_selection (ConfabDeviceRow *self)
{
  g_autofree char *id = g_settings_get_string (self->settings, self->key);
  guint position = 0;

  self->syncing = TRUE;
  remember_names (self);
  if (*id) {
    gboolean missing = !confab_audio_devices_find (self->devices, id, &position);

    update_missing_entry (self, missing ? id : NULL);
    position = missing ? 1 : position + g_list_model_get_n_items (G_LIST_MODEL (self->fixed));
  } else {
    update_missing_entry (self, NULL);
  }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self), position);
  self->syncing = FALSE;
}

static void
on_setting_changed (GSettings       *settings,
                    const char      *key,
                    ConfabDeviceRow *self)
{
  sync_selection (self);
}

/* Runs before the combo row hears of the change… */
static void
on_devices_changing (GListModel      *model,
                     guint            position,
                     guint            removed,
                     guint            added,
                     ConfabDeviceRow *self)
{
  self->syncing = TRUE;
}

/* …and this after it: put the selection back where the setting says. */
static void
on_devices_changed (GListModel      *model,
                    guint            position,
                    guint            removed,
                    guint            added,
                    ConfabDeviceRow *self)
{
  sync_selection (self);
}

static void
on_selected (ConfabDeviceRow *self)
{
  ConfabAudioDevice *device;
  const char *id;

  if (self->syncing || !self->settings)
    return;
  device = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self));
  id = device ? confab_audio_device_get_id (device) : NULL;
  g_settings_set_string (self->settings, self->key, id ? id : "");
}

static void
confab_device_row_dispose (GObject *object)
{
  ConfabDeviceRow *self = CONFAB_DEVICE_ROW (object);

  if (self->devices)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  if (self->fixed)
    g_signal_handlers_disconnect_by_data (self->fixed, self);
  g_clear_object (&self->devices);
  g_clear_object (&self->fixed);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (confab_device_row_parent_class)->dispose (object);
}

static void
confab_device_row_finalize (GObject *object)
{
  ConfabDeviceRow *self = CONFAB_DEVICE_ROW (object);

  g_free (self->key);
  g_hash_table_unref (self->names);

  G_OBJECT_CLASS (confab_device_row_parent_class)->finalize (object);
}

static void
confab_device_row_class_init (ConfabDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_device_row_dispose;
  object_class->finalize = confab_device_row_finalize;
}

static void
confab_device_row_init (ConfabDeviceRow *self)
{
  g_autoptr (GtkExpression) expression =
    gtk_property_expression_new (CONFAB_TYPE_AUDIO_DEVICE, NULL, "name");

  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  adw_combo_row_set_expression (ADW_COMBO_ROW (self), expression);
  /* Device names are long: below the title they have the row's width. */
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (self), TRUE);
  g_signal_connect (self, "notify::selected", G_CALLBACK (on_selected), NULL);
}

GtkWidget *
confab_device_row_new (void)
{
  return g_object_new (CONFAB_TYPE_DEVICE_ROW, NULL);
}

/**
 * confab_device_row_bind:
 * @kind: microphones or speakers
 * @settings: where the choice is kept
 * @key: a string key holding a ConfabAudioDevice id, "" for the default
 *
 * Fills the row and follows the devices while it lives.
 */
void
confab_device_row_bind (ConfabDeviceRow       *self,
                        ConfabAudioDeviceKind  kind,
                        GSettings             *settings,
                        const char            *key)
{
  g_autoptr (ConfabAudioDevice) system_default = NULL;
  g_autoptr (GListStore) parts = NULL;
  g_autoptr (GtkFlattenListModel) model = NULL;
  g_autofree char *signal = NULL;

  g_return_if_fail (CONFAB_IS_DEVICE_ROW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (key != NULL);
  g_return_if_fail (self->devices == NULL);

  self->settings = g_object_ref (settings);
  self->key = g_strdup (key);
  self->devices = confab_audio_devices_new (kind);
  self->fixed = g_list_store_new (CONFAB_TYPE_AUDIO_DEVICE);
  system_default = confab_audio_device_new (kind, NULL, _("System default"));
  g_list_store_append (self->fixed, system_default);

  /* Connected before the flattened model connects, and after it. */
  g_signal_connect (self->devices, "items-changed", G_CALLBACK (on_devices_changing), self);
  g_signal_connect (self->fixed, "items-changed", G_CALLBACK (on_devices_changing), self);
  parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (parts, self->fixed);
  g_list_store_append (parts, self->devices);
  model = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts)));
  self->syncing = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self), G_LIST_MODEL (model));
  self->syncing = FALSE;
  g_signal_connect_after (self->devices, "items-changed", G_CALLBACK (on_devices_changed), self);

  signal = g_strconcat ("changed::", key, NULL);
  g_signal_connect_object (settings, signal, G_CALLBACK (on_setting_changed), self, 0);
  sync_selection (self);
}

/**
 * confab_device_row_get_devices:
 *
 * Returns: (transfer none) (nullable): the connected devices, once bound
 */
ConfabAudioDevices *
confab_device_row_get_devices (ConfabDeviceRow *self)
{
  g_return_val_if_fail (CONFAB_IS_DEVICE_ROW (self), NULL);
  return self->devices;
}

/**
 * confab_device_row_get_selected_id:
 *
 * Returns: (nullable): the id of the device shown as chosen; %NULL for
 *   the system default
 */
const char *
confab_device_row_get_selected_id (ConfabDeviceRow *self)
{
  ConfabAudioDevice *device;

  g_return_val_if_fail (CONFAB_IS_DEVICE_ROW (self), NULL);
  device = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self));
  return device ? confab_audio_device_get_id (device) : NULL;
}
