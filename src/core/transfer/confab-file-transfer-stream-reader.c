/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabFileTransfer"

#include "config.h"

#include "transfer/confab-file-transfer-stream-private.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* The sender's read-ahead: a one-thread pool reads the file in blocks
 * ahead of the chunks the session asks for, so the main thread neither
 * waits for the disk nor copies (a chunk is a slice of its block). At
 * most READ_AHEAD blocks are read and not yet handed out; the chunks in
 * flight keep theirs alive, which the session's window bounds. */

#define BLOCK_SIZE (256 * 1024) /* a multiple of the chunk sizes (64 and 8 KiB): slices */
#define READ_AHEAD 4

typedef struct
{
  gint     ref_count; /* the queue's and the job's */
  guint64  offset;
  gsize    length;
  GBytes  *data;   /* NULL until read */
  int      error;  /* errno, or -1: the file ended early */
  gboolean done;
} Block;

struct _ConfabFileReader
{
  gint         ref_count;
  GThreadPool *pool;
  int          fd;
  guint64      total;
  guint64      next;     /* where the next block to queue starts */
  guint64      taken;    /* where the next chunk asked for starts */

  GMutex       lock;
  GCond        cond;
  GQueue       blocks;   /* Block*, in file order: read or being read */
  gboolean     closed;
};

typedef struct
{
  ConfabFileReader *reader;
  Block            *block;
} Job;

static void
block_unref (Block *block)
{
  if (!g_atomic_int_dec_and_test (&block->ref_count))
    return;
  g_clear_pointer (&block->data, g_bytes_unref);
  g_free (block);
}

static ConfabFileReader *
reader_ref (ConfabFileReader *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

static void
reader_unref (ConfabFileReader *self)
{
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  g_queue_clear_full (&self->blocks, (GDestroyNotify) block_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  block_unref (job->block);
  reader_unref (job->reader);
  g_free (job);
}

static void
read_block (gpointer data,
            gpointer user_data)
{
  Job *job = data;
  Block *block = job->block;
  ConfabFileReader *self = job->reader;
  guint8 *buffer = g_malloc (block->length);
  gsize done = 0;
  int error = 0;

  while (done < block->length) {
    ssize_t n = pread (self->fd, buffer + done, block->length - done,
                       (off_t) (block->offset + done));

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      error = n < 0 ? errno : -1;
      break;
    }
    done += (gsize) n;
  }
  g_mutex_lock (&self->lock);
  if (error) {
    g_free (buffer);
    block->error = error;
  } else {
    block->data = g_bytes_new_take (buffer, block->length);
  }
  block->done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  job_free (job);
}

/* Called with the lock held. */
static void
queue_blocks (ConfabFileReader *self)
{
  while (!self->closed && self->next < self->total &&
         g_queue_get_length (&self->blocks) < READ_AHEAD) {
    Block *block = g_new0 (Block, 1);
    Job *job = g_new0 (Job, 1);

    block->ref_count = 2;
    block->offset = self->next;
    block->length = (gsize) MIN ((guint64) BLOCK_SIZE, self->total - self->next);
    self->next += block->length;
    g_queue_push_tail (&self->blocks, block);
    job->reader = reader_ref (self);
    job->block = block;
    g_thread_pool_push (self->pool, job, NULL);
  }
}

/* @fd: (transfer full): the file; blocks are read from @start on, up to
 * @total. */
ConfabFileReader *
_confab_file_reader_new (int     fd,
                         guint64 start,
                         guint64 total)
{
  ConfabFileReader *self = g_new0 (ConfabFileReader, 1);
  g_autoptr (GError) error = NULL;

  self->ref_count = 1;
  self->fd = fd;
  self->total = total;
  self->next = start;
  self->taken = start;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->blocks);
  self->pool = g_thread_pool_new_full (read_block, NULL, job_free, 1, FALSE, &error);
  g_assert_no_error (error);
  g_mutex_lock (&self->lock);
  queue_blocks (self);
  g_mutex_unlock (&self->lock);
  return self;
}

/* The head block, read (waiting for it); called with the lock held.
 * NULL with @failed set when its read failed. */
static Block *
wait_head (ConfabFileReader *self,
           int              *failed)
{
  Block *block = g_queue_peek_head (&self->blocks);

  if (!block) {
    *failed = -1;
    return NULL;
  }
  while (!block->done)
    g_cond_wait (&self->cond, &self->lock);
  if (block->error) {
    *failed = block->error;
    return NULL;
  }
  return block;
}

/* Called with the lock held: @block is handed out to its end. */
static void
drop_head (ConfabFileReader *self)
{
  block_unref (g_queue_pop_head (&self->blocks));
  queue_blocks (self);
}

/* Exactly @max bytes at 0-based @offset, asked for in order; waits for
 * the block being read when it is not there yet. A slice of its block,
 * or (a chunk across two blocks) a copy. */
GBytes *
_confab_file_reader_take (ConfabFileReader  *self,
                          guint64            offset,
                          gsize              max,
                          GError           **error)
{
  GBytes *bytes = NULL;
  guint8 *copy = NULL;
  gsize copied = 0;
  int failed = 0;

  g_mutex_lock (&self->lock);
  if (offset != self->taken || max > self->total - offset) {
    failed = EINVAL;
  } else {
    while (copied < max) {
      Block *block = wait_head (self, &failed);
      gsize from;
      gsize take;

      if (!block)
        break;
      from = (gsize) (offset + copied - block->offset);
      take = MIN (max - copied, block->length - from);
      if (take == max) {
        bytes = g_bytes_new_from_bytes (block->data, from, take);
      } else {
        if (!copy)
          copy = g_malloc (max);
        memcpy (copy + copied, (const guint8 *) g_bytes_get_data (block->data, NULL) + from,
                take);
      }
      copied += take;
      if (from + take == block->length)
        drop_head (self);
    }
    if (!failed)
      self->taken += max;
  }
  g_mutex_unlock (&self->lock);
  if (failed) {
    int saved = failed < 0 ? EIO : failed;

    g_free (copy);
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 failed < 0 ? _("The file got shorter while it was being sent")
                            : _("Could not read the file: %s"), g_strerror (saved));
    return NULL;
  }
  return bytes ? bytes : g_bytes_new_take (copy, max);
}

/* Stops reading ahead; the file is closed once the block being read is. */
void
_confab_file_reader_close (ConfabFileReader *self)
{
  GThreadPool *pool = g_steal_pointer (&self->pool);

  g_mutex_lock (&self->lock);
  self->closed = TRUE;
  g_mutex_unlock (&self->lock);
  /* The read under way finishes in the background, holding its
   * reference; the blocks not started are dropped. */
  g_thread_pool_free (pool, TRUE, FALSE);
  reader_unref (self);
}
