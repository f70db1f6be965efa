/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "msrp/confab-msrp.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* An MSRP byte stream is hostile input. The first byte picks how the rest
 * is sliced; small limits let the fuzzer reach them. Checked: sliced and
 * whole feeding agree (messages and error), every message prints and reads
 * back to the same bytes, and the builders (responses, REPORTs, chunking,
 * reassembly) accept what the parser gives them. */

static const ConfabMsrpLimits limits = {
  .max_line = 512,
  .max_headers = 16,
  .max_header_block = 4096,
  .max_body = 8192,
};

static GPtrArray *
parse (const guint8 *data,
       gsize         size,
       guint8        pattern,
       GError      **error)
{
  g_autoptr (ConfabMsrpParser) parser = confab_msrp_parser_new (&limits);
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  guint32 state = pattern * 2654435761u + 1;
  gsize done = 0;
  gboolean ok = TRUE;
  ConfabMsrpMessage *m;

  while (ok && done < size) {
    gsize n = size - done;

    if (pattern) {
      state = state * 1103515245u + 12345u;
      n = MIN (n, (pattern & 0x80) ? 1 + (state >> 16) % 8 : 1 + (state >> 16) % 700);
    }
    ok = confab_msrp_parser_feed (parser, data + done, n, error);
    done += n;
    while ((m = confab_msrp_parser_pop (parser)))
      g_ptr_array_add (messages, m);
  }
  if (ok)
    confab_msrp_parser_finish (parser, error);
  return messages;
}

static GBytes *
print (ConfabMsrpMessage *m)
{
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  /* relaying needs a transaction id that is not in the body */
  if (confab_msrp_body_contains_end_line (m->body, m->transaction_id))
    confab_msrp_message_new_transaction_id (m);
  bytes = confab_msrp_message_to_bytes (m, &error);
  g_assert_no_error (error);
  return bytes;
}

static void
check_round_trip (ConfabMsrpMessage *m)
{
  g_autoptr (GBytes) printed = print (m);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) again = parse (g_bytes_get_data (printed, NULL),
                                       g_bytes_get_size (printed), 0, &error);
  g_autoptr (GBytes) printed_again = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 1);
  printed_again = print (g_ptr_array_index (again, 0));
  g_assert_true (g_bytes_equal (printed, printed_again));
}

static void
check_builders (ConfabMsrpMessage    *m,
                ConfabMsrpReassembly *reassembly,
                guint8                pattern)
{
  g_autoptr (ConfabMsrpMessage) complete = NULL;

  if (m->is_response)
    return;
  if (confab_msrp_message_needs_response (m, 200) || confab_msrp_message_needs_response (m, 400)) {
    g_autoptr (ConfabMsrpMessage) response = confab_msrp_message_new_response (m, 400, NULL);

    check_round_trip (response);
  }
  if (m->method != CONFAB_MSRP_METHOD_SEND)
    return;
  {
    g_autoptr (ConfabMsrpMessage) report = confab_msrp_message_new_report (m, 200, NULL, NULL);

    check_round_trip (report);
  }
  if (confab_msrp_reassembly_add (reassembly, m, &complete, NULL) && complete)
    check_round_trip (complete);

  if (m->body) {
    gsize length = g_bytes_get_size (m->body);
    g_autoptr (ConfabMsrpChunker) chunker =
      confab_msrp_chunker_new (m, 1 + length / (1 + pattern % 8));
    g_autoptr (ConfabMsrpReassembly) r = confab_msrp_reassembly_new (0, 0, 0);
    g_autoptr (ConfabMsrpMessage) whole = NULL;

    for (;;) {
      g_autoptr (ConfabMsrpMessage) chunk = confab_msrp_chunker_next (chunker);
      g_autoptr (GError) error = NULL;

      if (!chunk)
        break;
      g_assert_false (confab_msrp_body_contains_end_line (chunk->body, chunk->transaction_id));
      g_assert_null (whole);
      g_assert_true (confab_msrp_reassembly_add (r, chunk, &whole, &error));
      g_assert_no_error (error);
    }
    g_assert_nonnull (whole);
    g_assert_true (g_bytes_equal (whole->body, m->body));
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) whole_error = NULL;
  g_autoptr (GError) sliced_error = NULL;
  g_autoptr (GPtrArray) whole = NULL;
  g_autoptr (GPtrArray) sliced = NULL;
  g_autoptr (ConfabMsrpReassembly) reassembly = confab_msrp_reassembly_new (16384, 4, 65536);
  guint8 pattern;

  if (size < 1)
    return 0;
  pattern = data[0];
  data++;
  size--;

  whole = parse (data, size, 0, &whole_error);
  sliced = parse (data, size, pattern | 1, &sliced_error);
  g_assert_cmpuint (whole->len, ==, sliced->len);
  g_assert_true ((whole_error == NULL) == (sliced_error == NULL));
  if (whole_error) {
    g_assert_cmpint (whole_error->code, ==, sliced_error->code);
    g_assert_cmpstr (whole_error->message, ==, sliced_error->message);
  }
  for (guint i = 0; i < whole->len; i++) {
    ConfabMsrpMessage *a = g_ptr_array_index (whole, i);
    ConfabMsrpMessage *b = g_ptr_array_index (sliced, i);
    g_autoptr (GBytes) printed_a = NULL;
    g_autoptr (GBytes) printed_b = NULL;
    g_autofree char *description_a = confab_msrp_message_describe (a);
    g_autofree char *description_b = confab_msrp_message_describe (b);

    g_assert_cmpstr (description_a, ==, description_b);
    g_assert_cmpstr (a->transaction_id, ==, b->transaction_id);
    g_assert_cmpint (a->continuation, ==, b->continuation);
    g_assert_true ((a->body == NULL) == (b->body == NULL));
    g_assert_true (a->body == NULL || g_bytes_equal (a->body, b->body));
    printed_a = print (a);
    printed_b = print (b);
    if (strcmp (a->transaction_id, b->transaction_id) == 0)
      g_assert_true (g_bytes_equal (printed_a, printed_b));
    check_round_trip (a);
    check_builders (a, reassembly, pattern);
  }
  return 0;
}
