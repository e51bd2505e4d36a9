/* placeholder: cchc_rate_* arrive with the report */
