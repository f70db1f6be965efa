/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "im/confab-history.h"

G_BEGIN_DECLS

#define CONFAB_TRANSFERS_WINDOW_PAST_LIMIT 200 /* past transfers listed, at most */

#define CONFAB_TYPE_TRANSFERS_WINDOW (confab_transfers_window_get_type ())
G_DECLARE_FINAL_TYPE (ConfabTransfersWindow, confab_transfers_window, CONFAB, TRANSFERS_WINDOW,
                      AdwWindow)

ConfabTransfersWindow *confab_transfers_window_new           (GtkApplication        *application,
                                                              GListModel            *transfers,
                                                              ConfabHistory         *history);
/* For tests: the lists of this run's transfers and of earlier ones. */
GtkListBox            *confab_transfers_window_get_live_list (ConfabTransfersWindow *self);
GtkListBox            *confab_transfers_window_get_past_list (ConfabTransfersWindow *self);
void                   confab_transfers_window_clear_finished (ConfabTransfersWindow *self);

G_END_DECLS
