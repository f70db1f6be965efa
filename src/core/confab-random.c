/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-random.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

gboolean
_confab_random_fill (guint8 *buffer,
                     gsize   length)
{
  gsize done = 0;
  int fd;

  while (done < length) {
    ssize_t n = getrandom (buffer + done, length - done, 0);

    if (n > 0)
      done += n;
    else if (n < 0 && errno == EINTR)
      continue;
    else
      break;
  }
  if (done == length)
    return TRUE;

  /* Kernels or sandboxes without getrandom(2). */
  fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  while (done < length) {
    ssize_t n = read (fd, buffer + done, length - done);

    if (n > 0)
      done += n;
    else if (!(n < 0 && errno == EINTR))
      break;
  }
  close (fd);
  return done == length;
}
