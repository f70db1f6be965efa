/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GIcon *confab_transfer_dup_type_icon  (const char *content_type);
void   confab_transfer_open_file      (GtkWidget  *widget,
                                       GFile      *file);
void   confab_transfer_show_in_folder (GtkWidget  *widget,
                                       GFile      *file);

G_END_DECLS
