/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "transfer/confab-file-transfer-stream-private.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The file transfer's disk threads: the receiver's writer (pwrite and
 * SHA-1 of each chunk in order, a resumed .part hashed first, results back
 * on the main context in order, errors, closing with work queued) and the
 * sender's read-ahead (slices in order, a resume, a file that got
 * shorter). */

#define CHUNK      65536
#define WAIT_SECONDS 20

static guint8 *
random_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  return data;
}

static char *
sha1_text (const guint8 *data,
           gsize         length)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_length = sizeof digest;

  g_checksum_update (checksum, data, length);
  g_checksum_get_digest (checksum, digest, &digest_length);
  return confab_file_sha1_to_text (digest);
}

static char *
temp_file (const guint8 *data,
           gsize         length)
{
  g_autoptr (GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("confab-ft-XXXXXX", &path, &error);

  g_assert_no_error (error);
  g_close (fd, NULL);
  if (data)
    g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) length, NULL));
  return path;
}

static ConfabMsrpMessage *
chunk_of (const guint8 *data,
          gsize         length)
{
  ConfabMsrpMessage *chunk = confab_msrp_message_new ();
  g_autoptr (GBytes) body = g_bytes_new (data, length);

  confab_msrp_message_set_method (chunk, "SEND");
  confab_msrp_message_set_body (chunk, "application/octet-stream", length ? body : NULL);
  return chunk;
}

/* What a writer reported. */
typedef struct
{
  GPtrArray *chunks;   /* ConfabMsrpMessage*, in the order reported */
  GArray    *ends;     /* guint64 */
  guint      errors;
  int        error;    /* the first */
  gboolean   last;
  char      *hash;
  GThread   *thread;   /* where the callback must run */
} Results;

static void
on_written (ConfabPartWrite *result,
            gpointer         user_data)
{
  Results *results = user_data;

  g_assert_true (g_thread_self () == results->thread);
  g_assert_false (results->last);
  g_ptr_array_add (results->chunks, confab_msrp_message_ref (result->chunk));
  g_array_append_val (results->ends, result->end);
  if (result->error) {
    if (!results->errors)
      results->error = result->error;
    results->errors++;
  }
  if (result->last) {
    results->last = TRUE;
    results->hash = g_strdup (result->hash);
  }
}

static void
results_init (Results *results)
{
  memset (results, 0, sizeof *results);
  results->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  results->ends = g_array_new (FALSE, FALSE, sizeof (guint64));
  results->thread = g_thread_self ();
}

