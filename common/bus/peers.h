/* The peers a listening bus socket takes at once: BUS_PEERS_MAX in all,
 * and BUS_PEERS_PER_ADDR_MAX from one IP address (tcp:// and tls+tcp://;
 * ipc sockets live in a private folder, ops/README.md, "Bus keys"). A
 * connection past either is closed as soon as nng has it, before any frame
 * is read from it or sent to it, and counted: a flood of connections costs
 * the publisher a closed socket each, not a copy of every frame. */
#ifndef CCHC_BUS_PEERS_H
#define CCHC_BUS_PEERS_H

#include <nng/nng.h>
#include <stdint.h>

#define BUS_PEERS_MAX 64
#define BUS_PEERS_PER_ADDR_MAX 8

struct bus_peers;

/* Caps the pipes of s (what: its name in log lines, e.g. the address,
 * copied). Call before the socket listens; free with bus_peers_free after
 * nng_close(s), which runs the last callbacks. */
struct bus_peers *bus_peers_limit(nng_socket s, const char *what);
/* Connections closed at the cap so far. */
uint64_t bus_peers_refused(struct bus_peers *p);
void bus_peers_free(struct bus_peers *p);

#endif
