using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;
using Jevm.Trie;

namespace Jevm.Cli.T8n;

/// <summary>A t8n input the tool cannot use (geth's exit code 10 for JSON, 3 for configuration).</summary>
internal sealed class T8nInputException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// geth's <c>evm t8n</c> semantics: apply txs.json to alloc.json in the block of env.json and report the post-state
/// alloc and result (roots, receipts, rejected transactions, gas used, base fee, blob gas).
/// </summary>
internal static class T8nRunner
{
    public const int ExitConfig = 3, ExitJson = 10, ExitIo = 11;

    private const ulong GasPerBlob = 131072;

    /// <summary>Runs the transition; returns (alloc, result) as JSON objects.</summary>
    public static (JsonObject Alloc, JsonObject Result) Run(JsonElement alloc, JsonElement env, JsonElement txs, Fork fork,
        ulong chainId, UInt256? reward, IExecutionEngine engine)
    {
        var state = ParseAlloc(alloc);
        var block = ParseEnv(env, fork, chainId, out var blockHashes, out var excessBlobGas);

        var receipts = new JsonArray();
        var rejected = new JsonArray();
        var txEntries = new List<KeyValuePair<byte[], byte[]>>();
        var receiptEntries = new List<KeyValuePair<byte[], byte[]>>();
        var allLogs = new List<LogEntry>();
        var blockBloom = new byte[256];
        long cumulativeGas = 0;
        ulong blobGasUsed = 0;
        int index = -1, included = 0;

        foreach (var txJson in txs.ValueKind == JsonValueKind.Array ? txs.EnumerateArray() : default)
        {
            index++;
            SignedTransaction signed;
            try { signed = T8nTransactions.Parse(txJson, chainId, fork); }
            catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or OverflowException)
            {
                rejected.Add(new JsonObject { ["index"] = index, ["error"] = e.Message });
                continue;
            }
            var tx = signed.Tx;
            if (cumulativeGas + tx.GasLimit > block.GasLimit)
            {
                rejected.Add(new JsonObject { ["index"] = index, ["error"] = $"gas limit reached: block gas left {block.GasLimit - cumulativeGas}, tx gas {tx.GasLimit}" });
                continue;
            }
            ulong nonce = state.GetNonce(tx.Sender);
            var result = TransactionProcessor.Execute(state, tx, block, fork, engine);
            if (result.IsInvalid)
            {
                rejected.Add(new JsonObject { ["index"] = index, ["error"] = result.Error });
                continue;
            }
            if (result.InternalError is { } err) throw new InvalidOperationException($"transaction {index}: internal error: {err.Message}", err);

            cumulativeGas += result.GasUsed;
            blobGasUsed += GasPerBlob * (ulong)tx.BlobVersionedHashes.Length;
            var logs = state.Logs.ToList();
            allLogs.AddRange(logs);
            var bloom = Bloom(logs);
            for (int i = 0; i < 256; i++) blockBloom[i] |= bloom[i];
            bool success = result.Status == StatusCode.Success;
            Hash256? postRoot = fork < Fork.Byzantium ? state.ComputeStateRoot() : null;
            var txHash = signed.Hash;

            var key = RlpIndex(included);
            txEntries.Add(new(key, signed.Encoded));
            receiptEntries.Add(new(key, EncodeReceipt(tx.Type, postRoot, success, cumulativeGas, bloom, logs)));

            var logArray = new JsonArray();
            foreach (var l in logs)
            {
                var topics = new JsonArray();
                foreach (var t in l.Topics) topics.Add(new Hash256(t).ToString());
                logArray.Add(new JsonObject
                {
                    ["address"] = l.Address.ToString(),
                    ["topics"] = topics,
                    ["data"] = Hex.Encode(l.Data),
                    ["blockNumber"] = Quantity((ulong)block.Number),
                    ["transactionHash"] = txHash.ToString(),
                    ["transactionIndex"] = Quantity((ulong)included),
                    ["blockHash"] = Hash256.Zero.ToString(),
                    ["logIndex"] = Quantity((ulong)(allLogs.Count - logs.Count + logArray.Count)),
                    ["removed"] = false,
                });
            }
            var receipt = new JsonObject();
            if (tx.Type != 0) receipt["type"] = Quantity((ulong)tx.Type);
            receipt["root"] = postRoot is { } pr ? pr.ToString() : "0x";
            receipt["status"] = success ? "0x1" : "0x0";
            receipt["cumulativeGasUsed"] = Quantity((ulong)cumulativeGas);
            receipt["logsBloom"] = Hex.Encode(bloom);
            receipt["logs"] = logs.Count == 0 ? null : logArray;
            receipt["transactionHash"] = txHash.ToString();
            receipt["contractAddress"] = (tx.IsCreate && success ? StateHost.CreateAddress(tx.Sender, nonce) : Address.Zero).ToString();
            receipt["gasUsed"] = Quantity((ulong)result.GasUsed);
            if (tx.Type == 3) receipt["blobGasUsed"] = Quantity(GasPerBlob * (ulong)tx.BlobVersionedHashes.Length);
            receipt["effectiveGasPrice"] = TransactionProcessor.EffectiveGasPrice(tx, fork >= Fork.London ? block.BaseFee : UInt256.Zero).ToString();
            receipt["blockHash"] = Hash256.Zero.ToString();
            receipt["transactionIndex"] = Quantity((ulong)included);
            receipts.Add(receipt);
            included++;
        }

