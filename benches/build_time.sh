#!/usr/bin/env bash
# Build-time cost of `#[endpoint]`.
#
# Generates, in a scratch directory, a crate with N (default 200) endpoints
# declared with `#[endpoint]` (`annotated`) and a crate with the same N
# endpoints written by hand against the runtime, token for token what the
# macro expands to (`handwritten`). Both depend on this repository by path and
# share one target directory, so dependencies are built once and every figure
# is the crate itself. For each crate it times:
#   - a clean build: `cargo clean -p <crate>`, then `cargo build -p <crate>`;
#   - an incremental build after a one-line change (one endpoint's doc line);
# and prints the ratio annotated / handwritten (target <= 1.15x).
#
# What it measures is the front end of the crate that declares the
# endpoints: every endpoint method is generic over the client type, so its
# code is generated (monomorphised) in the crate that calls it, not here.
# `codegen_crate` below is therefore small for both crates; the cost of
# generating the calls' code lands in the user's crate, which the cold
# build further down includes.
#
# Then, where it can:
#   - the macro's own share: `rustc -Z time-passes` for both crates (cargo's
#     rustc command rerun with RUSTC_BOOTSTRAP=1, on the stable compiler; a
#     measuring aid only); the difference in `expand_crate` is the cost of
#     running `#[endpoint]`;
#   - a user's crate depending only on `hacktron`: its cold `cargo build` in an
#     empty target directory (after `cargo fetch`), the crates it compiles and
#     its dependency tree;
#
# Usage: benches/build_time.sh
# Environment: ENDPOINTS (200), RUNS (2: each timing is the best of RUNS;
#   each run makes INCR (3) incremental builds),
#   WORK (scratch directory; default a new /tmp/hacktron-build-time.*),
#   COLD (1: 0 skips the user's crate), KEEP (0: delete WORK at the end).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE=$(cd "$HERE/.." && pwd)
N=${ENDPOINTS:-200}
RUNS=${RUNS:-2}
INCR=${INCR:-3}
COLD=${COLD:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/hacktron-build-time.XXXXXX)}
mkdir -p "$WORK"
TRAITS=4
PER_TRAIT=$(((N + TRAITS - 1) / TRAITS))
export CARGO_TERM_COLOR=never
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS

# The crates depend on a copy of the repository taken now (sources and
# manifests, no target/ or .git/), so edits made while the script runs do not
# land in a timed build.
REPO=$WORK/repo
mkdir -p "$REPO"
tar -C "$SOURCE" --exclude=./target --exclude=./.git -cf - . | tar -C "$REPO" -xf -

cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

now() { date +%s.%N; }
# secs START END -> "12.34"
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
min() { printf '%s\n' "$@" | sort -g | head -1; }

# ---------------------------------------------------------------- generation

P='::hacktron::__private::v0_1'

# Prints endpoint $1 of kind $1 % 4, as `#[endpoint]` (mode annotated) or as
# the macro's expansion (mode handwritten).
endpoint() {
    local i=$1 mode=$2 kind=$(($1 % 4))
    local verb path name ret args scope steps
    case $kind in
    0)
        verb=GET path="/items$i/{id}" name="get_item_$i" ret=Item scope=read
        args='id: &str, #[query] limit: Option<u32>'
        steps="__req.literal(\"/items$i/\"); __req.segment::<str>(\"id\", id); __req.query::<Option<u32>>(\"limit\", &limit);"
        ;;
    1)
        verb=POST path="/items$i" name="create_item_$i" ret=Item scope=write
        args='#[body] item: &NewItem'
        steps="__req.literal(\"/items$i\"); __req.json::<NewItem>(\"item\", item);"
        ;;
    2)
        verb=GET path="/items$i/{id}/children" name="list_children_$i" ret='Vec<Item>' scope=read
        args='id: u64, #[query(flatten)] query: &ListQuery'
        steps="__req.literal(\"/items$i/\"); __req.segment::<u64>(\"id\", &id); __req.literal(\"/children\"); __req.query_all::<ListQuery>(\"query\", query);"
        ;;
    3)
        verb=PATCH path="/items$i/{id}" name="update_item_$i" ret=Item scope=write
        args='id: &str, #[body] item: &NewItem, #[query("dry_run")] dry_run: bool'
        steps="__req.literal(\"/items$i/\"); __req.segment::<str>(\"id\", id); __req.json::<NewItem>(\"item\", item); __req.query::<bool>(\"dry_run\", &dry_run);"
        ;;
    esac
    if [ "$mode" = annotated ]; then
        cat <<EOF
    /// Endpoint $i.
    #[endpoint($verb, "$path", scope = $scope)]
    async fn $name(&self, $args) -> Result<$ret, Error>;

