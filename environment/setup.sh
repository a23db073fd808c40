#!/usr/bin/env bash
# Installs what the notebooks need on Debian 12 (bookworm) with Go already
# present: Jupyter from Debian packages, the GoNB kernel and goimports from
# the Go module proxy, and a Jupyter kernel spec for GoNB. Versions come from
# environment/versions.env.
#
# Everything except the Debian packages goes into the project-local folder
# .cache/ (ignored by git): .cache/bin holds gonb and goimports, and
# .cache/jupyter is the Jupyter data directory with the kernel spec. Nothing
# is written to the user's own Jupyter or Go bin directories.
#
# Usage:
#   environment/setup.sh           install what is missing (a no-op when
#                                  everything is in place)
#   environment/setup.sh --check   print each component's version and what
#                                  is missing; exit 1 if anything is
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=versions.env
source "$root/environment/versions.env"

cache=$root/.cache
bin=$cache/bin
export JUPYTER_DATA_DIR=$cache/jupyter
kernel_dir=$JUPYTER_DATA_DIR/kernels/gonb

mode=install
case "${1:-}" in
"") ;;
--check) mode=check ;;
-h | --help)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "setup.sh: unknown argument $1 (use --check or nothing)" >&2
	exit 2
	;;
esac

say() { printf '%-18s %s\n' "$1" "$2"; }

missing=()

# --- Go ---------------------------------------------------------------------

check_go() {
	if ! command -v go >/dev/null; then
		say go "MISSING (install Go >= $GO_MIN_VERSION from https://go.dev/dl)"
		missing+=(go)
		return
	fi
	local v
	v=$(go env GOVERSION)
	if [[ $(printf '%s\n' "go$GO_MIN_VERSION" "$v" | sort -V | head -n1) != "go$GO_MIN_VERSION" ]]; then
		say go "$v: TOO OLD (need >= go$GO_MIN_VERSION)"
		missing+=(go)
		return
	fi
	say go "$v"
}

# --- Debian packages --------------------------------------------------------

deb_missing=()

