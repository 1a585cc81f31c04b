"""Django's date formats for the product (LANGUAGE_CODE en-gb), set to GOV.UK's style so the
admin, the ``date`` filter and the product's own pages agree (``foundation.dates``)."""

DATE_FORMAT = "j F Y"  # 4 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 4 Dec 2026
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# What date boxes read (the admin's included): day first, as people in the UK type it.
# The first is how a date box shows a date.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 30/06/2019, 30/6/2019
    "%d-%m-%Y",  # 30-6-2019
    "%d.%m.%Y",  # 30.6.2019
    "%Y-%m-%d",  # 2019-06-30
    "%d %B %Y",  # 30 June 2019
    "%d %b %Y",  # 30 Jun 2019
]
