/* The Lua script that applies one batch; see apply_script.c. */
#ifndef CCHC_APPLY_SCRIPT_H
#define CCHC_APPLY_SCRIPT_H

extern const char apply_script_lua[];

#endif
