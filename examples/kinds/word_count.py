"""Jobdeck command kind `word-count`: counts the words of payload.text (Python 3, standard library only).
The job arrives as one JSON line on stdin; progress, log lines and the result leave as JSON lines on stdout."""
import collections, json, re, sys

def say(**message):
    print(json.dumps(message), flush=True)

job = json.loads(sys.stdin.readline())
text, top = job["payload"]["text"], job["payload"].get("top", 5)
lines = text.splitlines() or [""]
counts = collections.Counter()
for number, line in enumerate(lines, 1):
    counts.update(word.lower() for word in re.findall(r"[^\W_]+(?:'[^\W_]+)*", line))
    if number % max(1, len(lines) // 10) == 0:
        say(progress=round(100 * number / len(lines)))
if not counts:
    say(permanent=True)  # no retry can find words in this payload
    sys.exit("payload.text has no words")  # exit code 1; stderr's last lines are the job's error
say(log=f"counted {sum(counts.values())} words in {len(lines)} lines (attempt {job['attempt']})")
say(result={"words": sum(counts.values()), "lines": len(lines), "top": counts.most_common(top)})
