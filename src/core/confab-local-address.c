/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabLocalAddress"

#include "config.h"

#include "confab-local-address.h"

#include <gio/gio.h>

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

static gboolean
is_wildcard (const char *bind_address)
{
  return !bind_address || !*bind_address || g_str_equal (bind_address, "*") ||
         g_str_equal (bind_address, "0.0.0.0") || g_str_equal (bind_address, "::");
}

static GSocket *
bind_socket (GSocketType  type,
             const char  *host,
             guint        port)
{
  g_autoptr (GInetAddress) inet = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocket) socket = NULL;

  inet = host ? g_inet_address_new_from_string (host) : NULL;
  if (!inet)
    inet = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (inet, port);
  socket = g_socket_new (g_inet_address_get_family (inet), type,
                         type == G_SOCKET_TYPE_STREAM ? G_SOCKET_PROTOCOL_TCP
                                                      : G_SOCKET_PROTOCOL_UDP, NULL);
  if (!socket || !g_socket_bind (socket, address, FALSE, NULL))
    return NULL;
  return g_steal_pointer (&socket);
}

/**
 * confab_local_address_port_is_free:
 *
 * Returns: whether both UDP and TCP can bind @port right now
 */
gboolean
confab_local_address_port_is_free (const char *bind_address,
                                   guint       port)
{
  const char *host = is_wildcard (bind_address) ? NULL : bind_address;
  g_autoptr (GSocket) udp = bind_socket (G_SOCKET_TYPE_DATAGRAM, host, port);
  g_autoptr (GSocket) tcp = udp ? bind_socket (G_SOCKET_TYPE_STREAM, host, port) : NULL;

  return udp && tcp;
}

/**
 * confab_local_address_find_free_port:
 * @bind_address: (nullable): address to bind, %NULL for any
 *
 * SIP listens on the same port for UDP and TCP, so the port must be free for
 * both.
 *
 * Returns: a port, or 0 when none was found
 */
guint
confab_local_address_find_free_port (const char *bind_address)
{
  const char *host = is_wildcard (bind_address) ? NULL : bind_address;

  for (guint attempt = 0; attempt < 20; attempt++) {
    g_autoptr (GSocket) tcp = bind_socket (G_SOCKET_TYPE_STREAM, host, 0);
    g_autoptr (GSocket) udp = NULL;
    g_autoptr (GSocketAddress) local = NULL;
    guint port;

    if (!tcp)
      return 0;
    local = g_socket_get_local_address (tcp, NULL);
    if (!local)
      return 0;
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    udp = bind_socket (G_SOCKET_TYPE_DATAGRAM, host, port);
    if (udp)
      return port;
  }
  return 0;
}

/**
 * confab_local_address_pick:
 * @bind_address: (nullable): the address SIP is bound to
 *
 * Returns: (transfer full): the address others reach this machine at: the
 *   bound one, else the first non-loopback IPv4 address of an interface that
 *   is up, else a global IPv6 one, else 127.0.0.1
 */
char *
confab_local_address_pick (const char *bind_address)
{
  struct ifaddrs *list = NULL;
  char *ipv6 = NULL;
  char *ipv4 = NULL;

  if (!is_wildcard (bind_address))
    return g_strdup (bind_address);

  if (getifaddrs (&list) == 0) {
    for (struct ifaddrs *ifa = list; ifa && !ipv4; ifa = ifa->ifa_next) {
      char text[INET6_ADDRSTRLEN];

      if (!ifa->ifa_addr || !(ifa->ifa_flags & IFF_UP) || (ifa->ifa_flags & IFF_LOOPBACK))
        continue;
      if (ifa->ifa_addr->sa_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) (const void *) ifa->ifa_addr;

        if (inet_ntop (AF_INET, &sin->sin_addr, text, sizeof text))
          ipv4 = g_strdup (text);
      } else if (ifa->ifa_addr->sa_family == AF_INET6 && !ipv6) {
        const struct sockaddr_in6 *sin6 =
          (const struct sockaddr_in6 *) (const void *) ifa->ifa_addr;

        if (!IN6_IS_ADDR_LINKLOCAL (&sin6->sin6_addr) &&
            inet_ntop (AF_INET6, &sin6->sin6_addr, text, sizeof text))
          ipv6 = g_strdup (text);
      }
    }
    freeifaddrs (list);
  }
  if (ipv4) {
    g_free (ipv6);
    return ipv4;
  }
  return ipv6 ? ipv6 : g_strdup ("127.0.0.1");
}
