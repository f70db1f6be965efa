/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabFileTransfer"

#include "config.h"

#include "transfer/confab-file-transfer-stream-private.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* The receiver's disk work off the main thread: each chunk's pwrite into
 * NAME.part and the SHA-1 of the bytes in order, one chunk after the
 * other in a one-thread pool (so in the order they came). Results go back
 * to the main context in batches, one wake-up for all that finished
 * meanwhile. The chunks held are those the sender has not had answered
 * (its window); a sender that ignores answers is stopped by a bound on
 * the bytes queued, waited for on the main thread. The SHA-1 is GnuTLS's
 * (SHA-NI where the CPU has it: 2.5 times GLib's), GLib's only where
 * GnuTLS refuses SHA-1. */

/* Bytes queued for writing beyond which push() waits for the disk. Our
 * own senders keep far less in flight (64 chunks). */
#define MAX_QUEUED_BYTES (16 * 1024 * 1024)
/* Reads while hashing what a resumed .part already has. */
#define PREFIX_BLOCK (1024 * 1024)

struct _ConfabPartWriter
{
  gint                 ref_count;
  GThreadPool         *pool;
  GMainContext        *context;
  ConfabPartWriterFunc func;       /* main thread; NULL once closed */
  gpointer             user_data;

  /* The worker's own (the pool runs one job at a time). */
  int                  fd;
  ConfabSha1          *sha1;
  gboolean             hash_valid;
  guint64              hashed;     /* bytes fed to checksum, from 0 */
  guint64              prefix;     /* bytes of the .part to hash before the first chunk */
  guint64              written;    /* end of what was written in order */
  int                  failed;     /* errno of the first failed write; later jobs are skipped */

  GMutex               lock;
  GCond                drained;
  gsize                queued;     /* body bytes pushed and not yet written */
  GQueue               done;       /* ConfabPartWrite*, finished, for the main thread */
  gboolean             dispatching; /* an idle callback is on its way */
  gboolean             closed;
};

typedef struct
{
  ConfabPartWriter *writer;
  ConfabPartWrite   result;
} Job;

static ConfabPartWriter *
writer_ref (ConfabPartWriter *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

static void
writer_unref (ConfabPartWriter *self)
{
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_assert (self->pool == NULL);
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  g_clear_pointer (&self->sha1, confab_sha1_free);
  g_queue_clear_full (&self->done, (GDestroyNotify) _confab_part_write_free);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->drained);
  g_free (self);
}

void
_confab_part_write_free (ConfabPartWrite *result)
{
  g_clear_pointer (&result->chunk, confab_msrp_message_unref);
  g_free (result->hash);
  g_free (result);
}

static void
job_free (gpointer data)
{
  Job *job = data;
  ConfabPartWriter *writer = job->writer;

  g_clear_pointer (&job->result.chunk, confab_msrp_message_unref);
  g_free (job->result.hash);
  g_free (job);
  writer_unref (writer);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         length,
           guint64       offset)
{
  while (length > 0) {
    ssize_t n = pwrite (fd, data, length, (off_t) offset);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = EIO;
      return FALSE;
    }
    data += n;
    length -= (gsize) n;
    offset += (guint64) n;
  }
  return TRUE;
}

/* A resumed .part: the bytes before the first chunk go into the SHA-1
 * first, so that the hash is known as soon as the last chunk is written. */
static void
hash_prefix (ConfabPartWriter *self)
{
  g_autofree guint8 *block = NULL;
  guint64 offset = 0;

  if (self->prefix == 0)
    return;
  block = g_malloc (PREFIX_BLOCK);
  while (offset < self->prefix) {
    gsize want = (gsize) MIN ((guint64) PREFIX_BLOCK, self->prefix - offset);
    ssize_t n = pread (self->fd, block, want, (off_t) offset);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      /* Shorter than it was: the hash of the whole file decides. */
      self->hash_valid = FALSE;
      break;
    }
    confab_sha1_update (self->sha1, block, (gsize) n);
    offset += (guint64) n;
  }
  self->hashed = offset;
  self->prefix = 0;
}

static void
hash_chunk (ConfabPartWriter *self,
            const guint8     *data,
            gsize             length,
            guint64           offset)
{
  if (!self->hash_valid)
    return;
  if (offset != self->hashed) {
    /* Out of order or rewritten: the hash of the whole file decides. */
    self->hash_valid = FALSE;
    return;
  }
  confab_sha1_update (self->sha1, data, length);
  self->hashed += length;
}

static void
finish_hash (ConfabPartWriter *self,
             Job              *job)
{
  if (!self->hash_valid || self->hashed != job->result.end)
    return;
  job->result.hash = confab_sha1_end (self->sha1);
}

