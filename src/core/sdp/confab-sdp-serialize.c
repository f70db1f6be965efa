/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSdp"

#include "config.h"

#include "confab-sdp-private.h"

#include <string.h>

/* Prints a ConfabSdp as CRLF text in RFC 4566 order. What confab_sdp_parse()
 * read, this prints back so that it parses to the same model, never longer
 * than the input as CRLF text (so it stays within the parser's limits):
 * static payload types matching RFC 3551 get no a=rtpmap, and a direction
 * is written only where it differs from the level above. */

/* Line breaks inside a value would inject SDP lines (file names reach
 * a=file-selector, for one): they become spaces. */
static void
append_text (GString    *out,
             const char *text)
{
  for (const char *p = text; *p; p++)
    g_string_append_c (out, (*p == '\r' || *p == '\n') ? ' ' : *p);
}

static void
end_line (GString *out)
{
  g_string_append (out, "\r\n");
}

static const char *
address_type (const char *address)
{
  return strchr (address, ':') ? "IP6" : "IP4";
}

static void
append_connection (GString    *out,
                   const char *address)
{
  g_string_append_printf (out, "c=IN %s ", address_type (address));
  append_text (out, address);
  end_line (out);
}

/* Other lines whose type @types lists, in their order. */
static void
append_other_lines (GString    *out,
                    GPtrArray  *lines,
                    const char *types,
                    gboolean    listed)
{
  for (guint i = 0; lines && i < lines->len; i++) {
    const char *line = g_ptr_array_index (lines, i);

    if ((line[0] && strchr (types, line[0])) != listed)
      continue;
    append_text (out, line);
    end_line (out);
  }
}

static void
append_attributes (GString   *out,
                   GPtrArray *attributes)
{
  for (guint i = 0; i < attributes->len; i++) {
    const ConfabSdpAttribute *attribute = g_ptr_array_index (attributes, i);

    g_string_append (out, "a=");
    append_text (out, attribute->name);
    if (attribute->value) {
      g_string_append_c (out, ':');
      append_text (out, attribute->value);
    }
    end_line (out);
  }
}

static gboolean
is_static_default (const ConfabSdpCodec *codec)
{
  const ConfabSdpCodec *known = _confab_sdp_static_codec (codec->payload_type);

  return known && g_strcmp0 (known->encoding, codec->encoding) == 0 &&
         known->clock_rate == codec->clock_rate && known->channels == MAX (codec->channels, 1);
}

static void
append_codecs (GString              *out,
               const ConfabSdpMedia *m)
{
  for (guint i = 0; i < m->codecs->len; i++) {
    const ConfabSdpCodec *codec = g_ptr_array_index (m->codecs, i);

    if (!is_static_default (codec)) {
      g_string_append_printf (out, "a=rtpmap:%u ", codec->payload_type);
      append_text (out, codec->encoding);
      g_string_append_printf (out, "/%u", codec->clock_rate);
      if (codec->channels > 1)
        g_string_append_printf (out, "/%u", codec->channels);
      end_line (out);
    }
    if (codec->fmtp && *codec->fmtp) {
      g_string_append_printf (out, "a=fmtp:%u ", codec->payload_type);
      append_text (out, codec->fmtp);
      end_line (out);
    }
  }
}

static void
append_media (GString              *out,
              const ConfabSdp      *sdp,
              const ConfabSdpMedia *m)
{
  g_string_append (out, "m=");
  append_text (out, m->media);
  g_string_append_printf (out, " %u", m->port);
  if (m->n_ports > 1)
    g_string_append_printf (out, "/%u", m->n_ports);
  g_string_append_c (out, ' ');
  append_text (out, m->proto);
  for (guint i = 0; i < m->formats->len; i++) {
    g_string_append_c (out, ' ');
    append_text (out, g_ptr_array_index (m->formats, i));
  }
  /* RFC 4566 wants one format at least. */
  if (m->formats->len == 0)
    g_string_append (out, confab_sdp_media_is_rtp (m) ? " 0" : " *");
  end_line (out);

  append_other_lines (out, m->other_lines, "i", TRUE);
  if (m->connection)
    append_connection (out, m->connection);
  append_other_lines (out, m->other_lines, "i", FALSE);

  append_codecs (out, m);
  if (m->ptime)
    g_string_append_printf (out, "a=ptime:%u\r\n", m->ptime);
  if (m->rtcp_port)
    g_string_append_printf (out, "a=rtcp:%u\r\n", m->rtcp_port);
  if (m->rtcp_mux)
    g_string_append (out, "a=rtcp-mux\r\n");
  if (m->direction != sdp->direction)
    g_string_append_printf (out, "a=%s\r\n", confab_sdp_direction_to_string (m->direction));
  for (guint i = 0; i < m->crypto->len; i++) {
    const ConfabSdpCrypto *crypto = g_ptr_array_index (m->crypto, i);

    g_string_append_printf (out, "a=crypto:%u ", crypto->tag);
    append_text (out, crypto->suite);
    g_string_append_c (out, ' ');
    append_text (out, crypto->key_params);
    if (crypto->session_params) {
      g_string_append_c (out, ' ');
      append_text (out, crypto->session_params);
    }
    end_line (out);
  }
  append_attributes (out, m->attributes);
}

/**
 * confab_sdp_to_string:
 *
 * Returns: (transfer full): @sdp as CRLF text
 */
char *
confab_sdp_to_string (const ConfabSdp *sdp)
{
  GString *out;
  const char *origin_address;

  g_return_val_if_fail (sdp != NULL, NULL);

  out = g_string_sized_new (512);
  origin_address = sdp->origin_address ? sdp->origin_address : "0.0.0.0";
  g_string_append (out, "v=0\r\no=");
  append_text (out, sdp->origin_username ? sdp->origin_username : "-");
  g_string_append_printf (out, " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " IN %s ",
                          sdp->session_id, sdp->session_version, address_type (origin_address));
  append_text (out, origin_address);
  g_string_append (out, "\r\ns=");
  append_text (out, sdp->session_name ? sdp->session_name : "-");
  end_line (out);

  /* RFC 4566 §5 order: i u e p, c, b, t, r z k, a. */
  append_other_lines (out, sdp->other_lines, "iuep", TRUE);
  if (sdp->connection)
    append_connection (out, sdp->connection);
  append_other_lines (out, sdp->other_lines, "b", TRUE);
  g_string_append (out, "t=0 0\r\n");
  append_other_lines (out, sdp->other_lines, "iuepb", FALSE);

  if (sdp->direction != CONFAB_SDP_DIRECTION_SENDRECV)
    g_string_append_printf (out, "a=%s\r\n", confab_sdp_direction_to_string (sdp->direction));
  append_attributes (out, sdp->attributes);

  for (guint i = 0; i < sdp->media->len; i++)
    append_media (out, sdp, g_ptr_array_index (sdp->media, i));
  return g_string_free (out, FALSE);
}
