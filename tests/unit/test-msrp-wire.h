/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One direction of one TCP connection from a tshark "follow,tcp,ascii"
 * capture in tests/data/wire. */
typedef struct
{
  char       *name;  /* "file.txt stream 2 node 1" */
  GByteArray *bytes;
} WireStream;

void       wire_stream_free      (WireStream *stream);
GPtrArray *wire_load_msrp_streams (const char *file_name);

G_END_DECLS
