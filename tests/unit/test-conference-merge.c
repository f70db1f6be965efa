/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "conference/confab-conference.h"
#include "conference/confab-conference-private.h"
#include "conference/confab-participant.h"

#include <string.h>

/* The conference model: SylkServer's full documents (room-wide version
 * counter, gaps, a new subscription restarting the count, room files)
 * and RFC 4575 partial updates (users and endpoints added, changed and
 * deleted), with exact counts of signals, items-changed and notify. */

#define ROOM "sip:room1@conference.rig.test"
#define CAROL "sip:carol@127.0.0.1"
#define DAVE "sip:dave@127.0.0.1"
#define FILE_HASH "sha-1:14:F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BA"

/* The sixth NOTIFY of tests/.../sylkserver-conference-info-notifies.txt,
 * as SylkServer 6.6.1 sent it. */
static const char sylk_v6[] =
  "<?xml version='1.0' encoding='UTF-8'?>\n"
  "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
  "xmlns:agp-conf=\"urn:ag-projects:xml:ns:conference-info\" "
  "entity=\"sip:room1@conference.rig.test\" state=\"full\" version=\"6\">"
  "<conference-description><display-text>Ad-hoc conference</display-text><subject></subject>"
  "<free-text>Hosted by SylkServer-6.6.1</free-text><conf-uris><entry>"
  "<uri>sip%3Aroom1%40conference.rig.test</uri><purpose>participation</purpose></entry>"
  "</conf-uris><agp-conf:resources><agp-conf:files><agp-conf:file name=\"hello-1.txt\" "
  "hash=\"sha-1:14:F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BA\" size=\"68\" "
  "sender=\"carol &lt;sip:carol@127.0.0.1&gt;\" status=\"OK\"/></agp-conf:files>"
  "</agp-conf:resources></conference-description><host-info>"
  "<web-page>http://sylkserver.com</web-page></host-info><conference-state>"
  "<user-count>2</user-count><active>true</active></conference-state><users state=\"full\">"
  "<user entity=\"sip:carol@127.0.0.1\" state=\"full\"><display-text>carol</display-text>"
  "<endpoint entity=\"sip:57408631@127.0.0.1:15080;transport=tcp\" state=\"full\">"
  "<display-text>carol</display-text><status>connected</status><joining-info>"
  "<when>2026-11-21T12:01:14.643328+00:00</when></joining-info><media id=\"139699198682192\">"
  "<type>message</type></media></endpoint></user><user entity=\"sip:dave@127.0.0.1\" "
  "state=\"full\"><display-text>dave</display-text><endpoint "
  "entity=\"sip:82356791@127.0.0.1:15100;transport=tcp\" state=\"full\"><display-text>dave"
  "</display-text><status>connected</status><joining-info>"
  "<when>2026-11-21T12:01:18.174715+00:00</when></joining-info><media id=\"139699113640336\">"
  "<type>message</type></media></endpoint></user></users></conference-info>";

typedef struct
{
  const char *name;
  const char *contact;
  const char *when;
  const char *media_id;
} SylkUser;

static const SylkUser sylk_carol = { "carol", "sip:57408631@127.0.0.1:15080;transport=tcp",
                                     "2026-11-21T12:01:14.643328+00:00", "139699198682192" };
static const SylkUser sylk_dave = { "dave", "sip:82356791@127.0.0.1:15100;transport=tcp",
                                    "2026-11-21T12:01:18.174715+00:00", "139699113640336" };

/* A document the way SylkServer writes them (see sylk_v6). */
static char *
sylk_document (guint                  version,
               const SylkUser *const *users,
               gboolean               with_file)
{
  GString *xml = g_string_new (NULL);
  guint n_users = 0;

  while (users && users[n_users])
    n_users++;
  g_string_append_printf (
    xml,
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
    "xmlns:agp-conf=\"urn:ag-projects:xml:ns:conference-info\" entity=\"" ROOM "\" "
    "state=\"full\" version=\"%u\"><conference-description><display-text>Ad-hoc conference"
    "</display-text><subject></subject><free-text>Hosted by SylkServer-6.6.1</free-text>"
    "<conf-uris><entry><uri>sip%%3Aroom1%%40conference.rig.test</uri><purpose>participation"
    "</purpose></entry></conf-uris>",
    version);
  if (with_file)
    g_string_append (xml, "<agp-conf:resources><agp-conf:files><agp-conf:file "
                          "name=\"hello-1.txt\" hash=\"" FILE_HASH "\" size=\"68\" "
                          "sender=\"carol &lt;sip:carol@127.0.0.1&gt;\" status=\"OK\"/>"
                          "</agp-conf:files></agp-conf:resources>");
  g_string_append_printf (xml,
                          "</conference-description><host-info><web-page>http://sylkserver.com"
                          "</web-page></host-info><conference-state><user-count>%u</user-count>"
                          "<active>true</active></conference-state><users state=\"full\">",
                          n_users);
  for (guint i = 0; i < n_users; i++) {
    g_string_append_printf (
      xml,
      "<user entity=\"sip:%s@127.0.0.1\" state=\"full\"><display-text>%s</display-text>"
      "<endpoint entity=\"%s\" state=\"full\"><display-text>%s</display-text>"
      "<status>connected</status><joining-info><when>%s</when></joining-info>"
      "<media id=\"%s\"><type>message</type></media></endpoint></user>",
      users[i]->name, users[i]->name, users[i]->contact, users[i]->name, users[i]->when,
      users[i]->media_id);
  }
  g_string_append (xml, "</users></conference-info>");
  return g_string_free (xml, FALSE);
}

static ConfabConferenceApplyResult
apply_xml (ConfabConference *conference,
           const char       *xml)
{
  g_autoptr (GError) error = NULL;
  ConfabConferenceApplyResult result = CONFAB_CONFERENCE_WRONG_ROOM;

  if (!confab_conference_apply_xml (conference, xml, strlen (xml), &result, &error))
    g_error ("does not parse: %s\n%s", error->message, xml);
  return result;
}

/* Signals, items-changed and the model as each handler saw it. */
typedef struct
{
  ConfabConference *conference;
  guint             joined;
  guint             left;
  guint             changed;
  guint             updated;
  guint             items_changed;
  guint             items_added;
  guint             items_removed;
  guint             files_changed;
  GPtrArray        *events;     /* "joined sip:…", "left sip:…", "changed sip:…" */
} Recorder;

/* A linear search: skipped in big rooms, where it would dominate. */
static gboolean
model_contains (GListModel *model,
                gpointer    item)
{
  if (g_list_model_get_n_items (model) > 1000)
    return TRUE;
  return g_list_store_find (G_LIST_STORE (model), item, NULL);
}

static void
on_joined (ConfabConference  *conference,
           ConfabParticipant *participant,
           Recorder          *recorder)
{
  /* Already in the model, and found by its entity. */
  g_assert_true (model_contains (confab_conference_get_participants (conference), participant));
  g_assert_true (confab_conference_find_participant (
                   conference, confab_participant_get_entity (participant)) == participant);
  recorder->joined++;
  g_ptr_array_add (recorder->events,
                   g_strconcat ("joined ", confab_participant_get_entity (participant), NULL));
}

static void
on_left (ConfabConference  *conference,
         ConfabParticipant *participant,
         Recorder          *recorder)
{
  g_assert_true (g_list_model_get_n_items (confab_conference_get_participants (conference)) > 1000 ||
                 !model_contains (confab_conference_get_participants (conference), participant));
  g_assert_true (confab_conference_find_participant (
                   conference, confab_participant_get_entity (participant)) != participant);
  recorder->left++;
  g_ptr_array_add (recorder->events,
                   g_strconcat ("left ", confab_participant_get_entity (participant), NULL));
}

