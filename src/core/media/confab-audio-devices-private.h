/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-audio-device.h"
#include "confab-audio-devices.h"

#include <gst/gst.h>

G_BEGIN_DECLS

/* confab-audio-device.c */
ConfabAudioDevice *_confab_audio_device_new_for_gst     (ConfabAudioDeviceKind  kind,
                                                         GstDevice             *device);
GstDevice         *_confab_audio_device_get_gst_device  (ConfabAudioDevice     *self);
/* The stable id of a GStreamer device; NULL for one we do not offer (the
 * "monitor" sources that record what a speaker plays). */
char              *_confab_audio_device_id_for_gst      (GstDevice             *device);

/* confab-audio-devices.c: the element for the device with this id, or
 * NULL when no such device is connected now. */
GstElement        *_confab_audio_devices_create_element (ConfabAudioDeviceKind  kind,
                                                         const char            *id);

G_END_DECLS