        // Block reward (pre-Merge), then withdrawals (Shanghai): both outside any transaction.
        Hash256? withdrawalsRoot = null;
        if (reward is { } r && fork < Fork.Paris)
        {
            state.BeginTransaction();
            var minerReward = r;
            if (env.TryGetProperty("ommers", out var ommers) && ommers.ValueKind == JsonValueKind.Array)
                foreach (var o in ommers.EnumerateArray())
                {
                    // Ommer miner: (8 − delta)/8 of the reward; the block miner: 1/32 per ommer.
                    ulong delta = o.GetProperty("delta").GetUInt64();
                    var share = (r.ToBigInteger() * (8 - (System.Numerics.BigInteger)delta)) / 8;
                    if (share > 0) state.AddBalance(Address.Parse(o.GetProperty("address").GetString()!), UInt256.FromBigInteger(share));
                    UInt256.Add(minerReward, r >> 5, out minerReward);
                }
            state.AddBalance(block.Coinbase, minerReward);
            state.EndTransaction(deleteEmptyTouched: fork >= Fork.SpuriousDragon);
        }
        if (fork >= Fork.Shanghai && env.TryGetProperty("withdrawals", out var ws) && ws.ValueKind == JsonValueKind.Array)
        {
            var entries = new List<KeyValuePair<byte[], byte[]>>();
            state.BeginTransaction();
            int wi = 0;
            foreach (var w in ws.EnumerateArray())
            {
                ulong wIndex = T8nTransactions.Num(w.GetProperty("index")).U0;
                ulong validator = T8nTransactions.Num(w.GetProperty("validatorIndex")).U0;
                var address = Address.Parse(w.GetProperty("address").GetString()!);
                ulong gwei = T8nTransactions.Num(w.GetProperty("amount")).U0;
                UInt256.Multiply(new UInt256(gwei), new UInt256(1_000_000_000), out var wei);
                state.AddBalance(address, wei);
                var rw = new RlpWriter(64);
                int l = rw.StartList();
                rw.Write(wIndex);
                rw.Write(validator);
                rw.Write(address);
                rw.Write(gwei);
                rw.EndList(l);
                entries.Add(new(RlpIndex(wi++), rw.ToArray()));
            }
            state.EndTransaction(deleteEmptyTouched: true);
            withdrawalsRoot = TrieRoot.Compute(entries);
        }