EOF
    else
        local method=${verb:0:1}$(tr 'A-Z' 'a-z' <<<"${verb:1}")
        local plain meta
        # The arguments without their binding attributes.
        plain=$(sed -E 's/#\[[a-z]+(\([^)]*\))?\] //g' <<<"$args")
        meta="$P::Endpoint { name: \"$name\", method: $P::Method::$method, path: \"$path\", scope: <dyn $scope as $P::Scope>::NAME, max_attempts: ::core::option::Option::None, idempotent: ::core::option::Option::None }"
        cat <<EOF
    #[doc = "\`$verb $path\`: metadata of [\`$name\`](Self::$name)."]
    const ${name^^}: $P::Endpoint = $meta;

    /// Endpoint $i.
    fn $name(&self, $plain) -> $P::Pending<'_, Result<$ret, Error>>
    where
        Self: $P::Api,
        $P::KeyOf<Self>: $scope,
        Result<$ret, Error>: $P::CallOutput<$P::ErrorOf<$P::KeyOf<Self>>, Ok = $ret>,
    {
        static __ENDPOINT: $P::Endpoint = $meta;
        let mut __req = $P::Request::new($P::AsClient::as_client($P::Api::client(self)), &__ENDPOINT);
        $steps
        ::std::boxed::Box::pin(__req.send::<dyn $scope, Result<$ret, Error>>())
    }

EOF
    fi
}