static void
on_changed (ConfabConference  *conference,
            ConfabParticipant *participant,
            Recorder          *recorder)
{
  g_assert_true (model_contains (confab_conference_get_participants (conference), participant));
  recorder->changed++;
  g_ptr_array_add (recorder->events,
                   g_strconcat ("changed ", confab_participant_get_entity (participant), NULL));
}

static void
on_updated (ConfabConference *conference,
            Recorder         *recorder)
{
  recorder->updated++;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *recorder)
{
  recorder->items_changed++;
  recorder->items_added += added;
  recorder->items_removed += removed;
}

static void
on_files_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *recorder)
{
  recorder->files_changed++;
}

static Recorder *
recorder_new (ConfabConference *conference)
{
  Recorder *recorder = g_new0 (Recorder, 1);

  recorder->conference = g_object_ref (conference);
  recorder->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (conference, "participant-joined", G_CALLBACK (on_joined), recorder);
  g_signal_connect (conference, "participant-left", G_CALLBACK (on_left), recorder);
  g_signal_connect (conference, "participant-changed", G_CALLBACK (on_changed), recorder);
  g_signal_connect (conference, "updated", G_CALLBACK (on_updated), recorder);
  g_signal_connect (confab_conference_get_participants (conference), "items-changed",
                    G_CALLBACK (on_items_changed), recorder);
  g_signal_connect (confab_conference_get_files (conference), "items-changed",
                    G_CALLBACK (on_files_changed), recorder);
  return recorder;
}

static void
recorder_reset (Recorder *recorder)
{
  ConfabConference *conference = recorder->conference;
  GPtrArray *events = recorder->events;

  g_ptr_array_set_size (events, 0);
  memset (recorder, 0, sizeof *recorder);
  recorder->conference = conference;
  recorder->events = events;
}

static void
recorder_free (Recorder *recorder)
{
  g_signal_handlers_disconnect_by_data (recorder->conference, recorder);
  g_signal_handlers_disconnect_by_data (confab_conference_get_participants (recorder->conference),
                                        recorder);
  g_signal_handlers_disconnect_by_data (confab_conference_get_files (recorder->conference),
                                        recorder);
  g_object_unref (recorder->conference);
  g_ptr_array_unref (recorder->events);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static void
assert_events (Recorder   *recorder,
               const char *expected)
{
  g_autofree char *joined = NULL;

  g_ptr_array_add (recorder->events, NULL);
  joined = g_strjoinv (", ", (char **) recorder->events->pdata);
  g_ptr_array_set_size (recorder->events, recorder->events->len - 1);
  g_assert_cmpstr (joined, ==, expected);
}

/* Notifications per property name. */
typedef struct
{
  GHashTable *counts;
  guint       total;
} NotifyCounter;

static void
on_notify (GObject       *object,
           GParamSpec    *pspec,
           NotifyCounter *counter)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counter->counts, pspec->name));

  g_hash_table_insert (counter->counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
  counter->total++;
}

static void
notify_counter_watch (NotifyCounter *counter,
                      gpointer       object)
{
  counter->counts = g_hash_table_new (g_str_hash, g_str_equal);
  counter->total = 0;
  /* Kept alive while watched: a participant may leave meanwhile. */
  g_object_ref (object);
  g_signal_connect (object, "notify", G_CALLBACK (on_notify), counter);
}

static guint
notify_count (NotifyCounter *counter,
              const char    *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counter->counts, name));
}

static void
notify_counter_reset (NotifyCounter *counter)
{
  g_hash_table_remove_all (counter->counts);
  counter->total = 0;
}

static void
notify_counter_unwatch (NotifyCounter *counter,
                        gpointer       object)
{
  g_signal_handlers_disconnect_by_data (object, counter);
  g_object_unref (object);
  g_hash_table_unref (counter->counts);
}

static ConfabParticipant *
participant_at (ConfabConference *conference,
                guint             position)
{
  g_autoptr (ConfabParticipant) participant =
    g_list_model_get_item (confab_conference_get_participants (conference), position);

  return participant; /* the model keeps it alive */
}

static guint
n_participants (ConfabConference *conference)
{
  return g_list_model_get_n_items (confab_conference_get_participants (conference));
}

static void
test_sylkserver_sequence (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);
  const SylkUser *carol_only[] = { &sylk_carol, NULL };
  const SylkUser *both[] = { &sylk_carol, &sylk_dave, NULL };
  g_autofree char *v2 = sylk_document (2, carol_only, FALSE);
  g_autofree char *v4 = sylk_document (4, both, FALSE);
  g_autofree char *v7 = sylk_document (7, both, TRUE);
  g_autofree char *v8 = sylk_document (8, carol_only, TRUE);
  ConfabParticipant *carol;
  ConfabParticipant *dave;
  g_autoptr (ConfabRoomFile) file = NULL;
  g_autoptr (GDateTime) expected_when = NULL;

  g_assert_cmpstr (confab_conference_get_uri (conference), ==, ROOM);
  g_assert_cmpuint (confab_conference_get_version (conference), ==, 0);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 0);

  /* v2: carol alone (a watcher sees v3 next, carol does not: a gap). */
  g_assert_cmpint (apply_xml (conference, v2), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "joined " CAROL);
  g_assert_cmpuint (recorder->updated, ==, 1);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpuint (confab_conference_get_version (conference), ==, 2);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 1);
  g_assert_cmpstr (confab_conference_get_display_text (conference), ==, "Ad-hoc conference");
  g_assert_cmpstr (confab_conference_get_free_text (conference), ==,
                   "Hosted by SylkServer-6.6.1");
  g_assert_true (confab_conference_get_active (conference));
  g_assert_false (confab_conference_get_locked (conference));
  carol = confab_conference_find_participant (conference, CAROL);
  g_assert_nonnull (carol);
  g_assert_true (participant_at (conference, 0) == carol);
  g_assert_cmpstr (confab_participant_get_display_name (carol), ==, "carol");
  g_assert_cmpstr (confab_participant_get_status (carol), ==, "connected");
  g_assert_cmpstrv (confab_participant_get_media (carol), ((const char *[]){ "message", NULL }));
  g_assert_false (confab_participant_get_on_hold (carol));
  g_assert_false (confab_participant_get_muted (carol));
  g_assert_cmpuint (confab_participant_get_endpoints (carol)->len, ==, 1);
  expected_when = g_date_time_new_utc (2026, 11, 21, 12, 1, 14.643328);
  g_assert_nonnull (confab_participant_get_joined_at (carol));
  g_assert_cmpint (g_date_time_to_unix (confab_participant_get_joined_at (carol)), ==,
                   g_date_time_to_unix (expected_when));
  g_assert_cmpuint (g_list_model_get_n_items (confab_conference_get_files (conference)), ==, 0);

  /* v4: dave joins; carol stays the same object, unchanged. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, v4), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "joined " DAVE);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpuint (recorder->updated, ==, 1);
  g_assert_true (confab_conference_find_participant (conference, CAROL) == carol);
  dave = confab_conference_find_participant (conference, DAVE);
  g_assert_nonnull (dave);
  g_assert_true (participant_at (conference, 1) == dave);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 2);

  /* v6 verbatim: a file arrives; nobody changed. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, sylk_v6), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "");
  g_assert_cmpuint (recorder->items_changed, ==, 0);
  g_assert_cmpuint (recorder->files_changed, ==, 1);
  g_assert_cmpuint (recorder->updated, ==, 1);
  g_assert_cmpuint (confab_conference_get_version (conference), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (confab_conference_get_files (conference)), ==, 1);
  file = g_list_model_get_item (confab_conference_get_files (conference), 0);
  g_assert_cmpstr (confab_room_file_get_name (file), ==, "hello-1.txt");
  g_assert_cmpstr (confab_room_file_get_hash (file), ==, FILE_HASH);
  g_assert_cmpuint (confab_room_file_get_size (file), ==, 68);
  g_assert_cmpstr (confab_room_file_get_sender (file), ==, "carol <sip:carol@127.0.0.1>");
  g_assert_cmpstr (confab_room_file_get_status (file), ==, "OK");

  /* v4 again (another subscriber's copy arriving late): stale. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, v4), ==, CONFAB_CONFERENCE_STALE);
  g_assert_cmpuint (recorder->updated, ==, 0);
  g_assert_cmpuint (recorder->files_changed, ==, 0);
  g_assert_cmpuint (confab_conference_get_version (conference), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (confab_conference_get_files (conference)), ==, 1);
  /* The same version again is stale too. */
  g_assert_cmpint (apply_xml (conference, sylk_v6), ==, CONFAB_CONFERENCE_STALE);

  /* v8: dave gone; the file stays the same object. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, v8), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "left " DAVE);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpuint (recorder->files_changed, ==, 0);
  g_assert_cmpuint (n_participants (conference), ==, 1);
  g_assert_null (confab_conference_find_participant (conference, DAVE));
  g_assert_true (participant_at (conference, 0) == carol);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 1);
  {
    g_autoptr (ConfabRoomFile) again =
      g_list_model_get_item (confab_conference_get_files (conference), 0);

    g_assert_true (again == file);
  }

  /* A new subscription counts from its own start: v7 < v8 applies
   * after reset_version. */
  g_assert_cmpint (apply_xml (conference, v7), ==, CONFAB_CONFERENCE_STALE);
  recorder_reset (recorder);
  confab_conference_reset_version (conference);
  g_assert_cmpint (apply_xml (conference, v7), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "joined " DAVE);
  g_assert_cmpuint (confab_conference_get_version (conference), ==, 7);
  g_assert_true (confab_conference_find_participant (conference, CAROL) == carol);
  g_assert_cmpint (apply_xml (conference, v7), ==, CONFAB_CONFERENCE_STALE);
}

