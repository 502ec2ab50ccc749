# Sourced by the Scripts/check-*.sh scripts that type-check small client files
# against the debug build of the ByteFlow module. Builds the module and sets:
#   flags  the swiftc flags that find ByteFlow (and its C targets' module maps)
#   work   a scratch directory, removed when the sourcing script exits
# Run from the package root.
swift build --target ByteFlow > /dev/null
bin="$(swift build --show-bin-path)"
flags=(-I "$bin/Modules")
# ByteFlow's C targets (CRC32C) reach a client through their module maps.
for map in "$bin"/*.build/module.modulemap; do
    [ -f "$map" ] && flags+=(-Xcc "-fmodule-map-file=$map")
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
