/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabFileTransfer"

#include "config.h"

#include "transfer/confab-file-transfer-stream-private.h"
#include "msrp/confab-msrp-serializer.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gfiledescriptorbased.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

/* The bytes of a transfer: the sender's SHA-1 (a worker thread), its
 * chunks read ahead in a thread (confab-file-transfer-stream-reader.c),
 * the receiver's pwrite of each chunk into NAME.part with an in-order
 * SHA-1 in a thread (confab-file-transfer-stream-writer.c), FILE_OFFSET,
 * the answers to the chunks, and the final check and rename. */

/* The hash of the file a .part is for, so a different file of the same
 * name is not resumed into it (where the file system keeps xattrs). */
#define PART_HASH_XATTR "user.confab.sha1"

/* The comment of the receiver's answer to the last chunk, and of its
 * failure REPORT, when the file's SHA-1 is not the one offered. RFC 4975
 * has no code for a bad checksum; 400 (the request could not be used) is
 * the closest, and the comment tells our own senders what it means. */
#define HASH_MISMATCH_STATUS  400
#define HASH_MISMATCH_COMMENT "File hash mismatch"

/* The comments of a receiver's answer to a chunk it could not store: no
 * room left (413, as RFC 4975 has it for what is too large to take), or
 * another write error (403). They tell the sender why, not just
 * "Forbidden". */
#define DISK_FULL_COMMENT     "Disk full"
#define WRITE_FAILED_COMMENT  "Could not store the file"

/* Hashing */

typedef struct
{
  GFile   *file;
  guint64 *done;       /* the stream's hash_done, updated from the thread */
  guint64  size;
  char    *content_type;
  gint64   modification;
  char    *hash;
} HashJob;

static void
hash_job_free (HashJob *job)
{
  g_clear_object (&job->file);
  g_free (job->content_type);
  g_free (job->hash);
  g_free (job);
}

static void
on_hash_progress (guint64  done,
                  gpointer user_data)
{
  HashJob *job = user_data;

  __atomic_store_n (job->done, done, __ATOMIC_RELAXED);
}

static void
hash_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  HashJob *job = task_data;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) input = NULL;
  GError *error = NULL;

  info = g_file_query_info (job->file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("“%s” is not a regular file"), g_file_peek_path (job->file));
  if (!error)
    input = g_file_read (job->file, cancellable, &error);
  if (!error)
    job->hash = confab_file_sha1_stream (G_INPUT_STREAM (input), on_hash_progress, job,
                                         cancellable, &error);
  if (error) {
    g_task_return_error (task, error);
    return;
  }
  if (info) {
    const char *type = g_file_info_get_content_type (info);

    job->size = (guint64) g_file_info_get_size (info);
    job->content_type = type ? g_content_type_get_mime_type (type) : NULL;
    job->modification = g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED)
                          ? (gint64) g_file_info_get_attribute_uint64 (
                              info, G_FILE_ATTRIBUTE_TIME_MODIFIED)
                          : -1;
  }
  g_task_return_boolean (task, TRUE);
}

static void
on_source_hashed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (object);
  HashJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  ConfabFileSelector *selector = &self->local.selector;

  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_FAILED, error->message);
    _confab_stream_emit_ready (CONFAB_STREAM (self));
    return;
  }
  /* A pull names the file by hash: serve only that file. */
  if (self->pull && self->remote.selector.hash &&
      g_ascii_strcasecmp (self->remote.selector.hash, job->hash) != 0) {
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_FAILED,
                                     _("The file asked for is not the one here (its hash "
                                       "differs)"));
    _confab_stream_emit_ready (CONFAB_STREAM (self));
    return;
  }
  g_free (selector->hash);
  selector->hash = g_steal_pointer (&job->hash);
  selector->has_size = TRUE;
  selector->size = job->size;
  if (!selector->type)
    selector->type = g_strdup (job->content_type ? job->content_type
                                                 : "application/octet-stream");
  if (!selector->name)
    selector->name = g_file_get_basename (self->source);
  if (!self->pull)
    self->local.modification = job->modification;
  self->has_size = TRUE;
  self->size = job->size;
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_WAITING, NULL);
  _confab_stream_emit_ready (CONFAB_STREAM (self));
}

