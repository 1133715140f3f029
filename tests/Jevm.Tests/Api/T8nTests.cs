using System.Text.Json;
using System.Text.Json.Nodes;
using Jevm.Cli.Commands;
using Jevm.Cli.T8n;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.Primitives;
using Jevm.StateTests;
using Jevm.Tests.Support;

namespace Jevm.Tests.Api;

/// <summary>
/// <c>jevm t8n</c>: geth's documented example, and GeneralStateTests cases converted to t8n inputs (alloc = pre,
/// env = env, txs = the indexed transaction with its secretKey) giving the fixtures' post-state roots.
/// </summary>
public class T8nTests
{
    // geth cmd/evm/README.md "Basic usage" (testdata/1): a legacy transaction sent twice (the second is rejected, nonce
    // too low); stateRoot, txRoot, receiptRoot and the transaction hash are the ones that README prints.
    private const string GethAlloc = """{"a94f5374fce5edbc8e2a8697c15331677e6ebf0b":{"balance":"0x5ffd4878be161d74","code":"0x","nonce":"0xac","storage":{}},"0x8a8eafb1cf62bfbeb1741769dae1a9dd47996192":{"balance":"0xfeedbead","nonce":"0x00"}}""";
    private const string GethEnv = """{"currentCoinbase":"0xc94f5374fce5edbc8e2a8697c15331677e6ebf0b","currentDifficulty":"0x20000","currentGasLimit":"0x750a163df65e8a","currentNumber":"1","currentTimestamp":"1000"}""";
    private const string GethTx = """{"gas":"0x5208","gasPrice":"0x2","input":"0x","nonce":"0x0","r":"0x9500e8ba27d3c33ca7764e107410f44cbd8c19794bde214d694683a7aa998cdb","s":"0x7235ae07e4bd6e0206d102b1f8979d6adab280466b6a82d2208ee08951f1f600","to":"0x8a8eafb1cf62bfbeb1741769dae1a9dd47996192","v":"0x1b","value":"0x1"}""";

