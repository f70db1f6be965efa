/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-application.h"
#include "confab-account-row.h"
#include "confab-main-window.h"
#include "confab-test-kamailio.h"
#include "confab-test-ui.h"

#include <glib/gstdio.h>

/* The app under Xvfb, with a test config: one account registering at a real
 * Kamailio, one with a wrong password. Checks the widget tree and saves
 * screenshots to tests/artifacts/ in the build directory. */

#define DEADLINE_S 30

static ConfabTestKamailio *kamailio;
static ConfabApplication *app;
static char *artifacts_dir;
static gint64 deadline;
static gboolean passed;
static guint stage;


static ConfabAccountRow *
find_row (GtkListBox *list,
          const char *address)
{
  for (int i = 0;; i++) {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

    if (!row)
      return NULL;
    if (CONFAB_IS_ACCOUNT_ROW (row) &&
        g_strcmp0 (confab_account_get_address (
                     confab_account_row_get_account (CONFAB_ACCOUNT_ROW (row))), address) == 0)
      return CONFAB_ACCOUNT_ROW (row);
  }
}

static gboolean
check_ui (gpointer user_data)
{
  ConfabMainWindow *window = confab_application_get_main_window (app);
  GtkListBox *list = confab_main_window_get_account_list (window);
  ConfabAccountRow *alice = find_row (list, "sip:alice@127.0.0.1");
  ConfabAccountRow *bob = find_row (list, "sip:bob@127.0.0.1");
  const char *alice_status = alice ? confab_account_row_get_status_text (alice) : NULL;
  const char *bob_status = bob ? confab_account_row_get_status_text (bob) : NULL;

  if (g_get_monotonic_time () > deadline) {
    g_printerr ("# timed out at stage %u: alice=%s bob=%s\n", stage, alice_status, bob_status);
    g_application_quit (G_APPLICATION (app));
    return G_SOURCE_REMOVE;
  }

  switch (stage) {
  case 0:
    /* live registration state, from the real registrar, in the rows */
    if (!alice || !bob || g_strcmp0 (alice_status, "Registered") != 0 ||
        !bob_status || !strstr (bob_status, "wrong password"))
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - account rows show \"%s\" and \"%s\"\n", alice_status, bob_status);
    g_assert_false (gtk_widget_get_visible (confab_main_window_get_empty_state (window)));

    /* a sip: link from the desktop lands in the dial entry */
    {
      g_autoptr (GFile) link = g_file_new_for_uri ("sip:carol@example.org");
      GFile *files[] = { link };

      g_application_open (G_APPLICATION (app), files, 1, "");
    }
    stage = 1;
    return G_SOURCE_CONTINUE;

  case 1:
    if (g_strcmp0 (confab_main_window_get_dial_address (window), "sip:carol@example.org") != 0)
      return G_SOURCE_CONTINUE;
    g_printerr ("ok - opening sip:carol@example.org fills the dial entry\n");
    if (!confab_test_ui_save_screenshot (GTK_WIDGET (window), artifacts_dir, "ui-main-window.png"))
      return G_SOURCE_CONTINUE;
    confab_application_show_preferences (app);
    stage = 2;
    return G_SOURCE_CONTINUE;

  case 2:
    {
      GtkWindow *prefs = confab_application_get_preferences_window (app);

      if (!prefs || !gtk_widget_get_mapped (GTK_WIDGET (prefs)) ||
          !confab_test_ui_save_screenshot (GTK_WIDGET (prefs), artifacts_dir, "ui-preferences.png"))
        return G_SOURCE_CONTINUE;
      g_printerr ("ok - preferences window shown\n");
      passed = TRUE;
      g_application_quit (G_APPLICATION (app));
      return G_SOURCE_REMOVE;
    }

  default:
    g_assert_not_reached ();
  }
}

static void
on_activate (GApplication *application)
{
  static gboolean started;

  if (started)
    return;
  started = TRUE;
  /* Rendering needs a frame or two: poll the tree rather than sleep. */
  g_timeout_add (100, check_ui, NULL);
}

static char *
write_config (const char *dir)
{
  g_autofree char *proxy = confab_test_kamailio_proxy (kamailio, "udp");
  g_autofree char *config = g_build_filename (dir, "accounts.json", NULL);
  g_autofree char *json = g_strdup_printf (
    "{\"version\":1,\"accounts\":["
    "{\"id\":\"alice\",\"address\":\"sip:alice@127.0.0.1\",\"display-name\":\"Alice Test\","
    "\"transport\":\"udp\",\"proxy\":\"%s\",\"register\":true,\"enabled\":true},"
    "{\"id\":\"bob\",\"address\":\"sip:bob@127.0.0.1\",\"display-name\":\"Bob Test\","
    "\"transport\":\"udp\",\"proxy\":\"%s\",\"register\":true,\"enabled\":true}]}",
    proxy, proxy);

  g_assert_true (g_file_set_contents (config, json, -1, NULL));
  return g_steal_pointer (&config);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (ConfabSecretStore) secrets = confab_memory_secret_store_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *config = NULL;
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("CONFAB_BIND_ADDRESS", "127.0.0.1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  kamailio = confab_test_kamailio_start ("alice:secret,bob:pw2");
  if (!kamailio) {
    g_printerr ("Bail out! Kamailio could not be started\n");
    return 1;
  }
  dir = g_dir_make_tmp ("confab-ui-XXXXXX", &error);
  g_assert_no_error (error);
  config = write_config (dir);
  artifacts_dir = g_build_filename (builddir ? builddir : ".", "artifacts", NULL);
  g_mkdir_with_parents (artifacts_dir, 0755);

  /* alice's password is right, bob's is not */
  g_assert_true (confab_secret_store_store (secrets, "alice", "alice", "secret", NULL, NULL));
  g_assert_true (confab_secret_store_store (secrets, "bob", "bob", "wrong", NULL, NULL));

  app = confab_application_new_for_testing (secrets, config);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  {
    char *app_argv[] = { argv[0], NULL };

    g_application_run (G_APPLICATION (app), 1, app_argv);
  }
  g_clear_object (&app);

  /* quitting un-REGISTERs: the registrar no longer holds alice */
  if (passed && confab_test_kamailio_lookup (kamailio, "alice", NULL)) {
    g_printerr ("not ok - alice is still registered after quitting\n");
    passed = FALSE;
  } else if (passed) {
    g_printerr ("ok - quitting un-registered alice\n");
  }

  g_unlink (config);
  g_rmdir (dir);
  confab_test_kamailio_free (kamailio);
  g_printerr (passed ? "UI smoke test passed\n" : "UI smoke test FAILED\n");
  return passed ? 0 : 1;
}
