/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs a libFuzzer target over files or directories of inputs, so the
 * corpus doubles as a regression test on compilers without libFuzzer. */
#include "config.h"

#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
run_path (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint count = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir))) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      count += run_path (child);
    }
    return count;
  }
  if (!g_file_get_contents (path, &contents, &length, NULL)) {
    g_printerr ("cannot read %s\n", path);
    return 0;
  }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    count += run_path (argv[i]);
  /* Plus some generated inputs: every prefix of every corpus file is
   * covered by the fuzzer; here, cheap mutations of a seed. */
  for (guint n = 0; n < 2000; n++) {
    guint8 buffer[64];
    GRand *rand = g_rand_new_with_seed (n);

    for (guint j = 0; j < sizeof buffer; j++)
      buffer[j] = (guint8) g_rand_int_range (rand, 0, 256);
    if (n % 2 == 0)
      memcpy (buffer, "sip:", 4);
    LLVMFuzzerTestOneInput (buffer, g_rand_int_range (rand, 0, sizeof buffer));
    g_rand_free (rand);
    count++;
  }
  g_print ("ran %u inputs\n", count);
  return 0;
}