void
_confab_file_transfer_hash_source (ConfabFileTransferStream *self)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, on_source_hashed, NULL);
  g_autoptr (GFileInfo) info = g_file_query_info (self->source, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                  G_FILE_QUERY_INFO_NONE, NULL, NULL);
  HashJob *job = g_new0 (HashJob, 1);

  job->file = g_object_ref (self->source);
  job->done = &self->hash_done;
  self->hash_total = info ? (guint64) g_file_info_get_size (info) : 0;
  g_task_set_task_data (task, job, (GDestroyNotify) hash_job_free);
  g_task_set_source_tag (task, _confab_file_transfer_hash_source);
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_HASHING, NULL);
  g_task_run_in_thread (task, hash_in_thread);
}

/* Sending */

/* The session's pump asks for the next chunk: a slice of what the
 * reader read ahead. */
static GBytes *
read_chunk (guint64   offset,
            gsize     max,
            gpointer  user_data,
            GError  **error)
{
  ConfabFileTransferStream *self = user_data;

  if (!self->reader) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("Could not read the file: %s"),
                 g_strerror (EBADF));
    return NULL;
  }
  return _confab_file_reader_take (self->reader, offset, max, error);
}

static void
send_from (ConfabFileTransferStream *self,
           guint64                   start)
{
  ConfabMsrpSession *msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self));
  g_autoptr (GError) error = NULL;

  if (_confab_file_transfer_is_over (self) || !msrp)
    return;
  if (start > self->size)
    start = 0;
  self->fd = g_open (g_file_peek_path (self->source), O_RDONLY | O_CLOEXEC, 0);
  if (self->fd < 0) {
    int saved = errno;
    g_autofree char *message = g_strdup_printf (_("Could not open the file: %s"),
                                                g_strerror (saved));

    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_FAILED, message);
    return;
  }
  posix_fadvise (self->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  self->reader = _confab_file_reader_new (self->fd, start, self->size);
  self->fd = -1;
  self->resumed_from = start;
  self->bytes = start;
  self->sending = TRUE;
  self->message_id = confab_msrp_session_send_streamed (msrp, self->local.selector.type,
                                                        self->size, start, read_chunk, self, NULL,
                                                        CONFAB_MSRP_REPORT_YES,
                                                        CONFAB_MSRP_REPORT_YES, &error);
  if (!self->message_id) {
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_FAILED, error->message);
    return;
  }
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_TRANSFERRING, NULL);
}

static void
on_file_offset (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (ConfabFileTransferStream) self = user_data;
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (GError) error = NULL;
  guint64 offset = 0;

  response = confab_msrp_session_send_request_finish (CONFAB_MSRP_SESSION (source), result,
                                                      &error);
  if (response && response->status == 200) {
    const char *value = confab_msrp_message_get_header (response, "Offset");

    if (!value || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &offset, NULL))
      offset = 0;
  } else if (error) {
    g_debug ("FILE_OFFSET: %s", error->message);
  }
  send_from (self, offset);
}

void
_confab_file_transfer_begin_sending (ConfabFileTransferStream *self)
{
  ConfabMsrpSession *msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self));
  g_autoptr (ConfabMsrpMessage) request = NULL;

  if (self->sending || self->state != CONFAB_FILE_TRANSFER_STATE_WAITING || !msrp)
    return;
  self->sending = TRUE;
  /* A pull may name where to start (RFC 5547 a=file-range). */
  if (self->remote.has_range && self->remote.range_start > 1) {
    send_from (self, self->remote.range_start - 1);
    return;
  }
  /* The SIP SIMPLE way: ask the receiver what it has. */
  if (self->remote.x_file_offset) {
    request = confab_msrp_message_new ();
    confab_msrp_message_set_method (request, "FILE_OFFSET");
    confab_msrp_session_send_request_async (msrp, request, self->cancellable, on_file_offset,
                                            g_object_ref (self));
    return;
  }
  send_from (self, 0);
}

static void
on_message_progress (ConfabMsrpSession        *msrp,
                     const char               *message_id,
                     guint64                   confirmed,
                     ConfabFileTransferStream *self)
{
  if (g_strcmp0 (message_id, self->message_id) == 0)
    self->bytes = self->resumed_from + confirmed;
}

static void
on_message_sent (ConfabMsrpSession        *msrp,
                 const char               *message_id,
                 ConfabFileTransferStream *self)
{
  if (g_strcmp0 (message_id, self->message_id) != 0)
    return;
  self->bytes = self->size;
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_COMPLETED, NULL);
}

