#!/bin/sh
# Measures a 1,000,000-line JSONL job at zero latency in a 256 MB heap: rate and heap.
#   examples/bench-1m.sh [LINES] [CONCURRENCY]
# Starts `maritaca simulate` (no limits, no latency) as a separate process, generates the input,
# runs `maritaca batch run` under -Xmx256m with a GC log, then prints the summary, the largest heap
# after a GC (the live set) and the process's peak RSS. Needs python3 and GNU time (/usr/bin/time).
set -e
lines=${1:-1000000}
conc=${2:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/maritaca4j-cli/target/maritaca.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl maritaca4j-cli -am package)
work=$(mktemp -d /tmp/maritaca-bench-XXXXXX)
cd "$work"
python3 - "$lines" <<'PY'
import random, sys
random.seed(1)
n = int(sys.argv[1])
paises = ['Brasil', 'Chile', 'Peru', 'Argentina', 'Uruguai', 'Paraguai', 'Bolívia', 'Equador']
with open('in.jsonl', 'w') as f:
    for i in range(n):
        f.write('{"custom_id":"r%d","prompt":"Pergunta %d: qual é a capital do %s?"}\n'
                % (i, i, random.choice(paises)))
PY
port=18$(( $$ % 1000 + 100 ))
java -Xmx512m -jar "$jar" simulate --port "$port" > sim.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null' EXIT
sleep 3
MARITACA_API_KEY=bench /usr/bin/time -v java -Xmx256m -Xlog:gc:file=gc.log -jar "$jar" \
  batch run in.jsonl -o out.jsonl --base-url "http://127.0.0.1:$port/api" \
  --concurrency "$conc" --max-tokens 20 --progress lines --progress-interval 10 --json \
  > run.json 2> run.err || true
tail -3 run.err | grep -v "^\s" || true
cat run.json
echo "largest heap after GC (MB): $(grep -o -- '->[0-9]*M' gc.log | tr -dc '0-9\n' | sort -n | tail -1)"
grep -E "Maximum resident|Elapsed" run.err
echo "output lines: $(wc -l < out.jsonl)   (files in $work)"