static void
results_clear (Results *results)
{
  g_ptr_array_unref (results->chunks);
  g_array_unref (results->ends);
  g_free (results->hash);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_results (Results *results,
              guint    count)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_timeout, &timed_out);

  while (results->chunks->len < count && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Chunks in order from 0: written, answered in order, the hash with the
 * last. */
static void
test_writer_in_order (void)
{
  gsize size = 5 * CHUNK + 123;
  g_autofree guint8 *data = random_bytes (size);
  g_autofree char *expected = sha1_text (data, size);
  g_autofree char *path = temp_file (NULL, 0);
  g_autofree char *written = NULL;
  gsize written_length = 0;
  GPtrArray *sent = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  ConfabPartWriter *writer;
  Results results;

  results_init (&results);
  writer = _confab_part_writer_new (g_open (path, O_RDWR | O_CLOEXEC, 0), 0, TRUE, on_written,
                                    &results);
  for (gsize offset = 0; offset < size; offset += CHUNK) {
    gsize length = MIN (CHUNK, size - offset);
    ConfabMsrpMessage *chunk = chunk_of (data + offset, length);

    g_ptr_array_add (sent, chunk);
    _confab_part_writer_push (writer, chunk, offset, offset + length == size);
  }
  wait_results (&results, sent->len);
  g_assert_cmpuint (results.errors, ==, 0);
  g_assert_true (results.last);
  for (guint i = 0; i < sent->len; i++) {
    g_assert_true (g_ptr_array_index (results.chunks, i) == g_ptr_array_index (sent, i));
    g_assert_cmpuint (g_array_index (results.ends, guint64, i), ==,
                      MIN ((guint64) (i + 1) * CHUNK, size));
  }
  g_assert_cmpstr (results.hash, ==, expected);
  _confab_part_writer_close (writer);
  spin (20);
  g_assert_true (g_file_get_contents (path, &written, &written_length, NULL));
  g_assert_cmpmem (written, written_length, data, size);
  g_unlink (path);
  g_ptr_array_unref (sent);
  results_clear (&results);
}

/* A resumed .part: what it has before the first chunk is hashed first, so
 * the last result carries the whole file's hash; bytes past the resume
 * point are overwritten. */
static void
test_writer_resumed (void)
{
  gsize size = 3 * CHUNK + 7;
  gsize start = CHUNK + 100;
  g_autofree guint8 *data = random_bytes (size);
  g_autofree guint8 *part = g_memdup2 (data, start + 50);
  g_autofree char *expected = sha1_text (data, size);
  g_autofree char *path = NULL;
  g_autofree char *written = NULL;
  gsize written_length = 0;
  ConfabPartWriter *writer;
  Results results;
  guint pushed = 0;

  /* 50 bytes of garbage after the resume point: overwritten. */
  memset (part + start, 0xA5, 50);
  path = temp_file (part, start + 50);
  results_init (&results);
  writer = _confab_part_writer_new (g_open (path, O_RDWR | O_CLOEXEC, 0), start, TRUE, on_written,
                                    &results);
  for (gsize offset = start; offset < size; offset += CHUNK, pushed++) {
    gsize length = MIN (CHUNK, size - offset);
    g_autoptr (ConfabMsrpMessage) chunk = chunk_of (data + offset, length);

    _confab_part_writer_push (writer, chunk, offset, offset + length == size);
  }
  wait_results (&results, pushed);
  g_assert_cmpuint (results.errors, ==, 0);
  g_assert_cmpstr (results.hash, ==, expected);
  _confab_part_writer_close (writer);
  spin (20);
  g_assert_true (g_file_get_contents (path, &written, &written_length, NULL));
  g_assert_cmpmem (written, written_length, data, size);
  g_unlink (path);
  results_clear (&results);
}

/* The first chunk does not follow what the .part has (or a garbage
 * prefix): no hash in order; and a prefix of garbage gives a different
 * hash, which is what the receiver then refuses. */
static void
test_writer_unhashable (void)
{
  gsize size = 2 * CHUNK;
  g_autofree guint8 *data = random_bytes (size);
  g_autofree guint8 *garbage = random_bytes (CHUNK);
  g_autofree char *expected = sha1_text (data, size);
  g_autofree char *path = temp_file (garbage, CHUNK);
  g_autoptr (ConfabMsrpMessage) chunk = chunk_of (data + CHUNK, CHUNK);
  ConfabPartWriter *writer;
  Results results;

  /* Not hashable: no hash at the end. */
  results_init (&results);
  writer = _confab_part_writer_new (g_open (path, O_RDWR | O_CLOEXEC, 0), CHUNK, FALSE,
                                    on_written, &results);
  _confab_part_writer_push (writer, chunk, CHUNK, TRUE);
  wait_results (&results, 1);
  g_assert_true (results.last);
  g_assert_null (results.hash);
  _confab_part_writer_close (writer);
  results_clear (&results);

  /* Hashable, but the prefix is garbage: the hash is not the file's. */
  g_assert_true (g_file_set_contents (path, (const char *) garbage, CHUNK, NULL));
  results_init (&results);
  writer = _confab_part_writer_new (g_open (path, O_RDWR | O_CLOEXEC, 0), CHUNK, TRUE,
                                    on_written, &results);
  _confab_part_writer_push (writer, chunk, CHUNK, TRUE);
  wait_results (&results, 1);
  g_assert_nonnull (results.hash);
  g_assert_cmpstr (results.hash, !=, expected);
  _confab_part_writer_close (writer);
  results_clear (&results);
  g_unlink (path);
}

/* A write fails (the file is read-only): that chunk and every later one
 * come back with the error, in order. */
static void
test_writer_error (void)
{
  g_autofree guint8 *data = random_bytes (3 * CHUNK);
  g_autofree char *path = temp_file (NULL, 0);
  ConfabPartWriter *writer;
  Results results;

  results_init (&results);
  writer = _confab_part_writer_new (g_open (path, O_RDONLY | O_CLOEXEC, 0), 0, TRUE, on_written,
                                    &results);
  for (guint i = 0; i < 3; i++) {
    g_autoptr (ConfabMsrpMessage) chunk = chunk_of (data + i * CHUNK, CHUNK);

    _confab_part_writer_push (writer, chunk, (guint64) i * CHUNK, i == 2);
  }
  wait_results (&results, 3);
  g_assert_cmpuint (results.errors, ==, 3);
  g_assert_cmpint (results.error, ==, EBADF);
  g_assert_null (results.hash);
  _confab_part_writer_close (writer);
  results_clear (&results);
  g_unlink (path);
}

/* Closed with work queued: no result comes after, nothing leaks (the
 * sanitizer build checks), the file is closed in the background. */
static void
test_writer_close_early (void)
{
  gsize size = 64 * CHUNK;
  g_autofree guint8 *data = random_bytes (size);
  g_autofree char *path = temp_file (NULL, 0);
  ConfabPartWriter *writer;
  Results results;
  guint seen;

  results_init (&results);
  writer = _confab_part_writer_new (g_open (path, O_RDWR | O_CLOEXEC, 0), 0, TRUE, on_written,
                                    &results);
  for (gsize offset = 0; offset < size; offset += CHUNK) {
    g_autoptr (ConfabMsrpMessage) chunk = chunk_of (data + offset, CHUNK);

    _confab_part_writer_push (writer, chunk, offset, offset + CHUNK == size);
  }
  _confab_part_writer_close (writer);
  seen = results.chunks->len;
  spin (100);
  g_assert_cmpuint (results.chunks->len, ==, seen);
  g_assert_false (results.last);
  results_clear (&results);
  g_unlink (path);
}

/* The read-ahead: chunks are slices of the file, from a resume point on,
 * at either chunk size. */
static void
check_reader (gsize   chunk_size,
              guint64 start)
{
  gsize size = 40 * CHUNK + 1234;
  g_autofree guint8 *data = random_bytes (size);
  g_autofree char *path = temp_file (data, size);
  ConfabFileReader *reader = _confab_file_reader_new (g_open (path, O_RDONLY | O_CLOEXEC, 0),
                                                      start, size);

  for (guint64 offset = start; offset < size; offset += chunk_size) {
    gsize want = (gsize) MIN ((guint64) chunk_size, size - offset);
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes = _confab_file_reader_take (reader, offset, want, &error);

    g_assert_no_error (error);
    g_assert_nonnull (bytes);
    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data + offset,
                     want);
  }
  _confab_file_reader_close (reader);
  g_unlink (path);
}

