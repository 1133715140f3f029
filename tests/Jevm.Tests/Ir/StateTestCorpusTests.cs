using System.Text.Json;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;
using Jevm.Tests.Support;

namespace Jevm.Tests.Ir;

/// <summary>
/// Every contract of the official GeneralStateTests (the code of every pre-state account) goes through analysis,
/// IR building and the passes without an exception and with valid IR. Timing is reported by `jevm ir --corpus`
/// and the Analysis benchmarks, not asserted here.
/// </summary>
public class StateTestCorpusTests
{
    internal static List<byte[]> AllCodes(string root)
    {
        var seen = new HashSet<string>();
        var codes = new List<byte[]>();
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var test in doc.RootElement.EnumerateObject())
            {
                if (!test.Value.TryGetProperty("pre", out var pre)) continue;
                foreach (var account in pre.EnumerateObject())
                    if (account.Value.TryGetProperty("code", out var c) && c.GetString() is { } hex && seen.Add(hex))
                        codes.Add(Hex.Decode(hex));
            }
        }
        return codes;
    }

    [Fact]
    public void EveryStateTestContractAnalysesAndBuilds()
    {
        var root = EthTests.Require("GeneralStateTests");
        var codes = AllCodes(root);
        Assert.True(codes.Count > 1000, $"only {codes.Count} codes found");
        long blocks = 0, removed = 0;
        foreach (var code in codes)
            foreach (var fork in new[] { Fork.Cancun, Fork.Frontier })
            {
                var analysis = BytecodeAnalysis.Analyze(code, fork);
                var fn = IrBuilder.Build(analysis);
                fn.Validate();
                long gasBefore = 0;
                foreach (var b in fn.Blocks) gasBefore += b.StaticGas;
                IrOptimizer.Run(fn);
                fn.Validate();
                long gasAfter = 0;
                foreach (var b in fn.Blocks) { gasAfter += b.StaticGas; if (b.IsRemoved) removed++; }
                Assert.Equal(gasBefore, gasAfter);
                blocks += fn.Blocks.Count;
                // Blocks partition the code.
                int end = 0;
                foreach (var b in analysis.Blocks) { Assert.Equal(end, b.Start); end = b.End; }
                Assert.Equal(code.Length, end);
            }
        Assert.True(blocks > codes.Count);
        Assert.True(removed > 0);
    }
}
