#!/usr/bin/env bash
# Lays Graft's library modules out in Maven's repository layout, so that a Maven or Gradle project
# can depend on them with no network and no maven-install-plugin: builds the jars (as ./graft
# does), then copies each module's jar and pom, and the parent pom, under DIR.
#
#   tools/publish_jars.sh ~/.m2/repository   # into your local repository: `mvn -o` resolves them
#   tools/publish_jars.sh [DIR]              # a folder to use as a file:// repository (default
#                                            # graft-out/maven-repo); not usable with `mvn -o`
#
# Then depend on dev.graft:graft-train (or graft-core, graft-search, graft-report) at the version
# printed. See docs/java-api.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$ROOT/graft-out/maven-repo}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
mvn -B -q -f "$ROOT/pom.xml" -Dmaven.test.skip=true package >&2
VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
STAMP=$(date -u +%Y%m%d%H%M%S)
publish() { # artifactId pom [jar]
  local dest="$DIR/dev/graft/$1/$VERSION"
  mkdir -p "$dest"
  cp "$2" "$dest/$1-$VERSION.pom"
  if [ -n "${3:-}" ]; then cp "$3" "$dest/$1-$VERSION.jar"; fi
  # Metadata naming the plain (non-timestamped) snapshot files, so resolvers need nothing else.
  # (maven-metadata-local.xml when DIR is a local repository, maven-metadata.xml for file:// use)
  for meta in maven-metadata.xml maven-metadata-local.xml; do
  cat > "$dest/$meta" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<metadata><groupId>dev.graft</groupId><artifactId>$1</artifactId><version>$VERSION</version>
<versioning><snapshot><localCopy>true</localCopy></snapshot><lastUpdated>$STAMP</lastUpdated></versioning></metadata>
XML
  done
}
publish graft-parent "$ROOT/pom.xml"
for m in graft-core graft-train graft-search graft-report; do
  publish "$m" "$ROOT/$m/pom.xml" "$ROOT/$m/target/$m-$VERSION.jar"
done
echo "published dev.graft:{graft-core,graft-train,graft-search,graft-report}:$VERSION to file://$DIR"
