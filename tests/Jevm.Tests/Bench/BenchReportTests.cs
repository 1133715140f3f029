using Jevm.Cli.Bench;
using Jevm.Evm;

namespace Jevm.Tests.Bench;

/// <summary>The comparison table's ratios and geometric means, on made-up measurements with known answers.</summary>
public sealed class BenchReportTests
{
    private static BenchMeasurement M(string @case, string engine, double medianMs, int coldRuns = 0, double? coldTotalMs = null, double? minMs = null) => new()
    {
        Case = @case, Engine = engine, Status = "success", GasUsed = 1000, TxGasUsed = 22000, Runs = 5,
        MedianMs = medianMs, MinMs = minMs ?? medianMs, MgasPerS = 1000 / (medianMs / 1000) / 1e6, ColdRuns = coldRuns, ColdTotalMs = coldTotalMs,
    };

    [Fact]
    public void Fastest_ratio_divides_the_fastest_executions_and_has_its_own_footers()
    {
        // sha1_divs/5311: medians 8 and 2 ms (4x), fastest 6 and 1 ms (6x); snailtracer: medians 10 and 5 (2x),
        // fastest 10 and 2 (5x). Fastest ratios: geometric mean sqrt(30) = 5.48, median (5 + 6) / 2 = 5.5.
        var jevm = new List<BenchMeasurement>
        {
            M("main/sha1_divs/5311", "interpreter", 8, minMs: 6), M("main/sha1_divs/5311", "jit", 2, minMs: 1),
            M("main/snailtracer/benchmark", "interpreter", 10, minMs: 10), M("main/snailtracer/benchmark", "jit", 5, minMs: 2),
        };
        var text = new StringWriter();
        new BenchReport(Fork.Cancun, jevm, []).Print(text);
        var lines = text.ToString().Split('\n');
        string Line(string start) => Array.FindLast(lines, l => l.StartsWith(start, StringComparison.Ordinal)) ?? throw new InvalidOperationException($"no line {start}");
        var header = Line("case  ");
        int column = header.IndexOf("jit/interp fastest", StringComparison.Ordinal);
        Assert.True(column > 0, header);
        // Cells are right-aligned under their header: the cell ends where the header does.
        string Cell(string line) => line[..(column + "jit/interp fastest".Length)].TrimEnd().Split(' ')[^1];
        Assert.Equal("6.00x", Cell(Line("main/sha1_divs/5311  ")));
        Assert.Equal("5.00x", Cell(Line("main/snailtracer/benchmark  ")));
        Assert.Equal("5.48x", Cell(Line("geometric mean, 2 compute-heavy cases")));
        Assert.Equal("5.50x", Cell(Line("median, 2 compute-heavy cases")));
        // The medians' ratio is unchanged beside it: 4x and 2x, median 3x.
        Assert.Contains("3.00x", Line("median, 2 compute-heavy cases"));
    }

    [Theory]
    [InlineData("main/snailtracer/benchmark", true)]
    [InlineData("evm-bench/snailtracer_original/benchmark", true)]
    [InlineData("main/sha1_divs/5311", true)]
    [InlineData("main/blake2b_huff/8415nulls", true)]
    [InlineData("main/weierstrudel/15", true)]
    [InlineData("evm-bench/ten_thousand_hashes/benchmark", true)]
    [InlineData("evm-bench/erc20_approval_transfer/benchmark", true)]
    [InlineData("main/sha1_divs/empty", false)]           // an empty input hashes nothing: call overhead
    [InlineData("micro/signextend/one", false)]
    [InlineData("main/swap_math/spent", false)]
    [InlineData("jevm/arithmetic", false)]
    public void Compute_heavy_cases_are_the_issues_list(string name, bool heavy) =>
        Assert.Equal(heavy, BenchReport.IsComputeHeavy(name));

