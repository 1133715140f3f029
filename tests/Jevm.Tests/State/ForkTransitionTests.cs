using Jevm.Evm;

namespace Jevm.Tests.State;

public class ForkTransitionTests
{
    [Theory]
    // Timestamp transitions switch at 15000 (execution-spec-tests' "AtTime15k").
    [InlineData("CancunToPragueAtTime15k", 1L, 14_999UL, Fork.Cancun)]
    [InlineData("CancunToPragueAtTime15k", 1L, 15_000UL, Fork.Prague)]
    [InlineData("PragueToOsakaAtTime15k", 1L, 14_999UL, Fork.Prague)]
    [InlineData("PragueToOsakaAtTime15k", 1L, 15_000UL, Fork.Osaka)]
    [InlineData("ShanghaiToCancunAtTime15k", 1L, 20_000UL, Fork.Cancun)]
    [InlineData("ParisToShanghaiAtTime15k", 1L, 0UL, Fork.Paris)]
    // Block-number transitions switch at block 5.
    [InlineData("BerlinToLondonAt5", 4L, 99_999UL, Fork.Berlin)]
    [InlineData("BerlinToLondonAt5", 5L, 0UL, Fork.London)]
    // Plain names and aliases ignore the block.
    [InlineData("Prague", 0L, 0UL, Fork.Prague)]
    [InlineData("merge", 0L, 0UL, Fork.Paris)]
    public void Names_resolve_at_the_block(string name, long number, ulong timestamp, Fork expected)
    {
        Assert.True(ForkNames.TryResolve(name, number, timestamp, out var fork));
        Assert.Equal(expected, fork);
    }

    [Fact]
    public void Unknown_names_are_an_error_listing_the_known_ones()
    {
        Assert.False(ForkNames.TryResolve("Amsterdam", 0, 0, out _));
        var e = Assert.Throws<ArgumentException>(() => ForkNames.Parse("Amsterdam"));
        Assert.Contains("unknown fork 'Amsterdam'", e.Message);
        Assert.Contains("Osaka", e.Message);
        Assert.Contains("CancunToPragueAtTime15k", e.Message);
        // A transition name is not a fork by itself: the message says why.
        Assert.Contains("needs a block", Assert.Throws<ArgumentException>(() => ForkNames.Parse("PragueToOsakaAtTime15k")).Message);
    }
}
