/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "msrp/confab-msrp-stream.h"
#include "transfer/confab-file-selector.h"

G_BEGIN_DECLS

/* One file over MSRP (RFC 5547), an m=message line with a=file-selector:
 *
 *  - push, outgoing: we offer a=sendonly with the file's selector (its
 *    SHA-1 computed first, in a worker thread: state HASHING);
 *  - push, incoming: the peer offers a=sendonly; we answer a=recvonly and
 *    write to the download folder;
 *  - pull, outgoing: we offer a=recvonly naming a file (name and hash) the
 *    peer has, and receive it;
 *  - pull, incoming: the peer offers a=recvonly; we answer a=sendonly with
 *    the file a ConfabFileProvider found, or refuse the line.
 *
 * The body streams from and to disk in 64 KiB chunks (memory stays flat
 * for any size). The receiver writes "NAME.part" in the download folder,
 * checks the SHA-1 and only then renames it to a name that overwrites
 * nothing; a wrong hash deletes it. Resume: a receiver that still has a
 * NAME.part of the same file answers FILE_OFFSET (SIP SIMPLE) or asks for
 * the rest with a=file-range (pull), and the sender continues there. */
#define CONFAB_TYPE_FILE_TRANSFER_STREAM (confab_file_transfer_stream_get_type ())
G_DECLARE_FINAL_TYPE (ConfabFileTransferStream, confab_file_transfer_stream, CONFAB,
                      FILE_TRANSFER_STREAM, ConfabMsrpStream)

typedef enum
{
  CONFAB_FILE_TRANSFER_OUTGOING,  /* we send the bytes */
  CONFAB_FILE_TRANSFER_INCOMING,  /* we receive them */
} ConfabFileTransferDirection;

typedef enum
{
  CONFAB_FILE_TRANSFER_STATE_NEW,
  CONFAB_FILE_TRANSFER_STATE_HASHING,      /* sender: computing the SHA-1 */
  CONFAB_FILE_TRANSFER_STATE_WAITING,      /* offered/answered, not connected yet */
  CONFAB_FILE_TRANSFER_STATE_TRANSFERRING,
  CONFAB_FILE_TRANSFER_STATE_VERIFYING,    /* receiver: checking the SHA-1 */
  CONFAB_FILE_TRANSFER_STATE_COMPLETED,
  CONFAB_FILE_TRANSFER_STATE_FAILED,       /* see error-message; a .part may remain */
  CONFAB_FILE_TRANSFER_STATE_CANCELLED,    /* by us or the peer; a .part may remain */
} ConfabFileTransferState;

/* Finds the file a peer asks for in a pull (name and/or hash), or NULL. */
typedef GFile *(*ConfabFileProvider) (const ConfabFileSelector *wanted,
                                      gpointer                  user_data);

/* Push: offers @file (type guessed when @content_type is NULL). */
ConfabFileTransferStream *confab_file_transfer_stream_new_push     (ConfabMsrpEndpoint       *endpoint,
                                                                    gboolean                  tls,
                                                                    GFile                    *file,
                                                                    const char               *content_type);
/* Pull: asks for the file @wanted names (a hash, and a name to save it
 * under), into @directory. */
ConfabFileTransferStream *confab_file_transfer_stream_new_pull     (ConfabMsrpEndpoint       *endpoint,
                                                                    gboolean                  tls,
                                                                    const ConfabFileSelector *wanted,
                                                                    GFile                    *directory);
/* For a peer's offer (push or pull): what it is becomes known in
 * create_answer. */
ConfabFileTransferStream *confab_file_transfer_stream_new_incoming (ConfabMsrpEndpoint       *endpoint,
                                                                    gboolean                  tls);

/* Where received files go (default: the XDG download folder, else ~). */
void                      confab_file_transfer_stream_set_directory (ConfabFileTransferStream *self,
                                                                     GFile                    *directory);
GFile                    *confab_file_transfer_stream_get_directory (ConfabFileTransferStream *self);
void                      confab_file_transfer_stream_set_provider  (ConfabFileTransferStream *self,
                                                                     ConfabFileProvider        provider,
                                                                     gpointer                  user_data);

ConfabFileTransferDirection confab_file_transfer_stream_get_direction (ConfabFileTransferStream *self);
gboolean                  confab_file_transfer_stream_is_pull       (ConfabFileTransferStream *self);
ConfabFileTransferState   confab_file_transfer_stream_get_transfer_state (ConfabFileTransferStream *self);
const char               *confab_file_transfer_stream_get_error_message  (ConfabFileTransferStream *self);
/* The selector (name as offered, type, size, hash); NULL before known. */
const ConfabFileSelector *confab_file_transfer_stream_get_selector  (ConfabFileTransferStream *self);
const char               *confab_file_transfer_stream_get_transfer_id (ConfabFileTransferStream *self);
/* Sender: the file sent. Receiver: the .part while transferring, the
 * final file once completed, NULL when nothing was kept. */
GFile                    *confab_file_transfer_stream_get_file      (ConfabFileTransferStream *self);
/* Bytes of the file done (including a resumed part), the size, bytes per
 * second over the last seconds, seconds left (-1 unknown), and the hash
 * progress (0..1) while HASHING or VERIFYING. */
guint64                   confab_file_transfer_stream_get_bytes     (ConfabFileTransferStream *self);
guint64                   confab_file_transfer_stream_get_size      (ConfabFileTransferStream *self);
double                    confab_file_transfer_stream_get_rate      (ConfabFileTransferStream *self);
gint64                    confab_file_transfer_stream_get_eta       (ConfabFileTransferStream *self);
double                    confab_file_transfer_stream_get_hash_progress (ConfabFileTransferStream *self);
/* Where the transfer started (a resume: > 0). */
guint64                   confab_file_transfer_stream_get_resumed_from (ConfabFileTransferStream *self);
/* Stops the transfer (the session should then remove the stream or hang
 * up); a receiver keeps its .part for a later resume. */
void                      confab_file_transfer_stream_cancel        (ConfabFileTransferStream *self);

const char               *confab_file_transfer_state_to_string      (ConfabFileTransferState   state);

/* Properties (all notify): transfer-state, bytes, rate, eta, hash-progress,
 * file, error-message. "finished" (): completed, failed or cancelled. */

G_END_DECLS
