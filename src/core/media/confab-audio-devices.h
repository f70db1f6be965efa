/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "confab-audio-device.h"

G_BEGIN_DECLS

/* ConfabAudioDevices: the microphones (or the speakers) connected now, as a
 * GListModel of ConfabAudioDevice that follows GstDeviceMonitor while the
 * object lives: devices plugged in or removed show up as items-changed on
 * the thread-default main context of the thread that created it. With no
 * sound server (a build machine) the list is simply empty. */
#define CONFAB_TYPE_AUDIO_DEVICES (confab_audio_devices_get_type ())
G_DECLARE_FINAL_TYPE (ConfabAudioDevices, confab_audio_devices, CONFAB, AUDIO_DEVICES, GObject)

ConfabAudioDevices    *confab_audio_devices_new      (ConfabAudioDeviceKind  kind);
ConfabAudioDeviceKind  confab_audio_devices_get_kind (ConfabAudioDevices    *self);
gboolean               confab_audio_devices_find     (ConfabAudioDevices    *self,
                                                      const char            *id,
                                                      guint                 *position);

G_END_DECLS
