#!/usr/bin/env bash
# Upload to usable and to ready, end to end over HTTP on the local host (Release, no seed): the largest JPEG of
# mate-backgrounds (18 MP), uploaded by a reporter, GET /api/photos/{id} polled every 20 ms; median of 5 (a first
# upload warms the JIT and libvips). Twice: the file as it is (a progressive JPEG, 16 MB) and the same pixels as a
# camera writes them (baseline, standard Huffman tables, EXIF kept: jpegtran -copy all, lossless). The worker's
# log says where the time went. Run by bench/photos.sh; usage alone: bench/photos-http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
need() { dpkg -s "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }; }
need mate-backgrounds
need libjpeg-turbo-progs
out=bench/out; mkdir -p "$out"
mapfile -t photos < <(find /usr/share/backgrounds/mate -name '*.jpg' -size +200k | sort)
largest=$(for p in "${photos[@]}"; do python3 -c 'import sys,struct
d=open(sys.argv[1],"rb").read(); i=2
while i < len(d):
    m=d[i+1]; l=struct.unpack(">H",d[i+2:i+4])[0]
    if 0xC0<=m<=0xCF and m not in (0xC4,0xC8,0xCC): print(struct.unpack(">H",d[i+7:i+9])[0]*struct.unpack(">H",d[i+5:i+7])[0], sys.argv[1]); break
    i+=2+l' "$p"; done | sort -n | tail -1 | cut -d' ' -f2)
dotnet build -c Release src/Newsroom.LocalHost --verbosity quiet -nologo >/dev/null
port=7185
dotnet src/Newsroom.LocalHost/bin/Release/net10.0/Newsroom.LocalHost.dll --urls "http://127.0.0.1:$port" --no-seed \
  --LocalHost:AzuriteInMemory=true > "$out/localhost-photos.log" 2>&1 &
host=$!
trap 'kill $host 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/api/categories" >/dev/null && break; sleep 1; done
camera="$out/$(basename "$largest" .jpg)-baseline.jpg"
jpegtran -copy all -outfile "$camera" "$largest"
python3 - "$port" "$out/localhost-photos.log" "$largest" "$camera" <<'PY'
import json, statistics, sys, time, urllib.request, uuid, re
port, log, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
base = f"http://127.0.0.1:{port}"
def call(method, url, body=None, headers={}):
    req = urllib.request.Request(base + url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())
token = call("POST", "/api/dev/token", json.dumps({"name": "Bench", "roles": ["Reporter"]}).encode(), {"Content-Type": "application/json"})["accessToken"]
for path in paths:
    data = open(path, "rb").read()
    print(f"upload to usable / ready over HTTP: {path.split('/')[-1]}, {len(data)/1e6:.1f} MB")
    runs = []
    for n in range(6):  # the first warms the JIT and libvips; five are measured
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        start = time.monotonic()
        photo = call("POST", "/api/photos", body, {"Content-Type": f"multipart/form-data; boundary={boundary}", "Authorization": f"Bearer {token}"})
        accepted = time.monotonic() - start
        usable = ready = None
        while ready is None:
            p = call("GET", f"/api/photos/{photo['id']}")
            now = time.monotonic() - start
            if usable is None and (p.get("usable") or p["status"] == "ready"):
                usable = now
            if p["status"] == "ready":
                ready = now
            elif p["status"] == "failed":
                sys.exit(f"failed: {p.get('error')}")
            time.sleep(0.02)
        if n > 0:
            runs.append((accepted, usable, ready, photo["id"]))
        time.sleep(2)  # an editor's pace: the queue listener is back to its idle polling
    text = open(log, encoding="utf-8", errors="replace").read()
    def median(i): return statistics.median(r[i] for r in runs)
    print(f"  upload request (202) {median(0)*1000:6.0f} ms")
    print(f"  -> usable            {median(1)*1000:6.0f} ms   (goal <= 1500)")
    print(f"  -> ready             {median(2)*1000:6.0f} ms   (goal <= 3500)")
    for label, event in (("usable", "usable"), ("ready", "ready")):
        parts = []
        for *_, pid in runs:
            m = re.search(rf"Photo {pid} {event}: .*?(\d+(?:\.\d+)?) ms after upload \(queued (\d+(?:\.\d+)?) ms; download (\d+(?:\.\d+)?) ms, decode (\d+(?:\.\d+)?) ms, resize (\d+(?:\.\d+)?) ms, encode (\d+(?:\.\d+)?) ms", text)
            if m: parts.append([float(x) for x in m.groups()])
        if parts:
            med = lambda k: statistics.median(p[k] for p in parts)
            print(f"  worker, at {label}: from the record to the worker {med(1):.0f} ms (the original stored, the job queued and picked up), download {med(2):.0f} ms, decode {med(3):.0f} ms, resize {med(4):.0f} ms, encode {med(5):.0f} ms")
PY
