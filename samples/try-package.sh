#!/usr/bin/env bash
# Tries the Jevm NuGet package as a new user would (the steps of docs/api.md, "Install"):
# pack into a local feed, `dotnet new console`, `dotnet add package Jevm` from that feed, implement IEvmHost, run a call
# on every engine. Prints "try-package: ok" and exits 0 when each engine returns 42.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A fresh pre-release version each time, so no stale copy in the NuGet cache is picked up.
version="0.1.0-try$(date +%Y%m%d%H%M%S)"

echo "try-package: 1. pack Jevm $version into $work/feed"
dotnet pack "$repo/src/Package" -c Release -o "$work/feed" -p:Version="$version" -nologo -v q

echo "try-package: 2. a new console project using the local feed (and nuget.org for BouncyCastle)"
mkdir "$work/app" && cd "$work/app"
dotnet new console --framework net10.0 --name HelloJevm --output . >/dev/null
cat > nuget.config <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF
dotnet add package Jevm --version "$version" >/dev/null

echo "try-package: 3. implement the host and run a call"
cat > Program.cs <<'EOF'
using Jevm;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;

// Code: PUSH1 6 PUSH1 7 MUL PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN — returns 42 as a 32-byte word.
var code = Convert.FromHexString("600660070260005260206000f3");
var contract = Address.FromNumber(0xc0de);
var caller = Address.FromNumber(0xca11);
foreach (var engine in Enum.GetValues<EngineKind>())
{
    var evm = new EvmExecutor(new EvmOptions { Fork = Fork.Cancun, Engine = engine });
    var host = new MinimalHost(evm);
    host.Code[contract] = code;
    var result = evm.Execute(host, new Message
    {
        Kind = CallKind.Call, Gas = 100_000, Sender = caller, Recipient = contract, CodeAddress = contract,
    });
    Console.WriteLine($"{engine}: {result.Status}, gas left {result.GasLeft}, returned {UInt256.ReadBigEndian(result.Output).ToBigInteger()}");
}

/// <summary>The smallest useful host: code and storage in dictionaries, everything else empty.</summary>
sealed class MinimalHost(EvmExecutor evm) : IEvmHost
{
    public readonly Dictionary<Address, byte[]> Code = new();
    private readonly Dictionary<(Address, UInt256), UInt256> _storage = new();
    private readonly HashSet<Address> _warm = new();
    private readonly HashSet<(Address, UInt256)> _warmSlots = new();

    public TxContext Context { get; } = new() { ChainId = 1, BlockGasLimit = 30_000_000 };
    public bool AccountExists(in Address a) => Code.ContainsKey(a);
    public UInt256 GetBalance(in Address a) => UInt256.Zero;
    public int GetCodeSize(in Address a) => Code.TryGetValue(a, out var c) ? c.Length : 0;
    public Hash256 GetCodeHash(in Address a) => Code.TryGetValue(a, out var c) ? Keccak256.Compute(c) : Hash256.Zero;
    public ReadOnlyMemory<byte> GetCode(in Address a) => Code.TryGetValue(a, out var c) ? c : ReadOnlyMemory<byte>.Empty;
    public UInt256 GetStorage(in Address a, in UInt256 k) => _storage.TryGetValue((a, k), out var v) ? v : UInt256.Zero;
    public UInt256 GetOriginalStorage(in Address a, in UInt256 k) => GetStorage(a, k);
    public void SetStorage(in Address a, in UInt256 k, in UInt256 v) => _storage[(a, k)] = v;
    public UInt256 GetTransientStorage(in Address a, in UInt256 k) => UInt256.Zero;
    public void SetTransientStorage(in Address a, in UInt256 k, in UInt256 v) { }
    public AccessStatus AccessAccount(in Address a) => _warm.Add(a) ? AccessStatus.Cold : AccessStatus.Warm;
    public AccessStatus AccessStorage(in Address a, in UInt256 k) => _warmSlots.Add((a, k)) ? AccessStatus.Cold : AccessStatus.Warm;
    public void EmitLog(in Address a, ReadOnlySpan<byte> data, ReadOnlySpan<UInt256> topics) { }
    public ExecutionResult Call(in Message m) => evm.Execute(this, m); // no value transfers or creates in this example
    public bool SelfDestruct(in Address a, in Address beneficiary) => true;
    public Hash256 GetBlockHash(long number) => Hash256.Zero;
}
EOF
dotnet run -c Release | tee "$work/out.txt"

# PUSH×6 (3 each) + MUL 5 + MSTORE 3 + 3 for the memory word = 26 gas.
for engine in Interpreter Jit Tiered; do
  grep -qx "$engine: Success, gas left 99974, returned 42" "$work/out.txt" || { echo "try-package: FAILED ($engine)"; exit 1; }
done
echo "try-package: ok"