/* RFC 4575 style: a full document, then partial ones. */
#define RFC_ROOM "sips:conf233@example.com"
#define BOB "sip:bob@example.com"
#define ALICE "sip:alice@example.com"
#define CARLOS "sip:carlos@example.com"

static const char rfc_full[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"\n"
  "    entity=\"sips:conf233@example.com\" state=\"full\" version=\"1\">\n"
  "  <conference-description>\n"
  "    <subject>Agenda: This month's goals</subject>\n"
  "  </conference-description>\n"
  "  <conference-state>\n"
  "    <active>true</active>\n"
  "    <locked>false</locked>\n"
  "  </conference-state>\n"
  "  <users>\n"
  "    <user entity=\"sip:bob@example.com\" state=\"full\">\n"
  "      <display-text>Bob Hoskins</display-text>\n"
  "      <roles><entry>participant</entry></roles>\n"
  "      <endpoint entity=\"sip:bob@pc33.example.com\">\n"
  "        <display-text>Bob's Laptop</display-text>\n"
  "        <status>connected</status>\n"
  "        <joining-method>dialed-out</joining-method>\n"
  "        <joining-info><when>2005-03-04T20:00:00Z</when></joining-info>\n"
  "        <media id=\"1\">\n"
  "          <type>audio</type>\n"
  "          <label>34567</label>\n"
  "          <status>sendrecv</status>\n"
  "        </media>\n"
  "      </endpoint>\n"
  "    </user>\n"
  "    <user entity=\"sip:alice@example.com\" state=\"full\">\n"
  "      <display-text>Alice</display-text>\n"
  "      <endpoint entity=\"sip:4kfk4j392jsu@example.com;grid=433kj4j3u\">\n"
  "        <status>connected</status>\n"
  "        <media id=\"1\"><type>audio</type><status>sendrecv</status></media>\n"
  "      </endpoint>\n"
  "    </user>\n"
  "  </users>\n"
  "</conference-info>\n";

static const char rfc_partial_add[] =
  "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"\n"
  "    entity=\"sips:conf233@example.com\" state=\"partial\" version=\"2\">\n"
  "  <users state=\"partial\">\n"
  "    <user entity=\"sip:carlos@example.com\" state=\"full\">\n"
  "      <endpoint entity=\"sip:carlos@phone.example.com\">\n"
  "        <status>connected</status>\n"
  "        <media id=\"7\"><type>audio</type><status>sendrecv</status></media>\n"
  "        <media id=\"8\"><type>message</type></media>\n"
  "      </endpoint>\n"
  "    </user>\n"
  "  </users>\n"
  "</conference-info>\n";

/* Bob's audio goes sendonly (he put us on hold); only the changed
 * fields are in the document. */
static const char rfc_partial_hold[] =
  "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"\n"
  "    entity=\"sips:conf233@example.com\" state=\"partial\" version=\"3\">\n"
  "  <users state=\"partial\">\n"
  "    <user entity=\"sip:bob@example.com\" state=\"partial\">\n"
  "      <endpoint entity=\"sip:bob@pc33.example.com\" state=\"partial\">\n"
  "        <media id=\"1\"><status>sendonly</status></media>\n"
  "      </endpoint>\n"
  "    </user>\n"
  "  </users>\n"
  "</conference-info>\n";

static const char rfc_partial_mute[] =
  "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"\n"
  "    entity=\"sips:conf233@example.com\" state=\"partial\" version=\"5\">\n"
  "  <users state=\"partial\">\n"
  "    <user entity=\"sip:alice@example.com\" state=\"partial\">\n"
  "      <endpoint entity=\"sip:4kfk4j392jsu@example.com;grid=433kj4j3u\" state=\"partial\">\n"
  "        <status>muted-via-focus</status>\n"
  "      </endpoint>\n"
  "    </user>\n"
  "  </users>\n"
  "</conference-info>\n";

static const char rfc_partial_delete[] =
  "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"\n"
  "    entity=\"sips:conf233@example.com\" state=\"partial\" version=\"6\">\n"
  "  <conference-state><locked>true</locked></conference-state>\n"
  "  <users state=\"partial\">\n"
  "    <user entity=\"sip:bob@example.com\" state=\"deleted\"/>\n"
  "    <user entity=\"sip:carlos@example.com\" state=\"partial\">\n"
  "      <endpoint entity=\"sip:carlos@phone.example.com\" state=\"partial\">\n"
  "        <media id=\"7\"><status>inactive</status></media>\n"
  "      </endpoint>\n"
  "      <endpoint entity=\"sip:carlos@laptop.example.com\">\n"
  "        <status>connected</status>\n"
  "        <media id=\"1\"><type>video</type><status>sendrecv</status></media>\n"
  "      </endpoint>\n"
  "    </user>\n"
  "  </users>\n"
  "</conference-info>\n";

static void
test_rfc_partial (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (RFC_ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);
  NotifyCounter bob_notify;
  ConfabParticipant *bob;
  ConfabParticipant *alice;
  ConfabParticipant *carlos;
  const ConfabConferenceInfoEndpoint *endpoint;
  const ConfabConferenceInfoMedia *media;

  g_assert_cmpint (apply_xml (conference, rfc_full), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "joined " BOB ", joined " ALICE);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpstr (confab_conference_get_subject (conference), ==, "Agenda: This month's goals");
  g_assert_null (confab_conference_get_display_text (conference));
  /* No <user-count>: the participants are counted. */
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 2);
  bob = confab_conference_find_participant (conference, BOB);
  alice = confab_conference_find_participant (conference, ALICE);
  g_assert_nonnull (bob);
  g_assert_nonnull (alice);
  g_assert_cmpstr (confab_participant_get_display_name (bob), ==, "Bob Hoskins");
  g_assert_cmpstrv (confab_participant_get_roles (bob), ((const char *[]){ "participant", NULL }));
  g_assert_cmpstrv (confab_participant_get_roles (alice), ((const char *[]){ NULL }));
  g_assert_cmpstrv (confab_participant_get_media (bob), ((const char *[]){ "audio", NULL }));
  g_assert_false (confab_participant_get_on_hold (bob));
  g_assert_false (confab_participant_get_muted (bob));
  notify_counter_watch (&bob_notify, bob);

  /* Carlos joins; nobody else is touched. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, rfc_partial_add), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "joined " CARLOS);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpuint (recorder->updated, ==, 1);
  g_assert_cmpuint (n_participants (conference), ==, 3);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 3);
  carlos = confab_conference_find_participant (conference, CARLOS);
  g_assert_true (participant_at (conference, 2) == carlos);
  g_assert_cmpstr (confab_participant_get_display_name (carlos), ==, "carlos");
  g_assert_cmpstrv (confab_participant_get_media (carlos),
                    ((const char *[]){ "audio", "message", NULL }));
  /* Untouched by a partial document that does not name it. */
  g_assert_cmpstr (confab_conference_get_subject (conference), ==, "Agenda: This month's goals");
  g_assert_true (confab_conference_get_active (conference));
  g_assert_cmpuint (bob_notify.total, ==, 0);

  /* Bob's audio sendonly: on hold; the media keeps its type and label. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, rfc_partial_hold), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "changed " BOB);
  g_assert_cmpuint (recorder->items_changed, ==, 0);
  g_assert_true (confab_conference_find_participant (conference, BOB) == bob);
  g_assert_true (confab_participant_get_on_hold (bob));
  g_assert_false (confab_participant_get_muted (bob));
  g_assert_cmpuint (bob_notify.total, ==, 1);
  g_assert_cmpuint (notify_count (&bob_notify, "on-hold"), ==, 1);
  endpoint = g_ptr_array_index (confab_participant_get_endpoints (bob), 0);
  g_assert_cmpstr (endpoint->display_text, ==, "Bob's Laptop");
  g_assert_cmpstr (endpoint->status, ==, "connected");
  g_assert_cmpstr (endpoint->joining_method, ==, "dialed-out");
  g_assert_cmpuint (endpoint->media->len, ==, 1);
  media = g_ptr_array_index (endpoint->media, 0);
  g_assert_cmpstr (media->type, ==, "audio");
  g_assert_cmpstr (media->label, ==, "34567");
  g_assert_cmpstr (media->status, ==, "sendonly");
  g_assert_cmpstrv (confab_participant_get_media (bob), ((const char *[]){ "audio", NULL }));

  /* The same change again (version 4 is skipped: gaps are fine). */
  {
    g_autofree char *again = g_strdup (rfc_partial_hold);

    memcpy (strstr (again, "version=\"3\"") + 9, "4", 1);
    recorder_reset (recorder);
    notify_counter_reset (&bob_notify);
    g_assert_cmpint (apply_xml (conference, again), ==, CONFAB_CONFERENCE_APPLIED);
    assert_events (recorder, "");
    g_assert_cmpuint (recorder->updated, ==, 1);
    g_assert_cmpuint (bob_notify.total, ==, 0);
  }

  /* Alice muted by the focus. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, rfc_partial_mute), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "changed " ALICE);
  g_assert_true (confab_participant_get_muted (alice));
  g_assert_false (confab_participant_get_on_hold (alice));
  g_assert_cmpstr (confab_participant_get_status (alice), ==, "muted-via-focus");
  g_assert_cmpstrv (confab_participant_get_media (alice), ((const char *[]){ "audio", NULL }));

  /* Bob deleted; carlos's phone audio inactive, a second endpoint. */
  recorder_reset (recorder);
  notify_counter_reset (&bob_notify);
  g_assert_cmpint (apply_xml (conference, rfc_partial_delete), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "left " BOB ", changed " CARLOS);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpuint (recorder->items_removed, ==, 1);
  g_assert_null (confab_conference_find_participant (conference, BOB));
  g_assert_cmpuint (n_participants (conference), ==, 2);
  g_assert_true (participant_at (conference, 0) == alice);
  g_assert_true (participant_at (conference, 1) == carlos);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 2);
  g_assert_true (confab_conference_get_locked (conference));
  g_assert_cmpuint (confab_participant_get_endpoints (carlos)->len, ==, 2);
  g_assert_cmpstrv (confab_participant_get_media (carlos),
                    ((const char *[]){ "audio", "message", "video", NULL }));
  /* The laptop is not on hold: carlos is not. */
  g_assert_false (confab_participant_get_on_hold (carlos));
  g_assert_cmpuint (bob_notify.total, ==, 0);
  notify_counter_unwatch (&bob_notify, bob);
}

