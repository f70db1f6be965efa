/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-msrp-wire.h"

#include <stdio.h>
#include <string.h>

/* Reads tshark's "follow,tcp,ascii" text back into byte streams. A segment
 * is a count line ("123", or "\t123" for node 1) and that many bytes, then
 * a newline. Segments whose data was elided in the capture are shorter than
 * their count: they end at the blank line before the next count line or
 * "=====" line. */

void
wire_stream_free (WireStream *stream)
{
  g_free (stream->name);
  g_byte_array_unref (stream->bytes);
  g_free (stream);
}

/* "123\n" or "\t123\n" at @p; returns the count, -1 when not such a line. */
static gint64
count_line (const char *p,
            const char *end,
            gboolean   *node1,
            const char **next)
{
  const char *digits = p;
  gint64 value = 0;

  *node1 = FALSE;
  if (digits < end && *digits == '\t') {
    *node1 = TRUE;
    digits++;
  }
  p = digits;
  while (p < end && g_ascii_isdigit (*p) && p - digits < 9)
    value = value * 10 + (*p++ - '0');
  if (p == digits || p >= end || *p != '\n')
    return -1;
  *next = p + 1;
  return value;
}

static gboolean
is_boundary (const char *p,
             const char *end)
{
  gboolean node1;
  const char *next;

  return p >= end || count_line (p, end, &node1, &next) >= 0 ||
         (end - p >= 5 && memcmp (p, "=====", 5) == 0);
}

GPtrArray *
wire_load_msrp_streams (const char *file_name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "wire", file_name, NULL);
  g_autofree char *data = NULL;
  g_autoptr (GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) wire_stream_free);
  GPtrArray *msrp = g_ptr_array_new_with_free_func ((GDestroyNotify) wire_stream_free);
  g_autoptr (GError) error = NULL;
  gsize length;
  const char *p, *end;
  int stream = -1;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  p = data;
  end = data + length;
  while (p < end) {
    const char *eol = memchr (p, '\n', end - p);
    const char *next;
    gboolean node1;
    gint64 count;

    if (!eol)
      break;
    if (sscanf (p, "===== TCP stream %d", &stream) == 1) {
      p = eol + 1;
      continue;
    }
    count = count_line (p, end, &node1, &next);
    if (count >= 0 && stream >= 0) {
      g_autofree char *key = g_strdup_printf ("%s stream %d node %d", file_name, stream, node1);
      WireStream *ws = g_hash_table_lookup (by_key, key);
      const char *segment = next;
      const char *segment_end = segment + count;

      if (!(segment_end < end && *segment_end == '\n' && is_boundary (segment_end + 1, end))) {
        /* elided: up to the blank line before the next segment */
        const char *q = segment;

        for (;;) {
          q = memchr (q, '\n', end - q);
          g_assert_nonnull (q);
          if (q + 1 < end && q[1] == '\n' && is_boundary (q + 2, end))
            break;
          q++;
        }
        segment_end = q + 1;
      }
      if (!ws) {
        ws = g_new0 (WireStream, 1);
        ws->name = g_strdup (key);
        ws->bytes = g_byte_array_new ();
        g_hash_table_insert (by_key, ws->name, ws);
        g_ptr_array_add (all, ws);
      }
      g_byte_array_append (ws->bytes, (const guint8 *) segment, segment_end - segment);
      p = segment_end + 1;
      continue;
    }
    p = eol + 1;
  }

  for (guint i = 0; i < all->len; i++) {
    WireStream *ws = g_ptr_array_index (all, i);

    if (ws->bytes->len >= 5 && memcmp (ws->bytes->data, "MSRP ", 5) == 0)
      g_ptr_array_add (msrp, g_ptr_array_steal_index (all, i--));
  }
  return msrp;
}