gen_crate() {
    local crate=$1 dir=$WORK/gen/$1
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$crate"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
hacktron = { path = "$REPO" }
serde = { version = "1", features = ["derive"] }
EOF
    {
        echo "//! $N endpoints ($crate). Generated by benches/build_time.sh."
        [ "$crate" = annotated ] && echo 'use hacktron::endpoint;'
        cat <<'EOF'
use hacktron::Error;
use hacktron::scope::{KeyKind, read, write};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub tags: Vec<String>,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NewItem {
    pub name: String,
    pub size: u64,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ListQuery {
    pub page: Option<u32>,
    pub limit: Option<u32>,
    pub sort: Option<String>,
}

EOF
        local t i
        for ((t = 0; t < TRAITS; t++)); do
            echo "pub trait Api$t {"
            for ((i = t * PER_TRAIT; i < (t + 1) * PER_TRAIT && i < N; i++)); do
                endpoint "$i" "$crate"
            done
            echo "}"
            echo "impl<K: KeyKind<Service = hacktron::Hacktron>> Api$t for hacktron::Client<K> {}"
            echo
        done
    } >"$dir/src/lib.rs"
}

mkdir -p "$WORK/gen"
cat >"$WORK/gen/Cargo.toml" <<'EOF'
[workspace]
members = ["annotated", "handwritten"]
resolver = "3"
EOF
# The repository's lock file pins the same versions it is tested with.
cp "$REPO/Cargo.lock" "$WORK/gen/Cargo.lock"
gen_crate annotated
gen_crate handwritten

# ---------------------------------------------------------------- machine

echo "== machine"
echo "cpus: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "$(rustc --version); $(cargo --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "scratch: $WORK; hacktron: copy of $SOURCE at $(git -C "$SOURCE" rev-parse --short HEAD 2>/dev/null || echo '?') ($(git -C "$SOURCE" status --porcelain 2>/dev/null | wc -l) paths changed or new)"
echo

# ---------------------------------------------------------------- 200 endpoints

export CARGO_TARGET_DIR=$WORK/target-gen
cd "$WORK/gen"
echo "== $N endpoints: annotated vs handwritten (dev profile, best of $RUNS)"
t0=$(now)
cargo build --workspace -q 2>&1 | grep -E '^error' -A5 || true
echo "dependencies and both crates, first build: $(secs "$t0" "$(now)") s"

# time_build CRATE -> "WALL CPU": seconds of `cargo build -p CRATE`, elapsed
# and user + system CPU of cargo and rustc (the machine may be shared: CPU
# time moves less than elapsed time when another job competes for the cores).
time_build() {
    local TIMEFORMAT='%R %U %S' out
    out=$({ time cargo build -q --offline -p "$1" >/dev/null 2>&1; } 2>&1)
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' <<<"$out"
}

declare -A WALL CPU
for ((r = 1; r <= RUNS; r++)); do
    for crate in annotated handwritten; do
        cargo clean -q --offline -p "$crate"
        read -r w c < <(time_build "$crate")
        WALL[clean-$crate]+="$w " CPU[clean-$crate]+="$c "
        # One-line change: endpoint 0's doc comment; INCR times (cheap).
        for ((e = 1; e <= INCR; e++)); do
            sed -i -E "s|/// Endpoint 0\.( edit [0-9]+)?$|/// Endpoint 0. edit $r$e|" "$crate/src/lib.rs"
            read -r w c < <(time_build "$crate")
            WALL[incr-$crate]+="$w " CPU[incr-$crate]+="$c "
        done
    done
done
for kind in clean incr; do
    for measure in WALL CPU; do
        declare -n T=$measure
        a=$(min ${T[$kind-annotated]}) h=$(min ${T[$kind-handwritten]})
        printf '%-12s %-4s annotated %6.2f s  handwritten %6.2f s  ratio %s   (runs: annotated %s| handwritten %s)\n' \
            "$([ $kind = clean ] && echo clean || echo incremental)" "$([ $measure = WALL ] && echo wall || echo cpu)" \
            "$a" "$h" "$(ratio "$a" "$h")" "${T[$kind-annotated]}" "${T[$kind-handwritten]}"
        unset -n T
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# ---------------------------------------------------------------- the macro's share

echo "== where the time goes: rustc -Z time-passes, non-incremental, one run each"
echo "   (cargo's own rustc command for the crate, rerun with RUSTC_BOOTSTRAP=1 set for that rustc only:"
echo "   setting it for cargo would rebuild the dependencies whose build scripts probe the compiler)"
echo "   expand_crate includes running every proc macro: serde derives in both crates, #[endpoint] in annotated"
for crate in annotated handwritten; do
    cargo clean -q --offline -p "$crate"
    cmd=$(cargo build --offline -v -p "$crate" 2>&1 | grep -E "Running \`.*rustc --crate-name $crate " | tail -1 |
        sed -E 's/^ *Running `(.*)`$/\1/; s/ -C incremental=[^ ]+//')
    # The variables cargo gives rustc that `#[endpoint]` reads to find the
    # runtime among the crate's dependencies.
    if ! (cd "$WORK/gen" && eval "CARGO_PKG_NAME=$crate CARGO_MANIFEST_DIR=$WORK/gen/$crate RUSTC_BOOTSTRAP=1 $cmd -Z time-passes") \
        2>"$WORK/passes-$crate.txt" >/dev/null; then
        echo "rustc -Z time-passes failed for $crate:" >&2
        grep -E '^error' -A5 "$WORK/passes-$crate.txt" | head -20 >&2
        exit 1
    fi
    passes() { awk -v p="$1" '$NF == p { sub(/;/, "", $2); print $2; exit }' "$WORK/passes-$crate.txt"; }
    printf '%-12s expand_crate %s s  type_check_crate %s s  MIR_borrow_checking %s s  codegen_crate %s s  total %s s\n' \
        "$crate" "$(passes expand_crate)" "$(passes type_check_crate)" "$(passes MIR_borrow_checking)" \
        "$(passes codegen_crate)" "$(passes total)"
done
echo

# ---------------------------------------------------------------- a user's crate, cold

user_crate() {
    local dir=$WORK/$1
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$1"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
hacktron = { path = "$REPO" }
$2

[workspace]
EOF
    cp "$REPO/Cargo.lock" "$dir/Cargo.lock"
    cat >"$dir/src/main.rs" <<'EOF'
use hacktron::prelude::*;

fn main() {
    let client = Client::<ReadOnly>::builder("hacktron_abcdefghijklmnopqrstuvwx").build();
    println!("{}", client.is_ok());
}
EOF
}

# cold NAME: fetch, then build in an empty target directory.
cold() {
    local dir=$WORK/$1 TIMEFORMAT='%R %U %S' out
    cd "$dir"
    export CARGO_TARGET_DIR=$WORK/target-$1
    rm -rf "$CARGO_TARGET_DIR"
    cargo fetch -q || return 1
    out=$({ time cargo build --offline 2>"$WORK/cold-$1.txt" >/dev/null; } 2>&1) || return 1
    read -r COLD_SECS COLD_CPU < <(awk '{ printf "%.1f %.1f\n", $1, $2 + $3 }' <<<"$out")
    COLD_UNITS=$(grep -c '^ *Compiling ' "$WORK/cold-$1.txt" || true)
    # Every package of the normal dependency graph, the user's crate included
    # (proc-macro crates and what they use count; build-dependencies do not).
    COLD_TREE=$(cargo tree --offline -e normal --prefix none --no-dedupe | sort -u | wc -l)
    COLD_TREE_ALL=$(cargo tree --offline -e normal,build --prefix none --no-dedupe | sort -u | wc -l)
}

[ "$COLD" = 1 ] || exit 0
echo "== a user's crate depending only on hacktron: cold cargo build (dev), empty target dir, after cargo fetch"
user_crate user ""
cold user
echo "cold build: $COLD_SECS s elapsed, $COLD_CPU s CPU (user + sys); packages compiled (Compiling lines): $COLD_UNITS"
echo "dependency tree: $COLD_TREE packages by \`cargo tree -e normal --prefix none --no-dedupe | sort -u | wc -l\` (the user's crate included), $COLD_TREE_ALL with build-dependencies (-e normal,build)"
cd "$WORK/user"
echo "TLS: $(cargo tree --offline -e normal --prefix none --no-dedupe | sort -u | grep -E '^(rustls|ring|aws-lc|openssl|native-tls)[ -]' | tr '\n' ';' | sed 's/;$//')"

