using System.Text.Json;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.Cli.Fuzzing;

/// <summary>
/// Writes a case as an ethereum/tests state-test file (one test, one post entry) whose expected root and logs hash
/// are the reference engine's, so <c>jevm statetest --engine OTHER FILE</c> fails exactly where the engines diverge.
/// </summary>
internal static class StateTestWriter
{
    public static byte[] ToJson(FuzzCase c, Hash256 expectedRoot, Hash256 expectedLogs, string? expectException, string comment)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var block = c.Block();
            var tx = c.BuildTransaction();
            w.WriteStartObject();
            w.WriteStartObject(c.Name);

            w.WriteStartObject("_info");
            w.WriteString("comment", comment);
            w.WriteString("generator", $"jevm fuzz --seed {c.Seed} (case {c.Index})");
            w.WriteEndObject();

            w.WriteStartObject("env");
            w.WriteString("currentCoinbase", block.Coinbase.ToString());
            w.WriteString("currentDifficulty", Num(block.Difficulty));
            w.WriteString("currentGasLimit", Num(block.GasLimit));
            w.WriteString("currentNumber", Num(block.Number));
            w.WriteString("currentTimestamp", Num((long)block.Timestamp));
            if (c.Fork >= Fork.London) w.WriteString("currentBaseFee", Num(block.BaseFee));
            if (c.Fork >= Fork.Paris) w.WriteString("currentRandom", Word(block.Random));
            if (c.Fork >= Fork.Cancun) w.WriteString("currentExcessBlobGas", Num((long)block.ExcessBlobGas));
            w.WriteEndObject();

            w.WriteStartObject("pre");
            WriteAccount(w, FuzzCase.Sender, FuzzCase.SenderBalance, 0, [], []);
            foreach (var a in c.Accounts) WriteAccount(w, a.Address, a.Balance, a.Nonce, a.Code.Render(), a.Storage);
            w.WriteEndObject();

            w.WriteStartObject("transaction");
            w.WriteStartArray("data"); w.WriteStringValue(Hex.Encode(tx.Data)); w.WriteEndArray();
            w.WriteStartArray("gasLimit"); w.WriteStringValue(Num(tx.GasLimit)); w.WriteEndArray();
            w.WriteStartArray("value"); w.WriteStringValue(Num(tx.Value)); w.WriteEndArray();
            if (tx.Type >= 1)
            {
                w.WriteStartArray("accessLists");
                w.WriteStartArray();
                foreach (var e in tx.AccessList)
                {
                    w.WriteStartObject();
                    w.WriteString("address", e.Address.ToString());
                    w.WriteStartArray("storageKeys");
                    foreach (var k in e.StorageKeys) w.WriteStringValue(Word(k));
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndArray();
            }
            if (tx.Type == 2)
            {
                w.WriteString("maxFeePerGas", Num(tx.MaxFeePerGas));
                w.WriteString("maxPriorityFeePerGas", Num(tx.MaxPriorityFeePerGas));
            }
            else w.WriteString("gasPrice", Num(tx.GasPrice));
            w.WriteString("nonce", Num((long)tx.Nonce));
            w.WriteString("to", tx.To is { } to ? to.ToString() : "");
            w.WriteString("sender", tx.Sender.ToString());
            w.WriteString("secretKey", FuzzCase.SenderSecretKey);
            w.WriteEndObject();

            w.WriteStartObject("post");
            w.WriteStartArray(c.Fork.ToString());
            w.WriteStartObject();
            w.WriteString("hash", expectedRoot.ToString());
            w.WriteString("logs", expectedLogs.ToString());
            w.WriteStartObject("indexes");
            w.WriteNumber("data", 0); w.WriteNumber("gas", 0); w.WriteNumber("value", 0);
            w.WriteEndObject();
            if (expectException is not null) w.WriteString("expectException", expectException);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteAccount(Utf8JsonWriter w, Address address, UInt256 balance, ulong nonce, byte[] code, IReadOnlyList<KeyValuePair<UInt256, UInt256>> storage)
    {
        w.WriteStartObject(address.ToString());
        w.WriteString("balance", Num(balance));
        w.WriteString("code", Hex.Encode(code));
        w.WriteString("nonce", Num((long)nonce));
        w.WriteStartObject("storage");
        foreach (var kv in storage) if (!kv.Value.IsZero) w.WriteString(Word(kv.Key), Word(kv.Value));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Num(long v) => $"0x{v:x}";

    private static string Num(in UInt256 v) => v.ToHexString(padded: false);

    private static string Word(in UInt256 v) => v.ToHexString(padded: true);
}
