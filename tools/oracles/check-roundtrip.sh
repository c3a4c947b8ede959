#!/usr/bin/env bash
# Writer round trip checked by independent oracles (DCMTK dcmdump, dicom3tools dciodvfy).
#
# For every readable sample in testdata/dicom and every target transfer syntax (the sample's own,
# implicit VR LE, explicit VR LE, explicit VR BE, deflated explicit VR LE; encapsulated inputs only in
# their own transfer syntax) this runs
#     cloudarchive dicom convert IN OUT --transfer-syntax TARGET
# and then requires
#     dcmdump -q OUT              exit 0
#     dciodvfy OUT                no more '^Error' lines than dciodvfy reports for IN, unless every
#                                 extra line repeats an error the input already had (see the meta
#                                 UID rule in dciodvfy_errors); a deflated file is validated after
#                                 DCMTK inflates it, because dciodvfy cannot read deflated files
# dciodvfy exit 134 (SIGABRT: it asserts on badVR.dcm) means "oracle crashed": the check is skipped
# with a note, never counted as pass or fail.
#
# Usage (repository root):
#     tools/oracles/check-roundtrip.sh                 # builds the CLI (Release) into $ARTIFACTS
#     CLOUDARCHIVE_CLI="dotnet /path/cloudarchive.dll" tools/oracles/check-roundtrip.sh
# Environment: ARTIFACTS (default /tmp/art-roundtrip), WORK (default: a fresh mktemp dir, deleted),
#              KEEP=1 keeps WORK.
# Exit status: 0 all checks passed, 1 a regression, 2 an oracle is not installed.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SAMPLES="$ROOT/testdata/dicom"

for tool in dcmdump dciodvfy; do
  if ! command -v "$tool" >/dev/null; then
    echo "check-roundtrip: $tool is not installed (apt-get install dcmtk dicom3tools)" >&2
    exit 2
  fi
done

if [ -z "${CLOUDARCHIVE_CLI:-}" ]; then
  ARTIFACTS=${ARTIFACTS:-/tmp/art-roundtrip}
  dotnet build src/CloudArchive.Cli -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >/dev/null || {
    echo "check-roundtrip: building src/CloudArchive.Cli failed" >&2; exit 1; }
  DLL=$(find "$ARTIFACTS/bin/CloudArchive.Cli" -name cloudarchive.dll -path '*release*' | head -n 1)
  CLOUDARCHIVE_CLI="dotnet $DLL"
fi
read -r -a CLI <<<"$CLOUDARCHIVE_CLI"

WORK=${WORK:-$(mktemp -d /tmp/roundtrip.XXXXXX)}
mkdir -p "$WORK"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

# The four samples no oracle reads (dcmdump -q exits 1); same list as make-goldens.py.
BROKEN=" MR_truncated.dcm rtplan_truncated.dcm no_meta.dcm emri_small_jpeg_2k_lossless_too_short.dcm "
NATIVE=" 1.2.840.10008.1.2 1.2.840.10008.1.2.1 1.2.840.10008.1.2.2 1.2.840.10008.1.2.1.99 "

# dciodvfy needs the encoding spelled out for a raw dataset without File Meta.
dciodvfy_args() {
  case "$(basename "$1")" in
    rtstruct.dcm) echo "-input-nometa -input-endian little -input-vr implicit" ;;
    ExplVR_LitEndNoMeta.dcm) echo "-input-nometa -input-endian little -input-vr explicit" ;;
    ExplVR_BigEndNoMeta.dcm) echo "-input-nometa -input-endian big -input-vr explicit" ;;
    *) echo "" ;;
  esac
}

# Writes dciodvfy's '^Error' lines for $1 to $3 and prints their count, or "crash" when dciodvfy
# aborts (exit 134). $2 names the original sample (for the no-meta options). $4 is "file" or
# "dataset". dciodvfy cannot read the deflated transfer syntax at all (it reports "Dicom dataset read
# failed" even for dcmconv +td output), so:
#   file:    a deflated file is inflated by DCMTK (dcmconv +te) and the copy is validated;
#   dataset: the file is rewritten by DCMTK as a bare explicit VR LE dataset (dcmconv +te -F) and
#            validated with -input-nometa. Used for the deflated target on both the input and the
#            output, because dcmconv invents private meta UIDs for a dataset without SOP Class UID
#            (DICOMDIR), which would otherwise be blamed on the writer.
dciodvfy_errors() {
  local file=$1 out rc ts args
  args=$(dciodvfy_args "$2")
  if [ "$4" = dataset ]; then
    if ! dcmconv -q +te -F "$file" "$file.dataset" 2>/dev/null; then echo inflate-failed; return; fi
    file="$file.dataset"; args="-input-nometa -input-endian little -input-vr explicit"
  else
    ts=$(dcmdump -q -M -Un +P 0002,0010 "$file" 2>/dev/null | sed -n 's/^(0002,0010) UI \[\([^]]*\)\].*/\1/p' | tr -d ' \0')
    if [ "$ts" = 1.2.840.10008.1.2.1.99 ]; then
      if ! dcmconv -q +te "$file" "$file.inflated" 2>/dev/null; then echo inflate-failed; return; fi
      file="$file.inflated"
    fi
  fi
  # shellcheck disable=SC2086
  out=$(dciodvfy $args "$file" 2>&1); rc=$?
  if [ "$rc" -eq 134 ]; then echo crash; return; fi
  # The writer sets (0002,0002)/(0002,0003) from (0008,0016)/(0008,0018) as PS3.10 7.1 requires, so
  # an input whose SOP Instance UID is invalid gets the same errors repeated for the meta copy. The
  # copy is named after its dataset source, so such repeats are recognised as the input's own errors.
  printf '%s\n' "$out" | grep -a '^Error' \
    | sed -e 's/(0x0002,0x0003)\( UI\)\{0,1\} Media Storage SOP Instance UID/(0x0008,0x0018)\1 SOP Instance UID/' \
          -e 's/(0x0002,0x0002)\( UI\)\{0,1\} Media Storage SOP Class UID/(0x0008,0x0016)\1 SOP Class UID/' >"$3"
  wc -l <"$3" | tr -d ' '
}

