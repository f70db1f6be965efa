/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "media/confab-ringtone.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

/* The ringtone starts and stops at once and never fails the caller: not
 * with a sink that works, the machine's default (often none here), or a
 * sink that cannot be made. */

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_notify_playing (ConfabRingtone *ringtone,
                   GParamSpec     *pspec,
                   guint          *notifications)
{
  (*notifications)++;
}

static void
ring_briefly (const char *sink)
{
  g_autoptr (ConfabRingtone) ringtone = confab_ringtone_new ();
  guint notifications = 0;
  gint64 start;

  g_signal_connect (ringtone, "notify::playing", G_CALLBACK (on_notify_playing), &notifications);
  confab_ringtone_set_sink (ringtone, sink);
  g_assert_false (confab_ringtone_is_playing (ringtone));

  start = g_get_monotonic_time ();
  confab_ringtone_start (ringtone);
  confab_ringtone_start (ringtone);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_true (confab_ringtone_is_playing (ringtone));
  g_assert_cmpuint (notifications, ==, 1);
  run_for (600);

  start = g_get_monotonic_time ();
  confab_ringtone_stop (ringtone);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_false (confab_ringtone_is_playing (ringtone));
  g_assert_cmpuint (notifications, ==, 2);
  confab_ringtone_stop (ringtone);
  g_assert_cmpuint (notifications, ==, 2);

  /* Rings again after a stop. */
  confab_ringtone_start (ringtone);
  g_assert_true (confab_ringtone_is_playing (ringtone));
  run_for (100);
}

static void
test_fake_sink (void)
{
  ring_briefly ("fakesink sync=true");
}

static void
test_default_sink (void)
{
  ring_briefly (NULL);
}

static void
test_broken_sink (void)
{
  ring_briefly ("confab-no-such-element");
}

/* The sound reaches the sink: a stop halfway through still counts. */
static void
test_sound (void)
{
  g_autoptr (ConfabRingtone) ringtone = confab_ringtone_new ();
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "confab-test-ringtone.wav", NULL);
  g_autofree char *sink = g_strdup_printf ("wavenc ! filesink location=\"%s\"", path);
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean loud = FALSE;

  confab_ringtone_set_sink (ringtone, sink);
  confab_ringtone_start (ringtone);
  run_for (500);
  confab_ringtone_stop (ringtone);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* 48 kHz, 16-bit mono after a 44-byte header: a good part of 0.5 s. */
  g_assert_cmpuint (length, >, 44 + 48000 * 2 / 4);
  for (gsize i = 44; i + 1 < length && !loud; i += 2) {
    gint16 sample = (gint16) ((guint8) contents[i] | ((guint8) contents[i + 1] << 8));

    loud = ABS (sample) > 3000;
  }
  g_assert_true (loud);
  g_remove (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/ringtone/fake-sink", test_fake_sink);
  g_test_add_func ("/ringtone/default-sink", test_default_sink);
  g_test_add_func ("/ringtone/broken-sink", test_broken_sink);
  g_test_add_func ("/ringtone/sound", test_sound);
  return g_test_run ();
}
