/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conference model benchmark: prints figures, it is not a pass/fail test.
 *
 *   bench-conference [--runs 7]
 *
 * Documents are written the way SylkServer writes them (every user with
 * one endpoint carrying audio and chat). Times are the median of --runs
 * runs (more for the quick ones) and include parsing unless the row says
 * "apply only":
 *   - a full document of 1,000 and of 10,000 users into an empty room;
 *   - the full 10,000-user document again with one user changed (the
 *     room is updated in place: one "participant-changed");
 *   - a partial document adding one user to, or removing one from, a
 *     10,000-user room.
 * Memory is the process's peak resident set (getrusage). */
#include "config.h"

#include "conference/confab-conference.h"

#include <stdio.h>
#include <stdlib.h>
#include <libxml/parser.h>
#include <string.h>
#include <sys/resource.h>

#define ROOM "sip:room1@conference.example.org"

typedef struct
{
  guint items_changed;
  guint joined;
  guint left;
  guint changed;
} Counts;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Counts     *counts)
{
  counts->items_changed++;
}

static void
on_joined (ConfabConference  *conference,
           ConfabParticipant *participant,
           Counts            *counts)
{
  counts->joined++;
}

static void
on_left (ConfabConference  *conference,
         ConfabParticipant *participant,
         Counts            *counts)
{
  counts->left++;
}

static void
on_changed (ConfabConference  *conference,
            ConfabParticipant *participant,
            Counts            *counts)
{
  counts->changed++;
}

static void
append_user (GString    *xml,
             guint       i,
             const char *state,
             const char *audio_status)
{
  g_string_append_printf (
    xml,
    "<user entity=\"sip:user%06u@example.org\" state=\"%s\"><display-text>User %u</display-text>"
    "<endpoint entity=\"sip:%08u@192.0.2.%u:5060;transport=tls\" state=\"full\">"
    "<display-text>User %u</display-text><status>connected</status><joining-info>"
    "<when>2026-11-21T12:%02u:%02u.643328+00:00</when></joining-info>"
    "<media id=\"%u\"><type>audio</type><status>%s</status></media>"
    "<media id=\"%u\"><type>message</type></media></endpoint></user>",
    i, state, i, 10000000 + i, i % 250 + 1, i, (i / 60) % 60, i % 60, 2 * i, audio_status,
    2 * i + 1);
}

/* Users 0 to @n_users - 1; user @changed (if < n_users) on hold. */
static char *
full_document (guint version,
               guint n_users,
               guint changed)
{
  GString *xml = g_string_sized_new (600 + n_users * 520);

  g_string_append_printf (
    xml,
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
    "xmlns:agp-conf=\"urn:ag-projects:xml:ns:conference-info\" entity=\"" ROOM "\" "
    "state=\"full\" version=\"%u\"><conference-description><display-text>Big room"
    "</display-text><free-text>Hosted by SylkServer-6.6.1</free-text></conference-description>"
    "<conference-state><user-count>%u</user-count><active>true</active></conference-state>"
    "<users state=\"full\">",
    version, n_users);
  for (guint i = 0; i < n_users; i++)
    append_user (xml, i, "full", i == changed ? "sendonly" : "sendrecv");
  g_string_append (xml, "</users></conference-info>");
  return g_string_free (xml, FALSE);
}

static char *
partial_document (guint       version,
                  guint       user,
                  gboolean    deleted)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml,
                          "<?xml version='1.0' encoding='UTF-8'?>\n"
                          "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
                          "entity=\"" ROOM "\" state=\"partial\" version=\"%u\">"
                          "<users state=\"partial\">",
                          version);
  if (deleted)
    g_string_append_printf (xml, "<user entity=\"sip:user%06u@example.org\" state=\"deleted\"/>",
                            user);
  else
    append_user (xml, user, "full", "sendrecv");
  g_string_append (xml, "</users></conference-info>");
  return g_string_free (xml, FALSE);
}

static ConfabConference *
new_conference (Counts *counts)
{
  ConfabConference *conference = confab_conference_new (ROOM);

  g_signal_connect (confab_conference_get_participants (conference), "items-changed",
                    G_CALLBACK (on_items_changed), counts);
  g_signal_connect (conference, "participant-joined", G_CALLBACK (on_joined), counts);
  g_signal_connect (conference, "participant-left", G_CALLBACK (on_left), counts);
  g_signal_connect (conference, "participant-changed", G_CALLBACK (on_changed), counts);
  return conference;
}

