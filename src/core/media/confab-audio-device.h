/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  CONFAB_AUDIO_DEVICE_SOURCE,    /* a microphone */
  CONFAB_AUDIO_DEVICE_SINK,      /* a speaker or headphones */
} ConfabAudioDeviceKind;

/* ConfabAudioDevice: one microphone or speaker as GstDeviceMonitor sees it.
 * The id stays the same across runs and replugging (the sound server's
 * name for the device), so settings can store it; the name is for people. */
#define CONFAB_TYPE_AUDIO_DEVICE (confab_audio_device_get_type ())
G_DECLARE_FINAL_TYPE (ConfabAudioDevice, confab_audio_device, CONFAB, AUDIO_DEVICE, GObject)

ConfabAudioDevice     *confab_audio_device_new      (ConfabAudioDeviceKind  kind,
                                                     const char            *id,
                                                     const char            *name);
ConfabAudioDeviceKind  confab_audio_device_get_kind (ConfabAudioDevice     *self);
const char            *confab_audio_device_get_id   (ConfabAudioDevice     *self);
const char            *confab_audio_device_get_name (ConfabAudioDevice     *self);

G_END_DECLS