static void
on_message_failed (ConfabMsrpSession        *msrp,
                   const char               *message_id,
                   guint                     status,
                   const char               *reason,
                   ConfabFileTransferStream *self)
{
  g_autofree char *message = NULL;

  if (g_strcmp0 (message_id, self->message_id) != 0)
    return;
  if (status == HASH_MISMATCH_STATUS && reason &&
      g_ascii_strcasecmp (reason, HASH_MISMATCH_COMMENT) == 0)
    message = g_strdup (_("The other side found the file damaged (hash mismatch) and deleted "
                          "it; send it again"));
  else if (reason && g_ascii_strcasecmp (reason, DISK_FULL_COMMENT) == 0)
    message = g_strdup (_("The other side’s disk is full; it keeps what it received, to resume "
                          "later"));
  else if (reason && g_ascii_strcasecmp (reason, WRITE_FAILED_COMMENT) == 0)
    message = g_strdup (_("The other side could not save the file; it keeps what it received, "
                          "to resume later"));
  else
    message = g_strdup_printf (_("The file could not be sent: %s"), reason ? reason : "");
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_FAILED, message);
}

/* Receiving */

static char *
part_name (const char *name)
{
  return g_strconcat (name, ".part", NULL);
}

static guint64
file_size_of (GFile *file)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                  G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                                  G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL,
                                                  NULL);

  if (!info || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return G_MAXUINT64;
  return (guint64) g_file_info_get_size (info);
}

/* Whether the .part at @path was started for a file with @hash: yes when
 * its xattr says so or the file system keeps none. */
static gboolean
part_is_for (const char *path,
             const char *hash)
{
  char stored[128];
  ssize_t n = getxattr (path, PART_HASH_XATTR, stored, sizeof stored - 1);

  if (n < 0)
    return errno == ENODATA || errno == ENOTSUP;
  stored[n] = '\0';
  return hash && g_ascii_strcasecmp (stored, hash) == 0;
}

void
_confab_file_transfer_find_part (ConfabFileTransferStream *self)
{
  GFile *directory = confab_file_transfer_stream_get_directory (self);
  const char *hash = self->local.selector.hash;

  g_clear_pointer (&self->safe_name, g_free);
  self->safe_name = confab_file_safe_name (self->local.selector.name);
  self->have = 0;
  g_clear_object (&self->part);
  /* Only a file we can name by its hash is resumed: the check at the end
   * must be able to tell a wrong .part. */
  if (!hash)
    return;
  for (guint n = 0; n < 100; n++) {
    g_autofree char *name = confab_file_numbered_name (self->safe_name, n);
    g_autofree char *part = part_name (name);
    g_autoptr (GFile) candidate = g_file_get_child (directory, part);
    guint64 size = file_size_of (candidate);

    if (size == G_MAXUINT64)
      return;
    if (part_is_for (g_file_peek_path (candidate), hash) &&
        (!self->has_size || size <= self->size)) {
      self->part = g_steal_pointer (&candidate);
      self->have = size;
      g_debug ("resuming %s at %" G_GUINT64_FORMAT, part, size);
      return;
    }
  }
}

static gboolean
open_part (ConfabFileTransferStream  *self,
           GError                   **error)
{
  GFile *directory = confab_file_transfer_stream_get_directory (self);

  if (self->fd >= 0 || self->writer)
    return TRUE;
  if (g_mkdir_with_parents (g_file_peek_path (directory), 0700) < 0) {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _("Could not create the folder %s: %s"), g_file_peek_path (directory),
                 g_strerror (saved));
    return FALSE;
  }
  if (self->part) {
    /* Read too: what it has is hashed before the new bytes. */
    self->fd = g_open (g_file_peek_path (self->part), O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0);
  } else {
    g_autoptr (GFileOutputStream) output = NULL;
    g_autoptr (GFile) created = NULL;

    output = confab_file_create_unique (directory, self->safe_name, ".part", &created, error);
    if (!output)
      return FALSE;
    self->fd = dup (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (output)));
    self->part = g_steal_pointer (&created);
    self->have = 0;
    g_object_notify_by_pspec (G_OBJECT (self), _confab_file_transfer_props[CONFAB_FILE_TRANSFER_PROP_FILE]);
  }
  if (self->fd < 0) {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _("Could not write %s: %s"), g_file_peek_path (self->part), g_strerror (saved));
    return FALSE;
  }
  if (self->local.selector.hash)
    fsetxattr (self->fd, PART_HASH_XATTR, self->local.selector.hash,
               strlen (self->local.selector.hash), 0);
  return TRUE;
}

void
_confab_file_transfer_close_file (ConfabFileTransferStream *self)
{
  /* They close their file once their last read or write is done. */
  g_clear_pointer (&self->writer, _confab_part_writer_close);
  g_clear_pointer (&self->reader, _confab_file_reader_close);
  if (self->fd >= 0) {
    g_close (self->fd, NULL);
    self->fd = -1;
  }
}

