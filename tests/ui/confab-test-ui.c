/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-test-ui.h"

gboolean
confab_test_ui_save_screenshot (GtkWidget  *widget,
                                const char *dir,
                                const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0 || !renderer)
    return FALSE;
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (!node)
    return FALSE;
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    return FALSE;
  g_printerr ("# screenshot: %s (%dx%d)\n", path, width, height);
  return TRUE;
}

void
confab_test_ui_remove_tree (GFile *file)
{
  g_autoptr (GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFile *child;

  while (children && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child)
    confab_test_ui_remove_tree (child);
  g_file_delete (file, NULL, NULL);
}