# Error lines of $2 (output) that do not occur in $1 (input), as distinct messages.
new_errors() {
  comm -13 <(sort -u "$1") <(sort -u "$2")
}

printf '%-44s %-10s %-8s %-8s %-12s %s\n' sample target convert dcmdump dciodvfy result
failures=0; skipped=0; passed=0
for path in "$SAMPLES"/*.dcm "$SAMPLES"/DICOMDIR; do
  name=$(basename "$path")
  case "$BROKEN" in *" $name "*) continue ;; esac
  ts=$(dcmdump -q -M -Un +P 0002,0010 "$path" 2>/dev/null | sed -n 's/^(0002,0010) UI \[\([^]]*\)\].*/\1/p' | tr -d ' \0')
  if [ -n "$ts" ] && [[ "$NATIVE" != *" $ts "* ]]; then
    targets="source"
  else
    targets="source implicit explicit big deflated"
  fi
  cp "$path" "$WORK/$name.input"
  in_file_errors=$(dciodvfy_errors "$WORK/$name.input" "$path" "$WORK/$name.input.errors" file)
  in_dataset_errors=""
  for target in $targets; do
    out="$WORK/${name%.dcm}.$target.dcm"
    conv_out=$("${CLI[@]}" dicom convert "$path" "$out" --transfer-syntax "$target" 2>&1); conv_rc=$?
    if [ "$conv_rc" -ne 0 ]; then
      printf '%-44s %-10s %-8s %-8s %-12s %s\n' "$name" "$target" "rc=$conv_rc" - - "FAIL: ${conv_out//$'\n'/ }"
      failures=$((failures + 1)); continue
    fi
    dcmdump -q "$out" >/dev/null 2>&1; dump_rc=$?
    if [ "$target" = deflated ]; then
      if [ -z "$in_dataset_errors" ]; then
        in_dataset_errors=$(dciodvfy_errors "$WORK/$name.input" "$path" "$WORK/$name.input.dataset.errors" dataset)
      fi
      in_errors=$in_dataset_errors; in_list="$WORK/$name.input.dataset.errors"
      out_errors=$(dciodvfy_errors "$out" "$out" "$out.errors" dataset)
    else
      in_errors=$in_file_errors; in_list="$WORK/$name.input.errors"
      out_errors=$(dciodvfy_errors "$out" "$out" "$out.errors" file)
    fi
    result=PASS
    if [ "$dump_rc" -ne 0 ]; then
      result="FAIL: dcmdump rc $dump_rc"
    elif [ "$in_errors" = inflate-failed ] || [ "$out_errors" = inflate-failed ]; then
      result="FAIL: dcmconv could not inflate the deflated file for dciodvfy"
    elif [ "$in_errors" = crash ] || [ "$out_errors" = crash ]; then
      what=""; [ "$in_errors" = crash ] && what="input"; [ "$out_errors" = crash ] && what="$what${what:+ and }output"
      result="SKIP: dciodvfy crashed (exit 134) on the $what"
    elif [ "$out_errors" -gt "$in_errors" ]; then
      added=$(new_errors "$in_list" "$out.errors")
      if [ -n "$added" ]; then
        result="FAIL: dciodvfy errors $in_errors -> $out_errors; new: $(printf '%s' "$added" | head -n 3 | tr '\n' '|')"
      else
        result="PASS (more lines, no new message: $in_errors -> $out_errors)"
      fi
    fi
    printf '%-44s %-10s %-8s %-8s %-12s %s\n' "$name" "$target" ok "$dump_rc" "$in_errors->$out_errors" "$result"
    case "$result" in
      PASS*) passed=$((passed + 1)) ;;
      SKIP*) skipped=$((skipped + 1)) ;;
      *) failures=$((failures + 1)) ;;
    esac
  done
done
echo "round trip: $passed passed, $failures failed, $skipped skipped (oracle crashed)"
[ "$failures" -eq 0 ]
