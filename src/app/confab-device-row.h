/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab.h"

G_BEGIN_DECLS

/* A combo row choosing a microphone or a speaker: "System default" and
 * the devices connected now, following them as they come and go, bound to
 * a GSettings key holding the device id ("" for the default). */
#define CONFAB_TYPE_DEVICE_ROW (confab_device_row_get_type ())
G_DECLARE_FINAL_TYPE (ConfabDeviceRow, confab_device_row, CONFAB, DEVICE_ROW, AdwComboRow)

GtkWidget          *confab_device_row_new             (void);
void                confab_device_row_bind            (ConfabDeviceRow       *self,
                                                       ConfabAudioDeviceKind  kind,
                                                       GSettings             *settings,
                                                       const char            *key);
ConfabAudioDevices *confab_device_row_get_devices     (ConfabDeviceRow       *self);
const char         *confab_device_row_get_selected_id (ConfabDeviceRow       *self);

G_END_DECLS