    [Fact]
    public void Comparison_shows_ratios_amortised_ratio_and_both_geometric_means()
    {
        // interpreter 8 ms, jit 2 ms (4x), 10 cold jit runs take 40 ms in all (10·8/40 = 2x); ethereumjs 800 ms
        // (jit/ethereumjs 400x, interp/ethereumjs 100x). A second, not compute-heavy case: jit 1x, ethereumjs 1x/1x.
        var jevm = new List<BenchMeasurement>
        {
            M("main/sha1_divs/5311", "interpreter", 8), M("main/sha1_divs/5311", "jit", 2, 10, 40),
            M("micro/signextend/one", "interpreter", 1), M("micro/signextend/one", "jit", 1, 10, 10),
        };
        var peers = new List<BenchMeasurement> { M("main/sha1_divs/5311", "ethereumjs", 800), M("micro/signextend/one", "ethereumjs", 1) };
        var text = new StringWriter();
        new BenchReport(Fork.Cancun, jevm, peers).Print(text);
        var lines = text.ToString().Split('\n');
        // The comparison table comes last: its lines are the last ones starting with their case name.
        string Line(string start) => Array.FindLast(lines, l => l.StartsWith(start, StringComparison.Ordinal)) ?? throw new InvalidOperationException($"no line {start}");
        string header = Line("case  ");
        foreach (var col in new[] { "jit/interp", "jit@10/interp", "jit/ethereumjs", "interp/ethereumjs" }) Assert.Contains(col, header);
        var sha1 = Line("main/sha1_divs/5311  ");
        foreach (var cell in new[] { "4.00x", "2.00x", "400.00x", "100.00x", "ok" }) Assert.Contains(cell, sha1);
        // All cases: geometric means sqrt(4·1) = 2, sqrt(2·1) = 1.41, sqrt(400·1) = 20, sqrt(100·1) = 10.
        var all = Line("geometric mean, all 2 cases");
        foreach (var cell in new[] { "2.00x", "1.41x", "20.00x", "10.00x" }) Assert.Contains(cell, all);
        // Compute-heavy: only sha1_divs/5311.
        var heavy = Line("geometric mean, 1 compute-heavy cases");
        foreach (var cell in new[] { "4.00x", "2.00x", "400.00x", "100.00x" }) Assert.Contains(cell, heavy);
        foreach (var cell in new[] { "4.00x", "2.00x", "400.00x", "100.00x" }) Assert.Contains(cell, Line("median, 1 compute-heavy cases"));
    }

    [Fact]
    public void Median_of_the_compute_heavy_cases_averages_the_middle_two()
    {
        // jit/interp over four compute-heavy cases: 2, 3, 5, 11 (the median (3 + 5) / 2 = 4); a fifth case, not
        // compute-heavy, at 100x stays out of it.
        var jevm = new List<BenchMeasurement>();
        foreach (var (name, ratio) in new[] { ("main/sha1_divs/5311", 2.0), ("main/snailtracer/benchmark", 3.0), ("main/weierstrudel/15", 5.0), ("evm-bench/erc20_mint/benchmark", 11.0), ("micro/signextend/one", 100.0) })
        {
            jevm.Add(M(name, "interpreter", 12 * ratio));
            jevm.Add(M(name, "jit", 12));
        }
        var text = new StringWriter();
        new BenchReport(Fork.Cancun, jevm, []).Print(text);
        var median = Array.FindLast(text.ToString().Split('\n'), l => l.StartsWith("median, 4 compute-heavy cases", StringComparison.Ordinal));
        Assert.NotNull(median);
        Assert.Contains("4.00x", median);
    }

    [Fact]
    public void Amortised_ratio_compares_cold_runs_with_the_interpreters_own_cold_runs()
    {
        // The interpreter's median is 8 ms, but its 10 cold runs took 100 ms (first-execution costs); the jit's 10
        // cold runs took 50 ms. Like with like: 100 / 50 = 2x (10·8/50 = 1.6x would charge the jit with the
        // first-execution costs every engine pays).
        var jevm = new List<BenchMeasurement>
        {
            M("main/sha1_divs/5311", "interpreter", 8, 10, 100), M("main/sha1_divs/5311", "jit", 2, 10, 50),
        };
        var text = new StringWriter();
        new BenchReport(Fork.Cancun, jevm, []).Print(text);
        var row = Array.FindLast(text.ToString().Split('\n'), l => l.StartsWith("main/sha1_divs/5311  ", StringComparison.Ordinal))!;
        Assert.Contains("2.00x", row);
        Assert.DoesNotContain("1.60x", row);
    }

