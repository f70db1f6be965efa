/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-message.h"

G_BEGIN_DECLS

/* Building MSRP messages and printing them (RFC 4975 §7): identifiers from
 * the kernel CSPRNG, responses and REPORTs by the rules of §7.1.2 and
 * §7.2, and the splitting of a message into SEND chunks. */

#define CONFAB_MSRP_DEFAULT_CHUNK_SIZE 65536 /* what the SIP SIMPLE SDK sends */
/* Through relays, smaller chunks: a stock Kamailio relay drops a frame
 * (headers, body and end-line) bigger than one read of its buffer (16 KiB,
 * tcp_rd_buf_size: "buffer overrun"), and its msrp module runs the routing
 * script without the SIP view of a frame of 11,239 bytes or more, so any
 * $hdr() or $Rp there fails. 8 KiB leaves 3 KiB for the headers with
 * their longer paths. */
#define CONFAB_MSRP_RELAY_CHUNK_SIZE 8192

/* Printing */
gboolean           confab_msrp_message_serialize        (const ConfabMsrpMessage  *message,
                                                         GBytes                  **head,
                                                         GBytes                  **tail,
                                                         GError                  **error);
GBytes            *confab_msrp_message_to_bytes         (const ConfabMsrpMessage  *message,
                                                         GError                  **error);

/* Identifiers */
char              *confab_msrp_generate_transaction_id  (void);
char              *confab_msrp_generate_message_id      (void);
char              *confab_msrp_generate_session_id      (void);
gboolean           confab_msrp_body_contains_end_line   (GBytes                   *body,
                                                         const char               *transaction_id);
void               confab_msrp_message_new_transaction_id (ConfabMsrpMessage      *message);

/* Building */
ConfabMsrpMessage *confab_msrp_message_new_request      (const char               *method_name,
                                                         GPtrArray                *to_path,
                                                         GPtrArray                *from_path);
ConfabMsrpMessage *confab_msrp_message_new_send         (GPtrArray                *to_path,
                                                         GPtrArray                *from_path,
                                                         const char               *content_type,
                                                         GBytes                   *body);
ConfabMsrpMessage *confab_msrp_message_new_chunk        (const ConfabMsrpMessage  *send,
                                                         GBytes                   *data,
                                                         guint64                   start,
                                                         guint64                   total,
                                                         ConfabMsrpContinuation    continuation);
ConfabMsrpMessage *confab_msrp_message_new_response     (const ConfabMsrpMessage  *request,
                                                         guint                     status,
                                                         const char               *comment);
ConfabMsrpMessage *confab_msrp_message_new_report       (const ConfabMsrpMessage  *request,
                                                         guint                     status,
                                                         const char               *comment,
                                                         const ConfabMsrpByteRange *range);
gboolean           confab_msrp_message_needs_response   (const ConfabMsrpMessage  *request,
                                                         guint                     status);
gboolean           confab_msrp_message_needs_report     (const ConfabMsrpMessage  *request,
                                                         guint                     status);
void               confab_msrp_message_get_received_range (const ConfabMsrpMessage *request,
                                                         ConfabMsrpByteRange      *range);
const char        *confab_msrp_status_to_string         (guint                     status);

/* Chunking: SEND chunks of at most chunk_size bytes from one message. */
typedef struct _ConfabMsrpChunker ConfabMsrpChunker;

ConfabMsrpChunker *confab_msrp_chunker_new              (const ConfabMsrpMessage  *send,
                                                         gsize                     chunk_size);
void               confab_msrp_chunker_free             (ConfabMsrpChunker        *chunker);
ConfabMsrpMessage *confab_msrp_chunker_next             (ConfabMsrpChunker        *chunker);
ConfabMsrpMessage *confab_msrp_chunker_abort            (ConfabMsrpChunker        *chunker);
gboolean           confab_msrp_chunker_is_done          (ConfabMsrpChunker        *chunker);
guint64            confab_msrp_chunker_get_offset       (ConfabMsrpChunker        *chunker);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabMsrpChunker, confab_msrp_chunker_free)

G_END_DECLS
