/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

typedef struct
{
  char              *dir;
  char              *path;
  ConfabSecretStore *secrets;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("confab-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "confab", "accounts.json", NULL);
  fixture->secrets = confab_memory_secret_store_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *sub = g_path_get_dirname (fixture->path);

  g_unlink (fixture->path);
  g_rmdir (sub);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
  g_object_unref (fixture->secrets);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  (*changes)++;
}

static void
test_manager_add_save_load (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr (ConfabAccountManager) manager = NULL;
  g_autoptr (ConfabAccountManager) reloaded = NULL;
  g_autoptr (ConfabAccount) account = confab_account_new ("sip:alice@example.org");
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *stored = NULL;
  ConfabAccount *found;
  GStatBuf st;
  guint changes = 0;

  manager = confab_account_manager_new (NULL, fixture->secrets, fixture->path);
  g_signal_connect (manager, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (confab_account_manager_load (manager, &error)); /* no file yet */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);

  confab_account_set_display_name (account, "Alice");
  confab_account_set_password (account, "hunter2-xyz");
  g_assert_true (confab_account_manager_add (manager, account, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);

  /* the file exists, is private, and holds no password */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "sip:alice@example.org"));
  g_assert_null (strstr (contents, "hunter2-xyz"));

  /* the password went to the secret store under the account id */
  stored = confab_secret_store_lookup (fixture->secrets, confab_account_get_id (account), NULL,
                                       &error);
  g_assert_cmpstr (stored, ==, "hunter2-xyz");

  /* the same address twice is refused */
  {
    g_autoptr (ConfabAccount) twin = confab_account_new ("alice@example.org");

    g_assert_false (confab_account_manager_add (manager, twin, &error));
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
    g_clear_error (&error);
  }

  reloaded = confab_account_manager_new (NULL, fixture->secrets, fixture->path);
  g_assert_true (confab_account_manager_load (reloaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  found = confab_account_manager_find (reloaded, "alice@example.org");
  g_assert_nonnull (found);
  g_assert_true (found == confab_account_manager_find (reloaded, "Alice"));
  g_assert_true (found == confab_account_manager_find (reloaded, confab_account_get_id (account)));
  g_assert_null (confab_account_get_password (found));
  g_assert_true (confab_account_manager_load_passwords (reloaded, &error));
  g_assert_cmpstr (confab_account_get_password (found), ==, "hunter2-xyz");
}

static void
test_manager_edit_is_saved (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr (ConfabAccountManager) manager = NULL;
  g_autoptr (ConfabAccountManager) reloaded = NULL;
  g_autoptr (ConfabAccount) account = confab_account_new ("sip:bob@example.org");
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;
  gint64 deadline;

  manager = confab_account_manager_new (NULL, fixture->secrets, fixture->path);
  g_assert_true (confab_account_manager_add (manager, account, &error));

  /* edits are saved shortly after, passwords stored asynchronously */
  confab_account_set_transport (account, CONFAB_TRANSPORT_TCP);
  confab_account_set_password (account, "new-password");
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline) {
    g_autofree char *contents = NULL;

    g_clear_pointer (&stored, g_free);
    stored = confab_secret_store_lookup (fixture->secrets, confab_account_get_id (account), NULL,
                                         NULL);
    if (g_file_get_contents (fixture->path, &contents, NULL, NULL) &&
        strstr (contents, "\"tcp\"") && g_strcmp0 (stored, "new-password") == 0)
      break;
    g_main_context_iteration (NULL, FALSE);
    g_usleep (10000);
  }
  g_assert_cmpstr (stored, ==, "new-password");

  reloaded = confab_account_manager_new (NULL, fixture->secrets, fixture->path);
  g_assert_true (confab_account_manager_load (reloaded, &error));
  g_assert_cmpint (confab_account_get_transport (confab_account_manager_find (reloaded, "sip:bob@example.org")),
                   ==, CONFAB_TRANSPORT_TCP);
}

static void
test_manager_remove (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr (ConfabAccountManager) manager = NULL;
  g_autoptr (ConfabAccountManager) reloaded = NULL;
  g_autoptr (ConfabAccount) account = confab_account_new ("sip:carol@example.org");
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *id = NULL;

  manager = confab_account_manager_new (NULL, fixture->secrets, fixture->path);
  confab_account_set_password (account, "pw");
  g_assert_true (confab_account_manager_add (manager, account, &error));
  id = g_strdup (confab_account_get_id (account));

  g_assert_true (confab_account_manager_remove (manager, account, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  stored = confab_secret_store_lookup (fixture->secrets, id, NULL, NULL);
  g_assert_null (stored);

  g_assert_false (confab_account_manager_remove (manager, account, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND);

  reloaded = confab_account_manager_new (NULL, fixture->secrets, fixture->path);
  g_assert_true (confab_account_manager_load (reloaded, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 0);
}

static void
test_manager_broken_file_untouched (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char *broken = "{\"version\":1,\"accounts\":[{\"address\":\"sip:a@b\"";
  const char *cases[] = { broken, "[1,2,3]", "\"just a string\"" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (ConfabAccountManager) manager = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *dir = g_path_get_dirname (fixture->path);
    g_autofree char *after = NULL;

    g_mkdir_with_parents (dir, 0700);
    g_assert_true (g_file_set_contents (fixture->path, cases[i], -1, NULL));
    manager = confab_account_manager_new (NULL, fixture->secrets, fixture->path);
    g_assert_false (confab_account_manager_load (manager, &error));
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
    g_clear_object (&manager);
    g_assert_true (g_file_get_contents (fixture->path, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, cases[i]);
  }
}

static void
test_manager_skips_bad_entries (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr (ConfabAccountManager) manager = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *after = NULL;
  const char *text =
    "{\"version\":7,\"future\":{\"x\":1},\"accounts\":["
    "{\"id\":\"good\",\"address\":\"sip:ok@example.org\"},"
    "{\"id\":\"bad\",\"address\":\"nonsense\"},"
    "{\"id\":\"good\",\"address\":\"sip:dup@example.org\"},"
    "42]}";

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (fixture->path, text, -1, NULL));
  manager = confab_account_manager_new (NULL, fixture->secrets, fixture->path);
  g_test_expect_message ("ConfabAccountManager", G_LOG_LEVEL_MESSAGE, "*written by a newer Confab*");
  g_test_expect_message ("ConfabAccountManager", G_LOG_LEVEL_WARNING, "*account 1 skipped*");
  g_test_expect_message ("ConfabAccountManager", G_LOG_LEVEL_WARNING, "*duplicate account id*");
  g_test_expect_message ("ConfabAccountManager", G_LOG_LEVEL_WARNING, "*account 3 skipped*");
  g_assert_true (confab_account_manager_load (manager, &error));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);

  /* keys of a newer version survive a save */
  g_assert_true (confab_account_manager_save (manager, &error));
  g_assert_true (g_file_get_contents (fixture->path, &after, NULL, NULL));
  g_assert_nonnull (strstr (after, "\"future\""));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/account-manager/add-save-load", test_manager_add_save_load);
  ADD ("/account-manager/edit-is-saved", test_manager_edit_is_saved);
  ADD ("/account-manager/remove", test_manager_remove);
  ADD ("/account-manager/broken-file-untouched", test_manager_broken_file_untouched);
  ADD ("/account-manager/skips-bad-entries", test_manager_skips_bad_entries);
#undef ADD
  return g_test_run ();
}
