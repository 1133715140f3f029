using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Jevm.Perf;

/// <summary>
/// A custom numeric column of the summary table whose value is computed from a benchmark's result statistics and
/// parameters (MGas/s, gas, ns per round): the one place that implements BenchmarkDotNet's <see cref="IColumn"/>.
/// </summary>
/// <param name="name">Column name (and id).</param>
/// <param name="legend">What the column means, printed under the table.</param>
/// <param name="value">The cell for a benchmark case, or null when it cannot be computed (printed as "?").</param>
/// <param name="priority">Order among the custom columns.</param>
internal sealed class ComputedColumn(string name, string legend, Func<Summary, BenchmarkCase, string?> value, int priority = 0) : IColumn
{
    public string Id => name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => priority;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => value(summary, benchmarkCase) ?? "?";
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <summary>The mean time of <paramref name="benchmarkCase"/> in nanoseconds, or null before it ran.</summary>
    public static double? MeanNs(Summary summary, BenchmarkCase benchmarkCase) => summary[benchmarkCase]?.ResultStatistics?.Mean;
}
