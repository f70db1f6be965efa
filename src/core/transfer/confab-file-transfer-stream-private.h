/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "transfer/confab-file-transfer-stream.h"

G_BEGIN_DECLS

/* ConfabFileTransferStream is split in two: confab-file-transfer-stream.c
 * (offer/answer, life cycle, properties) and confab-file-transfer-io.c
 * (hashing, sending from and writing to disk). They share this struct. */

struct _ConfabFileTransferStream
{
  ConfabMsrpStream            parent_instance;

  ConfabFileTransferDirection direction;
  gboolean                    pull;
  ConfabFileTransferState     state;
  char                       *error_message;
  gboolean                    cancelled_by_us;

  ConfabFileOffer             local;       /* what we describe */
  ConfabFileOffer             remote;      /* the peer's m-line */
  gboolean                    has_remote;
  GFile                      *directory;
  ConfabFileProvider          provider;
  gpointer                    provider_data;

  /* Sender */
  GFile                      *source;
  gboolean                    needs_hash;  /* ready once the SHA-1 is known */
  char                       *message_id;  /* of our MSRP message */
  gboolean                    sending;

  /* Receiver */
  char                       *safe_name;
  GFile                      *part;
  GFile                      *final;
  guint64                     have;        /* bytes of a .part kept from before */
  gboolean                    receiving;   /* the first chunk came */
  struct _ConfabPartWriter   *writer;      /* writes and hashes the chunks, in a thread */
  struct _ConfabFileReader   *reader;      /* sender: reads the file ahead, in a thread */
  guint64                     received;    /* end of the chunks handed to it */
  ConfabMsrpMessage          *last_chunk;  /* the '$' chunk, answered once the hash is checked */

  int                         fd;          /* source (read) or .part (write); -1 */
  guint64                     size;
  gboolean                    has_size;
  guint64                     bytes;
  guint64                     resumed_from;

  /* Progress */
  double                      rate;
  gint64                      eta;
  double                      hash_progress;
  guint64                     hash_done;   /* written by the hashing thread */
  guint64                     hash_total;
  guint64                     rate_bytes;
  gint64                      rate_time;
  guint                       tick_id;
  GCancellable               *cancellable; /* hashing */
};

enum
{
  CONFAB_FILE_TRANSFER_PROP_0,
  CONFAB_FILE_TRANSFER_PROP_TRANSFER_STATE,
  CONFAB_FILE_TRANSFER_PROP_BYTES,
  CONFAB_FILE_TRANSFER_PROP_RATE,
  CONFAB_FILE_TRANSFER_PROP_ETA,
  CONFAB_FILE_TRANSFER_PROP_HASH_PROGRESS,
  CONFAB_FILE_TRANSFER_PROP_FILE,
  CONFAB_FILE_TRANSFER_PROP_ERROR_MESSAGE,
  CONFAB_FILE_TRANSFER_N_PROPS
};

extern GParamSpec *_confab_file_transfer_props[CONFAB_FILE_TRANSFER_N_PROPS];

/* confab-file-transfer-stream.c */
/* Moves to @state (notifies; emits "finished" for the last three). */
void     _confab_file_transfer_set_state     (ConfabFileTransferStream *self,
                                              ConfabFileTransferState   state,
                                              const char               *error_message);
gboolean _confab_file_transfer_is_over       (ConfabFileTransferStream *self);
void     _confab_file_transfer_progress      (ConfabFileTransferStream *self);

/* confab-file-transfer-io.c */
/* Sender: the SHA-1, size, type and date of the file, in a thread; then
 * "ready". */
void     _confab_file_transfer_hash_source   (ConfabFileTransferStream *self);
/* Receiver: looks for a .part of this file to resume (sets have). */
void     _confab_file_transfer_find_part     (ConfabFileTransferStream *self);
/* The MSRP connection is up: the sender starts (FILE_OFFSET or the
 * file-range first). */
void     _confab_file_transfer_begin_sending (ConfabFileTransferStream *self);
void     _confab_file_transfer_connect_msrp  (ConfabFileTransferStream *self,
                                              ConfabMsrpSession        *msrp);
/* Closes the file; a receiver keeps its .part. */
void     _confab_file_transfer_close_file    (ConfabFileTransferStream *self);

/* confab-file-transfer-stream-writer.c: the receiver's pwrite and SHA-1
 * of each chunk, in order, in a thread. */
typedef struct _ConfabPartWriter ConfabPartWriter;

typedef struct
{
  ConfabMsrpMessage *chunk;
  guint64            offset;  /* 0-based, where its body went */
  guint64            end;
  gboolean           last;
  int                error;   /* errno of a failed write (or of an earlier one), or 0 */
  char              *hash;    /* last: the file's SHA-1 as text, when hashed in order */
} ConfabPartWrite;

typedef void (*ConfabPartWriterFunc) (ConfabPartWrite *result,
                                      gpointer         user_data);

ConfabPartWriter *_confab_part_writer_new   (int                  fd,
                                             guint64              start,
                                             gboolean             hashable,
                                             ConfabPartWriterFunc func,
                                             gpointer             user_data);
void              _confab_part_writer_push  (ConfabPartWriter    *self,
                                             ConfabMsrpMessage   *chunk,
                                             guint64              offset,
                                             gboolean             last);
void              _confab_part_writer_close (ConfabPartWriter    *self);
void              _confab_part_write_free   (ConfabPartWrite     *result);

/* confab-file-transfer-stream-reader.c: the sender's read-ahead. */
typedef struct _ConfabFileReader ConfabFileReader;

ConfabFileReader *_confab_file_reader_new   (int                  fd,
                                             guint64              start,
                                             guint64              total);
GBytes           *_confab_file_reader_take  (ConfabFileReader    *self,
                                             guint64              offset,
                                             gsize                max,
                                             GError             **error);
void              _confab_file_reader_close (ConfabFileReader    *self);

G_END_DECLS