/* The last chunk waited for the hash check: its answer (and REPORT)
 * goes now, before the state changes, so that it is out before the
 * session may end. */
static void
answer_last_chunk (ConfabFileTransferStream *self,
                   guint                     status,
                   const char               *comment)
{
  g_autoptr (ConfabMsrpMessage) chunk = g_steal_pointer (&self->last_chunk);
  ConfabMsrpSession *msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self));

  if (chunk && msrp)
    confab_msrp_session_answer_chunk (msrp, chunk, status, comment);
}

static void
fail_receiving (ConfabFileTransferStream *self,
                const char               *message)
{
  /* A local failure (not the sender's fault): 403, as for a write error. */
  answer_last_chunk (self, 403, WRITE_FAILED_COMMENT);
  _confab_file_transfer_close_file (self);
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_FAILED, message);
}

/* The bytes are all here and the hash is right: NAME.part becomes NAME,
 * or "NAME (1)" when taken. */
static void
keep_file (ConfabFileTransferStream *self)
{
  g_autoptr (GError) error = NULL;
  GFile *final;

  removexattr (g_file_peek_path (self->part), PART_HASH_XATTR);
  final = confab_file_move_unique (self->part, confab_file_transfer_stream_get_directory (self),
                                   self->safe_name, &error);
  if (!final) {
    fail_receiving (self, error->message);
    return;
  }
  self->final = final;
  g_clear_object (&self->part);
  g_object_notify_by_pspec (G_OBJECT (self), _confab_file_transfer_props[CONFAB_FILE_TRANSFER_PROP_FILE]);
  answer_last_chunk (self, 200, NULL);
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_COMPLETED, NULL);
}

static void
check_hash (ConfabFileTransferStream *self,
            const char               *hash)
{
  if (!self->local.selector.hash || g_ascii_strcasecmp (hash, self->local.selector.hash) == 0) {
    keep_file (self);
    return;
  }
  g_info ("%s: SHA-1 %s, offered %s", g_file_peek_path (self->part), hash,
          self->local.selector.hash);
  g_file_delete (self->part, NULL, NULL);
  g_clear_object (&self->part);
  g_object_notify_by_pspec (G_OBJECT (self), _confab_file_transfer_props[CONFAB_FILE_TRANSFER_PROP_FILE]);
  /* The sender learns it too: the answer to the last chunk, and a
   * failure REPORT for the ones through a relay. */
  answer_last_chunk (self, HASH_MISMATCH_STATUS, HASH_MISMATCH_COMMENT);
  fail_receiving (self, _("The file arrived damaged (its SHA-1 hash does not match) and was "
                          "deleted"));
}

static void
on_part_hashed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (object);
  HashJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      fail_receiving (self, error->message);
    return;
  }
  check_hash (self, job->hash);
}

/* Every byte is written: @hash is the file's SHA-1 when the writer could
 * compute it in order, else the whole file is hashed again. */
static void
finish_receiving (ConfabFileTransferStream *self,
                  const char               *hash)
{
  _confab_file_transfer_close_file (self);
  if (hash) {
    check_hash (self, hash);
  } else {
    /* Out of order: hash the whole file, off the main thread. */
    g_autoptr (GTask) task = g_task_new (self, NULL, on_part_hashed, NULL);
    HashJob *job = g_new0 (HashJob, 1);

    job->file = g_object_ref (self->part);
    job->done = &self->hash_done;
    self->hash_total = self->size;
    g_task_set_task_data (task, job, (GDestroyNotify) hash_job_free);
    g_task_run_in_thread (task, hash_in_thread);
  }
}

static void
on_part_written (ConfabPartWrite *result,
                 gpointer         user_data)
{
  ConfabFileTransferStream *self = user_data;
  ConfabMsrpSession *msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self));

  if (result->error) {
    g_autofree char *message = g_strdup_printf (_("Could not write %s: %s"),
                                                g_file_peek_path (self->part),
                                                g_strerror (result->error));

    gboolean full = result->error == ENOSPC || result->error == EDQUOT;

    if (msrp)
      confab_msrp_session_answer_chunk (msrp, result->chunk, full ? 413 : 403,
                                        full ? DISK_FULL_COMMENT : WRITE_FAILED_COMMENT);
    fail_receiving (self, message);
    return;
  }
  self->bytes = MAX (self->bytes, result->end);
  if (result->last) {
    /* Its 200 says the file is right: answered once the hash is known. */
    g_clear_pointer (&self->last_chunk, confab_msrp_message_unref);
    self->last_chunk = confab_msrp_message_ref (result->chunk);
    finish_receiving (self, result->hash);
    return;
  }
  if (msrp)
    confab_msrp_session_answer_chunk (msrp, result->chunk, 200, NULL);
}

