import os, time, datetime as dt, statistics
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()
from workforce.selectors import caseloads as c
from workforce.scopes import Scope
from foundation.periods import previous_quarter_ends
from django.utils import timezone
day = previous_quarter_ends(timezone.localdate(), 8)[-1]
def t(label, fn, n=5):
    fn(); times=[]
    for _ in range(n):
        s=time.perf_counter(); r=fn(); times.append(time.perf_counter()-s)
    print(f"{label}: {min(times)*1000:.1f} ms min {statistics.median(times)*1000:.1f} med")
    return r
rows = t("rows", lambda: c._held_rows(day, Scope(), 45))
print(len(rows))
t("holders", lambda: c.case_holders_on(day))
s=t("all", lambda: c.caseloads_on(day))
print(s.total, s.total.per_case_holder, s.spread)