        var res = new JsonObject
        {
            ["stateRoot"] = state.ComputeStateRoot().ToString(),
            ["txRoot"] = TrieRoot.Compute(txEntries).ToString(),
            ["receiptsRoot"] = TrieRoot.Compute(receiptEntries).ToString(),
            ["logsHash"] = WorldState.ComputeLogsHash(allLogs).ToString(),
            ["logsBloom"] = Hex.Encode(blockBloom),
            ["receipts"] = receipts,
        };
        if (rejected.Count > 0) res["rejected"] = rejected;
        if (fork < Fork.Paris) res["currentDifficulty"] = block.Difficulty.ToString();
        res["gasUsed"] = Quantity((ulong)cumulativeGas);
        if (fork >= Fork.London) res["currentBaseFee"] = block.BaseFee.ToString();
        if (withdrawalsRoot is { } wr) res["withdrawalsRoot"] = wr.ToString();
        if (fork >= Fork.Cancun)
        {
            res["currentExcessBlobGas"] = Quantity(excessBlobGas);
            res["blobGasUsed"] = Quantity(blobGasUsed);
        }
        return (DumpAlloc(state), res);
    }

    private static string Quantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static byte[] RlpIndex(int i)
    {
        Span<byte> b = stackalloc byte[9];
        return b[..Rlp.Write(b, (ulong)i)].ToArray();
    }

    /// <summary>The 2048-bit bloom of logs (Yellow Paper M3:2048: three 11-bit indexes from keccak of address and each topic).</summary>
    internal static byte[] Bloom(IReadOnlyList<LogEntry> logs)
    {
        var bloom = new byte[256];
        Span<byte> h = stackalloc byte[32];
        Span<byte> buf = stackalloc byte[32];
        foreach (var l in logs)
        {
            l.Address.WriteTo(buf[..20]);
            Keccak256.Compute(buf[..20], h);
            Add(bloom, h);
            foreach (var t in l.Topics)
            {
                t.WriteBigEndian(buf);
                Keccak256.Compute(buf, h);
                Add(bloom, h);
            }
        }
        return bloom;

        static void Add(byte[] bloom, ReadOnlySpan<byte> h)
        {
            for (int i = 0; i < 6; i += 2)
            {
                int bit = ((h[i] << 8) | h[i + 1]) & 2047;
                bloom[255 - bit / 8] |= (byte)(1 << (bit % 8));
            }
        }
    }

    private static byte[] EncodeReceipt(int type, Hash256? postRoot, bool success, long cumulativeGas, byte[] bloom, IReadOnlyList<LogEntry> logs)
    {
        var w = new RlpWriter(512);
        if (type != 0) w.WriteRaw([(byte)type]);
        int list = w.StartList();
        if (postRoot is { } root) w.Write(root);
        else w.Write(success ? 1UL : 0UL);
        w.Write((ulong)cumulativeGas);
        w.WriteBytes(bloom);
        int all = w.StartList();
        foreach (var l in logs)
        {
            int one = w.StartList();
            w.Write(l.Address);
            int topics = w.StartList();
            foreach (var t in l.Topics) w.Write(new Hash256(t));
            w.EndList(topics);
            w.WriteBytes(l.Data);
            w.EndList(one);
        }
        w.EndList(all);
        w.EndList(list);
        return w.ToArray();
    }

    internal static WorldState ParseAlloc(JsonElement alloc)
    {
        var state = new WorldState();
        if (alloc.ValueKind != JsonValueKind.Object) throw new T8nInputException("alloc: not a JSON object", ExitJson);
        foreach (var a in alloc.EnumerateObject())
        {
            var acc = a.Value;
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            if (acc.TryGetProperty("storage", out var st) && st.ValueKind == JsonValueKind.Object)
                foreach (var s in st.EnumerateObject()) storage.Add(new(UInt256.Parse(s.Name, allowDecimal: true), T8nTransactions.Num(s.Value)));
            ulong nonce = acc.TryGetProperty("nonce", out var n) && n.ValueKind != JsonValueKind.Null ? T8nTransactions.Num(n).U0 : 0;
            var balance = acc.TryGetProperty("balance", out var b) && b.ValueKind != JsonValueKind.Null ? T8nTransactions.Num(b) : UInt256.Zero;
            var code = acc.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? Hex.Decode(c.GetString()!) : [];
            state.SetAccount(Address.Parse(a.Name), nonce, balance, code, storage);
        }
        return state;
    }

    private static BlockEnvironment ParseEnv(JsonElement env, Fork fork, ulong chainId, out Dictionary<long, Hash256> blockHashes, out ulong excessBlobGas)
    {
        if (env.ValueKind != JsonValueKind.Object) throw new T8nInputException("env: not a JSON object", ExitJson);
        UInt256? Opt(string name) => env.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? T8nTransactions.Num(e) : null;
        UInt256 Req(string name) => Opt(name) ?? throw new T8nInputException($"env: {name} is missing", ExitJson);

        var baseFee = Opt("currentBaseFee");
        if (baseFee is null && fork >= Fork.London)
        {
            // EIP-1559 from the parent: ±1/8 of the parent base fee per unit of deviation from the gas target.
            if (Opt("parentBaseFee") is not { } parentFee || Opt("parentGasUsed") is not { } parentUsed || Opt("parentGasLimit") is not { } parentLimit)
                throw new T8nInputException("env: currentBaseFee or parentBaseFee/parentGasUsed/parentGasLimit needed from London on", ExitJson);
            var fee = parentFee.ToBigInteger();
            var target = parentLimit.ToBigInteger() / 2;
            var used = parentUsed.ToBigInteger();
            if (used > target) fee += System.Numerics.BigInteger.Max(1, fee * (used - target) / target / 8);
            else if (used < target) fee -= fee * (target - used) / target / 8;
            baseFee = UInt256.FromBigInteger(fee);
        }
        excessBlobGas = 0;
        if (fork >= Fork.Cancun)
        {
            if (Opt("currentExcessBlobGas") is { } ex) excessBlobGas = ex.U0;
            else if (Opt("parentExcessBlobGas") is { } pex && Opt("parentBlobGasUsed") is { } pused)
            {
                // EIP-4844 calc_excess_blob_gas with the fork's target (3 blobs in Cancun, 6 from Prague, EIP-7691).
                ulong target = (fork >= Fork.Prague ? 6UL : 3UL) * GasPerBlob;
                ulong sum = pex.U0 + pused.U0;
                excessBlobGas = sum < target ? 0 : sum - target;
            }
        }
        if (fork >= Fork.Paris && Opt("currentRandom") is null)
            throw new T8nInputException("env: currentRandom is needed from the Merge on", ExitJson);
        if (fork < Fork.Paris && Opt("currentDifficulty") is null)
            throw new T8nInputException("env: currentDifficulty is needed before the Merge (Jevm does not compute it from the parent)", ExitJson);

        blockHashes = new Dictionary<long, Hash256>();
        if (env.TryGetProperty("blockHashes", out var bh) && bh.ValueKind == JsonValueKind.Object)
            foreach (var p in bh.EnumerateObject())
                blockHashes[(long)UInt256.Parse(p.Name, allowDecimal: true).U0] = Hash256.Parse(p.Value.GetString()!);

        long Long(UInt256 v) => v.FitsInUInt64 && v.U0 <= long.MaxValue ? (long)v.U0 : long.MaxValue;
        return new BlockEnvironment
        {
            Coinbase = Address.Parse(env.GetProperty("currentCoinbase").GetString()!),
            GasLimit = Long(Req("currentGasLimit")),
            Number = Long(Req("currentNumber")),
            Timestamp = Req("currentTimestamp").U0,
            Difficulty = Opt("currentDifficulty") ?? UInt256.Zero,
            Random = Opt("currentRandom") ?? UInt256.Zero,
            BaseFee = baseFee ?? UInt256.Zero,
            ExcessBlobGas = excessBlobGas,
            ChainId = chainId,
        };
    }

    /// <summary>The post-state in alloc.json form: balance, nonce, code and storage, empty fields left out (as geth).</summary>
    internal static JsonObject DumpAlloc(WorldState state)
    {
        var accounts = state.Accounts.ToList();
        accounts.Sort((a, b) => a.Key.CompareTo(b.Key));
        var o = new JsonObject();
        foreach (var (address, a) in accounts)
        {
            var acc = new JsonObject();
            if (a.Code.Length > 0) acc["code"] = Hex.Encode(a.Code);
            var slots = a.Storage.Where(s => !s.Value.IsZero).OrderBy(s => s.Key.ToHexString(true), StringComparer.Ordinal).ToList();
            if (slots.Count > 0)
            {
                var st = new JsonObject();
                foreach (var (k, v) in slots) st[new Hash256(k).ToString()] = new Hash256(v).ToString();
                acc["storage"] = st;
            }
            acc["balance"] = a.Balance.ToString();
            if (a.Nonce != 0) acc["nonce"] = Quantity(a.Nonce);
            o[address.ToString()] = acc;
        }
        return o;
    }
}
