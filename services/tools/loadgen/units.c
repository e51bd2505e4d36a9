/* The units the rachgia-2022 data set names: a copy of part of
 * ops/units/rachgia.tsv (the loadgen test checks that every unit a record
 * names is registered there, with the same level and kind). */
#include "loadgen.h"

const char *const lg_kind_names[LG_N_KINDS] = {"government", "agency", "service-unit"};

#define CITY(slug, kind)                                                                           \
    {                                                                                              \
        "kg.rachgia." slug, slug, LG_DISTRICT, kind                                                \
    }
#define WARD(slug)                                                                                 \
    {                                                                                              \
        "kg.rachgia." slug, slug, LG_COMMUNE, LG_GOVERNMENT                                        \
    }
#define DEPT(slug) CITY(slug, LG_AGENCY)
#define SU(slug) CITY(slug, LG_SERVICE_UNIT)

const struct lg_unit lg_units[LG_N_UNITS] = {
    {"kg.rachgia", "city", LG_DISTRICT, LG_GOVERNMENT},
    CITY("vpdkdd", LG_AGENCY),
    CITY("mot-cua", LG_AGENCY),
    WARD("p-vinh-thanh-van"),
    WARD("p-vinh-thanh"),
    WARD("p-vinh-quang"),
    WARD("p-vinh-hiep"),
    WARD("p-vinh-bao"),
    WARD("p-vinh-lac"),
    WARD("p-an-hoa"),
    WARD("p-an-binh"),
    WARD("p-rach-soi"),
    WARD("p-vinh-loi"),
    WARD("p-vinh-thong"),
    WARD("x-phi-thong"),
    DEPT("phong-noi-vu"),
    DEPT("phong-kinh-te"),
    DEPT("phong-tai-chinh-ke-hoach"),
    DEPT("phong-lao-dong-tbxh"),
    DEPT("phong-van-hoa-thong-tin"),
    DEPT("phong-tu-phap"),
    DEPT("phong-quan-ly-do-thi"),
    DEPT("phong-thanh-tra"),
    DEPT("phong-van-phong-hdnd-ubnd"),
    DEPT("phong-tai-nguyen-moi-truong"),
    DEPT("phong-giao-duc-dao-tao"),
    /* 51 schools (education), 1 culture unit, the six units the report's
     * footnote 11 names, two more. */
    SU("dvsn-giao-duc-01"),
    SU("dvsn-giao-duc-02"),
    SU("dvsn-giao-duc-03"),
    SU("dvsn-giao-duc-04"),
    SU("dvsn-giao-duc-05"),
    SU("dvsn-giao-duc-06"),
    SU("dvsn-giao-duc-07"),
    SU("dvsn-giao-duc-08"),
    SU("dvsn-giao-duc-09"),
    SU("dvsn-giao-duc-10"),
    SU("dvsn-giao-duc-11"),
    SU("dvsn-giao-duc-12"),
    SU("dvsn-giao-duc-13"),
    SU("dvsn-giao-duc-14"),
    SU("dvsn-giao-duc-15"),
    SU("dvsn-giao-duc-16"),
    SU("dvsn-giao-duc-17"),
    SU("dvsn-giao-duc-18"),
    SU("dvsn-giao-duc-19"),
    SU("dvsn-giao-duc-20"),
    SU("dvsn-giao-duc-21"),
    SU("dvsn-giao-duc-22"),
    SU("dvsn-giao-duc-23"),
    SU("dvsn-giao-duc-24"),
    SU("dvsn-giao-duc-25"),
    SU("dvsn-giao-duc-26"),
    SU("dvsn-giao-duc-27"),
    SU("dvsn-giao-duc-28"),
    SU("dvsn-giao-duc-29"),
    SU("dvsn-giao-duc-30"),
    SU("dvsn-giao-duc-31"),
    SU("dvsn-giao-duc-32"),
    SU("dvsn-giao-duc-33"),
    SU("dvsn-giao-duc-34"),
    SU("dvsn-giao-duc-35"),
    SU("dvsn-giao-duc-36"),
    SU("dvsn-giao-duc-37"),
    SU("dvsn-giao-duc-38"),
    SU("dvsn-giao-duc-39"),
    SU("dvsn-giao-duc-40"),
    SU("dvsn-giao-duc-41"),
    SU("dvsn-giao-duc-42"),
    SU("dvsn-giao-duc-43"),
    SU("dvsn-giao-duc-44"),
    SU("dvsn-giao-duc-45"),
    SU("dvsn-giao-duc-46"),
    SU("dvsn-giao-duc-47"),
    SU("dvsn-giao-duc-48"),
    SU("dvsn-giao-duc-49"),
    SU("dvsn-giao-duc-50"),
    SU("dvsn-giao-duc-51"),
    SU("dvsn-van-hoa-01"),
    SU("dvsn-bql-nang-cap-do-thi"),
    SU("dvsn-bql-dau-tu-xay-dung"),
    SU("dvsn-doi-kiem-tra-trat-tu-do-thi"),
    SU("dvsn-trung-tam-thuong-mai"),
    SU("dvsn-ban-boi-thuong-gpmb"),
    SU("dvsn-trung-tam-tu-van-xay-dung"),
    SU("dvsn-khac-01"),
    SU("dvsn-khac-02"),
};
