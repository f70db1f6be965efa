/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-transfer-files.h"

#include <glib/gi18n.h>

/* What the transfer lists do with files: a symbolic icon for a type, and
 * opening a file or showing it in the file manager, with failures told
 * in the window's toast overlay. */

static void
add_toast_to (GtkWidget  *widget,
              const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (!overlay) {
    g_message ("%s", message);
    return;
  }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/**
 * confab_transfer_dup_type_icon:
 * @content_type: a content type, like "application/pdf"
 *
 * Returns: (transfer full): a symbolic icon for @content_type; the icon
 *   theme lacks many, and a coloured one would stand out in a list of
 *   symbolic ones, so the generic document's stands in
 */
GIcon *
confab_transfer_dup_type_icon (const char *content_type)
{
  g_autoptr (GIcon) icon = g_content_type_get_symbolic_icon (content_type);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  if (G_IS_THEMED_ICON (icon)) {
    const char * const *all = g_themed_icon_get_names (G_THEMED_ICON (icon));

    for (; all && *all; all++) {
      if (g_str_has_suffix (*all, "-symbolic"))
        g_ptr_array_add (names, (gpointer) *all);
    }
  }
  g_ptr_array_add (names, "text-x-generic-symbolic");
  return g_themed_icon_new_from_names ((char **) names->pdata, (int) names->len);
}

typedef struct
{
  GtkWidget *widget;
  GFile     *file;
} FileRequest;

static FileRequest *
file_request_new (GtkWidget *widget,
                  GFile     *file)
{
  FileRequest *request = g_new0 (FileRequest, 1);

  request->widget = g_object_ref (widget);
  request->file = g_object_ref (file);
  return request;
}

static void
file_request_free (FileRequest *request)
{
  g_object_unref (request->widget);
  g_object_unref (request->file);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileRequest, file_request_free)

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (FileRequest) request = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error)) {
    g_autofree char *name = g_file_get_basename (request->file);
    /* Translators: a file name, then why it could not be opened */
    g_autofree char *message = g_strdup_printf (_("“%s” could not be opened: %s"), name,
                                                error->message);

    add_toast_to (request->widget, message);
  }
}

/**
 * confab_transfer_open_file:
 * @widget: where to report a failure (in its window's toast overlay)
 *
 * Opens @file with its default application.
 */
void
confab_transfer_open_file (GtkWidget *widget,
                           GFile     *file)
{
  g_autofree char *uri = NULL;
  g_autoptr (GdkAppLaunchContext) context = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched,
                                           file_request_new (widget, file));
}

/* Without a file manager that shows a file selected, the folder opens. */
static void
show_folder (FileRequest *request)
{
  g_autoptr (GFile) folder = g_file_get_parent (request->file);
  g_autofree char *uri = folder ? g_file_get_uri (folder) : NULL;
  GtkRoot *root = gtk_widget_get_root (request->widget);

  if (uri)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
on_show_items_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (FileRequest) request = user_data;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply)
    return;
  g_debug ("FileManager1.ShowItems failed, opening the folder: %s", error->message);
  show_folder (request);
}

static void
on_bus (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr (FileRequest) request = user_data;
  g_autoptr (GDBusConnection) bus = g_bus_get_finish (result, NULL);
  g_autofree char *uri = g_file_get_uri (request->file);
  const char *uris[] = { uri, NULL };

  if (!bus) {
    show_folder (request);
    return;
  }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                          NULL, on_show_items_done, g_steal_pointer (&request));
}

/**
 * confab_transfer_show_in_folder:
 * @widget: the widget asking (its window is the file manager's parent)
 *
 * Shows @file selected in the file manager (org.freedesktop.FileManager1),
 * or else opens its folder.
 */
void
confab_transfer_show_in_folder (GtkWidget *widget,
                                GFile     *file)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

  g_bus_get (G_BUS_TYPE_SESSION, NULL, on_bus, file_request_new (widget, file));
}