/* The writer for the first chunk, at 0-based @offset: what the .part has
 * before it is hashed first, so that the hash is ready with the last. */
static void
start_writer (ConfabFileTransferStream *self,
              guint64                   offset)
{
  self->writer = _confab_part_writer_new (self->fd, MIN (offset, self->have),
                                          offset <= self->have, on_part_written, self);
  self->fd = -1;
}

static guint
on_chunk_received (ConfabMsrpSession        *msrp,
                   ConfabMsrpMessage        *chunk,
                   ConfabFileTransferStream *self)
{
  g_autoptr (GError) error = NULL;
  gsize length = confab_msrp_message_get_body_length (chunk);
  guint64 offset = chunk->byte_range.start - 1;
  guint64 end = offset + length;
  gboolean last;

  if (self->direction != CONFAB_FILE_TRANSFER_INCOMING || _confab_file_transfer_is_over (self) ||
      self->state == CONFAB_FILE_TRANSFER_STATE_VERIFYING)
    return length ? 481 : 200;
  if (chunk->continuation == CONFAB_MSRP_CONTINUATION_ABORT) {
    _confab_file_transfer_close_file (self);
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_CANCELLED,
                                     _("The other side stopped the transfer"));
    return 200;
  }
  if (!self->has_size && length > 0 && chunk->byte_range.total != CONFAB_MSRP_UNKNOWN) {
    self->has_size = TRUE;
    self->size = chunk->byte_range.total;
  }
  /* The binding SEND and other empty ones: only a file of 0 bytes (or a
   * resume that has it all) ends with nothing. */
  if (length == 0 && !(self->has_size && offset >= self->size &&
                       chunk->continuation == CONFAB_MSRP_CONTINUATION_COMPLETE &&
                       chunk->byte_range.total == self->size))
    return 200;
  if (self->has_size && end > self->size)
    return 413;
  if (!open_part (self, &error)) {
    fail_receiving (self, error->message);
    return 403;
  }
  if (!self->receiving) {
    self->receiving = TRUE;
    self->resumed_from = MIN (offset, self->have);
    self->bytes = self->resumed_from;
    self->received = self->resumed_from;
    start_writer (self, offset);
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_TRANSFERRING, NULL);
  }
  self->received = MAX (self->received, end);
  last = chunk->continuation == CONFAB_MSRP_CONTINUATION_COMPLETE &&
         (!self->has_size || self->received >= self->size);
  if (last) {
    self->size = self->received;
    self->has_size = TRUE;
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_VERIFYING, NULL);
  }
  /* Answered once written (the last once the hash is checked): the
   * sender's window of unanswered chunks bounds what waits here. */
  _confab_part_writer_push (self->writer, chunk, offset, last);
  return CONFAB_MSRP_STATUS_DEFERRED;
}

/* SIP SIMPLE resume: the sender asks how much we have. */
static guint
on_request_received (ConfabMsrpSession        *msrp,
                     ConfabMsrpMessage        *request,
                     ConfabFileTransferStream *self)
{
  char offset[32];

  if (request->method != CONFAB_MSRP_METHOD_FILE_OFFSET ||
      self->direction != CONFAB_FILE_TRANSFER_INCOMING)
    return 0;
  g_snprintf (offset, sizeof offset, "%" G_GUINT64_FORMAT, self->have);
  confab_msrp_session_add_response_header (msrp, "Offset", offset);
  return 200;
}

void
_confab_file_transfer_connect_msrp (ConfabFileTransferStream *self,
                                    ConfabMsrpSession        *msrp)
{
  if (self->direction == CONFAB_FILE_TRANSFER_INCOMING)
    confab_msrp_session_set_streaming (msrp, TRUE);
  g_signal_connect_object (msrp, "message-progress", G_CALLBACK (on_message_progress), self, 0);
  g_signal_connect_object (msrp, "message-sent", G_CALLBACK (on_message_sent), self, 0);
  g_signal_connect_object (msrp, "message-failed", G_CALLBACK (on_message_failed), self, 0);
  g_signal_connect_object (msrp, "chunk-received", G_CALLBACK (on_chunk_received), self, 0);
  g_signal_connect_object (msrp, "request-received", G_CALLBACK (on_request_received), self, 0);
}
