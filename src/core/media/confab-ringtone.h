/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* ConfabRingtone: the sound of an incoming call, made by GStreamer (two
 * sines, 2 s on and 4 s off) so that nothing needs to be installed. It
 * never blocks and never fails loudly: without a sound device the ring is
 * simply not heard. */
#define CONFAB_TYPE_RINGTONE (confab_ringtone_get_type ())
G_DECLARE_FINAL_TYPE (ConfabRingtone, confab_ringtone, CONFAB, RINGTONE, GObject)

ConfabRingtone *confab_ringtone_new        (void);
void            confab_ringtone_set_sink   (ConfabRingtone *self,
                                            const char     *description);
void            confab_ringtone_start      (ConfabRingtone *self);
void            confab_ringtone_stop       (ConfabRingtone *self);
gboolean        confab_ringtone_is_playing (ConfabRingtone *self);

G_END_DECLS
