/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-reassembly.h"
#include "confab-msrp-private.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Each unfinished message keeps its bytes as non-overlapping slices of the
 * chunks' own GBytes (no copy until the message is complete) in a balanced
 * tree by offset, so that a peer sending many small chunks in a random
 * order costs O(log n) per chunk. Every slice is charged PIECE_OVERHEAD
 * bytes beyond its length, which bounds memory however small the chunks. */

#define PIECE_OVERHEAD 96

typedef struct
{
  guint64 start; /* 0-based */
  guint64 end;   /* exclusive */
  GBytes *data;
} Piece;

typedef struct
{
  ConfabMsrpMessage *first;      /* whose headers the message gets */
  GTree             *pieces;     /* guint64* start -> Piece* */
  guint64            received;   /* bytes held */
  guint64            charged;    /* received + overhead, in pending_bytes */
  guint64            contiguous; /* bytes held from offset 0 without a gap */
  gboolean           have_final;
  guint64            final_end;  /* end of the '$' chunk */
} Pending;

struct _ConfabMsrpReassembly
{
  guint64     max_message_size;
  guint       max_pending_messages;
  guint64     max_pending_bytes;
  GHashTable *pending; /* Message-ID -> Pending* */
  guint64     pending_bytes;
};

static void
piece_free (Piece *piece)
{
  g_bytes_unref (piece->data);
  g_free (piece);
}

static int
compare_offsets (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  guint64 x = *(const guint64 *) a;
  guint64 y = *(const guint64 *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
pending_free (Pending *pending)
{
  g_clear_pointer (&pending->first, confab_msrp_message_unref);
  g_tree_destroy (pending->pieces);
  g_free (pending);
}

/**
 * confab_msrp_reassembly_new:
 * @max_message_size: bytes in one message; 0 for the default
 * @max_pending_messages: unfinished messages at once; 0 for the default
 * @max_pending_bytes: bytes held over all unfinished messages; 0 for the
 *   default
 *
 * Returns: (transfer full): a reassembly for one MSRP session
 */
ConfabMsrpReassembly *
confab_msrp_reassembly_new (guint64 max_message_size,
                            guint   max_pending_messages,
                            guint64 max_pending_bytes)
{
  ConfabMsrpReassembly *r = g_new0 (ConfabMsrpReassembly, 1);

  r->max_message_size = max_message_size ? max_message_size : CONFAB_MSRP_DEFAULT_MAX_MESSAGE_SIZE;
  r->max_message_size = MIN (r->max_message_size, (guint64) G_MAXSIZE / 2);
  r->max_pending_messages =
    max_pending_messages ? max_pending_messages : CONFAB_MSRP_DEFAULT_MAX_PENDING_MESSAGES;
  r->max_pending_bytes = max_pending_bytes ? max_pending_bytes
                                           : CONFAB_MSRP_DEFAULT_MAX_PENDING_BYTES;
  r->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) pending_free);
  return r;
}

void
confab_msrp_reassembly_free (ConfabMsrpReassembly *r)
{
  if (!r)
    return;
  g_hash_table_destroy (r->pending);
  g_free (r);
}

