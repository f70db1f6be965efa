/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ACCOUNT_EDITOR (confab_account_editor_get_type ())
G_DECLARE_FINAL_TYPE (ConfabAccountEditor, confab_account_editor, CONFAB, ACCOUNT_EDITOR, AdwWindow)

ConfabAccountEditor *confab_account_editor_new            (GtkWindow            *transient_for,
                                                           ConfabAccountManager *manager,
                                                           ConfabAccount        *account);
ConfabAccount       *confab_account_editor_get_account    (ConfabAccountEditor  *self);
gboolean             confab_account_editor_get_can_save   (ConfabAccountEditor  *self);
const char          *confab_account_editor_get_error_text (ConfabAccountEditor  *self);
gboolean             confab_account_editor_save           (ConfabAccountEditor  *self,
                                                           GError              **error);

G_END_DECLS