static void
apply_or_die (ConfabConference *conference,
              const char       *xml)
{
  g_autoptr (GError) error = NULL;
  ConfabConferenceApplyResult result;

  if (!confab_conference_apply_xml (conference, xml, strlen (xml), &result, &error))
    g_error ("parse: %s", error->message);
  if (result != CONFAB_CONFERENCE_APPLIED)
    g_error ("document not applied (%d)", result);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static double
milliseconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
print_row (const char *what,
           GArray     *samples,
           const char *note)
{
  printf ("  %-52s %9.2f ms   (%u runs%s%s)\n", what, median (samples), samples->len,
          note ? "; " : "", note ? note : "");
}

/* A full document into an empty room: parse and apply, and apply alone. */
static void
bench_fill (guint n_users,
            guint runs)
{
  g_autofree char *xml = full_document (1, n_users, G_MAXUINT);
  g_autoptr (GArray) total = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) apply = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) reference = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *label = NULL;
  g_autofree char *note = NULL;
  Counts counts = { 0 };

  for (guint run = 0; run < runs; run++) {
    g_autoptr (ConfabConference) conference = new_conference (&counts);
    g_autoptr (ConfabConferenceInfo) info = NULL;
    g_autoptr (GError) error = NULL;
    gint64 start;
    double ms;

    memset (&counts, 0, sizeof counts);
    start = g_get_monotonic_time ();
    apply_or_die (conference, xml);
    ms = milliseconds_since (start);
    g_array_append_val (total, ms);
    if (counts.items_changed != 1 || counts.joined != n_users)
      g_error ("%u items-changed, %u joined", counts.items_changed, counts.joined);
    g_clear_object (&conference);

    info = confab_conference_info_parse (xml, strlen (xml), &error);
    if (!info)
      g_error ("parse: %s", error->message);
    conference = new_conference (&counts);
    start = g_get_monotonic_time ();
    confab_conference_apply (conference, info);
    ms = milliseconds_since (start);
    g_array_append_val (apply, ms);

    /* Reference: libxml2 building the tree of the same bytes, nothing else. */
    start = g_get_monotonic_time ();
    xmlFreeDoc (xmlReadMemory (xml, (int) strlen (xml), NULL, "UTF-8", XML_PARSE_NONET));
    ms = milliseconds_since (start);
    g_array_append_val (reference, ms);
  }
  label = g_strdup_printf ("full, %u users, empty room", n_users);
  note = g_strdup_printf ("%.1f MB of XML, 1 items-changed", strlen (xml) / 1e6);
  print_row (label, total, note);
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf ("full, %u users, empty room (apply only)", n_users);
  print_row (label, apply, NULL);
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf ("reference: libxml2 xmlReadMemory alone, %u users", n_users);
  print_row (label, reference, NULL);
}

int
main (int    argc,
      char **argv)
{
  int runs = 7;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per figure (median)", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- conference model benchmark");
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabConference) room = NULL;
  g_autofree char *base = NULL;
  g_autofree char *one_changed = NULL;
  g_autoptr (ConfabConferenceInfo) base_info = NULL;
  g_autoptr (ConfabConferenceInfo) changed_info = NULL;
  g_autoptr (GArray) reapply = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) reapply_only = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) add = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) remove = g_array_new (FALSE, FALSE, sizeof (double));
  struct rusage usage;
  Counts counts = { 0 };
  guint version;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs <= 0) {
    g_printerr ("%s\n", error ? error->message : "--runs must be positive");
    return 2;
  }

  printf ("\nConfab conference model benchmark: SylkServer-style documents, median of runs\n\n");
  bench_fill (1000, runs * 3);
  bench_fill (10000, runs);

  /* A 10,000-user room; the same document with user 5000 on hold, and
   * back: each apply changes one user in place. */
  base = full_document (1, 10000, G_MAXUINT);
  one_changed = full_document (1, 10000, 5000);
  room = new_conference (&counts);
  apply_or_die (room, base);
  for (int run = 0; run < runs; run++) {
    gint64 start;
    double ms;

    memset (&counts, 0, sizeof counts);
    confab_conference_reset_version (room);
    start = g_get_monotonic_time ();
    apply_or_die (room, run % 2 ? base : one_changed);
    ms = milliseconds_since (start);
    g_array_append_val (reapply, ms);
    if (counts.items_changed != 0 || counts.changed != 1 || counts.joined + counts.left != 0)
      g_error ("re-apply: %u items-changed, %u changed", counts.items_changed, counts.changed);
  }
  print_row ("full, 10000 users again, one changed", reapply, "0 items-changed, 1 changed");

  base_info = confab_conference_info_parse (base, strlen (base), &error);
  changed_info = confab_conference_info_parse (one_changed, strlen (one_changed), &error);
  if (!base_info || !changed_info)
    g_error ("parse: %s", error->message);
  confab_conference_reset_version (room);
  confab_conference_apply (room, base_info);
  for (int run = 0; run < runs; run++) {
    gint64 start;
    double ms;

    memset (&counts, 0, sizeof counts);
    confab_conference_reset_version (room);
    start = g_get_monotonic_time ();
    confab_conference_apply (room, run % 2 ? base_info : changed_info);
    ms = milliseconds_since (start);
    g_array_append_val (reapply_only, ms);
    if (counts.changed != 1)
      g_error ("re-apply: %u changed", counts.changed);
  }
  print_row ("full, 10000 users again, one changed (apply only)", reapply_only, NULL);

  /* Partial documents: one user in, the same user out. */
  confab_conference_reset_version (room);
  apply_or_die (room, base);
  version = 1;
  for (int run = 0; run < runs * 7; run++) {
    g_autofree char *in = partial_document (++version, 20000, FALSE);
    g_autofree char *out = partial_document (++version, 20000, TRUE);
    gint64 start;
    double ms;

    memset (&counts, 0, sizeof counts);
    start = g_get_monotonic_time ();
    apply_or_die (room, in);
    ms = milliseconds_since (start);
    g_array_append_val (add, ms);
    start = g_get_monotonic_time ();
    apply_or_die (room, out);
    ms = milliseconds_since (start);
    g_array_append_val (remove, ms);
    if (counts.joined != 1 || counts.left != 1 || counts.items_changed != 2)
      g_error ("partial: %u joined, %u left, %u items-changed", counts.joined, counts.left,
               counts.items_changed);
  }
  print_row ("partial, one user added to 10000", add, NULL);
  print_row ("partial, one user removed from 10001", remove, NULL);

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    printf ("\n  %-52s %9.1f MiB\n\n", "peak resident set (whole run)", usage.ru_maxrss / 1024.0);
  return 0;
}
