# shellcheck shell=bash
# `rev_binary REV`: builds `aebnas` (dev profile: the dependencies, where the kernels
# live, are optimised) at git revision REV in a worktree of its own, sharing the build
# directory, and prints the path of a copy of the binary (in a temporary directory, never
# under bench/results). `rev_binary HEAD` builds the working tree as it is. Sourced by
# bench/compare-pytorch and bench/profile-native.
REV_BINS="$(mktemp -d)"
rev_binary() {
  local rev="$1" dir
  if [ "$rev" = HEAD ]; then
    (cd "$ROOT" && cargo build -q --bin aebnas)
    cp "$CARGO_TARGET_DIR/debug/aebnas" "$REV_BINS/aebnas-HEAD"; echo "$REV_BINS/aebnas-HEAD"; return
  fi
  dir="$(mktemp -d)/src"
  git -C "$ROOT" worktree add -q --detach "$dir" "$rev"
  (cd "$dir" && cargo build -q --bin aebnas)
  cp "$CARGO_TARGET_DIR/debug/aebnas" "$REV_BINS/aebnas-$rev"
  git -C "$ROOT" worktree remove --force "$dir"
  echo "$REV_BINS/aebnas-$rev"
}
