using Jevm.Cli.Bench;

namespace Jevm.Tests.Bench;

/// <summary>
/// The order in which engines take turns for the amortised (cold) timings: a repetition leaves traces the next one pays
/// for, so every engine must follow every engine equally often, across the boundary between cycles too.
/// </summary>
public sealed class ColdTurnOrderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Every_ordered_pair_of_engines_is_adjacent_once_per_cycle(int n)
    {
        var turns = BenchRunner.BalancedTurns(n);
        Assert.Equal(n * n, turns.Length);
        var seen = new int[n, n];
        for (int i = 0; i < turns.Length; i++)
        {
            Assert.InRange(turns[i], 0, n - 1);
            // Cyclic: the last turn is followed by the first turn of the next cycle.
            seen[turns[i], turns[(i + 1) % turns.Length]]++;
        }
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                Assert.Equal(1, seen[a, b]);
    }

    [Fact]
    public void Each_engine_takes_as_many_turns_as_there_are_engines()
    {
        var turns = BenchRunner.BalancedTurns(3);
        for (int e = 0; e < 3; e++) Assert.Equal(3, turns.Count(t => t == e));
    }

    [Fact]
    public void No_engines_no_turns() => Assert.Empty(BenchRunner.BalancedTurns(0));
}
