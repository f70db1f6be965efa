/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabIce"

#include "config.h"

#include "confab-ice.h"
#include "confab-error.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* STUN and TURN servers for ConfabIce, from what users and scripts type. */

ConfabIceServers *
confab_ice_servers_new (void)
{
  return g_new0 (ConfabIceServers, 1);
}

ConfabIceServers *
confab_ice_servers_copy (const ConfabIceServers *servers)
{
  ConfabIceServers *copy = confab_ice_servers_new ();

  if (servers == NULL)
    return copy;
  copy->stun_host = g_strdup (servers->stun_host);
  copy->stun_port = servers->stun_port;
  copy->turn_host = g_strdup (servers->turn_host);
  copy->turn_port = servers->turn_port;
  copy->turn_username = g_strdup (servers->turn_username);
  copy->turn_password = g_strdup (servers->turn_password);
  return copy;
}

void
confab_ice_servers_free (ConfabIceServers *servers)
{
  if (servers == NULL)
    return;
  g_free (servers->stun_host);
  g_free (servers->turn_host);
  g_free (servers->turn_username);
  if (servers->turn_password)
    memset (servers->turn_password, 0, strlen (servers->turn_password));
  g_free (servers->turn_password);
  g_free (servers);
}

/* "host", "host:port", "[v6]:port". */
static gboolean
split_host_port (const char  *text,
                 char       **host,
                 guint       *port,
                 GError     **error)
{
  g_autoptr (GSocketConnectable) address = NULL;

  if (text && *text && strpbrk (text, " \t/@?;") == NULL)
    address = g_network_address_parse (text, 0, NULL);
  if (address == NULL) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("“%s” is not a server address (HOST or HOST:PORT)"), text ? text : "");
    return FALSE;
  }
  *host = g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (address)));
  *port = g_network_address_get_port (G_NETWORK_ADDRESS (address));
  return TRUE;
}

/**
 * confab_ice_servers_set_stun:
 * @host_port: "stun.example.org", "192.0.2.1:3478" or "[2001:db8::1]:3478";
 *   a leading "stun:" is accepted (RFC 7064)
 */
gboolean
confab_ice_servers_set_stun (ConfabIceServers  *servers,
                             const char        *host_port,
                             GError           **error)
{
  char *host = NULL;
  guint port = 0;

  if (host_port && g_str_has_prefix (host_port, "stun:"))
    host_port += strlen ("stun:");
  if (!split_host_port (host_port, &host, &port, error))
    return FALSE;
  g_free (servers->stun_host);
  servers->stun_host = host;
  servers->stun_port = port;
  return TRUE;
}

/**
 * confab_ice_servers_set_turn:
 * @uri: "turn:[user[:password]@]host[:port][?transport=udp]" (RFC 7065,
 *   and credentials for scripts); TURN over UDP
 * @username: (nullable): its user name
 * @password: (nullable): its password
 */
gboolean
confab_ice_servers_set_turn (ConfabIceServers  *servers,
                             const char        *uri,
                             const char        *username,
                             const char        *password,
                             GError           **error)
{
  g_autofree char *rest = NULL, *user_in_uri = NULL, *password_in_uri = NULL;
  char *query, *at, *colon, *host = NULL, *host_part;
  guint port = 0;

  if (uri == NULL || !g_str_has_prefix (uri, "turn:")) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("“%s” is not a TURN server (turn:HOST[:PORT])"), uri ? uri : "");
    return FALSE;
  }
  rest = g_strdup (uri + strlen ("turn:"));
  host_part = rest;
  query = strchr (rest, '?');
  if (query) {
    if (g_ascii_strcasecmp (query, "?transport=udp") != 0) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                   _("Only TURN over UDP is supported (“%s”)"), uri);
      return FALSE;
    }
    *query = '\0';
  }
  /* "turn:USER:PASSWORD@HOST" is ours, for scripts: RFC 7065 leaves
   * credentials out of the URI. Explicit arguments win. */
  at = strrchr (rest, '@');
  if (at) {
    *at = '\0';
    colon = strchr (rest, ':');
    if (colon)
      *colon = '\0';
    user_in_uri = g_uri_unescape_string (rest, NULL);
    password_in_uri = colon ? g_uri_unescape_string (colon + 1, NULL) : NULL;
    host_part = at + 1;
  }
  if (!split_host_port (host_part, &host, &port, error))
    return FALSE;
  g_free (servers->turn_host);
  g_free (servers->turn_username);
  g_free (servers->turn_password);
  servers->turn_host = host;
  servers->turn_port = port;
  servers->turn_username = g_strdup (username ? username : user_in_uri ? user_in_uri : "");
  servers->turn_password = g_strdup (password ? password : password_in_uri ? password_in_uri : "");
  if (password_in_uri)
    memset (password_in_uri, 0, strlen (password_in_uri));
  return TRUE;
}

