#!/bin/sh
# Regenerates the example IVR flow's prompts (relay/ivr/frontdesk-example.json) in
# resources/prompts/: WAV, mono, 16-bit, 16 kHz, as Graph's playPrompt requires.
# Needs espeak-ng and sox (apt-get install espeak-ng sox). The results are committed, so a
# build never needs either tool.
set -eu
cd "$(dirname "$0")/.."
out=resources/prompts
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() {
    espeak-ng -v en-us -s 185 -w "$tmp/$1.raw.wav" "$2"
    sox "$tmp/$1.raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/$1.wav" \
        silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse norm -3
}

say ivr-main "Appointments, press 1. Billing, 2. A message, 3. The front desk, 0."
say ivr-billing "Billing team, press 1. Back, star."
say ivr-invalid "That is not an option."
say ivr-noinput "I did not hear a choice."
say ivr-message "Leave a message after the tone."
say ivr-hold "Please hold for the front desk."
say ivr-goodbye "Thank you. Goodbye."
