#!/usr/bin/env python3
# A user command for the command handler's tests: what it does is the payload's `mode`.
import json, os, signal, subprocess, sys, time

job = json.loads(sys.stdin.readline())
mode = job["payload"]["mode"]

def say(message):
    print(json.dumps(message), flush=True)

if mode == "ok":
    say({"progress": 25})
    say({"log": "env " + os.environ["JOBDECK_JOB_ID"] + " " + os.environ.get("EXTRA", "")})
    print("not json at all", flush=True)
    say({"progress": 75})
    say({"result": {"first": True}})
    say({"result": {"words": len(job["payload"]["text"].split()), "attempt": job["attempt"], "id": job["id"]}})
elif mode == "env":
    names = ["AMQP_URL", "REDIS_URL", "DATABASE_URL", "SMTP_URL", "JOBDECK_NAMESPACE", "JOBDECK_JOB_ID", "HOME"]
    say({"result": {name: os.environ.get(name) for name in names}})
elif mode == "flood":
    for n in range(20001):
        print(json.dumps({"progress": n / 200}))
    say({"result": {"lines": 20001}})
elif mode == "retry-once":
    if job["attempt"] == 1:
        print("the service is busy", file=sys.stderr)
        sys.exit(75)
    say({"result": {"attempt": job["attempt"]}})
elif mode == "retry":
    print("the service is busy", file=sys.stderr)
    sys.exit(75)
elif mode == "fail":
    for n in range(1, 31):
        print(f"trace line {n}", file=sys.stderr)
    sys.exit(1)
elif mode == "permanent":
    say({"permanent": True})
    print("payload refused", file=sys.stderr)
    sys.exit(2)
elif mode == "signal":
    os.kill(os.getpid(), signal.SIGKILL)
elif mode in ("ignore-term", "finish-on-term"):
    def on_term(number, frame):
        if mode == "finish-on-term":
            say({"result": {"finished": "despite the SIGTERM"}})
            sys.exit(0)
    signal.signal(signal.SIGTERM, on_term)
    with open(job["payload"]["pid_file"], "w") as f:
        f.write(str(os.getpid()))
    while True:
        time.sleep(1)
elif mode == "hang" or (mode == "hang-first" and job["attempt"] == 1):
    # Said before the PIDs are written: a test that stops the command once it sees them has it.
    say({"progress": 10})
    grandchild = subprocess.Popen(["sleep", "300"])
    with open(job["payload"]["pid_file"], "w") as f:
        f.write(f"{os.getpid()} {grandchild.pid}")
    time.sleep(300)
elif mode == "hang-first":
    say({"log": "attempt " + str(job["attempt"]) + " runs to its end"})
    say({"result": {"attempt": job["attempt"]}})
