# Harbordesk. go.temporal.io/server needs Go >= 1.26.10; the go command fetches
# this approved toolchain from the module proxy on first use.
export GOTOOLCHAIN := go1.27.3

BIN         ?= bin/harbordesk
FUZZTIME    ?= 10s
GOVULNCHECK ?= golang.org/x/vuln/cmd/govulncheck@v1.9.0
VULNDB      ?= https://vuln.go.dev
DATA_DIR ?= ./.harbordesk

.PHONY: dev build test test-cluster test-short test-faults lint checks whisper demo fuzz vulncheck clean

## dev: build and run everything in one process (embedded Temporal + worker + API + console)
dev: build
	$(BIN) dev --data-dir $(DATA_DIR)

build:
	go build -o $(BIN) ./cmd/harbordesk

## test: the whole suite — unit, workflow (testsuite) and end-to-end against the real binary + PostgreSQL
test:
	go vet ./...
	go test -count=1 -timeout 25m ./...

## test-faults: SIGKILL ×3 + PostgreSQL connections cut under 1,000 contacts; WhatsApp 5xx, DingTalk 130101 (~1-2 min)
test-faults:
	go test -tags faults -count=1 -timeout 15m -v -run Faults ./e2e/

## test-cluster: a real Temporal server (PostgreSQL, mTLS) as its own process, migrate, 2 api + 2 worker,
## bench through both APIs with one worker and one API SIGKILLed and restarted; last line is the JSON of CONTRACT.md
test-cluster: build
	go build -o bin/testcluster ./cmd/testcluster
	bin/testcluster --harbordesk $(BIN)

## fuzz: every Fuzz* target for FUZZTIME each
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

## vulncheck: govulncheck ./...; if the vulnerability database is unreachable it says so and checks nothing
vulncheck:
	@out=$$(go run $(GOVULNCHECK) -db $(VULNDB) ./... 2>&1); rc=$$?; printf '%s\n' "$$out"; \
	if [ $$rc -ne 0 ] && printf '%s' "$$out" | grep -q 'fetching vulnerabilities'; then \
	  echo "vulncheck: NOT CHECKED: cannot reach the vulnerability database $(VULNDB) (set VULNDB=file:///path/to/mirror for an offline copy)"; exit 0; \
	fi; exit $$rc

test-short:
	go test -short -count=1 ./...

## demo: fill the running `make dev` instance with a simulated day of contacts (run in a second shell)
demo:
	go run ./cmd/harbordesk demo --url http://127.0.0.1:8080 --key dev-admin-key --contacts 120 --seed 1

## whisper: build whisper.cpp's whisper-server into .tools/whisper/bin (for HARBORDESK_WHISPER_MODEL)
whisper:
	scripts/whisper/build.sh

## checks: the black-box acceptance checks of ../shared/checks that pass today
checks:
	../shared/checks/run-all backbone understanding privacy replies handoff channels voice console bench trust adopt workspace scale

lint:
	gofmt -l $$(git ls-files '*.go')
	go vet ./...

clean:
	rm -rf bin $(DATA_DIR)
