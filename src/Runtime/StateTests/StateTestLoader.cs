using System.Text.Json;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.StateTests;

/// <summary>A state-test file that is not valid JSON or not a state test; the message names the file and the place.</summary>
public sealed class StateTestFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Reads the ethereum/tests state-test JSON format (see ethtests/README.md).</summary>
public static class StateTestLoader
{
    /// <summary>Loads every test of a file.</summary>
    /// <exception cref="StateTestFormatException">Malformed JSON or a missing or malformed field.</exception>
    public static IReadOnlyList<StateTest> LoadFile(string path)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new StateTestFormatException($"{path}: malformed JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new StateTestFormatException($"{path}: not a state-test file (the top level is not an object)");
            var tests = new List<StateTest>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                try
                {
                    tests.Add(ParseTest(path, p.Name, p.Value));
                }
                catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException or OverflowException)
                {
                    throw new StateTestFormatException($"{path}: test '{p.Name}': {e.Message}", e);
                }
            }
            return tests;
        }
    }

    // GetProperty's KeyNotFoundException does not say which field is missing; this does.
    private static JsonElement Field(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw new KeyNotFoundException($"missing field '{name}'");

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return i > 0 ? message[..i].TrimEnd() : message;
    }

    private static StateTest ParseTest(string file, string name, JsonElement t)
    {
        var env = t.Field("env");
        var block = new BlockEnvironment
        {
            Coinbase = Address.Parse(env.Field("currentCoinbase").GetString()!),
            GasLimit = ParseLong(env.Field("currentGasLimit")) ?? long.MaxValue,
            Number = ParseLong(env.Field("currentNumber")) ?? 0,
            Timestamp = (ulong)(ParseLong(env.Field("currentTimestamp")) ?? 0),
            Difficulty = OptionalNumber(env, "currentDifficulty") ?? UInt256.Zero,
            Random = OptionalNumber(env, "currentRandom") ?? UInt256.Zero,
            BaseFee = OptionalNumber(env, "currentBaseFee") ?? UInt256.Zero,
            ExcessBlobGas = (OptionalNumber(env, "currentExcessBlobGas") ?? UInt256.Zero).U0,
        };

        var pre = new WorldState();
        foreach (var a in t.Field("pre").EnumerateObject())
        {
            var acc = a.Value;
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            if (acc.TryGetProperty("storage", out var st))
                foreach (var s in st.EnumerateObject())
                    storage.Add(new(UInt256.Parse(s.Name), Number(s.Value)));
            pre.SetAccount(Address.Parse(a.Name), Number(acc.Field("nonce")).U0, Number(acc.Field("balance")),
                Hex.Decode(acc.Field("code").GetString()!), storage);
        }

        var tx = t.Field("transaction");
        var data = tx.Field("data").EnumerateArray().Select(d => Hex.Decode(d.GetString()!)).ToArray();
        var accessLists = new AccessListEntry[]?[data.Length];
        if (tx.TryGetProperty("accessLists", out var lists) && lists.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var l in lists.EnumerateArray())
            {
                if (i >= accessLists.Length) break;
                accessLists[i++] = l.ValueKind == JsonValueKind.Array
                    ? l.EnumerateArray().Select(e => new AccessListEntry(
                        Address.Parse(e.Field("address").GetString()!),
                        e.Field("storageKeys").EnumerateArray().Select(Number).ToArray())).ToArray()
                    : null;
            }
        }
        string toText = tx.TryGetProperty("to", out var toEl) ? toEl.GetString() ?? "" : "";
        var template = new TransactionTemplate
        {
            Data = data,
            AccessLists = accessLists,
            GasLimits = tx.Field("gasLimit").EnumerateArray().Select(ParseLong).ToArray(),
            Values = tx.Field("value").EnumerateArray().Select(v => UInt256.TryParse(v.GetString(), out var x) ? x : (UInt256?)null).ToArray(),
            Nonce = Number(tx.Field("nonce")).U0,
            To = toText.Length == 0 ? null : Address.Parse(toText),
            Sender = Address.Parse(tx.Field("sender").GetString()!),
            GasPrice = OptionalNumber(tx, "gasPrice"),
            MaxFeePerGas = OptionalNumber(tx, "maxFeePerGas"),
            MaxPriorityFeePerGas = OptionalNumber(tx, "maxPriorityFeePerGas"),
            MaxFeePerBlobGas = OptionalNumber(tx, "maxFeePerBlobGas"),
            BlobVersionedHashes = tx.TryGetProperty("blobVersionedHashes", out var bh) && bh.ValueKind == JsonValueKind.Array
                ? bh.EnumerateArray().Select(h => Hash256.Parse(h.GetString()!)).ToArray()
                : null,
            AuthorizationList = tx.TryGetProperty("authorizationList", out var al) && al.ValueKind == JsonValueKind.Array
                ? al.EnumerateArray().Select(ParseAuthorization).ToArray()
                : null,
        };

        var cases = new List<StateTestCase>();
        foreach (var f in t.Field("post").EnumerateObject())
        {
            Fork? fork = ForkNames.TryParse(f.Name, out var parsed) ? parsed : null;
            foreach (var c in f.Value.EnumerateArray())
            {
                var idx = c.Field("indexes");
                int? type = null;
                if (c.TryGetProperty("txbytes", out var tb) && tb.GetString() is { Length: >= 4 } hex)
                {
                    int first = Convert.ToInt32(hex.Substring(hex.StartsWith("0x") ? 2 : 0, 2), 16);
                    type = first <= 0x7f ? first : 0;
                }
                cases.Add(new StateTestCase
                {
                    ForkName = f.Name,
                    Fork = fork,
                    DataIndex = idx.Field("data").GetInt32(),
                    GasIndex = idx.Field("gas").GetInt32(),
                    ValueIndex = idx.Field("value").GetInt32(),
                    ExpectedRoot = Hash256.Parse(c.Field("hash").GetString()!),
                    ExpectedLogs = Hash256.Parse(c.Field("logs").GetString()!),
                    ExpectException = c.TryGetProperty("expectException", out var ex) ? ex.GetString() : null,
                    TxType = type,
                });
            }
        }
        return new StateTest { File = file, Name = name, Block = block, Pre = pre, Transaction = template, Cases = cases };
    }

    // "v" in older fixtures, "yParity" in newer ones; the recovered authority is checked, never the fixture's "signer".
    private static AuthorizationTuple ParseAuthorization(JsonElement a) => new(
        Number(a.GetProperty("chainId")),
        Address.Parse(a.GetProperty("address").GetString()!),
        Number(a.GetProperty("nonce")),
        OptionalNumber(a, "yParity") ?? Number(a.GetProperty("v")),
        Number(a.GetProperty("r")),
        Number(a.GetProperty("s")));

    private static UInt256 Number(JsonElement e) => e.ValueKind == JsonValueKind.Number
        ? new UInt256(e.GetUInt64())
        : UInt256.Parse(e.GetString()!, allowDecimal: true);

    private static UInt256? OptionalNumber(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? Number(e) : null;

    private static long? ParseLong(JsonElement e)
    {
        if (!UInt256.TryParse(e.GetString(), out var v)) return null;
        return v.FitsInUInt64 && v.U0 <= long.MaxValue ? (long)v.U0 : null;
    }

    /// <summary>
    /// Builds the transaction of a case; null with <paramref name="error"/> set when the template's numbers cannot form
    /// a transaction (e.g. a value above 2^256, which the fixtures expect to fail RLP decoding).
    /// </summary>
    public static Transaction? BuildTransaction(StateTest test, StateTestCase c, out string? error)
    {
        var t = test.Transaction;
        error = null;
        if (c.DataIndex >= t.Data.Length || c.GasIndex >= t.GasLimits.Length || c.ValueIndex >= t.Values.Length)
        {
            error = "index out of range";
            return null;
        }
        if (t.Values[c.ValueIndex] is not { } value)
        {
            error = "TransactionException.RLP_INVALID_VALUE";
            return null;
        }
        if (t.GasLimits[c.GasIndex] is not { } gas)
        {
            error = "TransactionException.GAS_ALLOWANCE_EXCEEDED";
            return null;
        }
        var accessList = t.AccessLists[c.DataIndex];
        int type = c.TxType ?? (t.AuthorizationList is not null ? 4 : t.BlobVersionedHashes is not null ? 3 : t.MaxFeePerGas is not null ? 2 : accessList is not null ? 1 : 0);
        return new Transaction
        {
            Type = type,
            Sender = t.Sender,
            Nonce = t.Nonce,
            To = t.To,
            Value = value,
            Data = t.Data[c.DataIndex],
            GasLimit = gas,
            GasPrice = t.GasPrice ?? UInt256.Zero,
            MaxFeePerGas = t.MaxFeePerGas ?? t.GasPrice ?? UInt256.Zero,
            MaxPriorityFeePerGas = t.MaxPriorityFeePerGas ?? t.GasPrice ?? UInt256.Zero,
            AccessList = accessList ?? [],
            MaxFeePerBlobGas = t.MaxFeePerBlobGas ?? UInt256.Zero,
            BlobVersionedHashes = t.BlobVersionedHashes ?? [],
            Authorizations = t.AuthorizationList ?? [],
        };
    }
}
