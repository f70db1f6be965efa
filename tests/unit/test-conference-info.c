/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "conference/confab-conference-info.h"

#include <libxml/parserInternals.h>

#include <string.h>
#include <sys/resource.h>

/* conference-info (RFC 4575): what SylkServer sends, RFC-style partial
 * updates, every bound of the header, malformed documents, hostile ones
 * (XXE, entity bombs, external DTDs, deep nesting, oversize) and a
 * 10,000-user room parsed against the clock. */

#define NS  "urn:ietf:params:xml:ns:conference-info"
#define AGP "urn:ag-projects:xml:ns:conference-info"
#define ROOT_OPEN(attributes) \
  "<conference-info xmlns=\"" NS "\" xmlns:agp=\"" AGP "\" " attributes ">"
#define DOC(body) \
  ROOT_OPEN ("entity=\"sip:room@example.com\" version=\"1\"") body "</conference-info>"

/* The time bounds below only tell a hang from work (the parse times are
 * figures of bench-conference): generous, since the suite runs two tests
 * at once on two cores. Sanitizers slow the parser down several times. */
#define HANG_GUARD (10 * G_USEC_PER_SEC)
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define TIME_FACTOR 10
#else
#define TIME_FACTOR 1
#endif

static ConfabConferenceInfo *
parse_ok_len (const char *text,
              gsize       length)
{
  g_autoptr (GError) error = NULL;
  ConfabConferenceInfo *info = confab_conference_info_parse (text, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_nonnull (info->entity);
  g_assert_nonnull (info->users);
  return info;
}

static ConfabConferenceInfo *
parse_ok (const char *text)
{
  return parse_ok_len (text, strlen (text));
}

static void
parse_fails_len (const char *text,
                 gsize       length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabConferenceInfo) info = confab_conference_info_parse (text, length, &error);

  if (info)
    g_error ("parsed what should fail: %.*s", (int) MIN (length, 200), text);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), <, 512);
}

static void
parse_fails (const char *text)
{
  parse_fails_len (text, strlen (text));
}

static ConfabConferenceInfo *
parse_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "conference", name, NULL);
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return parse_ok_len (data, length);
}

static ConfabConferenceInfoUser *
user_at (const ConfabConferenceInfo *info,
         guint                       index)
{
  g_assert_cmpuint (index, <, info->users->len);
  return g_ptr_array_index (info->users, index);
}

static ConfabConferenceInfoEndpoint *
endpoint_at (const ConfabConferenceInfoUser *user,
             guint                           index)
{
  g_assert_cmpuint (index, <, user->endpoints->len);
  return g_ptr_array_index (user->endpoints, index);
}

static ConfabConferenceInfoMedia *
media_at (const ConfabConferenceInfoEndpoint *endpoint,
          guint                               index)
{
  g_assert_cmpuint (index, <, endpoint->media->len);
  return g_ptr_array_index (endpoint->media, index);
}

