"""An independent model of the slot engine contract (docs/engine-contract.md), written
from the contract alone in Python with the standard library's zoneinfo, to check the C++
engine against a second reading of the same text. Deliberately naive: brute force over
every candidate and every busy interval, no shared code or data structures with core/.

Only valid snapshots and well-formed requests are modelled; error handling is covered by
the engine's own tests.
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def parse_instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")).astimezone(UTC)


def format_instant(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_to_utc(zone, naive):
    """The contract's rule: an ambiguous wall time takes its earlier occurrence; a wall
    time inside a gap maps to the instant of the transition."""
    earlier = naive.replace(tzinfo=zone, fold=0)
    utc = earlier.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) == naive:
        later = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
        return min(utc, later)
    # A gap. fold=0 reads the wall time with the offset before the jump, which lands after
    # the transition: search back, by the second, for the first instant of the new offset.
    def offset(seconds):
        return datetime.fromtimestamp(seconds, UTC).astimezone(zone).utcoffset()

    after = offset(int(utc.timestamp()))
    low, high = int(utc.timestamp()) - 86400, int(utc.timestamp())
    while high - low > 1:
        mid = (low + high) // 2
        if offset(mid) == after:
            high = mid
        else:
            low = mid
    return datetime.fromtimestamp(high, UTC)


def minutes(text):
    hh, mm = text.split(":")
    return int(hh) * 60 + int(mm)


class Clinic:
    def __init__(self, snapshot):
        clinic = snapshot["clinic"]
        self.id = clinic["id"]
        self.tzname = clinic["timezone"]
        self.zone = ZoneInfo(self.tzname)
        self.closed = {date.fromisoformat(d) for d in clinic.get("closed_dates", [])}
        rules = snapshot.get("rules", {})
        notice = rules.get("min_notice_minutes", 120)
        advance = rules.get("max_advance_days", 90)
        self.types = {}
        for t in snapshot["appointment_types"]:
            self.types[t["id"]] = {
                "duration": t["duration_minutes"],
                "before": t.get("buffer_before_minutes", 0),
                "after": t.get("buffer_after_minutes", 0),
                "step": t.get("slot_step_minutes", t["duration_minutes"]),
                "notice": t.get("min_notice_minutes", notice),
                "advance": t.get("max_advance_days", advance),
            }
        self.practitioners = {p["id"]: p for p in snapshot["practitioners"]}
        self.busy = [(b["practitioner_id"], parse_instant(b["start"]), parse_instant(b["end"]))
                     for b in snapshot.get("busy", [])]

    def hours(self, p, day):
        if day in self.closed:
            return []
        for o in p.get("overrides", []):
            if date.fromisoformat(o["date"]) == day:
                return o["hours"]
        return p.get("weekly_hours", {}).get(WEEKDAYS[day.weekday()], [])

    def windows(self, p, day):
        midnight = datetime(day.year, day.month, day.day)
        for h in self.hours(p, day):
            yield (local_to_utc(self.zone, midnight + timedelta(minutes=minutes(h["start"]))),
                   local_to_utc(self.zone, midnight + timedelta(minutes=minutes(h["end"]))))

    def grid(self, p, t, day):
        for start, end in self.windows(p, day):
            s = start
            while s + timedelta(minutes=t["duration"]) <= end:
                yield s, start
                s += timedelta(minutes=t["step"])

    def local_date(self, instant):
        return instant.astimezone(self.zone).date()

    def refusal(self, pid, t, day, start, now):
        """in_past / too_soon / too_far / conflict for a start on the grid, or None."""
        if start < now:
            return "in_past"
        if start < now + timedelta(minutes=t["notice"]):
            return "too_soon"
        if day > self.local_date(now) + timedelta(days=t["advance"]):
            return "too_far"
        occupied_from = start - timedelta(minutes=t["before"])
        occupied_to = start + timedelta(minutes=t["duration"] + t["after"])
        for who, b_start, b_end in self.busy:
            if who == pid and occupied_from < b_end and b_start < occupied_to:
                return "conflict"
        return None


def slots(snapshot, query):
    c = Clinic(snapshot)
    type_id = query["appointment_type"]
    if type_id not in c.types:
        return {"error": {"code": "unknown_appointment_type"}}
    t = c.types[type_id]
    wanted = query.get("practitioner_id")
    if wanted in (None, "any"):
        who = sorted(pid for pid, p in c.practitioners.items() if type_id in p["appointment_types"])
    else:
        p = c.practitioners.get(wanted)
        if p is None or type_id not in p["appointment_types"]:
            return {"error": {"code": "unknown_practitioner"}}
        who = [wanted]
    now = parse_instant(query["now"])
    first, last = date.fromisoformat(query["start_date"]), date.fromisoformat(query["end_date"])
    days = []
    day = first
    while day <= last:
        free = {}
        for pid in who:
            for start, _ in c.grid(c.practitioners[pid], t, day):
                if c.refusal(pid, t, day, start, now) is None:
                    free.setdefault(start, []).append(pid)
        if free:
            listed = []
            for start in sorted(free):
                end = start + timedelta(minutes=t["duration"])
                listed.append({
                    "start": start.astimezone(c.zone).strftime("%H:%M"),
                    "end": end.astimezone(c.zone).strftime("%H:%M"),
                    "start_utc": format_instant(start), "end_utc": format_instant(end),
                    "duration_minutes": t["duration"], "practitioner_ids": sorted(free[start]),
                })
            days.append({"date": day.isoformat(), "day_of_week": day.strftime("%A"),
                         "total_slots": len(listed), "slots": listed})
        day += timedelta(days=1)
    return {"clinic_id": c.id, "appointment_type": type_id,
            "practitioner_id": wanted if wanted is not None else "any",
            "start_date": first.isoformat(), "end_date": last.isoformat(), "timezone": c.tzname,
            "slot_duration_minutes": t["duration"], "total_days_with_availability": len(days),
            "available_slots": days}


def validate(snapshot, booking):
    c = Clinic(snapshot)
    type_id, pid = booking["appointment_type"], booking["practitioner_id"]
    if type_id not in c.types:
        return {"ok": False, "reason": "unknown_appointment_type"}
    t = c.types[type_id]
    p = c.practitioners.get(pid)
    if p is None or type_id not in p["appointment_types"]:
        return {"ok": False, "reason": "unknown_practitioner"}
    start, now = parse_instant(booking["start"]), parse_instant(booking["now"])
    day = c.local_date(start)
    if start < now:
        return {"ok": False, "reason": "in_past"}
    if start < now + timedelta(minutes=t["notice"]):
        return {"ok": False, "reason": "too_soon"}
    if day > c.local_date(now) + timedelta(days=t["advance"]):
        return {"ok": False, "reason": "too_far"}
    end = start + timedelta(minutes=t["duration"])
    inside = [(s, e) for s, e in c.windows(p, day) if s <= start and end <= e]
    if not inside:
        return {"ok": False, "reason": "outside_hours"}
    window_start = inside[0][0]
    if (start - window_start) % timedelta(minutes=t["step"]) != timedelta(0):
        return {"ok": False, "reason": "off_grid"}
    reason = c.refusal(pid, t, day, start, now)
    return {"ok": True} if reason is None else {"ok": False, "reason": reason}