static gboolean
dispatch_done (gpointer user_data)
{
  ConfabPartWriter *self = user_data;
  GQueue done = G_QUEUE_INIT;
  ConfabPartWrite *result;

  g_mutex_lock (&self->lock);
  done = self->done;
  g_queue_init (&self->done);
  self->dispatching = FALSE;
  g_mutex_unlock (&self->lock);
  while ((result = g_queue_pop_head (&done))) {
    /* The handler may close the writer: the rest is dropped. */
    if (self->func)
      self->func (result, self->user_data);
    _confab_part_write_free (result);
  }
  return G_SOURCE_REMOVE;
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  ConfabPartWriter *self = job->writer;
  ConfabPartWrite *result;
  gsize length = 0;
  const guint8 *body = job->result.chunk && job->result.chunk->body
                         ? g_bytes_get_data (job->result.chunk->body, &length)
                         : NULL;
  gboolean wake;

  hash_prefix (self);
  if (self->failed) {
    job->result.error = self->failed;
  } else if (length > 0 && !write_all (self->fd, body, length, job->result.offset)) {
    self->failed = errno;
    job->result.error = errno;
    /* What came in order stays, for a later resume. */
    if (ftruncate (self->fd, (off_t) MIN (job->result.offset, self->written)) < 0)
      g_debug ("ftruncate: %s", g_strerror (errno));
  } else {
    hash_chunk (self, body, length, job->result.offset);
    if (job->result.offset <= self->written)
      self->written = MAX (self->written, job->result.end);
    if (job->result.last)
      finish_hash (self, job);
  }

  result = g_new0 (ConfabPartWrite, 1);
  *result = job->result;
  memset (&job->result, 0, sizeof job->result);
  g_mutex_lock (&self->lock);
  self->queued -= length;
  g_cond_broadcast (&self->drained);
  wake = !self->closed && !self->dispatching;
  if (self->closed) {
    _confab_part_write_free (result);
  } else {
    g_queue_push_tail (&self->done, result);
    self->dispatching = TRUE;
  }
  g_mutex_unlock (&self->lock);
  if (wake) {
    /* An idle source, not g_main_context_invoke(): that could run the
     * handler on this thread when the main context is free. */
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, dispatch_done, writer_ref (self),
                           (GDestroyNotify) writer_unref);
    g_source_set_static_name (source, "[confab] file chunks written");
    g_source_attach (source, self->context);
    g_source_unref (source);
  }
  job_free (job);
}

/**
 * _confab_part_writer_new:
 * @fd: (transfer full): the .part, open for writing (and reading, to hash
 *   what it has)
 * @start: bytes the .part has before the first chunk (a resume)
 * @hashable: whether the first chunk comes right after them (else the
 *   hash of the whole file decides at the end)
 * @func: called on the current thread-default main context with each
 *   chunk's result, in order
 */
ConfabPartWriter *
_confab_part_writer_new (int                  fd,
                         guint64              start,
                         gboolean             hashable,
                         ConfabPartWriterFunc func,
                         gpointer             user_data)
{
  ConfabPartWriter *self = g_new0 (ConfabPartWriter, 1);
  g_autoptr (GError) error = NULL;

  self->ref_count = 1;
  self->fd = fd;
  self->func = func;
  self->user_data = user_data;
  self->context = g_main_context_ref_thread_default ();
  self->sha1 = confab_sha1_new ();
  self->hash_valid = hashable;
  self->prefix = hashable ? start : 0;
  self->written = start;
  g_mutex_init (&self->lock);
  g_cond_init (&self->drained);
  g_queue_init (&self->done);
  /* One thread: the chunks are written and hashed in the order pushed. */
  self->pool = g_thread_pool_new_full (run_job, self, job_free, 1, FALSE, &error);
  g_assert_no_error (error);
  return self;
}

/* Queues @chunk's body for 0-based @offset; @last: the message's final
 * chunk (its result carries the SHA-1 when it could be computed in
 * order). Waits while more than MAX_QUEUED_BYTES are queued. */
void
_confab_part_writer_push (ConfabPartWriter  *self,
                          ConfabMsrpMessage *chunk,
                          guint64            offset,
                          gboolean           last)
{
  Job *job = g_new0 (Job, 1);
  gsize length = confab_msrp_message_get_body_length (chunk);

  job->writer = writer_ref (self);
  job->result.chunk = confab_msrp_message_ref (chunk);
  job->result.offset = offset;
  job->result.end = offset + length;
  job->result.last = last;
  g_mutex_lock (&self->lock);
  /* Back-pressure against a sender that does not wait for answers: the
   * main thread (and so the socket) waits for the disk. */
  while (self->queued > 0 && self->queued + length > MAX_QUEUED_BYTES)
    g_cond_wait (&self->drained, &self->lock);
  self->queued += length;
  g_mutex_unlock (&self->lock);
  g_thread_pool_push (self->pool, job, NULL);
}

/* No more results. What is queued is still written, in the background
 * (it came: a resume can start after it), then the file is closed. */
void
_confab_part_writer_close (ConfabPartWriter *self)
{
  GThreadPool *pool = g_steal_pointer (&self->pool);

  self->func = NULL;
  g_mutex_lock (&self->lock);
  self->closed = TRUE;
  g_mutex_unlock (&self->lock);
  g_thread_pool_free (pool, FALSE, FALSE);
  writer_unref (self);
}
