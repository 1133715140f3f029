using System.Text.Json;
using Jevm.Cli;
using Jevm.Cli.Bench;
using Jevm.Evm;

namespace Jevm.Tests.Bench;

public sealed class BenchCommandTests : IDisposable
{
    private readonly List<string> _dirs = [];

    private string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), $"jevm-bench-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        _dirs.Add(d);
        return d;
    }

    public void Dispose()
    {
        foreach (var d in _dirs)
            try { Directory.Delete(d, recursive: true); } catch (IOException) { /* best effort */ }
    }

    [Theory]
    [InlineData("--runs", "0")]
    [InlineData("--time", "-1")]
    [InlineData("--engine", "warp")]
    [InlineData("--fork", "Nope")]
    [InlineData("--filter", "(")]
    [InlineData("--peer-runs", "0")]
    [InlineData("--cold", "-1")]
    [InlineData("--cold", "x")]
    [InlineData("--bogus")]
    [InlineData("/no/such/path")]
    [InlineData("--filter", "no-case-has-this-name")]
    public void Bad_arguments_exit_with_2(params string[] args) =>
        Assert.Equal(CommandLine.ExitUsage, CommandLine.Run(["bench", .. args]));

    /// <summary>A manifest folder with one case: PUSH1 0x2a PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.</summary>
    private string OneCaseFolder(string expectedOutput, long executionGas, long txGasUsed)
    {
        var dir = TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "code"));
        Directory.CreateDirectory(Path.Combine(dir, "calldata"));
        File.WriteAllText(Path.Combine(dir, "code", "answer.hex"), "602a60005260206000f3\n");
        File.WriteAllText(Path.Combine(dir, "calldata", "answer.empty.hex"), "\n");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), $$"""
            { "cases": [ { "name": "t/answer/empty", "code": "code/answer.hex", "calldata": "calldata/answer.empty.hex",
              "minFork": "frontier", "expectedOutput": "{{expectedOutput}}",
              "gas": { "cancun": { "executionGas": {{executionGas}}, "refund": 0, "txGasUsed": {{txGasUsed}} } } } ] }
            """);
        return dir;
    }

    // Yellow Paper gas: four PUSH1 at 3, MSTORE 3 plus one word of memory (3·1 + 1²/512 = 3), RETURN 0 → 18;
    // the receipt adds the 21,000 transaction gas (no calldata).
    private const string Answer = "000000000000000000000000000000000000000000000000000000000000002a";

    [Fact]
    public void A_case_matching_its_manifest_passes()
    {
        var dir = OneCaseFolder(Answer, 18, 21018);
        Assert.Equal(CommandLine.ExitOk, CommandLine.Run(["bench", "--runs", "1", "--time", "0", dir]));
    }

    [Fact]
    public void Wrong_output_or_gas_fails_loudly_with_1()
    {
        Assert.Equal(CommandLine.ExitFailure, CommandLine.Run(["bench", "--runs", "1", "--time", "0", OneCaseFolder(Answer.Replace("2a", "2b"), 18, 21018)]));
        Assert.Equal(CommandLine.ExitFailure, CommandLine.Run(["bench", "--runs", "1", "--time", "0", OneCaseFolder(Answer, 19, 21019)]));
    }

    [Fact]
    public void Json_has_one_record_per_case_and_engine()
    {
        var file = Path.Combine(TempDir(), "out.json");
        Assert.Equal(CommandLine.ExitOk, CommandLine.Run(["bench", "--runs", "2", "--time", "0", "--filter", "recursion", "--json", file]));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        Assert.Equal("cancun", doc.RootElement.GetProperty("fork").GetString());
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal(BenchTestSupport.AvailableEngines().Count, results.GetArrayLength());
        foreach (var r in results.EnumerateArray())
        {
            Assert.Equal("jevm/recursion", r.GetProperty("case").GetString());
            Assert.Equal("success", r.GetProperty("status").GetString());
            Assert.Equal(2, r.GetProperty("runs").GetInt32());
            Assert.True(r.GetProperty("medianMs").GetDouble() > 0);
            Assert.True(r.GetProperty("minMs").GetDouble() <= r.GetProperty("medianMs").GetDouble());
            Assert.True(long.Parse(r.GetProperty("gasUsed").GetString()!) > 0);
            Assert.True(r.GetProperty("mgasPerS").GetDouble() > 0);
            // 40 chains 64 deep: 40 · 64·65/2 = 83,200 = 0x14500.
            Assert.EndsWith("014500", r.GetProperty("output").GetString());
            Assert.Equal(0, r.GetProperty("problems").GetArrayLength());
        }
    }

    [Fact]
    public void Peer_results_are_parsed_and_cross_checked()
    {
        // The shape ../shared/peers/bench.mjs writes (ethereumjs reports gasUsed; EDR only txGasUsed).
        var json = """
            { "fork": "cancun", "results": [
              { "case": "c", "peer": "ethereumjs", "status": "success", "gasUsed": "100", "txGasUsed": "21100",
                "outputSha256": "e3b0c44298fc1c14", "runs": 5, "medianMs": 2.0, "minMs": 1.5, "mgasPerS": 0.05 },
              { "case": "c", "peer": "edr", "status": "success", "gasUsed": null, "txGasUsed": "21101",
                "outputSha256": "e3b0c44298fc1c14", "runs": 5, "medianMs": 0.5, "minMs": 0.4, "mgasPerS": 0.2 } ] }
            """u8.ToArray();
        var peers = PeerRunner.Parse(json);
        Assert.Equal(2, peers.Count);
        Assert.Equal(100, peers[0].GasUsed);
        Assert.Null(peers[1].GasUsed);
        var jevm = new BenchMeasurement
        {
            Case = "c", Engine = "interpreter", Status = "success", GasUsed = 100, TxGasUsed = 21100,
            OutputSha256 = BenchMeasurement.Sha256Prefix([]), Runs = 5, MedianMs = 0.1, MinMs = 0.1,
        };
        var report = new BenchReport(Fork.Cancun, [jevm], peers);
        report.CheckConsensus();
        Assert.Empty(peers[0].Problems);                    // sha256("") starts e3b0c442…: outputs agree
        Assert.Single(peers[1].Problems);                   // the receipt gas differs by one
        Assert.Equal(1, report.ProblemCount);
        var text = new StringWriter();
        report.Print(text);
        Assert.Contains("MISMATCH", text.ToString());
        Assert.Contains("20.00x", text.ToString());         // Jevm/ethereumjs = 2.0 / 0.1
    }
}