    [Fact]
    public void Geth_readme_example_gives_geths_roots_through_the_command_line()
    {
        var dir = Directory.CreateTempSubdirectory("jevm-t8n-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "alloc.json"), GethAlloc);
            File.WriteAllText(Path.Combine(dir.FullName, "env.json"), GethEnv);
            File.WriteAllText(Path.Combine(dir.FullName, "txs.json"), $"[{GethTx},{GethTx}]");
            var outDir = Path.Combine(dir.FullName, "out");
            int exit = new T8nCommand().Run([
                "--input.alloc", Path.Combine(dir.FullName, "alloc.json"), $"--input.env={Path.Combine(dir.FullName, "env.json")}",
                "--input.txs", Path.Combine(dir.FullName, "txs.json"), "--state.fork", "Istanbul", "--state.reward", "0",
                "--output.basedir", outDir]);
            Assert.Equal(0, exit);
            var result = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")))!;
            Assert.Equal("0x84208a19bc2b46ada7445180c1db162be5b39b9abc8c0a54b05d32943eae4e13", (string?)result["stateRoot"]);
            Assert.Equal("0xc4761fd7b87ff2364c7c60b6c5c8d02e522e815328aaea3f20e3b7b7ef52c42d", (string?)result["txRoot"]);
            Assert.Equal("0x056b23fbba480696b65fe5a59b8f2148a1299103c4f57df839233af2cf4ca2d2", (string?)result["receiptsRoot"]);
            Assert.Equal("0x0557bacce3375c98d806609b8d5043072f0b6a8bae45ae5a67a00d3a1a18d673", (string?)result["receipts"]![0]!["transactionHash"]);
            Assert.Equal("0x5208", (string?)result["gasUsed"]);
            Assert.Equal(1, (int)result["rejected"]![0]!["index"]!);
            var alloc = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "alloc.json")))!;
            // The sender pays 21000 × 2 to the coinbase and sends 1 wei to itself.
            Assert.Equal("0xfeed1a9d", (string?)alloc["0x8a8eafb1cf62bfbeb1741769dae1a9dd47996192"]!["balance"]);
            Assert.Equal("0xa410", (string?)alloc["0xc94f5374fce5edbc8e2a8697c15331677e6ebf0b"]!["balance"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unknown_fork_is_exit_code_3_and_bad_json_10()
    {
        Assert.Equal(3, new T8nCommand().Run(["--state.fork", "Atlantis"]));
        var dir = Directory.CreateTempSubdirectory("jevm-t8n-");
        try
        {
            var bad = Path.Combine(dir.FullName, "bad.json");
            File.WriteAllText(bad, "{ not json");
            Assert.Equal(10, new T8nCommand().Run(["--input.alloc", bad, "--input.env", bad, "--input.txs", bad]));
            Assert.Equal(11, new T8nCommand().Run(["--input.alloc", Path.Combine(dir.FullName, "missing.json")]));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // (folder, fork or "*", stride: every n-th case, to keep the run short on the big folders)
    public static TheoryData<string, string, int> ConvertedSets => new()
    {
        { "GeneralStateTests/stExample", "*", 1 },
        { "GeneralStateTests/stLogTests", "Cancun", 1 },
        { "GeneralStateTests/stEIP1559", "Cancun", 10 },
        { "GeneralStateTests/stEIP2930", "Cancun", 1 },
        { "GeneralStateTests/stChainId", "Cancun", 1 },
        { "GeneralStateTests/stRefundTest", "Cancun", 1 },
        { "GeneralStateTests/Cancun/stEIP4844-blobtransactions", "Cancun", 1 },
    };

    [Theory]
    [MemberData(nameof(ConvertedSets))]
    public void State_tests_converted_to_t8n_inputs_give_the_fixture_roots(string folder, string forks, int stride)
    {
        var path = EthTests.Require(folder);
        var engine = Engines.Create(EngineKind.Interpreter);
        int compared = 0, seen = 0;
        var failures = new List<string>();
        foreach (var file in StateTestRunner.FindFiles(path))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var tests = StateTestLoader.LoadFile(file);
            foreach (var test in tests)
            {
                var raw = doc.RootElement.GetProperty(test.Name);
                foreach (var c in test.Cases)
                {
                    if (c.Fork is not { } fork || (forks != "*" && c.ForkName != forks)) continue;
                    if (test.Transaction.HasAuthorizationList || c.TxType == 4) continue;
                    if (seen++ % stride != 0) continue;
                    var txs = new JsonArray(ToT8nTransaction(raw.GetProperty("transaction"), c));
                    using var txsDoc = JsonDocument.Parse(txs.ToJsonString());
                    var (_, result) = StateTestRunner.OnLargeStack(() => T8nRunner.Run(raw.GetProperty("pre"), raw.GetProperty("env"),
                        txsDoc.RootElement, fork, 1, null, engine));
                    // The same case through the state-test runner (what `jevm statetest` reports).
                    var direct = StateTestRunner.RunCase(test, c, engine);
                    string root = (string)result["stateRoot"]!;
                    string logs = (string)result["logsHash"]!;
                    if (root != c.ExpectedRoot.ToString() || logs != c.ExpectedLogs.ToString() || root != direct.ActualRoot.ToString())
                        failures.Add($"{test.Name} {c.ForkName} d{c.DataIndex} g{c.GasIndex} v{c.ValueIndex}: root {root} (expected {c.ExpectedRoot}, statetest {direct.ActualRoot}), logs {logs} (expected {c.ExpectedLogs})");
                    bool rejected = result["rejected"] is JsonArray { Count: > 0 };
                    if (rejected != (c.ExpectException is not null))
                        failures.Add($"{test.Name} {c.ForkName} d{c.DataIndex}: rejected={rejected}, expectException={c.ExpectException}");
                    compared++;
                }
            }
        }
        Assert.True(compared > 0, $"no case of {forks} under {folder}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {compared} cases differ:\n" + string.Join("\n", failures.Take(20)));
    }

    /// <summary>The indexed transaction of a state test in geth's txs.json form, unsigned with its secretKey.</summary>
    private static JsonObject ToT8nTransaction(JsonElement t, StateTestCase c)
    {
        var o = new JsonObject
        {
            ["input"] = t.GetProperty("data")[c.DataIndex].GetString(),
            ["gas"] = t.GetProperty("gasLimit")[c.GasIndex].GetString(),
            ["value"] = t.GetProperty("value")[c.ValueIndex].GetString(),
            ["nonce"] = t.GetProperty("nonce").GetString(),
            ["to"] = t.TryGetProperty("to", out var to) ? to.GetString() : null,
            ["secretKey"] = t.GetProperty("secretKey").GetString(),
        };
        foreach (var name in new[] { "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "maxFeePerBlobGas" })
            if (t.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String) o[name] = v.GetString();
        if (t.TryGetProperty("blobVersionedHashes", out var h) && h.ValueKind == JsonValueKind.Array) o["blobVersionedHashes"] = JsonNode.Parse(h.GetRawText());
        if (t.TryGetProperty("accessLists", out var al) && al.ValueKind == JsonValueKind.Array && c.DataIndex < al.GetArrayLength()
            && al[c.DataIndex].ValueKind == JsonValueKind.Array)
            o["accessList"] = JsonNode.Parse(al[c.DataIndex].GetRawText());
        if (c.TxType is { } type) o["type"] = $"0x{type:x}";
        return o;
    }
}
