/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-message.h"

G_BEGIN_DECLS

/* Puts messages back together from their SEND chunks (RFC 4975 §7.1),
 * keyed by Message-ID: in order or not, with '*' ends (the range a chunk
 * covers is taken from its body), duplicates and overlaps (the bytes first
 * received win), and aborts ('#'). A message is complete once its '$'
 * chunk and every byte before that chunk's end have arrived. Sizes are
 * bounded per message and over all unfinished messages. */

#define CONFAB_MSRP_DEFAULT_MAX_MESSAGE_SIZE     (16 * 1024 * 1024)
#define CONFAB_MSRP_DEFAULT_MAX_PENDING_MESSAGES 32
#define CONFAB_MSRP_DEFAULT_MAX_PENDING_BYTES    (64 * 1024 * 1024)

typedef struct _ConfabMsrpReassembly ConfabMsrpReassembly;

ConfabMsrpReassembly *confab_msrp_reassembly_new               (guint64               max_size,
                                                                guint                 max_pending,
                                                                guint64               max_bytes);
void                  confab_msrp_reassembly_free              (ConfabMsrpReassembly *reassembly);
gboolean              confab_msrp_reassembly_add               (ConfabMsrpReassembly *reassembly,
                                                                ConfabMsrpMessage    *chunk,
                                                                ConfabMsrpMessage   **complete,
                                                                GError              **error);
gboolean              confab_msrp_reassembly_cancel            (ConfabMsrpReassembly *reassembly,
                                                                const char           *message_id);
guint64               confab_msrp_reassembly_get_received      (ConfabMsrpReassembly *reassembly,
                                                                const char           *message_id);
guint                 confab_msrp_reassembly_get_n_pending     (ConfabMsrpReassembly *reassembly);
guint64               confab_msrp_reassembly_get_pending_bytes (ConfabMsrpReassembly *reassembly);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabMsrpReassembly, confab_msrp_reassembly_free)

G_END_DECLS