/* What every SylkServer document says about the room. */
static void
assert_sylk_room (const ConfabConferenceInfo *info)
{
  g_assert_cmpstr (info->entity, ==, "sip:room1@conference.rig.test");
  g_assert_cmpint (info->state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_true (info->has_description);
  g_assert_cmpstr (info->display_text, ==, "Ad-hoc conference");
  g_assert_cmpstr (info->subject, ==, "");
  g_assert_cmpstr (info->free_text, ==, "Hosted by SylkServer-6.6.1");
  g_assert_cmpint (info->active, ==, 1);
  g_assert_cmpint (info->locked, ==, -1);
  g_assert_true (info->has_users);
  g_assert_cmpint (info->users_state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_cmpint (info->user_count, ==, info->users->len);
}

static void
assert_sylk_user (const ConfabConferenceInfoUser *user,
                  const char                     *name,
                  const char                     *contact,
                  const char                     *media_id,
                  int                             second,
                  int                             microsecond)
{
  g_autofree char *aor = g_strdup_printf ("sip:%s@127.0.0.1", name);
  ConfabConferenceInfoEndpoint *endpoint;
  ConfabConferenceInfoMedia *media;

  g_assert_cmpstr (user->entity, ==, aor);
  g_assert_cmpint (user->state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_cmpstr (user->display_text, ==, name);
  g_assert_null (user->roles);
  g_assert_null (user->screen_image_url);
  g_assert_cmpuint (user->endpoints->len, ==, 1);

  endpoint = endpoint_at (user, 0);
  g_assert_cmpstr (endpoint->entity, ==, contact);
  g_assert_cmpint (endpoint->state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_cmpstr (endpoint->display_text, ==, name);
  g_assert_cmpstr (endpoint->status, ==, "connected");
  g_assert_null (endpoint->joining_method);
  g_assert_null (endpoint->referred_by);
  g_assert_nonnull (endpoint->joined_at);
  g_assert_cmpint (g_date_time_get_year (endpoint->joined_at), ==, 2026);
  g_assert_cmpint (g_date_time_get_month (endpoint->joined_at), ==, 11);
  g_assert_cmpint (g_date_time_get_day_of_month (endpoint->joined_at), ==, 21);
  g_assert_cmpint (g_date_time_get_hour (endpoint->joined_at), ==, 12);
  g_assert_cmpint (g_date_time_get_minute (endpoint->joined_at), ==, 1);
  g_assert_cmpint (g_date_time_get_second (endpoint->joined_at), ==, second);
  g_assert_cmpint (g_date_time_get_microsecond (endpoint->joined_at), ==, microsecond);
  g_assert_cmpint (g_date_time_get_utc_offset (endpoint->joined_at), ==, 0);
  g_assert_cmpuint (endpoint->media->len, ==, 1);

  media = media_at (endpoint, 0);
  g_assert_cmpstr (media->id, ==, media_id);
  g_assert_cmpstr (media->type, ==, "message");
  g_assert_null (media->display_text);
  g_assert_null (media->label);
  g_assert_null (media->status);
}

static void
assert_carol (const ConfabConferenceInfoUser *user)
{
  assert_sylk_user (user, "carol", "sip:57408631@127.0.0.1:15080;transport=tcp",
                    "139699198682192", 14, 643328);
}

static void
assert_dave (const ConfabConferenceInfoUser *user)
{
  assert_sylk_user (user, "dave", "sip:82356791@127.0.0.1:15100;transport=tcp",
                    "139699113640336", 18, 174715);
}

static void
assert_sylk_file (const ConfabConferenceInfo *info)
{
  ConfabConferenceInfoFile *file;

  g_assert_nonnull (info->files);
  g_assert_cmpuint (info->files->len, ==, 1);
  file = g_ptr_array_index (info->files, 0);
  g_assert_cmpstr (file->name, ==, "hello-1.txt");
  g_assert_cmpstr (file->hash, ==,
                   "sha-1:14:F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BA");
  g_assert_cmpuint (file->size, ==, 68);
  g_assert_cmpstr (file->sender, ==, "carol <sip:carol@127.0.0.1>");
  g_assert_cmpstr (file->status, ==, "OK");
}

/* carol joins an empty room */
static void
test_sylk_one_user (void)
{
  g_autoptr (ConfabConferenceInfo) info = parse_fixture ("sylk-v2.xml");

  assert_sylk_room (info);
  g_assert_cmpuint (info->version, ==, 2);
  g_assert_null (info->files);
  g_assert_cmpuint (info->users->len, ==, 1);
  assert_carol (user_at (info, 0));
}

/* dave joins */
static void
test_sylk_two_users (void)
{
  g_autoptr (ConfabConferenceInfo) info = parse_fixture ("sylk-v4.xml");

  assert_sylk_room (info);
  g_assert_cmpuint (info->version, ==, 4);
  g_assert_null (info->files);
  g_assert_cmpuint (info->users->len, ==, 2);
  assert_carol (user_at (info, 0));
  assert_dave (user_at (info, 1));
}

/* carol uploads a file to the room (AG Projects extension) */
static void
test_sylk_files (void)
{
  g_autoptr (ConfabConferenceInfo) info = parse_fixture ("sylk-v6-files.xml");

  assert_sylk_room (info);
  g_assert_cmpuint (info->version, ==, 6);
  assert_sylk_file (info);
  g_assert_cmpuint (info->users->len, ==, 2);
  assert_carol (user_at (info, 0));
  assert_dave (user_at (info, 1));
}

/* dave leaves, then carol: the room keeps its file */
static void
test_sylk_leaving (void)
{
  g_autoptr (ConfabConferenceInfo) one = parse_fixture ("sylk-v8-files.xml");
  g_autoptr (ConfabConferenceInfo) none = parse_fixture ("sylk-v9-empty.xml");

  assert_sylk_room (one);
  g_assert_cmpuint (one->version, ==, 8);
  assert_sylk_file (one);
  g_assert_cmpuint (one->users->len, ==, 1);
  assert_carol (user_at (one, 0));

  assert_sylk_room (none);
  g_assert_cmpuint (none->version, ==, 9);
  assert_sylk_file (none);
  g_assert_cmpint (none->user_count, ==, 0);
  g_assert_cmpuint (none->users->len, ==, 0);
}

/* Every fixture parses; sylk-vN.xml has version N. */
static void
test_fixtures (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "conference", NULL);
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_sylk = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing))) {
    g_autoptr (ConfabConferenceInfo) info = NULL;

    if (!g_str_has_suffix (name, ".xml"))
      continue;
    info = parse_fixture (name);
    if (g_str_has_prefix (name, "sylk-v")) {
      assert_sylk_room (info);
      g_assert_cmpuint (info->version, ==, g_ascii_strtoull (name + strlen ("sylk-v"), NULL, 10));
      g_assert_true ((info->files != NULL) == (strstr (name, "files") || strstr (name, "empty")));
      n_sylk++;
    }
  }
  g_assert_cmpuint (n_sylk, ==, 8);
}

/* Every conference-info body in ../shared/wire-samples, when that folder
 * is present. */
