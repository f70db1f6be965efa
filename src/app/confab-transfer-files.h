/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab-application.h"
#include "im/confab-history.h"
#include "transfer/confab-file-transfer-stream.h"

G_BEGIN_DECLS

GIcon         *confab_transfer_dup_type_icon  (const char                  *content_type);
void           confab_transfer_open_file      (GtkWidget                   *widget,
                                               GFile                       *file);
void           confab_transfer_show_in_folder (GtkWidget                   *widget,
                                               GFile                       *file);

/* This run's transfers (confab_application_get_transfers()): each stream
 * keeps the session it came in while it is listed, for Retry and Resume
 * after the session ended. */
void           confab_transfer_list_add       (GListStore                  *list,
                                               ConfabSession               *session,
                                               ConfabFileTransferStream    *stream);
void           confab_transfer_list_remove    (GListStore                  *list,
                                               ConfabFileTransferStream    *stream);
void           confab_transfer_list_clear     (GListStore                  *list);
ConfabSession *confab_transfer_get_session    (ConfabFileTransferStream    *stream);

/* Whether a transfer is over for good (Clear Finished takes it off):
 * completed, declined, or stopped with nothing left to resume. A
 * download whose .part is still there, or a send the other side may
 * still pull the rest of, is not. */
gboolean       confab_transfer_is_done        (ConfabFileTransferStream    *stream,
                                               ConfabSession               *session);
gboolean       confab_transfer_history_is_done (const ConfabHistoryTransfer *transfer);
/* Whether an earlier download stopped halfway and its .part is there;
 * whether an earlier send stopped and its file is there. */
gboolean       confab_transfer_history_can_resume (const ConfabHistoryTransfer *transfer);
gboolean       confab_transfer_history_can_retry  (const ConfabHistoryTransfer *transfer);
/* Whether @transfer (a row of the history) is @stream's, or that of a
 * transfer @stream continues (Retry, Resume). */
gboolean       confab_transfer_is_recorded_as (ConfabFileTransferStream    *stream,
                                               const ConfabHistoryTransfer *transfer);

/* Retry and Resume: the new transfer takes the place of @stream in the
 * application's list (one row per file), and is its continuation. */
ConfabFileTransferStream *confab_transfer_get_continuation (ConfabFileTransferStream *stream);
ConfabSession *confab_transfer_retry          (ConfabApplication           *app,
                                               ConfabFileTransferStream    *stream,
                                               ConfabAccount               *account,
                                               const char                  *peer_uri,
                                               GError                     **error);
ConfabSession *confab_transfer_resume         (ConfabApplication           *app,
                                               ConfabFileTransferStream    *stream,
                                               ConfabAccount               *account,
                                               const char                  *peer_uri,
                                               GError                     **error);
/* The same for transfers of earlier runs, from the account they went
 * through. */
ConfabSession *confab_transfer_retry_earlier  (ConfabApplication           *app,
                                               const ConfabHistoryTransfer *transfer,
                                               GError                     **error);
ConfabSession *confab_transfer_resume_earlier (ConfabApplication           *app,
                                               const ConfabHistoryTransfer *transfer,
                                               GError                     **error);

G_END_DECLS
