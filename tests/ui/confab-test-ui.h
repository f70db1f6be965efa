/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget as it is on screen into <dir>/<name>.png. */
gboolean confab_test_ui_save_screenshot (GtkWidget  *widget,
                                         const char *dir,
                                         const char *name);

/* Deletes @file and everything under it (a test's work folder). */
void     confab_test_ui_remove_tree     (GFile      *file);

G_END_DECLS
