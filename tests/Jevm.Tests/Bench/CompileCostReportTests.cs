using Jevm.Cli;
using Jevm.Cli.Bench;
using Jevm.Evm;

namespace Jevm.Tests.Bench;

/// <summary>The compile-cost report's corpus collection, statistics and options (no timing is asserted).</summary>
public sealed class CompileCostReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"jevm-compile-cost-test-{Guid.NewGuid():N}");

    public CompileCostReportTests() => Directory.CreateDirectory(Path.Combine(_dir, "sub"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
    }

    /// <summary>Two state-test files: three accounts with code, two of them the same code, one with none.</summary>
    private string Corpus()
    {
        File.WriteAllText(Path.Combine(_dir, "a.json"), """
            { "t1": { "pre": {
                "0x1000000000000000000000000000000000000001": { "code": "0x602a60005260206000f3", "balance": "0x0" },
                "0x1000000000000000000000000000000000000002": { "code": "0x", "balance": "0x0" } } } }
            """);
        File.WriteAllText(Path.Combine(_dir, "sub", "b.json"), """
            { "t2": { "pre": {
                "0x1000000000000000000000000000000000000003": { "code": "0x602a60005260206000f3" },
                "0x1000000000000000000000000000000000000004": { "code": "0x6001600101" } } },
              "notATest": 5 }
            """);
        File.WriteAllText(Path.Combine(_dir, "sub", "broken.json"), "{ not json");
        return _dir;
    }

    [Fact]
    public void Collect_finds_each_distinct_pre_state_code_once()
    {
        var codes = CompileCostReport.Collect([Corpus()], embedded: false);
        Assert.Equal(2, codes.Count);
        Assert.Equal(Convert.FromHexString("602a60005260206000f3"), codes[0].Code);
        Assert.Equal(Convert.FromHexString("6001600101"), codes[1].Code);
        Assert.Contains("t1", codes[0].Origin);
        Assert.Contains("t2", codes[1].Origin);
    }

    [Fact]
    public void Collect_adds_the_embedded_programs_first()
    {
        var codes = CompileCostReport.Collect([Corpus()], embedded: true);
        Assert.Equal(Cli.Bench.Programs.EmbeddedPrograms.All.Count + 2, codes.Count);
        Assert.Equal("jevm", codes[0].Source);
    }

    [Fact]
    public void Quantile_is_the_nearest_rank()
    {
        double[] ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, CompileCostReport.Quantile(ten, 0.5));
        Assert.Equal(9, CompileCostReport.Quantile(ten, 0.9));
        Assert.Equal(10, CompileCostReport.Quantile(ten, 1.0));
        Assert.Equal(7, CompileCostReport.Quantile([7.0], 0.9));
    }

    [Fact]
    public void Measure_reports_the_il_and_a_positive_size_per_kib()
    {
        var code = new CorpusCode("t", "t", Convert.FromHexString("602a60005260206000f3"));
        var cost = CompileCostReport.Measure(code, Fork.Cancun);
        Assert.True(cost.Compiled, cost.Reason);
        Assert.True(cost.IlBytes > 0);
        Assert.True(cost.Regions >= 1);
        Assert.Equal(cost.WallMs * 1024 / 10, cost.MsPerKiB, 9);
    }

    [Fact]
    public void Command_writes_one_json_record_per_code()
    {
        var json = Path.Combine(_dir, "out.json");
        Assert.Equal(CommandLine.ExitOk, CommandLine.Run(["compile", "--corpus", Corpus(), "--no-embedded", "--warmup", "1", "--json", json]));
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(json));
        var codes = doc.RootElement.GetProperty("codes");
        Assert.Equal(2, codes.GetArrayLength());
        Assert.Equal(10, codes[0].GetProperty("bytes").GetInt32());
        Assert.True(codes[0].GetProperty("compiled").GetBoolean());
        Assert.True(codes[0].GetProperty("ilBytes").GetInt32() > 0);
    }

    [Fact]
    public void Report_prints_overall_size_class_and_source_lines()
    {
        var costs = CompileCostReport.Collect([Corpus()], embedded: false).ConvertAll(c => CompileCostReport.Measure(c, Fork.Cancun));
        var text = new StringWriter();
        CompileCostReport.Print(text, costs, Fork.Cancun, 0);
        var s = text.ToString();
        Assert.Contains("2 distinct codes, 2 compiled, 0 not compiled", s);
        Assert.Contains("\nall ", s);
        Assert.Contains("code < 256 B", s);
        Assert.Contains($"from {Path.GetFileName(_dir)}", s);
    }

    [Theory]
    [InlineData("--corpus")]
    [InlineData("--corpus", "/no/such/folder")]
    [InlineData("--corpus", ".", "--warmup", "-1")]
    [InlineData("--corpus", ".", "--fork", "Nope")]
    [InlineData("--corpus", ".", "--bogus")]
    public void Bad_corpus_arguments_exit_with_2(params string[] args) =>
        Assert.Equal(CommandLine.ExitUsage, CommandLine.Run(["compile", .. args]));
}