/* Endpoint removal and replacement inside a partial user; a user
 * given in full inside a partial document; deleted and back in one. */
static void
test_partial_endpoints (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (RFC_ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);
  ConfabParticipant *alice;
  ConfabParticipant *bob;
  static const char remove_endpoint[] =
    "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
    "entity=\"sips:conf233@example.com\" state=\"partial\" version=\"2\"><users "
    "state=\"partial\"><user entity=\"sip:bob@example.com\" state=\"partial\"><endpoint "
    "entity=\"sip:bob@pc33.example.com\" state=\"deleted\"/></user></users></conference-info>";
  static const char replace_user[] =
    "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
    "entity=\"sips:conf233@example.com\" state=\"partial\" version=\"3\"><users "
    "state=\"partial\"><user entity=\"sip:alice@example.com\" state=\"full\"><display-text>"
    "Alice Liddell</display-text><endpoint entity=\"sip:alice@tablet.example.com\"><status>"
    "dialing-out</status></endpoint></user></users></conference-info>";
  static const char leave_and_return[] =
    "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
    "entity=\"sips:conf233@example.com\" state=\"partial\" version=\"4\"><users "
    "state=\"partial\"><user entity=\"sip:bob@example.com\" state=\"deleted\"/>"
    "<user entity=\"sip:bob@example.com\" state=\"full\"><display-text>Bob</display-text>"
    "</user><user entity=\"sip:dora@example.com\"/><user entity=\"sip:dora@example.com\" "
    "state=\"deleted\"/></users></conference-info>";

  g_assert_cmpint (apply_xml (conference, rfc_full), ==, CONFAB_CONFERENCE_APPLIED);
  bob = confab_conference_find_participant (conference, BOB);
  alice = confab_conference_find_participant (conference, ALICE);

  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, remove_endpoint), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "changed " BOB);
  g_assert_cmpuint (confab_participant_get_endpoints (bob)->len, ==, 0);
  g_assert_null (confab_participant_get_status (bob));
  g_assert_cmpstrv (confab_participant_get_media (bob), ((const char *[]){ NULL }));
  g_assert_null (confab_participant_get_joined_at (bob));
  /* Still in the room: only its endpoint went. */
  g_assert_true (confab_conference_find_participant (conference, BOB) == bob);

  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, replace_user), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "changed " ALICE);
  g_assert_true (confab_conference_find_participant (conference, ALICE) == alice);
  g_assert_cmpstr (confab_participant_get_display_name (alice), ==, "Alice Liddell");
  g_assert_cmpuint (confab_participant_get_endpoints (alice)->len, ==, 1);
  g_assert_cmpstr (confab_participant_get_status (alice), ==, "dialing-out");
  g_assert_cmpstrv (confab_participant_get_media (alice), ((const char *[]){ NULL }));

  /* Bob leaves and a new bob comes back; dora comes and goes unseen. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, leave_and_return), ==, CONFAB_CONFERENCE_APPLIED);
  assert_events (recorder, "left " BOB ", joined " BOB);
  g_assert_cmpuint (recorder->items_changed, ==, 2);
  g_assert_nonnull (confab_conference_find_participant (conference, BOB));
  g_assert_true (confab_conference_find_participant (conference, BOB) != bob);
  g_assert_null (confab_conference_find_participant (conference, "sip:dora@example.com"));
  g_assert_cmpuint (n_participants (conference), ==, 2);
  g_assert_true (participant_at (conference, 0) == alice);
  g_assert_cmpstr (confab_participant_get_display_name (participant_at (conference, 1)), ==,
                   "Bob");
}

static void
test_needs_full (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (RFC_ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);

  g_assert_cmpint (apply_xml (conference, rfc_partial_add), ==,
                   CONFAB_CONFERENCE_NEEDS_FULL);
  g_assert_cmpuint (recorder->updated, ==, 0);
  g_assert_cmpuint (n_participants (conference), ==, 0);
  g_assert_cmpuint (confab_conference_get_version (conference), ==, 0);

  g_assert_cmpint (apply_xml (conference, rfc_full), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpint (apply_xml (conference, rfc_partial_add), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (n_participants (conference), ==, 3);

  /* A new subscription: partials wait for its first full document. */
  confab_conference_reset_version (conference);
  g_assert_cmpint (apply_xml (conference, rfc_partial_hold), ==,
                   CONFAB_CONFERENCE_NEEDS_FULL);
  g_assert_cmpint (apply_xml (conference, rfc_full), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (confab_conference_get_version (conference), ==, 1);
  /* Carlos was not in it. */
  g_assert_cmpuint (n_participants (conference), ==, 2);
}