check_debs() {
	deb_missing=()
	local p status
	for p in $DEBIAN_PACKAGES; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$p" 2>/dev/null || true)
		if [[ $status == ii* ]]; then
			say "$p" "${status##* }"
		else
			say "$p" MISSING
			deb_missing+=("$p")
		fi
	done
	if [[ ! -x $SYSTEM_PYTHON ]]; then
		say python3 "MISSING ($SYSTEM_PYTHON)"
		deb_missing+=(python3)
	fi
	if ((${#deb_missing[@]})); then
		missing+=("${deb_missing[@]}")
	fi
}

install_debs() {
	local sudo=()
	if ((EUID != 0)); then
		if command -v sudo >/dev/null; then
			sudo=(sudo)
		else
			echo "setup.sh: need root (or sudo) to install ${deb_missing[*]}" >&2
			exit 1
		fi
	fi
	echo "setup.sh: installing Debian packages: ${deb_missing[*]}" >&2
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${deb_missing[@]}" >/dev/null
}

# --- Go programs ------------------------------------------------------------

# module_version BINARY MODULE prints the version of MODULE linked into
# BINARY, or nothing when BINARY is missing or was built from something else.
module_version() {
	[[ -x $1 ]] || return 0
	go version -m "$1" 2>/dev/null |
		awk -v m="$2" '($1 == "mod" || $1 == "dep") && $2 == m { print $3 }'
}

# built_with BINARY prints the Go version BINARY was built with.
built_with() {
	go version "$1" 2>/dev/null | awk '{ print $NF }'
}

check_program() { # name binary module version
	local v
	v=$(module_version "$2" "$3")
	if [[ -z $v ]]; then
		say "$1" MISSING
		missing+=("$1")
	elif [[ $v != "$4" ]]; then
		say "$1" "$3 $v: WRONG VERSION (want $4)"
		missing+=("$1")
	elif [[ $(built_with "$2") != "$(go env GOVERSION)" ]]; then
		say "$1" "$3 $v: built with $(built_with "$2"), not $(go env GOVERSION): STALE"
		missing+=("$1")
	else
		say "$1" "$3 $v"
	fi
}

# install_program PACKAGE VERSION: `go install PACKAGE@VERSION` does not work
# through every module proxy (it asks for the module's version list), so the
# package is added to a throwaway module and installed from there.
install_program() {
	local tmp
	tmp=$(mktemp -d)
	echo "setup.sh: installing $1 $2 into .cache/bin" >&2
	(
		cd "$tmp"
		go mod init example.org/install-tmp >/dev/null 2>&1
		GOFLAGS=-mod=mod go get "$1@$2" 2>&1 | grep -v '^go: \(downloading\|added\|finding\)' >&2 || true
		GOFLAGS=-mod=mod GOBIN=$bin go install "$1"
	) || {
		rm -rf "$tmp"
		echo "setup.sh: failed to install $1 $2" >&2
		exit 1
	}
	rm -rf "$tmp"
}

# --- Kernel spec ------------------------------------------------------------

# The PATH the kernel runs with: the project's programs, the go command, and
# the system defaults, so that a Jupyter started with a bare PATH finds them.
kernel_path() {
	local godir
	godir=$(dirname "$(command -v go)")
	printf '%s' "$bin:$godir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}

# check_kernel prints whether kernel.json points at .cache/bin/gonb with the
# expected arguments and PATH (a moved clone or a new Go needs a new spec).
check_kernel() {
	local problem
	problem=$("$SYSTEM_PYTHON" - "$kernel_dir/kernel.json" "$bin/gonb" "$(kernel_path)" <<'PY' 2>&1 || true
import json, sys
path, gonb, want_path = sys.argv[1:]
try:
    with open(path) as f:
        spec = json.load(f)
except (OSError, ValueError) as e:
    print("MISSING")
    sys.exit()
argv = spec.get("argv", [])
if not argv or argv[0] != gonb:
    print("STALE (points at another gonb binary)")
elif "-raw_error=true" not in argv:
    print("STALE (no -raw_error)")
elif spec.get("env", {}).get("PATH") != want_path:
    print("STALE (PATH differs)")
PY
)
	if [[ -n $problem ]]; then
		say kernel-spec "$problem"
		missing+=(kernel-spec)
	else
		say kernel-spec "gonb in .cache/jupyter/kernels/gonb"
	fi
}

install_kernel() {
	echo "setup.sh: writing the GoNB kernel spec into .cache/jupyter" >&2
	PATH=$bin:$PATH "$bin/gonb" --install --force_deps --raw_error \
		>/dev/null 2>&1 || {
		echo "setup.sh: gonb --install failed:" >&2
		PATH=$bin:$PATH "$bin/gonb" --install --force_deps --raw_error >&2
		exit 1
	}
	# gonb copies itself into the kernel folder when its path starts with
	# /tmp/ (it takes that for a temporary build); point the spec back at
	# .cache/bin/gonb so that a clone under /tmp behaves like any other.
	rm -f "$kernel_dir/gonb" "$kernel_dir/gonb~"
	"$SYSTEM_PYTHON" - "$kernel_dir/kernel.json" "$bin/gonb" "$(kernel_path)" <<'PY'
import json, os, sys
path, gonb, kernel_path = sys.argv[1:]
with open(path) as f:
    spec = json.load(f)
spec["argv"][0] = gonb
spec.setdefault("env", {})["PATH"] = kernel_path
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(spec, f, indent=1, sort_keys=True)
    f.write("\n")
os.replace(tmp, path)
PY
}

# --- go.mod consistency -----------------------------------------------------

check_gomod() {
	local v
	v=$(awk -v m="$GONB_PACKAGE" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' \
		"$root/go.mod")
	if [[ $v != "$GONB_VERSION" ]]; then
		say go.mod "requires $GONB_PACKAGE ${v:-(nothing)}, versions.env pins $GONB_VERSION"
		missing+=(go.mod)
	fi
}

# --- main -------------------------------------------------------------------

check_go
if [[ " ${missing[*]} " == *" go "* ]]; then
	exit 1
fi
check_gomod
check_debs
check_program gonb "$bin/gonb" "$GONB_PACKAGE" "$GONB_VERSION"
check_program goimports "$bin/goimports" "$GOIMPORTS_MODULE" "$GOIMPORTS_VERSION"
check_kernel

if [[ $mode == check ]]; then
	if ((${#missing[@]})); then
		echo "missing or stale: ${missing[*]} (run environment/setup.sh)"
		exit 1
	fi
	echo "environment complete"
	exit 0
fi

if ((${#missing[@]} == 0)); then
	echo "setup.sh: environment complete, nothing to do" >&2
	exit 0
fi
if [[ " ${missing[*]} " == *" go.mod "* ]]; then
	echo "setup.sh: go.mod and environment/versions.env disagree on GoNB; fix one" >&2
	exit 1
fi

mkdir -p "$bin"
if ((${#deb_missing[@]})); then
	install_debs
fi
if [[ " ${missing[*]} " == *" gonb "* ]]; then
	install_program "$GONB_PACKAGE" "$GONB_VERSION"
fi
if [[ " ${missing[*]} " == *" goimports "* ]]; then
	install_program "$GOIMPORTS_PACKAGE" "$GOIMPORTS_VERSION"
fi
# The spec is rewritten whenever gonb was rebuilt, so it never points at a
# binary of another version.
if [[ " ${missing[*]} " == *" kernel-spec "* || " ${missing[*]} " == *" gonb "* ]]; then
	install_kernel
fi

missing=()
echo "setup.sh: installed; checking" >&2
exec "$0" --check
