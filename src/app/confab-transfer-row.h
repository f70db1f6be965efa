/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab-session.h"
#include "transfer/confab-file-transfer-stream.h"

G_BEGIN_DECLS

#define CONFAB_TRANSFER_ROW_REDRAW_MS 250 /* at most 4 redraws a second */

#define CONFAB_TYPE_TRANSFER_ROW (confab_transfer_row_get_type ())
G_DECLARE_FINAL_TYPE (ConfabTransferRow, confab_transfer_row, CONFAB, TRANSFER_ROW, GtkListBoxRow)

GtkWidget                *confab_transfer_row_new             (ConfabFileTransferStream *stream,
                                                               ConfabSession            *session);
ConfabFileTransferStream *confab_transfer_row_get_stream      (ConfabTransferRow        *self);
void                      confab_transfer_row_set_show_peer   (ConfabTransferRow        *self,
                                                               gboolean                  show_peer);

/* For tests: what the row shows. */
const char               *confab_transfer_row_get_name        (ConfabTransferRow        *self);
const char               *confab_transfer_row_get_status_text (ConfabTransferRow        *self);
GtkProgressBar           *confab_transfer_row_get_progress_bar (ConfabTransferRow       *self);
/* Which of Cancel, Open, Show in Folder, Retry and Resume show, and
 * their buttons. */
gboolean                  confab_transfer_row_can             (ConfabTransferRow        *self,
                                                               const char               *action);
GtkWidget                *confab_transfer_row_get_button      (ConfabTransferRow        *self,
                                                               const char               *action);

G_END_DECLS