static void
test_wrong_room (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new ("sip:room2@conference.rig.test");
  g_autoptr (ConfabConference) upper = confab_conference_new ("SIP:Room1@Conference.Rig.Test");
  g_autoptr (ConfabConference) bare = confab_conference_new ("room1@conference.rig.test");
  g_autoptr (ConfabConference) sips = confab_conference_new (RFC_ROOM);
  g_autoptr (ConfabConference) plain_sip = confab_conference_new ("sip:conf233@example.com");
  g_autoptr (Recorder) recorder = recorder_new (conference);

  g_assert_cmpint (apply_xml (conference, sylk_v6), ==, CONFAB_CONFERENCE_WRONG_ROOM);
  g_assert_cmpuint (recorder->updated, ==, 0);
  g_assert_cmpuint (n_participants (conference), ==, 0);
  g_assert_cmpuint (confab_conference_get_version (conference), ==, 0);

  /* Case does not matter, nor the sip: scheme. */
  g_assert_cmpint (apply_xml (upper, sylk_v6), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpint (apply_xml (bare, sylk_v6), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpint (apply_xml (plain_sip, rfc_full), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpint (apply_xml (sips, rfc_full), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpint (apply_xml (sips, sylk_v6), ==, CONFAB_CONFERENCE_WRONG_ROOM);
}

static void
test_is_self (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);
  NotifyCounter carol_notify;
  NotifyCounter conference_notify;
  ConfabParticipant *carol;
  ConfabParticipant *dave;
  g_autofree char *self_uri = NULL;

  confab_conference_set_self_uri (conference, "\"Carol\" <SIP:Carol@127.0.0.1;transport=tls>");
  g_assert_cmpint (apply_xml (conference, sylk_v6), ==, CONFAB_CONFERENCE_APPLIED);
  carol = confab_conference_find_participant (conference, CAROL);
  dave = confab_conference_find_participant (conference, DAVE);
  g_assert_true (confab_participant_is_self (carol));
  g_assert_false (confab_participant_is_self (dave));

  notify_counter_watch (&carol_notify, carol);
  notify_counter_watch (&conference_notify, conference);
  recorder_reset (recorder);
  g_object_set (conference, "self-uri", "sip:dave@127.0.0.1", NULL);
  g_assert_false (confab_participant_is_self (carol));
  g_assert_true (confab_participant_is_self (dave));
  g_assert_cmpuint (notify_count (&carol_notify, "is-self"), ==, 1);
  g_assert_cmpuint (carol_notify.total, ==, 1);
  g_assert_cmpuint (notify_count (&conference_notify, "self-uri"), ==, 1);
  assert_events (recorder, "changed " CAROL ", changed " DAVE);
  g_object_get (conference, "self-uri", &self_uri, NULL);
  g_assert_cmpstr (self_uri, ==, "sip:dave@127.0.0.1");

  /* The same again: nothing. */
  notify_counter_reset (&carol_notify);
  notify_counter_reset (&conference_notify);
  confab_conference_set_self_uri (conference, "sip:dave@127.0.0.1");
  g_assert_cmpuint (carol_notify.total, ==, 0);
  g_assert_cmpuint (conference_notify.total, ==, 0);

  confab_conference_set_self_uri (conference, NULL);
  g_assert_false (confab_participant_is_self (dave));
  g_assert_null (confab_conference_get_self_uri (conference));
  notify_counter_unwatch (&carol_notify, carol);
  notify_counter_unwatch (&conference_notify, conference);
}

static void
test_user_count (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (RFC_ROOM);
  NotifyCounter counter;
  static const char counted[] =
    "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
    "entity=\"sips:conf233@example.com\" state=\"partial\" version=\"3\"><conference-state>"
    "<user-count>40</user-count></conference-state></conference-info>";
  static const char full_without_count[] =
    "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
    "entity=\"sips:conf233@example.com\" state=\"full\" version=\"4\"><users><user "
    "entity=\"sip:bob@example.com\"/></users></conference-info>";

  g_assert_cmpint (apply_xml (conference, rfc_full), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 2);
  notify_counter_watch (&counter, conference);

  g_assert_cmpint (apply_xml (conference, rfc_partial_add), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 3);
  g_assert_cmpuint (notify_count (&counter, "user-count"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "version"), ==, 1);

  /* The document's count wins over ours (a big room lists only some). */
  notify_counter_reset (&counter);
  g_assert_cmpint (apply_xml (conference, counted), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 40);
  g_assert_cmpuint (n_participants (conference), ==, 3);
  g_assert_cmpuint (notify_count (&counter, "user-count"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "subject"), ==, 0);
  g_assert_cmpuint (notify_count (&counter, "active"), ==, 0);

  /* A full document without it: counted again; absent state resets. */
  notify_counter_reset (&counter);
  g_assert_cmpint (apply_xml (conference, full_without_count), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 1);
  g_assert_null (confab_conference_get_subject (conference));
  g_assert_false (confab_conference_get_active (conference));
  g_assert_cmpuint (notify_count (&counter, "user-count"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "subject"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "active"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "locked"), ==, 0);
  notify_counter_unwatch (&counter, conference);
}

static char *
files_document (guint              version,
                const char *const *files)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml,
                          "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
                          "xmlns:agp=\"urn:ag-projects:xml:ns:conference-info\" entity=\"" ROOM
                          "\" state=\"full\" version=\"%u\"><conference-description>"
                          "<agp:resources><agp:files>",
                          version);
  /* name|hash|size|status */
  for (guint i = 0; files[i]; i++) {
    g_auto (GStrv) parts = g_strsplit (files[i], "|", 4);

    g_string_append_printf (xml, "<agp:file name=\"%s\"", parts[0]);
    if (*parts[1])
      g_string_append_printf (xml, " hash=\"%s\"", parts[1]);
    g_string_append_printf (xml, " size=\"%s\" sender=\"carol &lt;" CAROL "&gt;\" "
                                 "status=\"%s\"/>", parts[2], parts[3]);
  }
  g_string_append (xml, "</agp:files></agp:resources></conference-description><users>"
                        "<user entity=\"" CAROL "\"/></users></conference-info>");
  return g_string_free (xml, FALSE);
}

static ConfabRoomFile *
file_at (ConfabConference *conference,
         guint             position)
{
  g_autoptr (ConfabRoomFile) file =
    g_list_model_get_item (confab_conference_get_files (conference), position);

  return file;
}

static void
test_files (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);
  GListModel *files = confab_conference_get_files (conference);
  const char *one[] = { "a.txt|sha-1:AA|10|OK", NULL };
  const char *two[] = { "a.txt|sha-1:AA|10|OK", "b.png|sha-1:BB|20|OK", NULL };
  const char *renamed[] = { "a (1).txt|sha-1:AA|11|OK", "b.png|sha-1:BB|20|OK", NULL };
  const char *no_hash[] = { "b.png|sha-1:BB|20|OK", "c.txt||5|OK", NULL };
  const char *no_hash_again[] = { "b.png|sha-1:BB|20|OK", "c.txt||6|OK", NULL };
  const char *none[] = { NULL };
  g_autofree char *v1 = files_document (1, one);
  g_autofree char *v2 = files_document (2, two);
  g_autofree char *v3 = files_document (3, renamed);
  g_autofree char *v4 = files_document (4, no_hash);
  g_autofree char *v5 = files_document (5, no_hash_again);
  g_autofree char *v6 = files_document (6, none);
  ConfabRoomFile *a;
  ConfabRoomFile *b;
  ConfabRoomFile *c;
  NotifyCounter a_notify;

  g_assert_cmpint (apply_xml (conference, v1), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->files_changed, ==, 1);
  a = file_at (conference, 0);
  notify_counter_watch (&a_notify, a);

  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, v2), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->files_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 2);
  g_assert_true (file_at (conference, 0) == a);
  b = file_at (conference, 1);
  g_assert_cmpstr (confab_room_file_get_name (b), ==, "b.png");
  g_assert_cmpuint (a_notify.total, ==, 0);

  /* Same hash, new name and size: the same object, updated in place. */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, v3), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->files_changed, ==, 0);
  g_assert_true (file_at (conference, 0) == a);
  g_assert_cmpstr (confab_room_file_get_name (a), ==, "a (1).txt");
  g_assert_cmpuint (confab_room_file_get_size (a), ==, 11);
  g_assert_cmpuint (notify_count (&a_notify, "name"), ==, 1);
  g_assert_cmpuint (notify_count (&a_notify, "size"), ==, 1);
  g_assert_cmpuint (a_notify.total, ==, 2);

  /* a goes, c (no hash: keyed by name) comes: one splice between the
   * unchanged head and tail (none here). */
  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, v4), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->files_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 2);
  g_assert_true (file_at (conference, 0) == b);
  c = file_at (conference, 1);
  g_assert_cmpstr (confab_room_file_get_name (c), ==, "c.txt");
  g_assert_null (confab_room_file_get_hash (c));

  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, v5), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->files_changed, ==, 0);
  g_assert_true (file_at (conference, 1) == c);
  g_assert_cmpuint (confab_room_file_get_size (c), ==, 6);

  recorder_reset (recorder);
  g_assert_cmpint (apply_xml (conference, v6), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->files_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 0);
  notify_counter_unwatch (&a_notify, a);
}