static void
test_wire_samples (void)
{
  static const char content_type[] = "Content-Type: application/conference-info+xml\r\nContent-Length:";
  g_autofree char *dir = g_strdup (g_getenv ("CONFAB_WIRE_SAMPLES"));
  g_autoptr (GDir) listing = NULL;
  const char *name;
  guint n_bodies = 0;

  if (!dir)
    dir = g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "wire-samples", NULL);
  listing = g_dir_open (dir, 0, NULL);
  if (!listing) {
    g_test_skip ("wire-samples not found (set CONFAB_WIRE_SAMPLES)");
    return;
  }
  while ((name = g_dir_read_name (listing))) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autofree char *data = NULL;
    gsize length;

    if (!g_str_has_suffix (name, ".txt") || !g_file_get_contents (path, &data, &length, NULL))
      continue;
    for (const char *p = data; (p = strstr (p, content_type));) {
      g_autoptr (ConfabConferenceInfo) info = NULL;
      const char *body;
      guint64 body_length;

      p += strlen (content_type);
      body_length = g_ascii_strtoull (p, NULL, 10);
      body = strstr (p, "\r\n\r\n");
      g_assert_nonnull (body);
      body += 4;
      g_assert_cmpuint (body_length, <=, length - (body - data));
      info = parse_ok_len (body, body_length);
      g_assert_cmpuint (info->version, >, 0);
      g_assert_cmpint (info->user_count, ==, info->users->len);
      for (guint i = 0; i < info->users->len; i++) {
        ConfabConferenceInfoUser *user = user_at (info, i);

        g_assert_cmpuint (user->endpoints->len, ==, 1);
        g_assert_nonnull (endpoint_at (user, 0)->joined_at);
      }
      n_bodies++;
    }
  }
  if (n_bodies == 0)
    g_test_skip ("no conference-info bodies in the wire samples");
  else
    g_test_message ("%u conference-info bodies", n_bodies);
}

static void
test_rfc_partial (void)
{
  g_autoptr (ConfabConferenceInfo) info = parse_fixture ("rfc4575-partial.xml");
  ConfabConferenceInfoUser *bob;
  ConfabConferenceInfoUser *alice;
  ConfabConferenceInfoEndpoint *laptop;
  ConfabConferenceInfoMedia *audio;

  g_assert_cmpstr (info->entity, ==, "sips:conf233@example.com");
  g_assert_cmpint (info->state, ==, CONFAB_CONFERENCE_INFO_PARTIAL);
  g_assert_cmpuint (info->version, ==, 2);
  g_assert_true (info->has_description);
  g_assert_null (info->display_text);
  g_assert_cmpstr (info->subject, ==, "Agenda: status of the project");
  g_assert_null (info->free_text);
  g_assert_null (info->files);
  g_assert_cmpint (info->user_count, ==, 33);
  g_assert_cmpint (info->active, ==, -1);
  g_assert_cmpint (info->locked, ==, 0);
  g_assert_true (info->has_users);
  g_assert_cmpint (info->users_state, ==, CONFAB_CONFERENCE_INFO_PARTIAL);
  g_assert_cmpuint (info->users->len, ==, 2);

  bob = user_at (info, 0);
  g_assert_cmpstr (bob->entity, ==, "sip:bob@example.com");
  g_assert_cmpint (bob->state, ==, CONFAB_CONFERENCE_INFO_PARTIAL);
  g_assert_cmpstr (bob->display_text, ==, "Bob Hoskins");
  g_assert_nonnull (bob->roles);
  g_assert_cmpuint (g_strv_length (bob->roles), ==, 2);
  g_assert_cmpstr (bob->roles[0], ==, "participant");
  g_assert_cmpstr (bob->roles[1], ==, "presenter");
  g_assert_cmpuint (bob->endpoints->len, ==, 1);

  laptop = endpoint_at (bob, 0);
  g_assert_cmpstr (laptop->entity, ==, "sip:bob@pc33.example.com");
  g_assert_cmpint (laptop->state, ==, CONFAB_CONFERENCE_INFO_PARTIAL);
  g_assert_cmpstr (laptop->display_text, ==, "Bob's Laptop");
  g_assert_cmpstr (laptop->status, ==, "disconnecting");
  g_assert_cmpstr (laptop->joining_method, ==, "dialed-out");
  g_assert_cmpstr (laptop->referred_by, ==, "sip:alice@example.com");
  g_assert_nonnull (laptop->joined_at);
  g_assert_cmpint (g_date_time_to_unix (laptop->joined_at), ==, 1109966400);
  g_assert_cmpuint (laptop->media->len, ==, 1);

  audio = media_at (laptop, 0);
  g_assert_cmpstr (audio->id, ==, "1");
  g_assert_cmpstr (audio->type, ==, "audio");
  g_assert_cmpstr (audio->display_text, ==, "main audio");
  g_assert_cmpstr (audio->label, ==, "34567");
  g_assert_cmpstr (audio->status, ==, "sendonly");

  alice = user_at (info, 1);
  g_assert_cmpstr (alice->entity, ==, "sip:alice@example.com");
  g_assert_cmpint (alice->state, ==, CONFAB_CONFERENCE_INFO_DELETED);
  g_assert_null (alice->display_text);
  g_assert_null (alice->roles);
  g_assert_cmpuint (alice->endpoints->len, ==, 0);
}

