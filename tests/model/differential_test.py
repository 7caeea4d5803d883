"""Differential test: slot-engine against contract_model.py (an independent Python reading
of the contract) on generated clinics in many zones, compared as data.

    differential_test.py --engine build/bin/slot-engine --gen build/bin/gen-cases [--count N]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import timedelta

import contract_model


def run_engine(engine, command, snapshot_path, other_flag, other):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(other, f)
        other_path = f.name
    try:
        out = subprocess.run([engine, command, "--snapshot", snapshot_path, other_flag, other_path],
                             capture_output=True, text=True, timeout=30)
    finally:
        os.unlink(other_path)
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", required=True)
    parser.add_argument("--gen", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=77)
    args = parser.parse_args()
    cases = json.loads(subprocess.run([args.gen, "--count", str(args.count), "--seed", str(args.seed)],
                                      capture_output=True, text=True, check=True).stdout)
    compared, differences = 0, []

    def compare(label, got, want):
        nonlocal compared
        compared += 1
        if "error" in want:  # the model names only the code
            same = "error" in got and got["error"]["code"] == want["error"]["code"]
        else:
            same = got == want
        if not same:
            differences.append((label, json.dumps(want)[:600], json.dumps(got)[:600]))

    zones = set()
    with tempfile.TemporaryDirectory() as work:
        snapshot_path = os.path.join(work, "snapshot.json")
        for i, case in enumerate(cases):
            snapshot = case["snapshot"]
            zones.add(snapshot["clinic"]["timezone"])
            with open(snapshot_path, "w") as f:
                json.dump(snapshot, f)
            query = case["query"]
            want = contract_model.slots(snapshot, query)
            got = run_engine(args.engine, "slots", snapshot_path, "--query", query)
            compare(f"case {i} slots {json.dumps(query)}", got, want)

            bookings = [case["booking"]]
            # Listed starts (accepted) and starts a few minutes later (refused for some reason).
            for day in want.get("available_slots", [])[:3]:
                slot = day["slots"][len(day["slots"]) // 2]
                listed = contract_model.parse_instant(slot["start_utc"])
                for shift in (0, 5, 7):
                    bookings.append({"appointment_type": query["appointment_type"],
                                     "practitioner_id": slot["practitioner_ids"][0],
                                     "start": contract_model.format_instant(listed + timedelta(minutes=shift)),
                                     "now": query["now"]})
            for booking in bookings:
                compare(f"case {i} validate {json.dumps(booking)}",
                        run_engine(args.engine, "validate", snapshot_path, "--booking", booking),
                        contract_model.validate(snapshot, booking))

    print(f"compared {compared} answers on {len(cases)} generated clinics in {len(zones)} zones: "
          f"{len(differences)} differ")
    for label, want, got in differences[:5]:
        print(f"- {label}\n  model:  {want}\n  engine: {got}")
    return 1 if differences or len(zones) < 10 else 0


if __name__ == "__main__":
    sys.exit(main())
