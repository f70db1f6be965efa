/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application.h"

#include <glib/gi18n.h>

#include <locale.h>
#include <stdlib.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr (ConfabApplication) app = NULL;
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!confab_application_check_settings_schema (&error)) {
    g_printerr ("confab: %s\n", error->message);
    return EXIT_FAILURE;
  }

  app = confab_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
