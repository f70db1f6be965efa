/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ACCOUNT_ROW (confab_account_row_get_type ())
G_DECLARE_FINAL_TYPE (ConfabAccountRow, confab_account_row, CONFAB, ACCOUNT_ROW, AdwActionRow)

GtkWidget     *confab_account_row_new             (ConfabAccount    *account);
ConfabAccount *confab_account_row_get_account     (ConfabAccountRow *self);
gboolean       confab_account_row_get_editable    (ConfabAccountRow *self);
void           confab_account_row_set_editable    (ConfabAccountRow *self,
                                                   gboolean          editable);
const char    *confab_account_row_get_status_text (ConfabAccountRow *self);

G_END_DECLS