static void
test_rfc_full (void)
{
  g_autoptr (ConfabConferenceInfo) info = parse_fixture ("rfc4575-full.xml");
  ConfabConferenceInfoEndpoint *laptop;

  g_assert_cmpint (info->state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_cmpuint (info->version, ==, 1);
  g_assert_cmpstr (info->subject, ==, "Agenda: This month's goals");
  /* host-info/display-text is not the conference's */
  g_assert_null (info->display_text);
  g_assert_cmpint (info->users_state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_cmpuint (info->users->len, ==, 2);
  laptop = endpoint_at (user_at (info, 0), 0);
  g_assert_cmpint (laptop->state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_cmpstr (laptop->status, ==, "disconnected");
  /* disconnection-info/when is not joining-info/when */
  g_assert_null (laptop->joined_at);
  g_assert_cmpstr (media_at (laptop, 0)->status, ==, "sendrecv");
  g_assert_cmpstr (endpoint_at (user_at (info, 1), 0)->joining_method, ==, "dialed-out");
}

/* What a minimal document leaves unset, and the odd corners. */
static void
test_defaults (void)
{
  g_autoptr (ConfabConferenceInfo) bare = parse_ok (
    "<conference-info xmlns=\"" NS "\" entity=\"sip:room@example.com\" version=\"0\"/>");
  g_autoptr (ConfabConferenceInfo) deleted = parse_ok (
    "<conference-info xmlns=\"" NS "\" entity=\"sip:room@example.com\" version=\" 4294967295 \""
    " state=\"deleted\"/>");
  /* no namespace at all is read as RFC 4575 */
  g_autoptr (ConfabConferenceInfo) plain = parse_ok (
    "<conference-info entity=\"e\" version=\"3\"><users><user entity=\"sip:a@b\"/></users>"
    "</conference-info>");
  g_autoptr (ConfabConferenceInfo) odd = parse_ok (DOC (
    "<conference-description>"
    "<display-text>  </display-text><subject></subject><free-text/>"
    "<agp:resources><agp:files/></agp:resources>"
    "</conference-description>"
    "<conference-state><user-count> 7 </user-count><active>0</active><locked>1</locked></conference-state>"
    "<x:users xmlns:x=\"urn:example:other\"><user entity=\"sip:ignored@example.com\"/></x:users>"
    "<users>"
    "<user entity=\"sip:a@example.com\">"
    "<display-text>first</display-text><display-text>\n  Ann  \n</display-text>"
    "<roles/>"
    "<agp:screen_image_url>https://example.com/a.jpg</agp:screen_image_url>"
    "<unknown><endpoint entity=\"nested, not read\"/></unknown>"
    "<endpoint><joining-info><when>yesterday</when></joining-info><media/></endpoint>"
    "<endpoint entity=\"sip:a@host\" state=\"partial\">"
    "<joining-info><when>2026-11-21T12:01:14</when></joining-info>"
    "<media id=\"m\"><type>audio</type><status>inactive</status><x:type xmlns:x=\"urn:x\">x</x:type></media>"
    "</endpoint>"
    "</user>"
    "<user entity=\"sip:b@example.com\" state=\"deleted\"><roles><entry>a</entry></roles>"
    "<roles><entry>b</entry><other/></roles></user>"
    "</users>"
    "<users state=\"partial\"><user entity=\"sip:c@example.com\"/></users>"));
  ConfabConferenceInfoUser *ann;
  ConfabConferenceInfoEndpoint *endpoint;
  ConfabConferenceInfoMedia *media;

  g_assert_cmpint (bare->state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_cmpuint (bare->version, ==, 0);
  g_assert_false (bare->has_description);
  g_assert_null (bare->display_text);
  g_assert_null (bare->subject);
  g_assert_null (bare->free_text);
  g_assert_null (bare->files);
  g_assert_cmpint (bare->user_count, ==, -1);
  g_assert_cmpint (bare->active, ==, -1);
  g_assert_cmpint (bare->locked, ==, -1);
  g_assert_false (bare->has_users);
  g_assert_cmpint (bare->users_state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_cmpuint (bare->users->len, ==, 0);

  g_assert_cmpint (deleted->state, ==, CONFAB_CONFERENCE_INFO_DELETED);
  g_assert_cmpuint (deleted->version, ==, G_MAXUINT32);

  g_assert_cmpuint (plain->version, ==, 3);
  g_assert_cmpuint (plain->users->len, ==, 1);
  g_assert_cmpstr (user_at (plain, 0)->entity, ==, "sip:a@b");

  g_assert_true (odd->has_description);
  g_assert_cmpstr (odd->display_text, ==, "");
  g_assert_cmpstr (odd->subject, ==, "");
  g_assert_cmpstr (odd->free_text, ==, "");
  g_assert_nonnull (odd->files);
  g_assert_cmpuint (odd->files->len, ==, 0);
  g_assert_cmpint (odd->user_count, ==, 7);
  g_assert_cmpint (odd->active, ==, 0);
  g_assert_cmpint (odd->locked, ==, 1);
  g_assert_true (odd->has_users);
  /* the last users element says the state */
  g_assert_cmpint (odd->users_state, ==, CONFAB_CONFERENCE_INFO_PARTIAL);
  g_assert_cmpuint (odd->users->len, ==, 3);

  ann = user_at (odd, 0);
  g_assert_cmpstr (ann->display_text, ==, "Ann");
  g_assert_nonnull (ann->roles);
  g_assert_cmpuint (g_strv_length (ann->roles), ==, 0);
  g_assert_cmpstr (ann->screen_image_url, ==, "https://example.com/a.jpg");
  g_assert_cmpuint (ann->endpoints->len, ==, 2);

  endpoint = endpoint_at (ann, 0);
  g_assert_cmpstr (endpoint->entity, ==, "");
  g_assert_cmpint (endpoint->state, ==, CONFAB_CONFERENCE_INFO_FULL);
  g_assert_null (endpoint->joined_at);
  g_assert_null (endpoint->status);
  g_assert_cmpuint (endpoint->media->len, ==, 1);
  media = media_at (endpoint, 0);
  g_assert_cmpstr (media->id, ==, "");
  g_assert_null (media->type);

  endpoint = endpoint_at (ann, 1);
  g_assert_cmpstr (endpoint->entity, ==, "sip:a@host");
  g_assert_cmpint (endpoint->state, ==, CONFAB_CONFERENCE_INFO_PARTIAL);
  /* no offset: UTC */
  g_assert_nonnull (endpoint->joined_at);
  g_assert_cmpint (g_date_time_get_utc_offset (endpoint->joined_at), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (endpoint->joined_at), ==, 12);
  media = media_at (endpoint, 0);
  g_assert_cmpstr (media->id, ==, "m");
  g_assert_cmpstr (media->type, ==, "audio");
  g_assert_cmpstr (media->status, ==, "inactive");

  g_assert_cmpint (user_at (odd, 1)->state, ==, CONFAB_CONFERENCE_INFO_DELETED);
  g_assert_cmpuint (g_strv_length (user_at (odd, 1)->roles), ==, 2);
  g_assert_cmpstr (user_at (odd, 1)->roles[0], ==, "a");
  g_assert_cmpstr (user_at (odd, 1)->roles[1], ==, "b");
  g_assert_cmpstr (user_at (odd, 2)->entity, ==, "sip:c@example.com");
}

static void
test_copy (void)
{
  g_autoptr (ConfabConferenceInfo) info = parse_fixture ("rfc4575-partial.xml");
  ConfabConferenceInfoUser *bob = user_at (info, 0);
  ConfabConferenceInfoUser *copy = confab_conference_info_user_copy (bob);
  ConfabConferenceInfoEndpoint *endpoint;
  ConfabConferenceInfoMedia *media;

  g_assert_true (copy != bob);
  g_assert_cmpstr (copy->entity, ==, bob->entity);
  g_assert_true (copy->entity != bob->entity);
  g_assert_cmpint (copy->state, ==, bob->state);
  g_assert_cmpstr (copy->display_text, ==, bob->display_text);
  g_assert_true (g_strv_equal ((const char *const *) copy->roles, (const char *const *) bob->roles));
  g_assert_true (copy->roles != bob->roles);
  g_assert_null (copy->screen_image_url);
  g_assert_cmpuint (copy->endpoints->len, ==, 1);

  endpoint = endpoint_at (copy, 0);
  g_assert_true (endpoint != endpoint_at (bob, 0));
  g_assert_cmpstr (endpoint->entity, ==, "sip:bob@pc33.example.com");
  g_assert_cmpint (endpoint->state, ==, CONFAB_CONFERENCE_INFO_PARTIAL);
  g_assert_cmpstr (endpoint->joining_method, ==, "dialed-out");
  g_assert_cmpstr (endpoint->referred_by, ==, "sip:alice@example.com");
  g_assert_true (g_date_time_equal (endpoint->joined_at, endpoint_at (bob, 0)->joined_at));
  media = media_at (endpoint, 0);
  g_assert_true (media != media_at (endpoint_at (bob, 0), 0));
  g_assert_cmpstr (media->label, ==, "34567");
  g_assert_cmpstr (media->status, ==, "sendonly");

  /* the copy outlives the document */
  g_clear_pointer (&info, confab_conference_info_free);
  g_assert_cmpstr (media->display_text, ==, "main audio");
  endpoint = confab_conference_info_endpoint_copy (endpoint);
  media = confab_conference_info_media_copy (media);
  confab_conference_info_user_free (copy);
  g_assert_cmpstr (endpoint->display_text, ==, "Bob's Laptop");
  g_assert_cmpstr (media->type, ==, "audio");
  confab_conference_info_endpoint_free (endpoint);
  confab_conference_info_media_free (media);

  confab_conference_info_user_free (NULL);
  confab_conference_info_endpoint_free (NULL);
  confab_conference_info_media_free (NULL);
  confab_conference_info_file_free (NULL);
  confab_conference_info_free (NULL);
}

static void
test_state_to_string (void)
{
  g_assert_cmpstr (confab_conference_info_state_to_string (CONFAB_CONFERENCE_INFO_FULL), ==, "full");
  g_assert_cmpstr (confab_conference_info_state_to_string (CONFAB_CONFERENCE_INFO_PARTIAL), ==, "partial");
  g_assert_cmpstr (confab_conference_info_state_to_string (CONFAB_CONFERENCE_INFO_DELETED), ==, "deleted");
}

static void
test_malformed (void)
{
  static const char *const documents[] = {
    /* not XML, not well-formed */
    "conference-info",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"1\">",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"1\"></conference>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"1\"/><conference-info/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" entity=\"f\" version=\"1\"/>",
    DOC ("<users><user entity=\"a&b\"/></users>"),
    DOC ("<users><user entity=\"sip:a@b\"><display-text>&undeclared;</display-text></user></users>"),
    "\xef\xbb\xbf<conference-info xmlns=\"" NS "\" entity=\"\xff\xfe\" version=\"1\"/>",
    /* wrong root element or namespace */
    "<conference xmlns=\"" NS "\" entity=\"e\" version=\"1\"/>",
    "<users xmlns=\"" NS "\" entity=\"e\" version=\"1\"/>",
    "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info-other\" entity=\"e\" version=\"1\"/>",
    "<agp:conference-info xmlns:agp=\"" AGP "\" entity=\"e\" version=\"1\"/>",
    /* entity and version */
    "<conference-info xmlns=\"" NS "\" version=\"1\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"abc\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"-1\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"+1\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"1.5\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"0x10\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"4294967296\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"99999999999\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"99999999999999999999999999\"/>",
    /* states */
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"1\" state=\"sometimes\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"1\" state=\"\"/>",
    "<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"1\" state=\"FULL\"/>",
    DOC ("<users state=\"none\"/>"),
    DOC ("<users><user entity=\"sip:a@b\" state=\"gone\"/></users>"),
    DOC ("<users><user entity=\"sip:a@b\"><endpoint entity=\"sip:a@c\" state=\"x\"/></user></users>"),
    /* users */
    DOC ("<users><user/></users>"),
    DOC ("<users><user entity=\"sip:a@b\"/><user state=\"deleted\"/></users>"),
    /* conference-state */
    DOC ("<conference-state><user-count>many</user-count></conference-state>"),
    DOC ("<conference-state><user-count>-1</user-count></conference-state>"),
    DOC ("<conference-state><active>yes</active></conference-state>"),
    DOC ("<conference-state><locked></locked></conference-state>"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    parse_fails (documents[i]);

  /* a NUL byte, at the end or inside; nothing at all */
  {
    static const char with_nul[] = DOC ("<users><user entity=\"sip:a\0b\"/></users>");
    static const char nul_at_end[] = DOC ("") "\0";

    parse_fails_len (with_nul, sizeof with_nul - 1);
    parse_fails_len (nul_at_end, sizeof nul_at_end - 1);
  }
  parse_fails_len ("", 0);
  parse_fails_len (NULL, 0);
  parse_fails ("   ");
}

static void
test_error_message (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) long_version = g_string_new ("<conference-info xmlns=\"" NS "\" entity=\"e\" version=\"");
  ConfabConferenceInfo *info;

  info = confab_conference_info_parse (DOC ("<users><user/></users>"),
                                       strlen (DOC ("<users><user/></users>")), &error);
  g_assert_null (info);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "entity"));
  g_clear_error (&error);

  /* a peer's value is quoted, not copied whole */
  for (guint i = 0; i < 100000; i++)
    g_string_append (long_version, "9");
  g_string_append (long_version, "\"/>");
  info = confab_conference_info_parse (long_version->str, long_version->len, &error);
  g_assert_null (info);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "99999"));
  g_assert_cmpuint (strlen (error->message), <, 512);
}

/* A document of @n users, each with @n_endpoints endpoints of @n_media
 * media and @n_roles roles, and @n_files files. */
static GString *
build_document (guint n_users,
                guint n_endpoints,
                guint n_media,
                guint n_roles,
                guint n_files)
{
  GString *doc = g_string_new (ROOT_OPEN ("entity=\"sip:room@example.com\" version=\"1\""));

  if (n_files > 0) {
    g_string_append (doc, "<conference-description><agp:resources><agp:files>");
    for (guint i = 0; i < n_files; i++)
      g_string_append_printf (doc, "<agp:file name=\"f%u\" size=\"%u\"/>", i, i);
    g_string_append (doc, "</agp:files></agp:resources></conference-description>");
  }
  g_string_append (doc, "<users>");
  for (guint u = 0; u < n_users; u++) {
    g_string_append_printf (doc, "<user entity=\"sip:u%u@x\">", u);
    if (n_roles > 0) {
      g_string_append (doc, "<roles>");
      for (guint r = 0; r < n_roles; r++)
        g_string_append (doc, "<entry>participant</entry>");
      g_string_append (doc, "</roles>");
    }
    for (guint e = 0; e < n_endpoints; e++) {
      g_string_append_printf (doc, "<endpoint entity=\"sip:%u@h\">", e);
      for (guint m = 0; m < n_media; m++)
        g_string_append_printf (doc, "<media id=\"%u\"/>", m);
      g_string_append (doc, "</endpoint>");
    }
    g_string_append (doc, "</user>");
  }
  g_string_append (doc, "</users></conference-info>");
  return doc;
}

static void
assert_bound (guint n_users,
              guint n_endpoints,
              guint n_media,
              guint n_roles,
              guint n_files,
              guint exceeded)
{
  g_autoptr (GString) at_bound = NULL;
  g_autoptr (GString) over_bound = NULL;
  guint counts[] = { n_users, n_endpoints, n_media, n_roles, n_files };
  g_autoptr (ConfabConferenceInfo) info = NULL;

  at_bound = build_document (counts[0], counts[1], counts[2], counts[3], counts[4]);
  info = parse_ok_len (at_bound->str, at_bound->len);
  g_assert_cmpuint (info->users->len, ==, n_users);
  counts[exceeded]++;
  over_bound = build_document (counts[0], counts[1], counts[2], counts[3], counts[4]);
  parse_fails_len (over_bound->str, over_bound->len);
}

static void
test_bounds (void)
{
  assert_bound (CONFAB_CONFERENCE_INFO_MAX_USERS, 0, 0, 0, 0, 0);
  assert_bound (1, CONFAB_CONFERENCE_INFO_MAX_ENDPOINTS, 1, 0, 0, 1);
  assert_bound (1, 1, CONFAB_CONFERENCE_INFO_MAX_MEDIA, 0, 0, 2);
  assert_bound (1, 1, 1, CONFAB_CONFERENCE_INFO_MAX_ROLES, 0, 3);
  assert_bound (1, 0, 0, 0, CONFAB_CONFERENCE_INFO_MAX_FILES, 4);

  /* spread over two elements, the counts still add up */
  parse_fails (DOC ("<users><user entity=\"a\"><roles><entry/><entry/><entry/><entry/><entry/>"
                    "<entry/><entry/><entry/><entry/></roles><roles><entry/><entry/><entry/>"
                    "<entry/><entry/><entry/><entry/><entry/></roles></user></users>"));
}

static long
max_rss_kib (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

static void
test_hostile (void)
{
  static const char *const documents[] = {
    /* an external DTD */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE conference-info SYSTEM \"http://127.0.0.1:9/c.dtd\">"
    DOC (""),
    "<?xml version=\"1.0\"?>\n<!DOCTYPE conference-info SYSTEM \"file:///etc/passwd\">"
    DOC (""),
    /* a parameter entity fetching from the network */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE conference-info [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/p\"> %p;]>"
    DOC (""),
    /* an internal subset, however harmless */
    "<!DOCTYPE conference-info []>" DOC (""),
    /* an undeclared entity */
    DOC ("<conference-description><subject>&e;</subject></conference-description>"),
  };
  /* an external entity (XXE) */
  static const char xxe[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
    DOC ("<conference-description><subject>&e;</subject></conference-description>"
         "<users><user entity=\"&e;\"><display-text>&e;</display-text></user></users>");
  /* an entity expansion bomb (billion laughs) */
  static const char bomb[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
    "<!ENTITY lol \"lol\">\n"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>\n"
    DOC ("<conference-description><subject>&lol9;</subject></conference-description>"
         "<users><user entity=\"&lol9;\"/></users>");
  /* the same DOCTYPE in UTF-16: the check must not be fooled */
  static const char utf16[] = "\xff\xfe<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0i\0>\0";
  g_autofree char *passwd = NULL;
  g_autoptr (GError) error = NULL;
  ConfabConferenceInfo *info;
  gint64 start;
  long rss_before;

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    parse_fails (documents[i]);
  parse_fails_len (utf16, sizeof utf16 - 1);

  info = confab_conference_info_parse (xxe, sizeof xxe - 1, &error);
  g_assert_null (info);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  if (g_file_get_contents ("/etc/passwd", &passwd, NULL, NULL)) {
    char *newline = strchr (passwd, '\n');

    if (newline)
      *newline = '\0';
    if (*passwd)
      g_assert_null (strstr (error->message, passwd));
  }
  g_assert_null (strstr (error->message, "root:"));
  g_clear_error (&error);

  rss_before = max_rss_kib ();
  start = g_get_monotonic_time ();
  info = confab_conference_info_parse (bomb, sizeof bomb - 1, &error);
  g_assert_null (info);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_assert_cmpint (g_get_monotonic_time () - start, <, HANG_GUARD * TIME_FACTOR);
  /* a billion "lol"s would be gigabytes */
  g_assert_cmpint (max_rss_kib () - rss_before, <, 16 * 1024);
}

/* 100,000 nested unknown elements: libxml2 refuses past depth 256; what
 * matters is no crash, quickly. */
static void
test_deep_nesting (void)
{
  const guint depth = 100000;
  g_autoptr (GString) doc = g_string_new (ROOT_OPEN ("entity=\"e\" version=\"1\""));
  g_autoptr (ConfabConferenceInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  for (guint i = 0; i < depth; i++)
    g_string_append (doc, "<x>");
  for (guint i = 0; i < depth; i++)
    g_string_append (doc, "</x>");
  g_string_append (doc, "</conference-info>");

  start = g_get_monotonic_time ();
  info = confab_conference_info_parse (doc->str, doc->len, &error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, HANG_GUARD * TIME_FACTOR);
  g_assert_true ((info == NULL) == (error != NULL));
  if (error)
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);

  /* the same depth inside a user's display-text */
  g_clear_pointer (&info, confab_conference_info_free);
  g_clear_error (&error);
  g_string_assign (doc, ROOT_OPEN ("entity=\"e\" version=\"1\"")
                   "<users><user entity=\"sip:a@b\"><display-text>");
  for (guint i = 0; i < depth; i++)
    g_string_append (doc, "<b>");
  for (guint i = 0; i < depth; i++)
    g_string_append (doc, "</b>");
  g_string_append (doc, "</display-text></user></users></conference-info>");
  info = confab_conference_info_parse (doc->str, doc->len, &error);
  g_assert_true ((info == NULL) == (error != NULL));
}

/* A well-formed document of @size bytes: text in unknown elements, 1 MB
 * each, under libxml2's own limit on a text node. */
static GString *
build_padded_document (gsize size)
{
  static const char head[] = ROOT_OPEN ("entity=\"e\" version=\"5\"") "<pad>";
  static const char tail[] = "</pad></conference-info>";
  static const char separator[] = "</pad><pad>";
  GString *doc = g_string_sized_new (size + 1);
  gsize run = 0;

  g_string_append (doc, head);
  while (doc->len < size - (sizeof tail - 1)) {
    if (run >= 1000 * 1000 && doc->len + sizeof separator - 1 <= size - (sizeof tail - 1)) {
      g_string_append (doc, separator);
      run = 0;
    } else {
      g_string_append_c (doc, 'p');
      run++;
    }
  }
  g_string_append (doc, tail);
  g_assert_cmpuint (doc->len, ==, size);
  return doc;
}

/* The size bound: the header's, or libxml2's when that is lower (it reads
 * no more than XML_MAX_LOOKUP_LIMIT bytes without XML_PARSE_HUGE). A
 * well-formed document of exactly the bound parses, one byte more does
 * not. */
static void
test_size_bound (void)
{
  const gsize bound = MIN (CONFAB_CONFERENCE_INFO_MAX_SIZE, XML_MAX_LOOKUP_LIMIT);
  g_autoptr (GString) doc = build_padded_document (bound);
  g_autoptr (GString) too_big = NULL;
  g_autoptr (ConfabConferenceInfo) info = parse_ok_len (doc->str, doc->len);

  g_assert_cmpuint (info->version, ==, 5);
  g_string_insert_c (doc, 0, ' ');
  parse_fails_len (doc->str, doc->len);

  too_big = build_padded_document (CONFAB_CONFERENCE_INFO_MAX_SIZE + 1);
  parse_fails_len (too_big->str, too_big->len);
}

/* A 10,000-user room, about 7 MB, as SylkServer writes one user. */
static void
test_large_room (void)
{
  const guint n_users = 10000;
  g_autoptr (GString) doc = g_string_new (ROOT_OPEN ("entity=\"sip:big@conference.example.com\" version=\"77\""));
  g_autoptr (ConfabConferenceInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  g_string_append_printf (doc, "<conference-description><display-text>Big room</display-text>"
                          "</conference-description><conference-state><user-count>%u</user-count>"
                          "<active>true</active></conference-state><users state=\"full\">", n_users);
  for (guint i = 0; i < n_users; i++)
    g_string_append_printf (doc,
      "<user entity=\"sip:user%u@example.com\" state=\"full\">"
      "<display-text>User number %u with a fairly long display name</display-text>"
      "<roles><entry>participant</entry></roles>"
      "<agp:screen_image_url>https://conference.example.com/screensharing/%u</agp:screen_image_url>"
      "<endpoint entity=\"sip:%u@192.0.2.%u:5060;transport=tls\" state=\"full\">"
      "<display-text>User number %u</display-text><status>connected</status>"
      "<joining-method>dialed-in</joining-method>"
      "<joining-info><when>2026-11-21T12:01:14.643328+00:00</when></joining-info>"
      "<media id=\"1396991986%05u\"><type>audio</type><status>sendrecv</status></media>"
      "<media id=\"1396991987%05u\"><type>message</type><status>sendrecv</status></media>"
      "</endpoint></user>",
      i, i, i, i, i % 256, i, i, i);
  g_string_append (doc, "</users></conference-info>");
  g_assert_cmpuint (doc->len, >, 6 * 1000 * 1000);

  start = g_get_monotonic_time ();
  info = confab_conference_info_parse (doc->str, doc->len, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_test_message ("%u users, %" G_GSIZE_FORMAT " bytes: parsed in %.1f ms",
                  n_users, doc->len, elapsed / 1000.0);
  g_assert_cmpint (elapsed, <, HANG_GUARD * TIME_FACTOR);

  g_assert_cmpuint (info->version, ==, 77);
  g_assert_cmpint (info->user_count, ==, n_users);
  g_assert_cmpuint (info->users->len, ==, n_users);
  for (guint i = 0; i < n_users; i += 997) {
    g_autofree char *entity = g_strdup_printf ("sip:user%u@example.com", i);
    ConfabConferenceInfoUser *user = user_at (info, i);

    g_assert_cmpstr (user->entity, ==, entity);
    g_assert_cmpuint (endpoint_at (user, 0)->media->len, ==, 2);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conference-info/sylk/one-user", test_sylk_one_user);
  g_test_add_func ("/conference-info/sylk/two-users", test_sylk_two_users);
  g_test_add_func ("/conference-info/sylk/files", test_sylk_files);
  g_test_add_func ("/conference-info/sylk/leaving", test_sylk_leaving);
  g_test_add_func ("/conference-info/fixtures", test_fixtures);
  g_test_add_func ("/conference-info/wire-samples", test_wire_samples);
  g_test_add_func ("/conference-info/rfc-partial", test_rfc_partial);
  g_test_add_func ("/conference-info/rfc-full", test_rfc_full);
  g_test_add_func ("/conference-info/defaults", test_defaults);
  g_test_add_func ("/conference-info/copy", test_copy);
  g_test_add_func ("/conference-info/state-to-string", test_state_to_string);
  g_test_add_func ("/conference-info/malformed", test_malformed);
  g_test_add_func ("/conference-info/error-message", test_error_message);
  /* before the big documents, so that the bomb's memory is measured alone */
  g_test_add_func ("/conference-info/hostile", test_hostile);
  g_test_add_func ("/conference-info/deep-nesting", test_deep_nesting);
  g_test_add_func ("/conference-info/bounds", test_bounds);
  g_test_add_func ("/conference-info/size-bound", test_size_bound);
  g_test_add_func ("/conference-info/large-room", test_large_room);

  return g_test_run ();
}
