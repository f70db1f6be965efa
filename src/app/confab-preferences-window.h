/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab.h"
#include "confab-account-editor.h"
#include "confab-device-row.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_PREFERENCES_WINDOW (confab_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (ConfabPreferencesWindow, confab_preferences_window, CONFAB,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

ConfabPreferencesWindow *confab_preferences_window_new              (ConfabAccountManager    *manager,
                                                                     GSettings               *settings);
ConfabAccountEditor     *confab_preferences_window_edit_account     (ConfabPreferencesWindow *self,
                                                                     ConfabAccount           *account);
AdwMessageDialog        *confab_preferences_window_remove_account   (ConfabPreferencesWindow *self,
                                                                     ConfabAccount           *account);
GtkListBox              *confab_preferences_window_get_account_list (ConfabPreferencesWindow *self);
void                     confab_preferences_window_show_page        (ConfabPreferencesWindow *self,
                                                                     const char              *name);
ConfabDeviceRow         *confab_preferences_window_get_device_row   (ConfabPreferencesWindow *self,
                                                                     ConfabAudioDeviceKind    kind);
AdwEntryRow             *confab_preferences_window_get_stun_row     (ConfabPreferencesWindow *self);

G_END_DECLS
