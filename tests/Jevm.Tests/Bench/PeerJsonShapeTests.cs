using System.Text.Json;
using Jevm.Cli;
using Jevm.Cli.Bench;
using Jevm.Evm;

namespace Jevm.Tests.Bench;

/// <summary>
/// `jevm bench --json` against the JSON the peer harness really writes: every field of a peer record is in Jevm's
/// records with the same JSON type, and Jevm's values for the same case agree with ethereumjs'.
/// </summary>
public sealed class PeerJsonShapeTests : IDisposable
{
    /// <summary>
    /// Written by <c>../shared/peers/run.sh --json FILE --filter swap_math/spent --min-runs 2 --max-runs 2 --min-ms 0</c>
    /// (@ethereumjs/evm 10.1.3, EDR 0.22.0, node 20.20.2) on 2026-11-25, unedited.
    /// </summary>
    internal const string RealPeerJson = """
        {
         "fork": "cancun",
         "gasLimit": "1000000000",
         "node": "v20.20.2",
         "results": [
          {
           "case": "main/swap_math/spent",
           "peer": "ethereumjs",
           "peerVersion": "@ethereumjs/evm 10.1.3",
           "fork": "cancun",
           "status": "success",
           "gasUsed": "3179",
           "gasRefund": "0",
           "gasNetOfRefund": null,
           "txGasUsed": "25219",
           "outputSha256": "09c8bd92a5c96ff0",
           "outputBytes": 128,
           "output": "00000000000000000000000000000000000000017fec56d5cfaacd9e83e425ae0000000000000000000000000000000000000000000000000dde950144868000000000000000000000000000000000000000000000000000093f873882c51faa000000000000000000000000000000000000000000000000000221b262dd8000",
           "expectedOutput": "match",
           "expectedGas": "match",
           "firstRunMs": 58.634257,
           "runs": 2,
           "medianMs": 50.074495999999996,
           "minMs": 45.571311,
           "mgasPerS": 0.06348541181522827
          },
          {
           "case": "main/swap_math/spent",
           "peer": "edr",
           "peerVersion": "@nomicfoundation/edr 0.22.0 (revm inside; eth_call with EDR's per-step trace collector)",
           "fork": "cancun",
           "status": "success",
           "gasUsed": null,
           "gasRefund": null,
           "gasNetOfRefund": "3179",
           "txGasUsed": "25219",
           "outputSha256": "09c8bd92a5c96ff0",
           "outputBytes": 128,
           "output": "00000000000000000000000000000000000000017fec56d5cfaacd9e83e425ae0000000000000000000000000000000000000000000000000dde950144868000000000000000000000000000000000000000000000000000093f873882c51faa000000000000000000000000000000000000000000000000000221b262dd8000",
           "expectedOutput": "match",
           "expectedGas": "match",
           "firstRunMs": 199.235642,
           "runs": 2,
           "medianMs": 0.298303,
           "minMs": 0.28337,
           "mgasPerS": 10.656949477544645
          }
         ]
        }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"jevm-peer-json-test-{Guid.NewGuid():N}");

    public PeerJsonShapeTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
    }

    private static JsonElement PeerRecord(JsonDocument doc, string peer)
    {
        foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
            if (r.GetProperty("peer").GetString() == peer) return r;
        throw new InvalidOperationException($"no {peer} record");
    }

    [Fact]
    public void Jevm_records_have_every_peer_field_with_the_same_type_and_agree_with_ethereumjs()
    {
        var shared = BenchTestSupport.RequireSharedBench();
        var file = Path.Combine(_dir, "jevm.json");
        Assert.Equal(CommandLine.ExitOk, CommandLine.Run(["bench", shared, "--filter", "^main/swap_math/spent$", "--runs", "1", "--time", "0", "--cold", "2", "--json", file]));
        using var peers = JsonDocument.Parse(RealPeerJson);
        using var ours = JsonDocument.Parse(File.ReadAllBytes(file));
        var ethereumjs = PeerRecord(peers, "ethereumjs");
        var records = ours.RootElement.GetProperty("results");
        Assert.Equal(BenchTestSupport.AvailableEngines().Count, records.GetArrayLength());
        Assert.Equal(peers.RootElement.GetProperty("fork").GetString(), ours.RootElement.GetProperty("fork").GetString());
        Assert.Equal(peers.RootElement.GetProperty("gasLimit").GetString(), ours.RootElement.GetProperty("gasLimit").GetString());
        foreach (var r in records.EnumerateArray())
        {
            foreach (var field in ethereumjs.EnumerateObject())
            {
                Assert.True(r.TryGetProperty(field.Name, out var mine), $"field {field.Name} missing");
                Assert.Equal(field.Value.ValueKind, mine.ValueKind);
            }
            // Values that must be the same whoever executes the case (ethereumjs is an independent implementation).
            foreach (var name in new[] { "case", "fork", "status", "gasUsed", "gasRefund", "txGasUsed", "outputSha256", "output", "expectedOutput", "expectedGas" })
                Assert.Equal(ethereumjs.GetProperty(name).GetString(), r.GetProperty(name).GetString());
            Assert.Equal(ethereumjs.GetProperty("outputBytes").GetInt32(), r.GetProperty("outputBytes").GetInt32());
            Assert.Equal("jevm", r.GetProperty("peer").GetString());
            Assert.Equal(1, r.GetProperty("runs").GetInt32());
            Assert.True(r.GetProperty("allocatedBytes").GetInt64() >= 0);
            // Every engine, the interpreter too, has its cold runs (the amortised ratio compares like with like).
            Assert.True(r.TryGetProperty("coldRuns", out var cold));
            Assert.Equal(2, cold.GetInt32());
            Assert.True(r.GetProperty("coldTotalMs").GetDouble() > 0);
        }
    }

    [Fact]
    public void Real_peer_json_is_parsed_and_survives_a_round_trip()
    {
        var peers = PeerRunner.Parse(System.Text.Encoding.UTF8.GetBytes(RealPeerJson));
        Assert.Equal(2, peers.Count);
        var (ejs, edr) = (peers[0], peers[1]);
        Assert.Equal(("main/swap_math/spent", "ethereumjs", "success"), (ejs.Case, ejs.Engine, ejs.Status));
        Assert.Equal((3179L, 0L, 25219L), (ejs.GasUsed, ejs.Refund, ejs.TxGasUsed));
        Assert.Null(edr.GasUsed);                              // EDR reports the gas net of the refund only
        Assert.Equal(3179L, edr.GasNetOfRefund);
        Assert.Equal("@ethereumjs/evm 10.1.3", ejs.Version);
        Assert.Equal(("match", "match"), (ejs.ExpectedOutputVerdict, ejs.ExpectedGasVerdict));
        Assert.Empty(ejs.Problems);

        var file = Path.Combine(_dir, "round.json");
        new BenchReport(Fork.Cancun, [], peers).WriteJson(file);
        using var original = JsonDocument.Parse(RealPeerJson);
        using var written = JsonDocument.Parse(File.ReadAllBytes(file));
        foreach (var peer in new[] { "ethereumjs", "edr" })
        {
            var a = PeerRecord(original, peer);
            var b = PeerRecord(written, peer);
            foreach (var field in a.EnumerateObject())
            {
                Assert.True(b.TryGetProperty(field.Name, out var v), $"{peer}: field {field.Name} lost");
                Assert.Equal(field.Value.ValueKind, v.ValueKind);
                if (field.Value.ValueKind == JsonValueKind.String) Assert.Equal(field.Value.GetString(), v.GetString());
                if (field.Value.ValueKind == JsonValueKind.Number) Assert.Equal(field.Value.GetDouble(), v.GetDouble());
            }
        }
    }
}