    [Fact]
    public void Markdown_table_has_a_separator_and_one_row_per_case()
    {
        var jevm = new List<BenchMeasurement> { M("a/b", "interpreter", 2), M("a/b", "jit", 1) };
        var text = new StringWriter();
        new BenchReport(Fork.Cancun, jevm, []) { Markdown = true }.Print(text);
        var rows = Array.FindAll(text.ToString().Split('\n'), l => l.StartsWith('|'));
        Assert.Equal(4, rows.Length);                    // header, separator, a/b, geometric mean
        Assert.StartsWith("| --- | ---:", rows[1]);
        Assert.Contains("2.00x", rows[2]);
    }

    private static BenchMeasurement Turns(string engine, params double[] turnMedians) => Turns("main/sha1_divs/5311", engine, turnMedians[0], turnMedians);

    private static BenchMeasurement Turns(string @case, string engine, double medianMs, params double[] turnMedians) => new()
    {
        Case = @case, Engine = engine, Status = "success", GasUsed = 1000, Runs = turnMedians.Length,
        MedianMs = medianMs, MinMs = medianMs, TurnMedianMs = turnMedians,
    };

    [Fact]
    public void Turn_ratio_quartiles_pair_the_engines_turn_by_turn()
    {
        // Ratios turn by turn: 10/2 = 5, 10/2.5 = 4, 10/5 = 2, 10/2 = 5, 10/4 = 2.5; sorted 2, 2.5, 4, 5, 5: the first
        // quartile sits at rank 1 (2.5), the median at rank 2 (4), the third quartile at rank 3 (5). The interpreter's
        // sixth turn has no partner.
        var interp = Turns("interpreter", 10, 10, 10, 10, 10, 99);
        var jit = Turns("jit", 2, 2.5, 5, 2, 4);
        Assert.Equal((2.5, 4.0, 5.0), BenchReport.TurnRatioQuartiles(interp, jit));
        // Between ranks: four ratios 1, 2, 3, 4 put the quartiles at ranks 0.75, 1.5 and 2.25, that is 1.75, 2.5 and 3.25.
        Assert.Equal((1.75, 2.5, 3.25), BenchReport.TurnRatioQuartiles(Turns("interpreter", 4, 4, 4, 4), Turns("jit", 4, 2, 4.0 / 3, 1)));
        // Fewer than four pairs say nothing.
        Assert.Null(BenchReport.TurnRatioQuartiles(Turns("interpreter", 10, 10, 10), Turns("jit", 2, 2, 2)));
    }

    [Fact]
    public void Comparison_shows_the_turn_by_turn_spread_of_each_ratio()
    {
        var jevm = new List<BenchMeasurement> { Turns("interpreter", 10, 10, 10, 10, 10), Turns("jit", 2, 2.5, 5, 2, 4) };
        var text = new StringWriter();
        new BenchReport(Fork.Cancun, jevm, []).Print(text);
        var lines = text.ToString().Split('\n');
        Assert.Contains("jit/interp by turn", Array.FindLast(lines, l => l.StartsWith("case  ", StringComparison.Ordinal)));
        Assert.Contains("4.00x (2.50-5.00)", Array.FindLast(lines, l => l.StartsWith("main/sha1_divs/5311  ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Footers_of_the_turn_column_need_every_case()
    {
        // sha1 has five turn pairs (4.00x by turn), snailtracer only three: its cell and the turn column's footers say
        // "-" rather than a median over the one case left; the plain ratio column still has both (4x and 2x: 3x), and so
        // has the fastest-execution column after it (the fastest are the medians here: 3x).
        var jevm = new List<BenchMeasurement>
        {
            Turns("main/sha1_divs/5311", "interpreter", 10, 10, 10, 10, 10, 10), Turns("main/sha1_divs/5311", "jit", 2.5, 2, 2.5, 5, 2, 4),
            Turns("main/snailtracer/benchmark", "interpreter", 10, 10, 10, 10), Turns("main/snailtracer/benchmark", "jit", 5, 5, 5, 5),
        };
        var text = new StringWriter();
        new BenchReport(Fork.Cancun, jevm, []).Print(text);
        var median = Array.FindLast(text.ToString().Split('\n'), l => l.StartsWith("median, 2 compute-heavy cases", StringComparison.Ordinal))!;
        var cells = median.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["3.00x", "-", "3.00x"], cells[^3..]);
    }
}
