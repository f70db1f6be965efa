/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSdp"

#include "config.h"

#include "confab-sdp-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* The SDP parser (RFC 4566). Bodies come from hostile peers, so every size
 * is bounded (see CONFAB_SDP_MAX_*), nothing relies on a terminating NUL,
 * and what it does not model is kept or dropped, never fatal: unknown lines
 * and attributes are kept; rtpmap/fmtp for payload types not on the m=
 * line are ignored; malformed a=crypto lines are dropped and remembered. */

#define MAX_PAYLOAD_TYPE 127

typedef struct
{
  ConfabSdp      *sdp;
  ConfabSdpMedia *media;       /* the m= section being read, NULL at session level */
  guint           line;        /* 1-based, for messages */
  guint           n_lines;     /* a= and other lines in the current section */
  gboolean        have_origin;
  gboolean        have_name;
  gboolean        have_timing;

  /* Per m= section, folded into media->codecs when the section ends. */
  gboolean        listed[MAX_PAYLOAD_TYPE + 1];
  ConfabSdpCodec *rtpmap[MAX_PAYLOAD_TYPE + 1];
  char           *fmtp[MAX_PAYLOAD_TYPE + 1];
  guint           n_bad_crypto;
} Parser;

static void
parser_reset_media (Parser *p)
{
  for (guint i = 0; i <= MAX_PAYLOAD_TYPE; i++) {
    p->listed[i] = FALSE;
    g_clear_pointer (&p->rtpmap[i], confab_sdp_codec_free);
    g_clear_pointer (&p->fmtp[i], g_free);
  }
  p->n_bad_crypto = 0;
  p->n_lines = 0;
  p->media = NULL;
}

static void
parser_clear (Parser *p)
{
  parser_reset_media (p);
  g_clear_pointer (&p->sdp, confab_sdp_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parser, parser_clear)

static gboolean G_GNUC_PRINTF (3, 4)
fail (Parser      *p,
      GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (p && p->line)
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("Invalid session description (SDP), line %u: %s"), p->line, message);
  else
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("Invalid session description (SDP): %s"), message);
  return FALSE;
}

/* Splits @value in place on runs of spaces and tabs. */
static GPtrArray *
split_words (char *value)
{
  GPtrArray *words = g_ptr_array_new ();
  char *p = value;

  while (*p) {
    while (*p == ' ' || *p == '\t')
      *p++ = '\0';
    if (!*p)
      break;
    g_ptr_array_add (words, p);
    while (*p && *p != ' ' && *p != '\t')
      p++;
  }
  return words;
}

