/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_MAIN_WINDOW (confab_main_window_get_type ())
G_DECLARE_FINAL_TYPE (ConfabMainWindow, confab_main_window, CONFAB, MAIN_WINDOW,
                      AdwApplicationWindow)

ConfabMainWindow *confab_main_window_new              (GtkApplication   *application,
                                                       ConfabAccountManager *manager,
                                                       GSettings        *settings);
void              confab_main_window_set_dial_address (ConfabMainWindow *self,
                                                       const char       *address);
const char       *confab_main_window_get_dial_address (ConfabMainWindow *self);
void              confab_main_window_add_toast        (ConfabMainWindow *self,
                                                       const char       *message);
GtkListBox       *confab_main_window_get_account_list (ConfabMainWindow *self);
GtkWidget        *confab_main_window_get_empty_state  (ConfabMainWindow *self);

G_END_DECLS