/* Documents built by hand, as the SIP side or a test may. */
static ConfabConferenceInfoUser *
make_user (const char *entity,
           const char *display_text,
           const char *status)
{
  ConfabConferenceInfoUser *user = g_new0 (ConfabConferenceInfoUser, 1);
  ConfabConferenceInfoEndpoint *endpoint = g_new0 (ConfabConferenceInfoEndpoint, 1);
  ConfabConferenceInfoMedia *media = g_new0 (ConfabConferenceInfoMedia, 1);

  user->entity = g_strdup (entity);
  user->display_text = g_strdup (display_text);
  user->endpoints =
    g_ptr_array_new_with_free_func ((GDestroyNotify) confab_conference_info_endpoint_free);
  endpoint->entity = g_strconcat (entity, ";gr=1", NULL);
  endpoint->status = g_strdup (status);
  endpoint->media =
    g_ptr_array_new_with_free_func ((GDestroyNotify) confab_conference_info_media_free);
  media->id = g_strdup ("1");
  media->type = g_strdup ("audio");
  media->status = g_strdup ("sendrecv");
  g_ptr_array_add (endpoint->media, media);
  g_ptr_array_add (user->endpoints, endpoint);
  return user;
}

static ConfabConferenceInfo *
make_info (guint32  version,
           gboolean full)
{
  ConfabConferenceInfo *info = g_new0 (ConfabConferenceInfo, 1);

  info->entity = g_strdup (ROOM);
  info->state = full ? CONFAB_CONFERENCE_INFO_FULL : CONFAB_CONFERENCE_INFO_PARTIAL;
  info->version = version;
  info->user_count = -1;
  info->active = -1;
  info->locked = -1;
  info->has_users = TRUE;
  info->users_state = full ? CONFAB_CONFERENCE_INFO_FULL : CONFAB_CONFERENCE_INFO_PARTIAL;
  info->users =
    g_ptr_array_new_with_free_func ((GDestroyNotify) confab_conference_info_user_free);
  return info;
}

static char *
user_entity (guint i)
{
  return g_strdup_printf ("sip:user%05u@example.org", i);
}

static ConfabConferenceInfo *
make_big_info (guint32 version,
               guint   n_users,
               guint   skip_from,
               guint   skip_to)
{
  ConfabConferenceInfo *info = make_info (version, TRUE);

  for (guint i = 0; i < n_users; i++) {
    g_autofree char *entity = NULL;

    if (i >= skip_from && i < skip_to)
      continue;
    entity = user_entity (i);
    g_ptr_array_add (info->users, make_user (entity, NULL, "connected"));
  }
  return info;
}

static void
test_big_room (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);
  g_autoptr (ConfabConferenceInfo) full = make_big_info (1, 10000, 0, 0);
  g_autoptr (ConfabConferenceInfo) same = make_big_info (2, 10000, 0, 0);
  g_autoptr (ConfabConferenceInfo) holes = make_big_info (3, 10000, 100, 200);
  g_autoptr (ConfabConferenceInfo) partial = make_info (4, FALSE);
  ConfabParticipant *first;
  ConfabParticipant *last;
  g_autofree char *entity = NULL;

  /* 10,000 users into an empty room: one items-changed. */
  g_assert_cmpint (confab_conference_apply (conference, full), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpuint (recorder->items_added, ==, 10000);
  g_assert_cmpuint (recorder->joined, ==, 10000);
  g_assert_cmpuint (recorder->updated, ==, 1);
  g_assert_cmpuint (n_participants (conference), ==, 10000);
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 10000);
  first = participant_at (conference, 0);
  last = participant_at (conference, 9999);
  g_assert_cmpstr (confab_participant_get_entity (first), ==, "sip:user00000@example.org");
  g_assert_cmpstr (confab_participant_get_display_name (first), ==, "user00000");
  g_assert_cmpstr (confab_participant_get_entity (last), ==, "sip:user09999@example.org");

  /* The same again: nothing moves. */
  recorder_reset (recorder);
  g_assert_cmpint (confab_conference_apply (conference, same), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->items_changed, ==, 0);
  g_assert_cmpuint (recorder->joined + recorder->left + recorder->changed, ==, 0);
  g_assert_cmpuint (recorder->updated, ==, 1);

  /* 100 contiguous users leave: one splice, 100 signals. */
  recorder_reset (recorder);
  g_assert_cmpint (confab_conference_apply (conference, holes), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpuint (recorder->items_removed, ==, 100);
  g_assert_cmpuint (recorder->left, ==, 100);
  g_assert_cmpuint (n_participants (conference), ==, 9900);
  g_assert_true (participant_at (conference, 0) == first);
  g_assert_true (participant_at (conference, 9899) == last);
  g_assert_cmpstr (confab_participant_get_entity (participant_at (conference, 100)), ==,
                   "sip:user00200@example.org");

  /* Partial: users 300..309 and 500..504 deleted, 2 runs; one added. */
  for (guint i = 0; i < 600; i++) {
    g_autofree char *gone = NULL;
    ConfabConferenceInfoUser *user;

    if (!(i >= 300 && i < 310) && !(i >= 500 && i < 505))
      continue;
    gone = user_entity (i);
    user = make_user (gone, NULL, NULL);
    user->state = CONFAB_CONFERENCE_INFO_DELETED;
    g_ptr_array_add (partial->users, user);
  }
  entity = user_entity (20000);
  g_ptr_array_add (partial->users, make_user (entity, "New Comer", "connected"));
  recorder_reset (recorder);
  g_assert_cmpint (confab_conference_apply (conference, partial), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->left, ==, 15);
  g_assert_cmpuint (recorder->joined, ==, 1);
  g_assert_cmpuint (recorder->items_changed, ==, 3);
  g_assert_cmpuint (recorder->items_removed, ==, 15);
  g_assert_cmpuint (recorder->items_added, ==, 1);
  g_assert_cmpuint (n_participants (conference), ==, 9886);
  g_assert_cmpstr (confab_participant_get_entity (participant_at (conference, 9885)), ==,
                   entity);
}

