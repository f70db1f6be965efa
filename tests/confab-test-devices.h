/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Fake sound devices for tests on machines without any: a GStreamer device
 * provider, registered in the test process, whose microphones are
 * audiotestsrc (a 1 kHz tone) and whose speakers are fakesink. Each
 * device carries "node.name" = id, as PipeWire's do, and makes elements
 * named after it. */

void confab_test_devices_register (void);
void confab_test_devices_add      (gboolean    source,
                                   const char *id,
                                   const char *name);
void confab_test_devices_remove   (const char *id);

G_END_DECLS