static gboolean
drop (ConfabMsrpReassembly *r,
      const char           *message_id)
{
  Pending *pending = g_hash_table_lookup (r->pending, message_id);

  if (!pending)
    return FALSE;
  r->pending_bytes -= pending->charged;
  g_hash_table_remove (r->pending, message_id);
  return TRUE;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (ConfabMsrpReassembly *r,
      const char           *message_id,
      GError              **error,
      ConfabMsrpError       code,
      const char           *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (message_id)
    drop (r, message_id);
  g_set_error_literal (error, CONFAB_MSRP_ERROR, code, message);
  return FALSE;
}

/* The last piece starting at or before @offset, or the first one. */
static GTreeNode *
node_at_or_before (GTree  *pieces,
                   guint64 offset)
{
  GTreeNode *after = g_tree_upper_bound (pieces, &offset);
  GTreeNode *before = after ? g_tree_node_previous (after) : g_tree_node_last (pieces);

  return before ? before : g_tree_node_first (pieces);
}

static void
add_piece (Pending *pending,
           GBytes  *body,
           guint64  body_start,
           guint64  start,
           guint64  end)
{
  Piece *piece = g_new0 (Piece, 1);

  piece->start = start;
  piece->end = end;
  piece->data = g_bytes_new_from_bytes (body, start - body_start, end - start);
  g_tree_insert (pending->pieces, &piece->start, piece);
  pending->received += end - start;
  pending->charged += end - start + PIECE_OVERHEAD;
}

/* Adds the bytes of [start, end) not held yet; returns what that charges. */
static guint64
insert_range (Pending *pending,
              GBytes  *body,
              guint64  start,
              guint64  end,
              guint64  budget,
              gboolean *over_budget)
{
  g_autoptr (GArray) gaps = g_array_new (FALSE, FALSE, sizeof (guint64) * 2);
  guint64 cursor = start;
  guint64 charge = 0;

  for (GTreeNode *node = node_at_or_before (pending->pieces, start); node && cursor < end;
       node = g_tree_node_next (node)) {
    const Piece *piece = g_tree_node_value (node);

    if (piece->start >= end)
      break;
    if (piece->end <= cursor)
      continue;
    if (piece->start > cursor) {
      guint64 gap[2] = { cursor, piece->start };

      g_array_append_val (gaps, gap);
    }
    cursor = MAX (cursor, piece->end);
  }
  if (cursor < end) {
    guint64 gap[2] = { cursor, end };

    g_array_append_val (gaps, gap);
  }
  for (guint i = 0; i < gaps->len; i++) {
    const guint64 *gap = &g_array_index (gaps, guint64, 2 * i);

    charge += gap[1] - gap[0] + PIECE_OVERHEAD;
  }
  *over_budget = charge > budget;
  if (*over_budget)
    return 0;
  for (guint i = 0; i < gaps->len; i++) {
    const guint64 *gap = &g_array_index (gaps, guint64, 2 * i);

    add_piece (pending, body, start, gap[0], gap[1]);
  }
  /* Follow the pieces that now continue the gap-free prefix. */
  for (;;) {
    const Piece *piece = g_tree_lookup (pending->pieces, &pending->contiguous);

    if (!piece)
      break;
    pending->contiguous = piece->end;
  }
  return charge;
}

typedef struct
{
  guint8 *buffer;
  guint64 length;
} Assembly;

static gboolean
copy_piece (gpointer key,
            gpointer value,
            gpointer user_data)
{
  const Piece *piece = value;
  Assembly *assembly = user_data;

  if (piece->start >= assembly->length)
    return TRUE;
  memcpy (assembly->buffer + piece->start, g_bytes_get_data (piece->data, NULL),
          MIN (piece->end, assembly->length) - piece->start);
  return FALSE;
}

static ConfabMsrpMessage *
assemble (Pending                 *pending,
          const ConfabMsrpMessage *last)
{
  ConfabMsrpMessage *message = confab_msrp_message_copy (pending->first);
  guint64 length = pending->final_end;
  const Piece *only = g_tree_lookup (pending->pieces, &(guint64){ 0 });

  if (length > 0) {
    if (only && only->end >= length) {
      message->body = g_bytes_new_from_bytes (only->data, 0, length);
    } else {
      Assembly assembly = { g_malloc (length), length };

      g_tree_foreach (pending->pieces, copy_piece, &assembly);
      message->body = g_bytes_new_take (assembly.buffer, length);
    }
  }
  g_free (message->transaction_id);
  message->transaction_id = g_strdup (last->transaction_id);
  message->has_byte_range = TRUE;
  message->byte_range.start = 1;
  message->byte_range.end = length;
  message->byte_range.total = length;
  message->continuation = CONFAB_MSRP_CONTINUATION_COMPLETE;
  return message;
}

/**
 * confab_msrp_reassembly_add:
 * @chunk: a SEND with a Message-ID, as the parser gives it
 * @complete: (out) (transfer full) (optional) (nullable): the whole
 *   message when @chunk completed it (Byte-Range 1-N/N, the headers of its
 *   first chunk), else %NULL
 *
 * Returns: %FALSE when the message cannot be received: too large
 *   (%CONFAB_MSRP_ERROR_TOO_LARGE, answer 413), aborted by the sender
 *   (%CONFAB_MSRP_ERROR_ABORTED), or not a SEND with a Message-ID. What was
 *   held of that message is dropped.
 */
gboolean
confab_msrp_reassembly_add (ConfabMsrpReassembly *r,
                            ConfabMsrpMessage    *chunk,
                            ConfabMsrpMessage   **complete,
                            GError              **error)
{
  const char *id;
  Pending *pending;
  guint64 start, end, total, charge, budget;
  gsize length;
  gboolean over_budget = FALSE;

  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (chunk != NULL, FALSE);

  if (complete)
    *complete = NULL;
  id = chunk->message_id;
  if (chunk->is_response || chunk->method != CONFAB_MSRP_METHOD_SEND || !id)
    return fail (r, NULL, error, CONFAB_MSRP_ERROR_MISSING_HEADER,
                 _("Only a SEND with a Message-ID is part of a message."));
  if (chunk->continuation == CONFAB_MSRP_CONTINUATION_ABORT)
    return fail (r, id, error, CONFAB_MSRP_ERROR_ABORTED,
                 _("The sender stopped sending message %s."), id);

  length = confab_msrp_message_get_body_length (chunk);
  start = (chunk->has_byte_range ? chunk->byte_range.start : 1) - 1;
  end = start + length;
  total = chunk->has_byte_range ? chunk->byte_range.total : CONFAB_MSRP_UNKNOWN;
  if ((total != CONFAB_MSRP_UNKNOWN && total > r->max_message_size) || end > r->max_message_size)
    return fail (r, id, error, CONFAB_MSRP_ERROR_TOO_LARGE,
                 _("Message %s is larger than %llu bytes."), id,
                 (unsigned long long) r->max_message_size);

  pending = g_hash_table_lookup (r->pending, id);
  /* A whole message in one chunk, the usual case: no copy at all. */
  if (!pending && start == 0 && chunk->continuation == CONFAB_MSRP_CONTINUATION_COMPLETE) {
    if (complete)
      *complete = confab_msrp_message_ref (chunk);
    return TRUE;
  }

  if (!pending) {
    if (g_hash_table_size (r->pending) >= r->max_pending_messages)
      return fail (r, NULL, error, CONFAB_MSRP_ERROR_TOO_LARGE,
                   _("More than %u messages are being received at once."),
                   r->max_pending_messages);
    pending = g_new0 (Pending, 1);
    pending->pieces = g_tree_new_full (compare_offsets, NULL, NULL, (GDestroyNotify) piece_free);
    g_hash_table_insert (r->pending, g_strdup (id), pending);
  }
  if (!pending->first || start == 0) {
    /* Its headers only: the bytes are held (and charged) as pieces. */
    g_clear_pointer (&pending->first, confab_msrp_message_unref);
    pending->first = confab_msrp_message_copy (chunk);
    g_clear_pointer (&pending->first->body, g_bytes_unref);
  }

  budget = r->max_pending_bytes - MIN (r->pending_bytes, r->max_pending_bytes);
  if (length > 0) {
    charge = insert_range (pending, chunk->body, start, end, budget, &over_budget);
    if (over_budget)
      return fail (r, id, error, CONFAB_MSRP_ERROR_TOO_LARGE,
                   _("Unfinished messages would hold more than %llu bytes."),
                   (unsigned long long) r->max_pending_bytes);
    r->pending_bytes += charge;
  }
  if (chunk->continuation == CONFAB_MSRP_CONTINUATION_COMPLETE) {
    /* A later, longer '$' chunk (a retransmission) wins. */
    pending->final_end = pending->have_final ? MAX (pending->final_end, end) : end;
    pending->have_final = TRUE;
  }
  if (pending->have_final && pending->contiguous >= pending->final_end) {
    ConfabMsrpMessage *message = assemble (pending, chunk);

    drop (r, id);
    if (complete)
      *complete = message;
    else
      confab_msrp_message_unref (message);
  }
  return TRUE;
}

/* Drops what is held of @message_id (the session gave up on it). */
gboolean
confab_msrp_reassembly_cancel (ConfabMsrpReassembly *r,
                               const char           *message_id)
{
  g_return_val_if_fail (r != NULL && message_id != NULL, FALSE);

  return drop (r, message_id);
}

/* Bytes held of @message_id, for progress; 0 when unknown. */
guint64
confab_msrp_reassembly_get_received (ConfabMsrpReassembly *r,
                                     const char           *message_id)
{
  Pending *pending;

  g_return_val_if_fail (r != NULL && message_id != NULL, 0);

  pending = g_hash_table_lookup (r->pending, message_id);
  return pending ? pending->received : 0;
}

guint
confab_msrp_reassembly_get_n_pending (ConfabMsrpReassembly *r)
{
  g_return_val_if_fail (r != NULL, 0);

  return g_hash_table_size (r->pending);
}

/* Bytes held over all unfinished messages, overhead included. */
guint64
confab_msrp_reassembly_get_pending_bytes (ConfabMsrpReassembly *r)
{
  g_return_val_if_fail (r != NULL, 0);

  return r->pending_bytes;
}
