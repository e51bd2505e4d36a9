/* The page's files, built into the binary (.incbin), so that cchc-web serves
 * all it needs from one file wherever it runs: the page, its script and
 * style (assets/), and Chart.js, which the build takes from the npm
 * registry at the version and integrity package-lock.json pins
 * (CMakeLists.txt). Nothing is fetched at run time, and the page asks no
 * other origin (routes.c sends a Content-Security-Policy that forbids it). */
#include "web.h"

#include <string.h>

/* name: the bytes of file, then name##_end; a NUL after them. */
#define INCBIN(name, file)                                                                         \
    __asm__(".section .rodata\n"                                                                   \
            ".balign 16\n"                                                                         \
            ".global " #name "\n" #name ":\n"                                                      \
            ".incbin \"" file "\"\n"                                                               \
            ".global " #name "_end\n" #name "_end:\n"                                              \
            ".byte 0\n"                                                                            \
            ".previous\n");                                                                        \
    extern const unsigned char name[], name##_end[]

INCBIN(web_index_html, WEB_ASSETS_DIR "/index.html");
INCBIN(web_app_js, WEB_ASSETS_DIR "/app.js");
INCBIN(web_app_css, WEB_ASSETS_DIR "/app.css");
INCBIN(web_chart_js, WEB_CHART_JS);

#define ASSET(path, type, name)                                                                    \
    {                                                                                              \
        path, type, name, 0                                                                        \
    }

static struct web_asset assets[] = {
    ASSET("/", "text/html; charset=utf-8", web_index_html),
    ASSET("/index.html", "text/html; charset=utf-8", web_index_html),
    ASSET("/app.js", "text/javascript; charset=utf-8", web_app_js),
    ASSET("/app.css", "text/css; charset=utf-8", web_app_css),
    ASSET("/vendor/chart.umd.min.js", "text/javascript; charset=utf-8", web_chart_js),
};

static const unsigned char *ends[] = {web_index_html_end, web_index_html_end, web_app_js_end,
                                      web_app_css_end, web_chart_js_end};

const struct web_asset *web_asset_find(const char *path)
{
    for (size_t i = 0; i < sizeof assets / sizeof *assets; i++)
        if (strcmp(assets[i].path, path) == 0) {
            /* The lengths are link-time constants, taken at first use. */
            assets[i].len = (size_t)(ends[i] - assets[i].data);
            return &assets[i];
        }
    return NULL;
}
