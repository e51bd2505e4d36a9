/* The dossier records office systems send to the national public service
 * portal (Cổng Dịch vụ công quốc gia, DVCQG): `DongBoHoSoMC` records, alone
 * or in the envelope {"service":"DongBoHoSoMC","isUpdating":"True|False",
 * "madonvi":"...","data":[...]}. Each is a dossier's whole current state;
 * this file turns one into the cchc-dossier `state` record it stands for
 * (services/README.md, "DVCQG records"), which the service then
 * decides as any record of its own. This file owns the DVCQG vocabulary:
 * its field names, its statuses' numbers, its time format and which unit
 * a record is for; the service owns what a state means. */
#ifndef CCHC_INGEST_DVCQG_H
#define CCHC_INGEST_DVCQG_H

#include "base/units.h"

#include <jansson.h>
#include <stddef.h>

/* The record type DVCQG records become, and the MaHoSo bound (the record
 * id "dvcqg:MaHoSo:DIGEST" stays within INGEST_ID_MAX). */
#define DVCQG_TYPE "state"
#define DVCQG_MAHOSO_MAX 100

/* Whether v is an envelope (an object with "data"). If it is: CCHC_OK with
 * its madonvi (borrowed from v; NULL when it has none) and its records; or
 * CCHC_EINVAL with `field "service": ...` in why. */
int dvcqg_envelope(json_t *v, int *is, const char **madonvi, json_t **data, char *why, size_t cap);

/* One DongBoHoSoMC record rec (borrowed) into *out, a new `state` record
 * (owned by the caller): its unit the first of DonViXuLy, the record's
 * madonvi and the envelope's madonvi (NULL: none) that is a code or madonvi
 * of the registry on the day of the record's latest time, its id "dvcqg:MaHoSo:" and a digest of
 * the state, so that the same state sent again is a duplicate. CCHC_EINVAL with `field
 * "NgayHenTra": ...` in why. */
int dvcqg_to_state(json_t *rec, const char *madonvi, const struct units *u, json_t **out, char *why,
                   size_t cap);

/* The DVCQG name of a `state` record's field ("due" -> "NgayHenTra"), or
 * NULL: for the service's reasons about a record that came as DVCQG. */
const char *dvcqg_field_name(const char *state_field, size_t n);

#endif