#define WORD(words, i) ((const char *) g_ptr_array_index ((words), (i)))

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  guint64 value = 0;

  if (!*text || strlen (text) > 20)
    return FALSE;
  for (const char *c = text; *c; c++) {
    guint digit;

    if (!g_ascii_isdigit (*c))
      return FALSE;
    digit = *c - '0';
    if (value > (G_MAXUINT64 - digit) / 10)
      return FALSE;
    value = value * 10 + digit;
  }
  if (value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
is_nettype_addrtype (const char *nettype,
                     const char *addrtype)
{
  return g_ascii_strcasecmp (nettype, "IN") == 0 &&
         (g_ascii_strcasecmp (addrtype, "IP4") == 0 || g_ascii_strcasecmp (addrtype, "IP6") == 0);
}

/* o=<username> <sess-id> <sess-version> IN IP4|IP6 <address> */
static gboolean
parse_origin (Parser     *p,
              char       *value,
              GError    **error)
{
  g_autoptr (GPtrArray) words = split_words (value);

  if (words->len != 6 || !parse_uint (WORD (words, 1), G_MAXUINT64, &p->sdp->session_id) ||
      !parse_uint (WORD (words, 2), G_MAXUINT64, &p->sdp->session_version) ||
      !is_nettype_addrtype (WORD (words, 3), WORD (words, 4)))
    return fail (p, error, _("malformed o= line"));
  g_free (p->sdp->origin_username);
  p->sdp->origin_username = g_strdup (WORD (words, 0));
  g_free (p->sdp->origin_address);
  p->sdp->origin_address = g_strdup (WORD (words, 5));
  p->have_origin = TRUE;
  return TRUE;
}

/* c=IN IP4|IP6 <address>[/<ttl>][/<count>]: only the address is kept. */
static gboolean
parse_connection (Parser     *p,
                  char       *value,
                  GError    **error)
{
  g_autoptr (GPtrArray) words = split_words (value);
  const char *address;
  gsize address_length;
  char **target = p->media ? &p->media->connection : &p->sdp->connection;

  if (words->len != 3 || !is_nettype_addrtype (WORD (words, 0), WORD (words, 1)))
    return fail (p, error, _("malformed c= line"));
  address = WORD (words, 2);
  address_length = strcspn (address, "/");
  if (address_length == 0)
    return fail (p, error, _("the c= line has no address"));
  /* Several c= lines only make sense for multicast; the first one wins. */
  if (!*target)
    *target = g_strndup (address, address_length);
  return TRUE;
}

/* t=<start> <stop>: SIP sessions use "t=0 0"; the times are not kept. */
static gboolean
parse_timing (Parser     *p,
              char       *value,
              GError    **error)
{
  g_autoptr (GPtrArray) words = split_words (value);
  guint64 ignored;

  if (words->len != 2 || !parse_uint (WORD (words, 0), G_MAXUINT64, &ignored) ||
      !parse_uint (WORD (words, 1), G_MAXUINT64, &ignored))
    return fail (p, error, _("malformed t= line"));
  p->have_timing = TRUE;
  return TRUE;
}

/* Ends the m= section: codecs in m= order from a=rtpmap, else the RFC 3551
 * static table; a=fmtp attached. */
static void
finish_media (Parser *p)
{
  ConfabSdpMedia *m = p->media;

  if (!m)
    return;
  if (confab_sdp_media_is_rtp (m)) {
    gboolean done[MAX_PAYLOAD_TYPE + 1] = { FALSE };

    for (guint i = 0; i < m->formats->len; i++) {
      guint pt = (guint) g_ascii_strtoull (g_ptr_array_index (m->formats, i), NULL, 10);
      ConfabSdpCodec *codec = NULL;

      if (pt > MAX_PAYLOAD_TYPE || done[pt])
        continue;
      done[pt] = TRUE;
      if (p->rtpmap[pt])
        codec = g_steal_pointer (&p->rtpmap[pt]);
      else if (_confab_sdp_static_codec (pt))
        codec = confab_sdp_codec_copy (_confab_sdp_static_codec (pt));
      if (!codec)
        continue;
      if (p->fmtp[pt]) {
        g_free (codec->fmtp);
        codec->fmtp = g_steal_pointer (&p->fmtp[pt]);
      }
      g_ptr_array_add (m->codecs, codec);
    }
    m->crypto_invalid = p->n_bad_crypto > 0 && m->crypto->len == 0 && confab_sdp_media_is_savp (m);
  }
  parser_reset_media (p);
}

static gboolean
is_proto (const char *text)
{
  for (const char *c = text; *c; c++) {
    if (*c != '/' && !_confab_sdp_is_token (c, 1))
      return FALSE;
  }
  return *text != '\0';
}

/* m=<media> <port>[/<n>] <proto> <format> ... */
static gboolean
parse_media (Parser     *p,
             char       *value,
             GError    **error)
{
  g_autoptr (GPtrArray) words = split_words (value);
  g_autoptr (ConfabSdpMedia) m = NULL;
  g_autofree char *port_text = NULL;
  char *slash;
  guint64 port, n_ports = 1;

  finish_media (p);
  if (p->sdp->media->len >= CONFAB_SDP_MAX_MEDIA)
    return fail (p, error, _("more than %u m= lines"), CONFAB_SDP_MAX_MEDIA);
  if (words->len < 4)
    return fail (p, error, _("malformed m= line: it needs a media type, port, transport and "
                             "at least one format"));
  if (words->len - 3 > CONFAB_SDP_MAX_FORMATS)
    return fail (p, error, _("more than %u formats on the m= line"), CONFAB_SDP_MAX_FORMATS);
  if (!_confab_sdp_is_token (WORD (words, 0), strlen (WORD (words, 0))))
    return fail (p, error, _("malformed media type on the m= line"));

  port_text = g_strdup (WORD (words, 1));
  slash = strchr (port_text, '/');
  if (slash) {
    *slash = '\0';
    if (!parse_uint (slash + 1, 65535, &n_ports) || n_ports == 0)
      return fail (p, error, _("malformed port count on the m= line"));
  }
  if (!parse_uint (port_text, G_MAXUINT64, &port))
    return fail (p, error, _("malformed port on the m= line"));
  if (port > 65535)
    return fail (p, error, _("port %llu is out of range"), (unsigned long long) port);
  if (!is_proto (WORD (words, 2)))
    return fail (p, error, _("malformed transport on the m= line"));

  m = confab_sdp_media_new (WORD (words, 0), (guint) port, WORD (words, 2));
  m->n_ports = (guint) n_ports;
  m->direction = p->sdp->direction;
  for (guint i = 3; i < words->len; i++) {
    guint64 pt;

    if (!confab_sdp_media_is_rtp (m)) {
      g_ptr_array_add (m->formats, g_strdup (WORD (words, i)));
      continue;
    }
    if (!parse_uint (WORD (words, i), G_MAXUINT64, &pt) || pt > MAX_PAYLOAD_TYPE)
      return fail (p, error, _("payload type “%s” is not a number from 0 to 127"),
                   WORD (words, i));
    p->listed[pt] = TRUE;
    g_ptr_array_add (m->formats, g_strdup_printf ("%u", (guint) pt));
  }
  p->media = m;
  g_ptr_array_add (p->sdp->media, g_steal_pointer (&m));
  return TRUE;
}

/* Returns the payload type an rtpmap/fmtp line is about: -1 when malformed,
 * -2 when it is not on the m= line (such lines are ignored). */
static int
attribute_payload_type (Parser     *p,
                        const char *word)
{
  guint64 pt;

  if (!parse_uint (word, G_MAXUINT64, &pt))
    return -1;
  if (pt > MAX_PAYLOAD_TYPE || !p->listed[pt])
    return -2;
  return (int) pt;
}

/* a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]; FALSE when malformed. */
static gboolean
parse_rtpmap (Parser *p,
              char   *value)
{
  g_autoptr (GPtrArray) words = split_words (value);
  g_auto (GStrv) parts = NULL;
  guint64 clock_rate, channels = 1;
  int pt;

  if (words->len != 2 || (pt = attribute_payload_type (p, WORD (words, 0))) == -1)
    return FALSE;
  parts = g_strsplit (WORD (words, 1), "/", 4);
  if (g_strv_length (parts) < 2 || g_strv_length (parts) > 3 ||
      !_confab_sdp_is_token (parts[0], strlen (parts[0])) || strlen (parts[0]) > 64 ||
      !parse_uint (parts[1], 1000000000, &clock_rate) || clock_rate == 0 ||
      (parts[2] && (!parse_uint (parts[2], 255, &channels) || channels == 0)))
    return FALSE;
  /* For another payload type, or a second map of one: ignored. */
  if (pt >= 0 && !p->rtpmap[pt])
    p->rtpmap[pt] = confab_sdp_codec_new (pt, parts[0], clock_rate, channels, NULL);
  return TRUE;
}

/* a=fmtp:<pt> <parameters>; FALSE when malformed. */
static gboolean
parse_fmtp (Parser     *p,
            const char *value)
{
  gsize pt_length = strcspn (value, " \t");
  g_autofree char *pt_text = g_strndup (value, pt_length);
  const char *params = value + pt_length;
  int pt = attribute_payload_type (p, pt_text);

  if (pt == -1)
    return FALSE;
  while (*params == ' ' || *params == '\t')
    params++;
  if (pt >= 0 && *params && !p->fmtp[pt])
    p->fmtp[pt] = g_strdup (params);
  return TRUE;
}

static void
add_attribute (GPtrArray  *attributes,
               const char *name,
               const char *value)
{
  ConfabSdpAttribute *attribute = g_new0 (ConfabSdpAttribute, 1);

  attribute->name = g_strdup (name);
  attribute->value = g_strdup (value);
  g_ptr_array_add (attributes, attribute);
}

/* The attributes RTP media hold in fields; TRUE when @name was one. */
static gboolean
parse_rtp_attribute (Parser     *p,
                     const char *name,
                     char       *value)
{
  ConfabSdpMedia *m = p->media;
  guint64 number;

  if (!value) {
    if (g_ascii_strcasecmp (name, "crypto") == 0) {
      p->n_bad_crypto++;
      return TRUE;
    }
    if (g_ascii_strcasecmp (name, "rtcp-mux") != 0)
      return FALSE;
    m->rtcp_mux = TRUE;
    return TRUE;
  }

  if (g_ascii_strcasecmp (name, "rtpmap") == 0)
    return parse_rtpmap (p, value);
  if (g_ascii_strcasecmp (name, "fmtp") == 0)
    return parse_fmtp (p, value);
  if (g_ascii_strcasecmp (name, "crypto") == 0) {
    ConfabSdpCrypto *crypto = _confab_sdp_crypto_parse (value);

    if (crypto)
      g_ptr_array_add (m->crypto, crypto);
    else
      p->n_bad_crypto++;
    return TRUE;
  }
  if (g_ascii_strcasecmp (name, "ptime") == 0) {
    if (!parse_uint (value, 10000, &number) || number == 0)
      return FALSE;
    if (!m->ptime)
      m->ptime = (guint) number;
    return TRUE;
  }
  if (g_ascii_strcasecmp (name, "rtcp") == 0) {
    g_autoptr (GPtrArray) words = split_words (value);

    /* The optional address is not kept: RTCP goes where RTP goes. */
    if (words->len < 1 || !parse_uint (WORD (words, 0), 65535, &number) || number == 0)
      return FALSE;
    if (!m->rtcp_port)
      m->rtcp_port = (guint) number;
    return TRUE;
  }
  return FALSE;
}

/* a=<name>[:<value>] */
static gboolean
parse_attribute (Parser     *p,
                 char       *text,
                 GError    **error)
{
  char *colon = strchr (text, ':');
  char *value = NULL;
  ConfabSdpDirection direction;
  g_autofree char *saved = NULL;

  if (colon) {
    *colon = '\0';
    value = colon + 1;
  }
  /* A nameless or odd attribute carries nothing we could use. */
  if (!_confab_sdp_is_token (text, strlen (text)))
    return TRUE;

  if (!value && confab_sdp_direction_from_string (text, &direction)) {
    if (p->media)
      p->media->direction = direction;
    else
      p->sdp->direction = direction;
    return TRUE;
  }
  if (!p->media) {
    add_attribute (p->sdp->attributes, text, value);
    return TRUE;
  }
  /* The value is split in place by the field parsers; keep it for the list. */
  saved = g_strdup (value);
  if (confab_sdp_media_is_rtp (p->media) && parse_rtp_attribute (p, text, value))
    return TRUE;
  add_attribute (p->media->attributes, text, saved);
  return TRUE;
}

static gboolean
parse_line (Parser     *p,
            const char *line,
            gsize       length,
            GError    **error)
{
  g_autofree char *value = g_strndup (line + 2, length - 2);
  char type = line[0];

  if (p->media && strchr ("vost", type))
    return fail (p, error, _("a %c= line after the first m= line"), type);
  switch (type) {
  case 'v':
    return fail (p, error, _("a second v= line"));
  case 'o':
    if (p->have_origin)
      return fail (p, error, _("a second o= line"));
    return parse_origin (p, value, error);
  case 's':
    if (p->have_name)
      return fail (p, error, _("a second s= line"));
    g_free (p->sdp->session_name);
    p->sdp->session_name = g_steal_pointer (&value);
    p->have_name = TRUE;
    return TRUE;
  case 't':
    return parse_timing (p, value, error);
  case 'c':
    return parse_connection (p, value, error);
  case 'm':
    return parse_media (p, value, error);
  default:
    break;
  }

  if (++p->n_lines > CONFAB_SDP_MAX_ATTRIBUTES)
    return fail (p, error, _("more than %u attribute lines in one section"),
                 CONFAB_SDP_MAX_ATTRIBUTES);
  if (type == 'a')
    return parse_attribute (p, value, error);
  /* i=, u=, e=, p=, b=, r=, z=, k= and types from the future: kept as is. */
  g_ptr_array_add (p->media ? p->media->other_lines : p->sdp->other_lines,
                   g_strndup (line, length));
  return TRUE;
}

static gboolean
check_complete (Parser  *p,
                GError **error)
{
  p->line = 0;
  if (!p->have_origin)
    return fail (p, error, _("the o= line is missing"));
  if (!p->have_name)
    return fail (p, error, _("the s= line is missing"));
  if (!p->have_timing)
    return fail (p, error, _("the t= line is missing"));
  if (p->sdp->connection)
    return TRUE;
  for (guint i = 0; i < p->sdp->media->len; i++) {
    const ConfabSdpMedia *m = g_ptr_array_index (p->sdp->media, i);

    /* Declined streams (port 0) often come without an address. */
    if (!m->connection && m->port != 0)
      return fail (p, error, _("m= line %u has no c= line and the session has none"), i + 1);
  }
  return TRUE;
}

/**
 * confab_sdp_parse:
 * @text: an SDP body, not necessarily NUL-terminated
 * @length: its length in bytes
 *
 * Reads a session description with CRLF or bare LF line ends.
 *
 * Returns: (transfer full) (nullable): the description, or %NULL with a
 *   %CONFAB_ERROR_INVALID @error
 */
ConfabSdp *
confab_sdp_parse (const char  *text,
                  gsize        length,
                  GError     **error)
{
  g_auto (Parser) p = { 0 };
  gsize pos = 0, crlf_length = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length == 0) {
    fail (NULL, error, _("the body is empty"));
    return NULL;
  }
  if (length > CONFAB_SDP_MAX_LENGTH) {
    fail (NULL, error, _("the body is larger than %u KiB"), CONFAB_SDP_MAX_LENGTH / 1024);
    return NULL;
  }
  if (memchr (text, '\0', length)) {
    fail (NULL, error, _("the body contains a NUL byte"));
    return NULL;
  }

  p.sdp = confab_sdp_new (NULL, 0, 0);
  while (pos < length) {
    const char *line = text + pos;
    const char *newline = memchr (line, '\n', length - pos);
    gsize line_length = newline ? (gsize) (newline - line) : length - pos;

    pos += line_length + (newline ? 1 : 0);
    p.line++;
    if (line_length > CONFAB_SDP_MAX_LINE) {
      fail (&p, error, _("the line is longer than %u KiB"), CONFAB_SDP_MAX_LINE / 1024);
      return NULL;
    }
    while (line_length > 0 && strchr ("\r \t", line[line_length - 1]))
      line_length--;

    /* Also bounded as printed with CRLF, so what we print we can read. */
    if (line_length > 0) {
      crlf_length += line_length + 2;
      if (crlf_length > CONFAB_SDP_MAX_LENGTH) {
        fail (NULL, error, _("the body is larger than %u KiB"), CONFAB_SDP_MAX_LENGTH / 1024);
        return NULL;
      }
    }
    if (p.line == 1) {
      if (line_length != 3 || memcmp (line, "v=0", 3) != 0) {
        fail (&p, error, _("it does not start with v=0"));
        return NULL;
      }
      continue;
    }
    if (line_length == 0)
      continue;
    for (gsize i = 0; i < line_length; i++) {
      guchar c = line[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        fail (&p, error, _("the line contains a control character"));
        return NULL;
      }
    }
    if (line_length < 2 || line[1] != '=' || !g_ascii_islower (line[0])) {
      fail (&p, error, _("the line is not of the form <letter>=<value>"));
      return NULL;
    }
    if (!parse_line (&p, line, line_length, error))
      return NULL;
  }
  finish_media (&p);
  if (!check_complete (&p, error))
    return NULL;
  return g_steal_pointer (&p.sdp);
}
