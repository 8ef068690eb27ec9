# Sourced by the tools/train scripts. edgeq_find_torch_python prints the first interpreter that can
# `import torch, onnx`: $EDGEQ_PYTHON, /usr/bin/python3, python3 on the PATH; else explains and fails.
edgeq_find_torch_python() {
  local candidate
  for candidate in "${EDGEQ_PYTHON:-}" /usr/bin/python3 "$(command -v python3 || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c 'import torch, onnx' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  echo "train: error: no Python with PyTorch and onnx found (tried \$EDGEQ_PYTHON, /usr/bin/python3, python3);" \
       "install Debian's python3-torch python3-onnx or set EDGEQ_PYTHON" >&2
  return 1
}
