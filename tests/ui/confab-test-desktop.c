/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-test-desktop.h"

#include <glib/gstdio.h>

#define OPENER_ID "confab-test-opener.desktop"

static const char file_manager_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.FileManager1'>"
  "    <method name='ShowItems'>"
  "      <arg type='as' name='URIs' direction='in'/>"
  "      <arg type='s' name='StartupId' direction='in'/>"
  "    </method>"
  "    <method name='ShowFolders'>"
  "      <arg type='as' name='URIs' direction='in'/>"
  "      <arg type='s' name='StartupId' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
write_file (const char *path,
            const char *text,
            int         mode)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

void
confab_test_desktop_install_opener (ConfabTestDesktop  *desktop,
                                    const char         *data_home,
                                    const char         *config_home,
                                    const char         *work_dir,
                                    const char * const *content_types)
{
  g_autofree char *applications = g_build_filename (data_home, "applications", NULL);
  g_autofree char *script = g_build_filename (work_dir, "confab-test-opener.sh", NULL);
  g_autofree char *entry = g_build_filename (applications, OPENER_ID, NULL);
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;
  g_autoptr (GString) entry_text = g_string_new (NULL);
  g_autoptr (GString) defaults = g_string_new ("[Default Applications]\n");

  desktop->opened_path = g_build_filename (work_dir, "opened.txt", NULL);
  g_mkdir_with_parents (applications, 0700);
  g_mkdir_with_parents (config_home, 0700);
  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$@\" >> '%s'\n",
                                 desktop->opened_path);
  write_file (script, script_text, 0700);

  g_string_append_printf (entry_text,
                          "[Desktop Entry]\nType=Application\nName=Confab Test Opener\n"
                          "Exec=%s %%U\nNoDisplay=true\nMimeType=", script);
  for (; *content_types; content_types++) {
    g_string_append_printf (entry_text, "%s;", *content_types);
    g_string_append_printf (defaults, "%s=" OPENER_ID "\n", *content_types);
  }
  g_string_append_c (entry_text, '\n');
  write_file (entry, entry_text->str, 0600);
  write_file (mimeapps, defaults->str, 0600);
}

gboolean
confab_test_desktop_opened (ConfabTestDesktop *desktop,
                            const char        *uri)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!desktop->opened_path || !g_file_get_contents (desktop->opened_path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  /* GIO hands a local file's path to %U, not its URI. */
  for (guint i = 0; lines[i]; i++) {
    g_autofree char *line_uri = g_path_is_absolute (lines[i])
                                  ? g_filename_to_uri (lines[i], NULL, NULL)
                                  : g_strdup (lines[i]);

    if (g_strcmp0 (line_uri, uri) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
on_file_manager_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  ConfabTestDesktop *desktop = user_data;
  g_autofree const char **uris = NULL;
  const char *startup_id = NULL;

  g_variant_get (parameters, "(^a&s&s)", &uris, &startup_id);
  for (guint i = 0; uris && uris[i]; i++) {
    g_printerr ("# file manager: %s %s\n", method_name, uris[i]);
    if (g_str_equal (method_name, "ShowItems"))
      g_ptr_array_add (desktop->shown, g_strdup (uris[i]));
  }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable file_manager_vtable = {
  on_file_manager_call, NULL, NULL, { 0 }
};

static void
on_notifications_call (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *object_path,
                       const char            *interface_name,
                       const char            *method_name,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  ConfabTestDesktop *desktop = user_data;
  const char *summary, *body;
  const char *capabilities[] = { "body", "actions", NULL };

  if (g_str_equal (method_name, "Notify")) {
    g_variant_get (parameters, "(&su&s&s&s@as@a{sv}i)", NULL, NULL, NULL, &summary, &body, NULL,
                   NULL, NULL);
    g_printerr ("# notification: %s — %s\n", summary, body);
    g_ptr_array_add (desktop->notifications, g_strdup_printf ("%s\n%s", summary, body));
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(u)", desktop->notifications->len));
  } else if (g_str_equal (method_name, "GetCapabilities")) {
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", capabilities));
  } else if (g_str_equal (method_name, "GetServerInformation")) {
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "confab-test", "Confab", "1",
                                                          "1.2"));
  } else {
    g_dbus_method_invocation_return_value (invocation, NULL);
  }
}

static const GDBusInterfaceVTable notifications_vtable = {
  on_notifications_call, NULL, NULL, { 0 }
};

static void
on_bus_acquired (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  ConfabTestDesktop *desktop = user_data;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (file_manager_xml, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (info);
  desktop->object_id = g_dbus_connection_register_object (connection,
                                                          "/org/freedesktop/FileManager1",
                                                          info->interfaces[0],
                                                          &file_manager_vtable, desktop, NULL,
                                                          &error);
  g_assert_no_error (error);
}

static void
on_notifications_bus (GDBusConnection *connection,
                      const char      *name,
                      gpointer         user_data)
{
  ConfabTestDesktop *desktop = user_data;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (info);
  g_dbus_connection_register_object (connection, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &notifications_vtable, desktop, NULL,
                                     &error);
  g_assert_no_error (error);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ConfabTestDesktop *desktop = user_data;

  desktop->file_manager_ready = TRUE;
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  ConfabTestDesktop *desktop = user_data;

  desktop->file_manager_lost = TRUE;
}

void
confab_test_desktop_own_file_manager (ConfabTestDesktop *desktop)
{
  if (!desktop->shown)
    desktop->shown = g_ptr_array_new_with_free_func (g_free);
  desktop->owner_id = g_bus_own_name (G_BUS_TYPE_SESSION, "org.freedesktop.FileManager1",
                                      G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, on_bus_acquired,
                                      on_name_acquired, on_name_lost, desktop, NULL);
}

void
confab_test_desktop_own_notifications (ConfabTestDesktop *desktop)
{
  if (!desktop->notifications)
    desktop->notifications = g_ptr_array_new_with_free_func (g_free);
  desktop->notifications_id = g_bus_own_name (G_BUS_TYPE_SESSION,
                                              "org.freedesktop.Notifications",
                                              G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                              on_notifications_bus, NULL, NULL, desktop, NULL);
}

gboolean
confab_test_desktop_shown (ConfabTestDesktop *desktop,
                           const char        *uri)
{
  for (guint i = 0; desktop->shown && i < desktop->shown->len; i++) {
    if (g_str_equal (g_ptr_array_index (desktop->shown, i), uri))
      return TRUE;
  }
  return FALSE;
}

void
confab_test_desktop_clear (ConfabTestDesktop *desktop)
{
  g_clear_handle_id (&desktop->owner_id, g_bus_unown_name);
  g_clear_handle_id (&desktop->notifications_id, g_bus_unown_name);
  /* The connection may be gone with the app: the object goes with it. */
  desktop->object_id = 0;
  g_clear_pointer (&desktop->shown, g_ptr_array_unref);
  g_clear_pointer (&desktop->notifications, g_ptr_array_unref);
  g_clear_pointer (&desktop->opened_path, g_free);
}