/* Per-property notify on a participant: only what changed, once. */
static void
test_participant_notify (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);
  g_autoptr (ConfabConferenceInfo) v1 = make_info (1, TRUE);
  g_autoptr (ConfabConferenceInfo) v2 = make_info (2, TRUE);
  g_autoptr (ConfabConferenceInfo) v3 = make_info (3, TRUE);
  g_autoptr (ConfabConferenceInfo) v4 = make_info (4, TRUE);
  ConfabConferenceInfoUser *user;
  ConfabConferenceInfoEndpoint *endpoint;
  ConfabParticipant *carol;
  NotifyCounter counter;

  g_ptr_array_add (v1->users, make_user (CAROL, "Carol Smith", "connected"));
  g_ptr_array_add (v2->users, make_user (CAROL, "Carol Smith", "connected"));
  user = make_user (CAROL, "Carol Smith", "on-hold");
  user->screen_image_url = g_strdup ("https://example.org/carol.jpg");
  g_ptr_array_add (v3->users, user);
  /* Back to the start, plus a second, disconnected endpoint with video. */
  user = make_user (CAROL, "Carol Smith", "connected");
  endpoint = confab_conference_info_endpoint_copy (g_ptr_array_index (user->endpoints, 0));
  g_free (endpoint->entity);
  endpoint->entity = g_strdup ("sip:carol@other");
  g_free (endpoint->status);
  endpoint->status = g_strdup ("disconnected");
  g_free (((ConfabConferenceInfoMedia *) g_ptr_array_index (endpoint->media, 0))->type);
  ((ConfabConferenceInfoMedia *) g_ptr_array_index (endpoint->media, 0))->type =
    g_strdup ("video");
  g_ptr_array_add (user->endpoints, endpoint);
  g_ptr_array_add (v4->users, user);

  g_assert_cmpint (confab_conference_apply (conference, v1), ==, CONFAB_CONFERENCE_APPLIED);
  carol = confab_conference_find_participant (conference, CAROL);
  g_assert_nonnull (carol);
  notify_counter_watch (&counter, carol);

  recorder_reset (recorder);
  g_assert_cmpint (confab_conference_apply (conference, v2), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (counter.total, ==, 0);
  g_assert_cmpuint (recorder->changed, ==, 0);

  recorder_reset (recorder);
  g_assert_cmpint (confab_conference_apply (conference, v3), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_true (confab_conference_find_participant (conference, CAROL) == carol);
  g_assert_cmpuint (recorder->changed, ==, 1);
  g_assert_cmpuint (notify_count (&counter, "status"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "on-hold"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "screen-image-url"), ==, 1);
  g_assert_cmpuint (counter.total, ==, 3);
  g_assert_cmpstr (confab_participant_get_status (carol), ==, "on-hold");
  g_assert_true (confab_participant_get_on_hold (carol));

  notify_counter_reset (&counter);
  recorder_reset (recorder);
  g_assert_cmpint (confab_conference_apply (conference, v4), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (recorder->changed, ==, 1);
  g_assert_cmpuint (notify_count (&counter, "status"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "on-hold"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "screen-image-url"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "media"), ==, 0);
  g_assert_cmpuint (counter.total, ==, 3);
  g_assert_null (confab_participant_get_screen_image_url (carol));
  /* The disconnected endpoint's video does not count. */
  g_assert_cmpstrv (confab_participant_get_media (carol), ((const char *[]){ "audio", NULL }));
  g_assert_true (confab_participant_has_media (carol, "audio"));
  g_assert_false (confab_participant_has_media (carol, "video"));
  g_assert_cmpuint (confab_participant_get_endpoints (carol)->len, ==, 2);
  notify_counter_unwatch (&counter, carol);
}

static ConfabParticipant *
participant_from (const char *entity,
                  const char *display_text)
{
  ConfabConferenceInfoUser *user = make_user (entity, display_text, "connected");
  ConfabParticipant *participant = _confab_participant_new (user);

  confab_conference_info_user_free (user);
  return participant;
}

static void
test_participant_derived (void)
{
  g_autoptr (ConfabParticipant) carol = participant_from ("sip:carol@x", NULL);
  g_autoptr (ConfabParticipant) smith = participant_from ("sip:cs@x", "Carol Smith");
  g_autoptr (ConfabParticipant) dave = participant_from ("sips:dave@x;transport=tls", "");
  g_autoptr (ConfabParticipant) umlaut = participant_from ("sip:u@x", "  émile  über zola ");
  g_autoptr (ConfabParticipant) escaped = participant_from ("sip:j%C3%BCrgen@x", NULL);
  g_autoptr (ConfabParticipant) number = participant_from ("tel:+4930123", NULL);
  ConfabConferenceInfoUser *user = make_user ("sip:eve@x", "Eve", "connected");
  g_autoptr (ConfabParticipant) eve = NULL;
  g_autofree char *initials = NULL;
  ConfabConferenceInfoEndpoint *second;
  ConfabConferenceInfoMedia *media;
  g_autoptr (GDateTime) early = g_date_time_new_utc (2020, 1, 1, 10, 0, 0);
  g_autoptr (GDateTime) late = g_date_time_new_utc (2020, 1, 1, 11, 0, 0);
  g_auto (GStrv) media_value = NULL;
  gboolean on_hold;

  g_assert_cmpstr (confab_participant_get_display_name (carol), ==, "carol");
  g_assert_cmpstr (confab_participant_get_display_name (dave), ==, "dave");
  g_assert_cmpstr (confab_participant_get_display_name (escaped), ==, "jürgen");
  g_assert_cmpstr (confab_participant_get_display_name (number), ==, "+4930123");
  g_assert_false (confab_participant_is_self (carol));
  g_assert_cmpstrv (confab_participant_get_roles (carol), ((const char *[]){ NULL }));

  initials = confab_participant_dup_initials (smith);
  g_assert_cmpstr (initials, ==, "CS");
  g_clear_pointer (&initials, g_free);
  initials = confab_participant_dup_initials (carol);
  g_assert_cmpstr (initials, ==, "C");
  g_clear_pointer (&initials, g_free);
  initials = confab_participant_dup_initials (umlaut);
  g_assert_cmpstr (initials, ==, "ÉÜ");
  g_clear_pointer (&initials, g_free);
  initials = confab_participant_dup_initials (number);
  g_assert_cmpstr (initials, ==, "4");
  g_clear_pointer (&initials, g_free);

  /* Two endpoints: connected wins; audio recvonly mutes; earliest join. */
  second = confab_conference_info_endpoint_copy (g_ptr_array_index (user->endpoints, 0));
  g_free (second->entity);
  second->entity = g_strdup ("sip:eve@phone");
  g_free (second->status);
  second->status = g_strdup ("alerting");
  ((ConfabConferenceInfoEndpoint *) g_ptr_array_index (user->endpoints, 0))->joined_at =
    g_date_time_ref (late);
  second->joined_at = g_date_time_ref (early);
  g_ptr_array_insert (user->endpoints, 0, second);
  eve = _confab_participant_new (user);
  g_assert_cmpstr (confab_participant_get_status (eve), ==, "connected");
  g_assert_true (g_date_time_equal (confab_participant_get_joined_at (eve), early));
  g_assert_false (confab_participant_get_muted (eve));

  media = g_ptr_array_index (((ConfabConferenceInfoEndpoint *) g_ptr_array_index (user->endpoints,
                                                                                  1))->media, 0);
  g_free (media->status);
  media->status = g_strdup ("recvonly");
  g_assert_true (_confab_participant_replace (eve, user));
  g_assert_true (confab_participant_get_muted (eve));
  g_assert_false (confab_participant_get_on_hold (eve));
  g_assert_false (_confab_participant_replace (eve, user));

  /* The GObject properties say the same as the getters. */
  g_object_get (eve, "media", &media_value, "on-hold", &on_hold, NULL);
  g_assert_cmpstrv (media_value, ((const char *[]){ "audio", NULL }));
  g_assert_false (on_hold);

  g_assert_true (_confab_participant_set_is_self (eve, TRUE));
  g_assert_false (_confab_participant_set_is_self (eve, TRUE));
  g_assert_true (confab_participant_is_self (eve));
  confab_conference_info_user_free (user);
}

static void
test_clear (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (ROOM);
  g_autoptr (Recorder) recorder = recorder_new (conference);

  g_assert_cmpint (apply_xml (conference, sylk_v6), ==, CONFAB_CONFERENCE_APPLIED);
  recorder_reset (recorder);
  confab_conference_clear (conference);
  assert_events (recorder, "left " CAROL ", left " DAVE);
  g_assert_cmpuint (recorder->items_changed, ==, 1);
  g_assert_cmpuint (recorder->files_changed, ==, 1);
  g_assert_cmpuint (n_participants (conference), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (confab_conference_get_files (conference)), ==, 0);
  g_assert_null (confab_conference_find_participant (conference, CAROL));
  g_assert_cmpuint (confab_conference_get_user_count (conference), ==, 0);

  /* Emptied: the next document must be full, whatever its version. */
  g_assert_cmpint (apply_xml (conference, sylk_v6), ==, CONFAB_CONFERENCE_APPLIED);
  g_assert_cmpuint (n_participants (conference), ==, 2);

  recorder_reset (recorder);
  confab_conference_clear (conference);
  confab_conference_clear (conference);
  g_assert_cmpuint (recorder->left, ==, 2);
}

static void
test_apply_xml_errors (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (ROOM);
  g_autoptr (GError) error = NULL;
  ConfabConferenceApplyResult result = CONFAB_CONFERENCE_APPLIED;
  static const char broken[] = "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-";

  g_assert_false (confab_conference_apply_xml (conference, broken, strlen (broken), &result,
                                               &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_assert_cmpuint (n_participants (conference), ==, 0);
}

static guint destroyed;

static void
count_destroy (gpointer data)
{
  g_assert_cmpuint (GPOINTER_TO_UINT (data), ==, destroyed + 1);
  destroyed++;
}

static void
on_refer_progress (ConfabConference           *conference,
                   const char                 *uri,
                   ConfabConferenceReferMethod method,
                   guint                       status,
                   const char                 *phrase,
                   GString                    *log)
{
  g_string_append_printf (log, "%s %s %u %s;", uri,
                          confab_conference_refer_method_to_string (method), status, phrase);
}

static void
test_subscription_and_sip (void)
{
  g_autoptr (ConfabConference) conference = confab_conference_new (ROOM);
  g_autoptr (GString) log = g_string_new (NULL);
  NotifyCounter counter;
  ConfabConferenceSubscriptionState state;

  g_assert_cmpint (confab_conference_get_subscription_state (conference), ==,
                   CONFAB_CONFERENCE_SUBSCRIPTION_IDLE);
  notify_counter_watch (&counter, conference);

  _confab_conference_set_subscription_state (conference,
                                             CONFAB_CONFERENCE_SUBSCRIPTION_SUBSCRIBING, NULL);
  _confab_conference_set_subscription_state (conference,
                                             CONFAB_CONFERENCE_SUBSCRIPTION_SUBSCRIBING, NULL);
  g_assert_cmpuint (notify_count (&counter, "subscription-state"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "subscription-error"), ==, 0);

  /* An error is kept only with FAILED. */
  _confab_conference_set_subscription_state (conference, CONFAB_CONFERENCE_SUBSCRIPTION_ACTIVE,
                                             "ignored");
  g_assert_null (confab_conference_get_subscription_error (conference));
  _confab_conference_set_subscription_state (conference, CONFAB_CONFERENCE_SUBSCRIPTION_FAILED,
                                             "The room does not exist.");
  g_assert_cmpstr (confab_conference_get_subscription_error (conference), ==,
                   "The room does not exist.");
  g_object_get (conference, "subscription-state", &state, NULL);
  g_assert_cmpint (state, ==, CONFAB_CONFERENCE_SUBSCRIPTION_FAILED);
  g_assert_cmpuint (notify_count (&counter, "subscription-state"), ==, 3);
  g_assert_cmpuint (notify_count (&counter, "subscription-error"), ==, 1);
  _confab_conference_set_subscription_state (conference, CONFAB_CONFERENCE_SUBSCRIPTION_IDLE,
                                             NULL);
  g_assert_null (confab_conference_get_subscription_error (conference));
  g_assert_cmpuint (notify_count (&counter, "subscription-error"), ==, 2);
  notify_counter_unwatch (&counter, conference);

  g_assert_cmpstr (confab_conference_subscription_state_to_string (
                     CONFAB_CONFERENCE_SUBSCRIPTION_PENDING), ==, "pending");
  g_assert_cmpstr (confab_conference_subscription_state_to_string (
                     CONFAB_CONFERENCE_SUBSCRIPTION_FAILED), ==, "failed");
  g_assert_cmpstr (confab_conference_refer_method_to_string (CONFAB_CONFERENCE_REFER_BYE), ==,
                   "BYE");

  g_signal_connect (conference, "refer-progress", G_CALLBACK (on_refer_progress), log);
  _confab_conference_emit_refer_progress (conference, "sip:bob@x", CONFAB_CONFERENCE_REFER_INVITE,
                                          202, "Accepted");
  _confab_conference_emit_refer_progress (conference, "sip:bob@x", CONFAB_CONFERENCE_REFER_INVITE,
                                          200, "OK");
  g_assert_cmpstr (log->str, ==, "sip:bob@x INVITE 202 Accepted;sip:bob@x INVITE 200 OK;");

  /* The SIP side's state: destroyed when replaced and on dispose. */
  destroyed = 0;
  g_assert_null (_confab_conference_get_sip (conference));
  _confab_conference_set_sip (conference, GUINT_TO_POINTER (1), count_destroy);
  g_assert_true (_confab_conference_get_sip (conference) == GUINT_TO_POINTER (1));
  _confab_conference_set_sip (conference, GUINT_TO_POINTER (2), count_destroy);
  g_assert_cmpuint (destroyed, ==, 1);
  g_clear_object (&conference);
  g_assert_cmpuint (destroyed, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conference/sylkserver-sequence", test_sylkserver_sequence);
  g_test_add_func ("/conference/rfc-partial", test_rfc_partial);
  g_test_add_func ("/conference/partial-endpoints", test_partial_endpoints);
  g_test_add_func ("/conference/needs-full", test_needs_full);
  g_test_add_func ("/conference/wrong-room", test_wrong_room);
  g_test_add_func ("/conference/is-self", test_is_self);
  g_test_add_func ("/conference/user-count", test_user_count);
  g_test_add_func ("/conference/files", test_files);
  g_test_add_func ("/conference/big-room", test_big_room);
  g_test_add_func ("/conference/participant-notify", test_participant_notify);
  g_test_add_func ("/conference/participant-derived", test_participant_derived);
  g_test_add_func ("/conference/clear", test_clear);
  g_test_add_func ("/conference/apply-xml-errors", test_apply_xml_errors);
  g_test_add_func ("/conference/subscription-and-sip", test_subscription_and_sip);

  return g_test_run ();
}
