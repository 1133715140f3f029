#!/usr/bin/env bash
# Regenerates Token.bin from Token.sol with solc-js 0.8.28 (npm), optimizer on (default EVM version: cancun).
set -euo pipefail
cd "$(dirname "$0")"
npx --yes -p solc@0.8.28 solcjs --bin --abi --optimize --optimize-runs 200 -o out Token.sol
cp out/Token_sol_Token.bin Token.bin; cp out/Token_sol_Token.abi Token.abi
rm -rf out