static void
test_reader (void)
{
  check_reader (CHUNK, 0);
  check_reader (8192, 0);
  check_reader (CHUNK, 3 * CHUNK + 17);
  /* Chunks across the read-ahead's blocks are copied together. */
  check_reader (100000, 0);
  check_reader (1024 * 1024, 5);
}

/* Chunks are asked for in order. */
static void
test_reader_order (void)
{
  gsize size = 4 * CHUNK;
  g_autofree guint8 *data = random_bytes (size);
  g_autofree char *path = temp_file (data, size);
  ConfabFileReader *reader = _confab_file_reader_new (g_open (path, O_RDONLY | O_CLOEXEC, 0), 0,
                                                      size);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = _confab_file_reader_take (reader, CHUNK, CHUNK, &error);

  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  bytes = _confab_file_reader_take (reader, 0, CHUNK, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, CHUNK);
  _confab_file_reader_close (reader);
  g_unlink (path);
}

/* The file is shorter than announced: the read past its end fails with a
 * message that says so; closing early drops what was read ahead. */
static void
test_reader_short (void)
{
  gsize size = 2 * CHUNK;
  g_autofree guint8 *data = random_bytes (size);
  g_autofree char *path = temp_file (data, size);
  ConfabFileReader *reader = _confab_file_reader_new (g_open (path, O_RDONLY | O_CLOEXEC, 0), 0,
                                                      10 * CHUNK);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = _confab_file_reader_take (reader, 0, CHUNK, &error);

  /* The first block (256 KiB) reaches past the end: it fails whole. */
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "shorter"));
  _confab_file_reader_close (reader);

  reader = _confab_file_reader_new (g_open (path, O_RDONLY | O_CLOEXEC, 0), 0, size);
  _confab_file_reader_close (reader);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-transfer/writer/in-order", test_writer_in_order);
  g_test_add_func ("/file-transfer/writer/resumed", test_writer_resumed);
  g_test_add_func ("/file-transfer/writer/unhashable", test_writer_unhashable);
  g_test_add_func ("/file-transfer/writer/error", test_writer_error);
  g_test_add_func ("/file-transfer/writer/close-early", test_writer_close_early);
  g_test_add_func ("/file-transfer/reader", test_reader);
  g_test_add_func ("/file-transfer/reader/order", test_reader_order);
  g_test_add_func ("/file-transfer/reader/short", test_reader_short);
  return g_test_run ();
}
