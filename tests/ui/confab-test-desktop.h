/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Stand-ins for the desktop the app hands files to, so that a UI test can
 * see Open and Show in Folder do their work: a default application for
 * some content types (a .desktop file and mimeapps.list in the test's XDG
 * folders) that appends what it is started with to a file, and a file
 * manager on the session bus (org.freedesktop.FileManager1, as UI tests
 * run under dbus-run-session) that keeps the URIs ShowItems is given, and
 * a notification server (org.freedesktop.Notifications) that keeps what
 * it is asked to show. */
typedef struct
{
  char      *opened_path;    /* the opener's file */
  GPtrArray *shown;          /* char*: URIs from ShowItems */
  GPtrArray *notifications;  /* char*: "summary\nbody" of each */
  guint      owner_id;
  guint      notifications_id;
  guint      object_id;
  gboolean   file_manager_ready;
  gboolean   file_manager_lost;
} ConfabTestDesktop;

/* @data_home and @config_home: XDG_DATA_HOME and XDG_CONFIG_HOME, set
 * before anything read them; @work_dir: where the opener's script and
 * file go. */
void     confab_test_desktop_install_opener    (ConfabTestDesktop  *desktop,
                                                const char         *data_home,
                                                const char         *config_home,
                                                const char         *work_dir,
                                                const char * const *content_types);
/* Own the names; file_manager_ready once the file manager's is ours. */
void     confab_test_desktop_own_file_manager  (ConfabTestDesktop  *desktop);
void     confab_test_desktop_own_notifications (ConfabTestDesktop  *desktop);
/* Whether the opener was started with @uri (or its path) / ShowItems was
 * given it. */
gboolean confab_test_desktop_opened            (ConfabTestDesktop  *desktop,
                                                const char         *uri);
gboolean confab_test_desktop_shown             (ConfabTestDesktop  *desktop,
                                                const char         *uri);
void     confab_test_desktop_clear             (ConfabTestDesktop  *desktop);

G_END_DECLS
